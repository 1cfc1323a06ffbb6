"""Replication: every local version that the shared store lacks is uploaded, its chunks
first (put-if-absent, bounded parallelism), then its manifest.

What is there is found by listing (one request per 1,000 keys), so a run after a kill or
an outage sends only what is missing, and nothing needs a lock: chunks are named by their
content and manifests by version and machine. Chunk bytes are read through the local
store's blobs API (``Blobs.content``, ``Blobs.chunk_list``), never from its files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import zstandard

from draftkeeper.core.blobs.blobs import BlobDamaged, Blobs
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound, SaveFailed
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.layout import (
    CHUNKS,
    VERSIONS,
    blob_refs,
    chunk_key,
    digest_of,
    encode_manifest,
    manifest_key,
    parse_manifest_key,
)
from draftkeeper.core.shared.opening import Share
from draftkeeper.core.shared.pruning import (
    STALE_S,
    GcView,
    after_manifest,
    gc_view,
    settled_versions,
)
from draftkeeper.core.store.manifests import DamagedManifest, Manifest
from draftkeeper.core.store.store import Store

ZSTD_LEVEL = 3


@dataclass
class SyncProgress:
    """What a sync has done so far (the CLI and the window word it)."""

    versions_total: int = 0
    versions_done: int = 0
    chunks_sent: int = 0
    bytes_sent: int = 0


@dataclass
class SyncReport:
    uploaded: int = 0  # versions this run put on the shared store
    already: int = 0  # local versions that were there already
    chunks_sent: int = 0
    bytes_sent: int = 0
    requests: int = 0
    failed: dict[str, DraftKeeperError] = field(default_factory=dict)  # draft_id -> why
    pending: dict[str, int] = field(default_factory=dict)  # draft_id -> versions not shared

    @property
    def complete(self) -> bool:
        return not self.pending


async def shared_versions(client: ShareClient) -> set[tuple[str, str]]:
    """(draft key, version) of every manifest on the shared store."""
    out = set()
    for key, _size in await client.list(VERSIONS):
        parsed = parse_manifest_key(key)
        if parsed is not None:
            out.add((parsed.draft_key, parsed.version))
    return out


def needed_digests(blobs: Blobs, manifest: Manifest) -> list[str]:
    """Every blob a version needs: whole files, piece lists (and the lists a long one is
    made of) and their pieces (BlobDamaged when a piece list cannot be read)."""
    out: dict[str, None] = {}
    for file_hash, chunks in blob_refs(manifest):
        out.update(dict.fromkeys(blobs.file_blobs(file_hash, chunks)))
    return list(out)


def _compressed(blobs: Blobs, digest: str) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(b"".join(blobs.content(digest)))


class Replicator:
    def __init__(self, store: Store, share: Share,
                 on_progress: Callable[[SyncProgress], None] | None = None,
                 stale_s: float = STALE_S) -> None:
        self.store = store
        self.client = client = share.client
        self.sealer = share.sealer
        self.machine = client.cfg.machine
        self.on_progress = on_progress
        self.progress = SyncProgress()
        self.share = share
        self.stale_s = stale_s  # a prune's marker this old is a killed machine's
        self.known: set[str] = set()  # chunk ids on the shared store
        # the prunes finished when ``known`` was listed (pruning.after_manifest)
        self.gc_seen = GcView(frozenset())
        self.uploads: dict[str, asyncio.Task[None]] = {}
        self.slots = asyncio.Semaphore(client.cfg.parallel)

    def _tell(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress)

    async def prepare(self) -> None:
        """Learn which chunks are there (and, first, which prunes had finished)."""
        self.gc_seen = await gc_view(self.share)
        self.known = {digest_of(k) for k, _size in await self.client.list(CHUNKS)}

    async def run(self) -> SyncReport:
        report = SyncReport()
        there = await settled_versions(self.share)  # with versions retention removed
        todo: dict[str, list[str]] = {}
        for draft_id in await asyncio.to_thread(self.store.draft_ids):
            ids = self.store.version_ids(draft_id)
            key = self.sealer.draft_key(draft_id)
            missing = [v for v in ids if (key, v) not in there]
            report.already += len(ids) - len(missing)
            if missing:
                todo[draft_id] = missing
        self.progress.versions_total = sum(len(v) for v in todo.values())
        self._tell()
        if todo:
            await self.prepare()
        results = await asyncio.gather(
            *(self._draft(draft_id, versions, report) for draft_id, versions in todo.items()),
            return_exceptions=True)
        for draft_id, result in zip(todo, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, DraftKeeperError):
                    raise result
                report.failed[draft_id] = result
        report.chunks_sent = self.progress.chunks_sent
        report.bytes_sent = self.client.bytes_sent
        report.requests = self.client.requests
        return report

    async def _draft(self, draft_id: str, versions: list[str], report: SyncReport) -> None:
        """Upload a draft's missing versions, oldest first (a failure leaves the rest
        pending)."""
        report.pending[draft_id] = len(versions)
        for version in versions:
            try:
                manifest = self.store.manifest(draft_id, version)
            except DraftNotFound:  # thinned by retention meanwhile: nothing to share
                report.pending[draft_id] -= 1
                continue
            except DamagedManifest as exc:
                raise SaveFailed(f"Version {version} of {draft_id} is damaged here and "
                                 f"cannot be shared: {exc.damage}",
                                 reason="version_damaged",
                                 params={"draft_id": draft_id, "version": version}) from exc
            await self.share_version(manifest)
            report.pending[draft_id] -= 1
            report.uploaded += 1
            self.progress.versions_done += 1
            self._tell()
        del report.pending[draft_id]

    async def share_version(self, manifest: Manifest,
                            on_chunk: Callable[[int, int], None] | None = None) -> None:
        """Upload a version's missing chunks, then its manifest (``on_chunk(done, total)``
        after each chunk)."""
        blobs = self.store.blobs
        seen = self.gc_seen  # what ``known`` was listed after
        try:
            digests = await asyncio.to_thread(needed_digests, blobs, manifest)
            todo = [d for d in digests if self.sealer.chunk_id(d) not in self.known]
            done = [0]

            async def one(digest: str) -> None:
                await self._chunk(digest)
                done[0] += 1
                if on_chunk is not None:
                    on_chunk(done[0], len(todo))

            await asyncio.gather(*(one(d) for d in todo))
        except BlobDamaged as exc:
            if manifest.version not in self.store.version_ids(manifest.draft_id):
                return  # thinned meanwhile: its blobs may be collected, nothing to share
            raise SaveFailed(f"Version {manifest.version} of {manifest.draft_id} cannot be "
                             f"shared: a stored copy here is damaged ({exc.reason})",
                             reason="version_damaged",
                             params={"draft_id": manifest.draft_id,
                                     "version": manifest.version}) from exc
        sealer = self.sealer
        key = manifest_key(sealer.draft_key(manifest.draft_id), manifest.version,
                           sealer.machine_slug(self.machine))
        body = sealer.seal(key, encode_manifest(manifest, self.machine))
        async with self.slots:
            await self.client.put_if_absent(key, body)
        by_id = {sealer.chunk_id(d): d for d in digests}

        async def upload_again(chunk_id: str) -> None:
            self.known.discard(chunk_id)
            self.uploads.pop(by_id[chunk_id], None)
            await self._chunk(by_id[chunk_id])

        checked = await after_manifest(self.share, seen, key, list(by_id), upload_again,
                                       self.stale_s)
        if checked is not None and self.gc_seen is seen:  # a prune came in between
            self.gc_seen, self.known = checked

    def _chunk(self, digest: str) -> asyncio.Task[None]:
        """One upload per chunk, however many versions wait for it."""
        task = self.uploads.get(digest)
        if task is None or (task.done() and task.exception() is not None):
            task = asyncio.ensure_future(self._upload(digest))
            self.uploads[digest] = task
        return task

    async def _upload(self, digest: str) -> None:
        chunk_id = self.sealer.chunk_id(digest)
        key = chunk_key(chunk_id)
        async with self.slots:
            data = await asyncio.to_thread(_compressed, self.store.blobs, digest)
            data = self.sealer.seal(key, data)
            if await self.client.put_if_absent(key, data):
                self.progress.chunks_sent += 1
                self.progress.bytes_sent += len(data)
                self._tell()
        self.known.add(chunk_id)
