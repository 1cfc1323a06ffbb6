"""Mirror: the content of a remote draft kept as versions in the local store.

After a remote save, the draft's files (``get_draft``'s listing) are fetched into a staging
folder and saved with ``Store.save`` under the id ``remote:<draft_id>``, in the same format
as local drafts, so history and pull work on them. Each file's ETag / Last-Modified is
remembered, so an unchanged draft costs one ``get_draft`` and one conditional request per
file, and stores nothing. A version exists only once every file is complete: downloads go
to a staging folder, which replaces the mirror's working folder only when all are in.

Layout, beside the versions: ``<store>/mirror/<key>/state.json`` (validators, the version
they describe, when save_draft was last sent) and ``files/`` (the latest content).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from draftkeeper.core.blobs.io import StoreIO, safe_write
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.remote.download import Downloader, Progress, inside, plan_files
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.snapshot import SaveOptions
from draftkeeper.core.store.store import Store

PREFIX = "remote:"
STALE_S = 3600.0  # staging folders older than this were left by a killed process


def mirror_id(draft_id: str) -> str:
    """The store id of a remote draft's mirror (apart from any local draft of that id)."""
    return PREFIX + draft_id


@dataclass(frozen=True)
class MirrorResult:
    version: str | None
    unchanged: bool  # nothing new was stored
    requests: int  # file requests sent (conditional or not)
    bytes: int  # file bytes received


class Mirror:
    def __init__(self, store: Callable[[], Store], settings: Settings,
                 downloader: Downloader, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.settings = settings
        self.downloader = downloader
        self.clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    # --- reading -----------------------------------------------------------------------

    def folder(self, draft_id: str) -> Path:
        return self.store().root / "mirror" / draft_key(mirror_id(draft_id))

    def state(self, draft_id: str) -> dict[str, Any]:
        try:
            data = json.loads((self.folder(draft_id) / "state.json").read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def versions(self, draft_id: str) -> int:
        return len(self.store().version_ids(mirror_id(draft_id)))

    def posted_at(self, draft_id: str) -> float | None:
        value = self.state(draft_id).get("posted_at")
        return float(value) if isinstance(value, int | float) else None

    def note_posted(self, draft_id: str) -> None:
        """save_draft was answered: the keep-alive cadence counts from now."""
        state = self.state(draft_id)
        state["posted_at"] = self.clock()
        self._write_state(draft_id, state)

    def _write_state(self, draft_id: str, state: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            safe_write(StoreIO(), self.folder(draft_id) / "state.json",
                       json.dumps(state, ensure_ascii=False).encode())

    def save_options(self) -> SaveOptions:
        s = self.settings
        return SaveOptions(s.include_media, s.media_threshold_bytes, s.keep_last, self.clock)

    # --- syncing -----------------------------------------------------------------------

    async def sync(self, draft_id: str, files: list[Any], reason: str,
                   progress: Progress | None = None) -> MirrorResult:
        """Bring the mirror up to ``files`` (a get_draft listing); a new version when
        anything changed. BadRequest for a hostile listing (nothing is fetched)."""
        lock = self._locks.setdefault(draft_id, asyncio.Lock())
        async with lock:
            return await self._sync(draft_id, files, reason, progress)

    async def _sync(self, draft_id: str, files: list[Any], reason: str,
                    progress: Progress | None) -> MirrorResult:
        plan = plan_files(draft_id, files)
        base = self.folder(draft_id)
        work = base / "files"
        store = self.store()
        latest = store.latest(mirror_id(draft_id))
        state = self.state(draft_id)
        known: dict[str, Any] = state.get("files", {}) if isinstance(state.get("files"), dict) \
            else {}
        consistent = (latest is not None and state.get("version") == latest.version
                      and work.is_dir())
        if not consistent:
            known = {}
        base.mkdir(parents=True, exist_ok=True)
        _sweep(base)
        staging = base / f"{TMP_PREFIX}stage-{secrets.token_hex(4)}"
        staging.mkdir()
        requests_before = self.downloader.requests
        received = 0
        fresh: dict[str, Any] = {}
        changed = set(known) != {f.rel for f in plan}

        def counted(n: int) -> None:
            nonlocal received
            received += n
            if progress is not None:
                progress(n)

        try:
            for f in plan:
                dest = inside(staging, f.rel)
                prev = known.get(f.rel)
                usable = (isinstance(prev, dict) and prev.get("url") == f.url
                          and (work / f.rel).is_file())
                got = await self.downloader.fetch(
                    f.url, dest,
                    etag=prev.get("etag") if usable and prev else None,
                    last_modified=prev.get("last_modified") if usable and prev else None,
                    progress=counted)
                if got is None and usable and prev is not None:
                    _link_or_copy(work / f.rel, dest)
                    fresh[f.rel] = prev
                    continue
                if got is None:  # 304 without asking: fetch it whole
                    got = await self.downloader.fetch(f.url, dest, progress=counted)
                    assert got is not None
                changed = True
                fresh[f.rel] = {"url": f.url, "etag": got.etag,
                                "last_modified": got.last_modified, "size": got.size}
            requests = self.downloader.requests - requests_before
            if not changed and latest is not None:
                return MirrorResult(latest.version, True, requests, received)
            await asyncio.to_thread(_swap, staging, work)
            manifest, unchanged = await asyncio.to_thread(
                store.save, mirror_id(draft_id), work, reason=reason, options=self.save_options())
        finally:
            await asyncio.to_thread(shutil.rmtree, staging, True)
        state.update({"files": fresh, "version": manifest.version})
        self._write_state(draft_id, state)
        return MirrorResult(manifest.version, unchanged, requests, received)


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _swap(staging: Path, work: Path) -> None:
    """Make ``staging`` the working folder (the old one is removed after)."""
    old = work.with_name(f"{TMP_PREFIX}old-{secrets.token_hex(4)}")
    if work.exists():
        os.rename(work, old)
    os.rename(staging, work)
    shutil.rmtree(old, ignore_errors=True)


def _sweep(base: Path) -> None:
    """Remove staging folders a killed process left behind."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if entry.name.startswith(TMP_PREFIX):
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > STALE_S or entry.name.startswith(
                            f"{TMP_PREFIX}old-"):
                        shutil.rmtree(entry, ignore_errors=True)
