"""verify --shared: read every version's manifest on the shared store and every chunk it
needs, and check each piece's hash and each file's whole hash (a reader: writes nothing).
"""

from __future__ import annotations

import asyncio
import hashlib

from draftkeeper.core.backend import DamagedVersion, VerifyReport
from draftkeeper.core.blobs.blobs import LEVELS_MAX, SUBLIST, BlobDamaged
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.shared.client import ObjectMissing
from draftkeeper.core.shared.fetch import fetch_blob, read_version
from draftkeeper.core.shared.layout import VERSIONS, parse_manifest_key
from draftkeeper.core.shared.opening import Share


class _Checker:
    def __init__(self, share: Share) -> None:
        self.share = share
        self.slots = asyncio.Semaphore(share.client.cfg.parallel)
        self.blobs: dict[str, asyncio.Task[tuple[str, bytes | None]]] = {}

    def blob(self, digest: str, keep: bool) -> asyncio.Task[tuple[str, bytes | None]]:
        """(problem or "", content when ``keep``) of one blob, fetched once."""
        task = self.blobs.get(digest)
        if task is None:
            task = asyncio.ensure_future(self._fetch(digest, keep))
            self.blobs[digest] = task
        return task

    async def _fetch(self, digest: str, keep: bool) -> tuple[str, bytes | None]:
        async with self.slots:
            try:
                data = await fetch_blob(self.share, digest)
            except ObjectMissing:
                return f"chunk {digest[:12]} is missing", None
            except BlobDamaged as exc:
                return f"chunk {digest[:12]}: {exc.reason}", None
        return "", data if keep else hashlib.sha256(data).digest()

    async def file(self, file_hash: str, chunks: str | None) -> str:
        """Why a file cannot be given back from the shared store ("" when it can)."""
        if chunks is None:
            problem, _data = await self.blob(file_hash, keep=False)
            return problem
        pieces: list[str] = []
        todo = [(chunks, 1)]  # a long list is a tree of lists (blobs.py): walked in order
        while todo:
            name, depth = todo.pop(0)
            problem, listing = await self.blob(name, keep=True)
            if problem or listing is None:
                return problem or "chunk list unreadable"
            try:
                lines = [line.split(" ") for line in listing.decode("ascii").splitlines()]
            except UnicodeDecodeError:
                return f"chunk list {name[:12]} is not one"
            kinds = {tuple(line[2:]) for line in lines}
            if kinds <= {()}:  # pieces
                pieces.extend(line[0] for line in lines)
            elif kinds == {(SUBLIST,)} and depth < LEVELS_MAX:  # lists, in their order
                todo[:0] = [(line[0], depth + 1) for line in lines]
            else:
                return f"chunk list {name[:12]} is not one"
        whole = hashlib.sha256()
        step = self.share.client.cfg.parallel * 2  # a window of pieces in memory at once
        for start in range(0, len(pieces), step):
            window = pieces[start:start + step]
            for problem, data in await asyncio.gather(*(self._piece(p) for p in window)):
                if problem or data is None:
                    return problem
                whole.update(data)
        return "" if whole.hexdigest() == file_hash else "whole-file hash mismatch"

    async def _piece(self, digest: str) -> tuple[str, bytes | None]:
        async with self.slots:
            try:
                return "", await fetch_blob(self.share, digest)
            except ObjectMissing:
                return f"chunk {digest[:12]} is missing", None
            except BlobDamaged as exc:
                return f"chunk {digest[:12]}: {exc.reason}", None


async def verify_shared(share: Share) -> VerifyReport:
    checker = _Checker(share)
    damaged: list[DamagedVersion] = []
    keys = [k for k, _size in await share.client.list(VERSIONS)]
    versions = 0
    files: set[tuple[str, str | None]] = set()
    for key in sorted(keys):
        parsed = parse_manifest_key(key)
        if parsed is None:
            continue
        versions += 1
        try:
            shared = await read_version(share, key)
        except DraftKeeperError as exc:
            if exc.retryable:
                raise
            damaged.append(DamagedVersion("?", parsed.version, [f"manifest: {exc.message}"]))
            continue
        m = shared.manifest
        entries = [f for f in m.files if f.hash is not None]
        found = await asyncio.gather(*(checker.file(f.hash or "", f.chunks) for f in entries))
        files.update((f.hash or "", f.chunks) for f in entries)
        problems = [f"{f.path}: {p}" for f, p in zip(entries, found, strict=True) if p]
        if problems:
            damaged.append(DamagedVersion(m.draft_id, f"{m.version} ({shared.machine})",
                                          problems))
    damaged.sort(key=lambda d: (d.draft_id, d.version))
    return VerifyReport(versions=versions, blobs=len(files), damaged=damaged)
