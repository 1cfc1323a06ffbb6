"""LocalEngine: the save_draft workflow over draft roots and the version store.

The spec's workflow: validate the draft_url, check the draft exists, take a consistent
snapshot of the working copy, persist it durably, return the result. Blocking work runs in
worker threads so the asyncio loop (and the window on it) never waits on disk.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from app.core import drafts
from app.core.backend import RestoreResult, SaveResult, VerifyReport, VersionInfo
from app.core.drafts import DraftInfo
from app.core.errors import DraftNotFound
from app.core.settings import Settings
from app.core.store import Store, iso, new_version_id
from app.core.urls import draft_path_in_root, parse_draft_id


class LocalEngine:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        roots: list[Path] | None = None,
        store: Store | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or Settings()
        self._roots = roots
        self.store = store or Store(
            self.settings.store_path(), lock_timeout=self.settings.lock_timeout_s
        )
        self.clock = clock

    @property
    def roots(self) -> list[Path]:
        if self._roots is not None:
            return self._roots
        return drafts.effective_roots(self.settings.roots)

    def set_roots(self, roots: list[Path] | None) -> None:
        self._roots = roots

    # --- synchronous API (worker threads, CLI) -----------------------------------------

    def locate(self, draft_url: str) -> tuple[str, Path, Path]:
        """(draft_id, root, folder): validate first, then check that the draft exists."""
        draft_id = parse_draft_id(draft_url)
        root, folder = drafts.find_draft(self.roots, draft_id)
        return draft_id, root, folder

    def save_sync(self, draft_url: str, reason: str = "manual") -> SaveResult:
        draft_id, _root, folder = self.locate(draft_url)
        manifest, unchanged = self.store.save(
            draft_id,
            folder,
            reason=reason,
            include_media=self.settings.include_media,
            media_threshold=self.settings.media_threshold_bytes,
            keep_last=self.settings.keep_last,
            now=self.clock,
        )
        return SaveResult(
            draft_url=draft_url,
            version=manifest.version,
            saved_at=manifest.saved_at,
            unchanged=unchanged,
            bytes_stored=0 if unchanged else manifest.stored_bytes,
        )

    def list_drafts_sync(self) -> list[DraftInfo]:
        out: list[DraftInfo] = []
        for root in self.roots:
            out.extend(drafts.list_drafts(root))
        return out

    def history_sync(self, draft_url: str) -> list[VersionInfo]:
        draft_id = parse_draft_id(draft_url)
        versions = self.store.history(draft_id)
        if not versions:
            # a draft deleted by the editor still has its history; only complain when
            # there is neither a draft nor a version
            try:
                self.locate(draft_url)
            except DraftNotFound:
                raise DraftNotFound(
                    f"Draft does not exist and has no versions: {draft_id}"
                ) from None
        return versions

    def restore_sync(self, draft_url: str, version: str) -> RestoreResult:
        draft_id = parse_draft_id(draft_url)
        version = self.store.resolve_version(draft_id, version)
        target = self.store.manifest(draft_id, version)
        try:
            _id, _root, folder = self.locate(draft_url)
            existed = True
        except DraftNotFound:
            # the editor deleted the draft: restore recreates it in the first root
            folder = draft_path_in_root(self.roots[0], draft_id)
            folder.mkdir(parents=True)
            existed = False
        with self.store.locked():
            before_version = None
            if existed:
                before, _unchanged = self.store.save_locked(
                    draft_id,
                    folder,
                    "before-restore",
                    self.settings.include_media,
                    self.settings.media_threshold_bytes,
                    self.settings.keep_last,
                    self.clock,
                )
                before_version = before.version
            stamp = new_version_id(self.clock(), None)
            written, moved, aside = self.store.restore_files(target, folder, stamp)
        return RestoreResult(
            draft_url=draft_url,
            version=version,
            before_restore_version=before_version,
            written=written,
            moved_aside=moved,
            aside_dir=str(aside) if aside else None,
            not_kept=target.not_kept,
        )

    def verify_sync(self) -> VerifyReport:
        return self.store.verify()

    # --- SaveBackend (asyncio) ---------------------------------------------------------

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        return await asyncio.to_thread(self.save_sync, draft_url, reason)

    async def list_drafts(self) -> list[DraftInfo]:
        return await asyncio.to_thread(self.list_drafts_sync)

    async def history(self, draft_url: str) -> list[VersionInfo]:
        return await asyncio.to_thread(self.history_sync, draft_url)

    async def restore(self, draft_url: str, version: str) -> RestoreResult:
        return await asyncio.to_thread(self.restore_sync, draft_url, version)

    async def verify(self) -> VerifyReport:
        return await asyncio.to_thread(self.verify_sync)

    async def aclose(self) -> None:
        return None


__all__ = ["LocalEngine", "iso"]
