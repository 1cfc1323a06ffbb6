"""prune --shared: retention on the shared store, then collection of the chunks no
manifest needs, with no lock that anyone waits on for long.

Objects it adds to the layout::

    tombstones/<draft key>/<version>~<machine>   a version retention removed: ``sync``
                                                 counts it as there (never re-uploaded)
    gc/active/<run>                              a prune is collecting (rewritten every
                                                 30 s; older than 3 min: dead, ignored)
    gc/done/<run>                                a prune finished collecting

Retention writes the tombstone before it deletes the manifest. Collection lists the
manifests, gathers every chunk they need, and deletes chunks no manifest needs whose
upload is older than the grace period (by the server's clock). A writer that names a
chunk it did not upload itself checks, after its manifest is written, whether a prune
was active or finished since it learned the chunk was there (``after_manifest``): then
it waits for the active one (at most until its marker goes stale), checks its chunks and
uploads any that are gone. README "Shared store" argues why this is enough.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from draftkeeper.core.blobs.blobs import LEVELS_MAX, SUBLIST
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.shared.fetch import fetch_blob, read_version
from draftkeeper.core.shared.layout import (
    CHUNKS,
    VERSIONS,
    blob_refs,
    digest_of,
    parse_manifest_key,
)
from draftkeeper.core.shared.opening import Share
from draftkeeper.core.store.manifests import Manifest
from draftkeeper.core.store.retention import retention_victims

TOMBSTONES = "tombstones"
ACTIVE = "gc/active"
DONE = "gc/done"
REFRESH_S = 30.0  # a collecting prune rewrites its marker this often
STALE_S = 180.0  # a marker not rewritten for this long is a killed machine's: ignored
DELETE_BATCH = 64
WAIT_S = 0.5  # a writer looks again this often while a prune collects


def tombstone_key(manifest_key: str) -> str:
    """versions/<draft>/<v>~<m>.json -> tombstones/<draft>/<v>~<m>"""
    return TOMBSTONES + manifest_key[len(VERSIONS):].removesuffix(".json")


async def settled_versions(share: Share) -> set[tuple[str, str]]:
    """(draft key, version) that need no upload: on the shared store, or removed from it
    by retention."""
    out: set[tuple[str, str]] = set()
    for key, _size in await share.client.list(VERSIONS):
        parsed = parse_manifest_key(key)
        if parsed is not None:
            out.add((parsed.draft_key, parsed.version))
    for key, _size in await share.client.list(TOMBSTONES):
        parsed = parse_manifest_key(VERSIONS + key[len(TOMBSTONES):] + ".json")
        if parsed is not None:
            out.add((parsed.draft_key, parsed.version))
    return out


@dataclass(frozen=True)
class GcView:
    """The prunes that had finished when a writer listed the chunks there."""

    done: frozenset[str]


async def gc_view(share: Share) -> GcView:
    return GcView(frozenset(k for k, _size in await share.client.list(DONE)))


async def after_manifest(share: Share, seen: GcView, manifest_key: str, chunk_ids: list[str],
                         upload: Callable[[str], Awaitable[None]], stale_s: float = STALE_S,
                         ) -> tuple[GcView, set[str]] | None:
    """The writer's check, once its manifest is written: when a prune was collecting or
    finished since ``seen``, wait until none collects (a marker not rewritten for
    ``STALE_S`` is ignored), then upload every chunk of the manifest that is gone.
    None when no prune came in between, else the new view and the chunks there now."""
    client = share.client
    while True:
        active = await client.list_times(ACTIVE)
        done = frozenset(k for k, _size in await client.list(DONE))
        if not active and done <= seen.done:
            return None
        if active:  # the server's clock: when this writer's manifest was written
            now = await client.modified(manifest_key)
            if any(now - t < stale_s for _k, t in active):
                await asyncio.sleep(WAIT_S)
                continue
        there = {digest_of(k) for k, _size in await client.list(CHUNKS)}
        gone = [c for c in chunk_ids if c not in there]
        await asyncio.gather(*(upload(c) for c in gone))
        return GcView(done), there | set(gone)


@dataclass
class PruneReport:
    versions_removed: int = 0
    chunks_removed: int = 0
    chunks_young: int = 0  # unneeded, but within the grace period: kept this time
    collected: bool = True  # False: a manifest could not be read, nothing was deleted


class Pruner:
    def __init__(self, share: Share, keep_last: int, grace_s: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.share = share
        self.client = share.client
        self.keep_last = keep_last
        self.grace_s = grace_s
        self.clock = clock
        self.marker = f"{ACTIVE}/{uuid.uuid4().hex}"
        self.refreshed = 0.0  # time.monotonic() of the marker's last rewrite

    async def run(self) -> PruneReport:
        report = PruneReport()
        report.versions_removed = await self._retention()
        await self._refresh()
        try:
            while not await self._sweep(report):
                pass  # stalled past half the stale time: writers may have moved on
            await self.client.put_if_absent(DONE + self.marker[len(ACTIVE):], b"")
        finally:
            await self.client.delete(self.marker)
        return report

    async def _refresh(self) -> None:
        await self.client.put(self.marker, b"")
        self.refreshed = time.monotonic()

    async def _retention(self) -> int:
        by_draft: dict[str, list[str]] = {}
        for key, _size in await self.client.list(VERSIONS):
            parsed = parse_manifest_key(key)
            if parsed is not None:
                by_draft.setdefault(parsed.draft_key, []).append(key)
        removed = 0
        now = self.clock()
        for keys in by_draft.values():
            if len(keys) <= self.keep_last:
                continue
            read = await asyncio.gather(*(read_version(self.share, k) for k in keys))
            key_of = {id(v.manifest): k for v, k in zip(read, keys, strict=True)}
            victims = retention_victims([v.manifest for v in read], now, self.keep_last)
            for m in victims:
                key = key_of[id(m)]
                await self.client.put_if_absent(tombstone_key(key), b"")
                await self.client.delete(key)
                removed += 1
        return removed

    async def _needed(self) -> set[str] | None:
        """Every chunk id a manifest on the store needs (None: one cannot be read)."""
        sealer = self.share.sealer
        needed: set[str] = set()
        lists: set[str] = set()
        keys = [k for k, _size in await self.client.list(VERSIONS)]
        try:
            versions = await asyncio.gather(*(read_version(self.share, k) for k in keys))
        except DraftKeeperError:
            return None
        manifests: list[Manifest] = [v.manifest for v in versions]
        for m in manifests:
            for file_hash, chunks in blob_refs(m):
                if chunks is None:
                    needed.add(sealer.chunk_id(file_hash))
                else:
                    lists.add(chunks)
        todo = [(chunks, 1) for chunks in lists]  # a long list is a tree of lists
        while todo:
            name, depth = todo.pop()
            needed.add(sealer.chunk_id(name))
            try:
                listing = await fetch_blob(self.share, name)
            except DraftKeeperError:
                return None
            for line in listing.decode("ascii", "replace").splitlines():
                part = line.split(" ")
                needed.add(sealer.chunk_id(part[0]))
                if part[2:] == [SUBLIST] and depth < LEVELS_MAX:
                    todo.append((part[0], depth + 1))
        return needed

    async def _sweep(self, report: PruneReport) -> bool:
        """One collection from a fresh listing; False when it stalled and must start
        again."""
        needed = await self._needed()
        if needed is None:
            report.collected = False
            return True
        server_now = await self.client.modified(self.marker)  # the server's clock
        victims: list[str] = []
        for key, modified in await self.client.list_times(CHUNKS):
            if digest_of(key) in needed:
                continue
            if server_now - modified < self.grace_s:
                report.chunks_young += 1
            else:
                victims.append(key)
        for start in range(0, len(victims), DELETE_BATCH):
            since = time.monotonic() - self.refreshed
            if since > STALE_S / 2:
                await self._refresh()
                return False  # writers may have taken the marker for dead meanwhile
            if since > REFRESH_S:
                await self._refresh()
            batch = victims[start:start + DELETE_BATCH]
            await asyncio.gather(*(self.client.delete(k) for k in batch))
            report.chunks_removed += len(batch)
        return True
