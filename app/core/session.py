"""Session: what the window runs on. One Settings object shared by the engines and the
scheduler, commands that change it (roots, remote drafts, settings) and persist it.

Qt-free, so the window stays a thin layer over it and the commands are tested without Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path
from typing import Any

from app.core import drafts
from app.core import settings as settings_mod
from app.core.backend import RestoreResult, VersionInfo
from app.core.engine import LocalEngine
from app.core.remote import RemoteEngine, attempt_log, remote_draft_url
from app.core.router import Router
from app.core.scheduler import Clock, SaveScheduler
from app.core.settings import Settings
from app.core.store import Store


class Session:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        settings_path: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings_path = settings_path
        self.settings = settings if settings is not None else settings_mod.load(settings_path)
        # values of settings changed for this run only (CLI options): saved as they were
        self.kept_on_disk: dict[str, Any] = {}
        self.local = LocalEngine(self.settings)
        # one record of save attempts for every draft, beside the version store
        self.attempts = attempt_log(self.settings)
        self.remote = RemoteEngine(self.settings, attempts=self.attempts)
        self.router = Router(self.local, self.remote)
        self.scheduler = SaveScheduler(self.router, self.settings, clock=clock,
                                       record=self.attempts)

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        await self.scheduler.start()

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.router.aclose()

    def save_settings(self) -> None:
        settings = self.settings
        if self.kept_on_disk:
            settings = dataclasses.replace(settings, **self.kept_on_disk)
        settings_mod.save(settings, self.settings_path)

    @property
    def roots(self) -> list[Path]:
        return self.local.roots

    # --- commands --------------------------------------------------------------------

    async def add_root(self, folder: str) -> Path:
        path = Path(folder).expanduser()
        drafts.check_root(path)
        path = path.resolve()
        if str(path) not in self.settings.roots:
            if not self.settings.roots:
                # the first root the user picks joins the ones shown so far
                self.settings.roots = [str(r) for r in self.local.roots]
            if str(path) not in self.settings.roots:
                self.settings.roots.append(str(path))
            self.save_settings()
        await self.scheduler.refresh()
        return path

    def validate_draft_url(self, text: str) -> str:
        """The remote draft_url for what the user typed, or BadRequest naming why not."""
        return remote_draft_url(text, self.settings.remote_base)

    async def add_remote(self, text: str) -> str:
        url = self.validate_draft_url(text)
        if url not in self.settings.remote_drafts:
            self.settings.remote_drafts.append(url)
            self.save_settings()
        await self.scheduler.refresh()
        return url

    async def remove(self, key: str) -> None:
        """Take a draft off the list: remote drafts leave the remote list, local drafts are
        ignored from now on. Nothing is deleted, versions stay in the store."""
        if key in self.settings.remote_drafts:
            self.settings.remote_drafts.remove(key)
        elif key not in self.settings.ignored_drafts:
            self.settings.ignored_drafts.append(key)
        self.save_settings()
        self.scheduler.remove(key)
        await self.scheduler.refresh()

    async def create_sample(self) -> str:
        root = self.local.roots[0]
        draft_id = await asyncio.to_thread(drafts.create_sample_draft, root)
        await self.scheduler.refresh()
        return draft_id

    async def history(self, key: str) -> list[VersionInfo]:
        return await self.router.history(key)

    async def restore(self, key: str, version: str) -> RestoreResult:
        result = await self.router.restore(key, version)
        await self.scheduler.refresh()
        return result

    def is_remote(self, key: str) -> bool:
        return self.router.is_remote(key)

    def set_autosave(self, enabled: bool, interval: float | None = None) -> None:
        candidate = dataclasses.replace(self.settings, autosave_enabled=enabled)
        if interval is not None:
            candidate.autosave_interval_s = interval
        candidate.validate()
        self.scheduler.set_autosave(enabled, interval)
        self.save_settings()

    async def apply_settings(self, changes: dict[str, Any]) -> None:
        """Validate and apply new settings without a restart; persist them."""
        candidate = dataclasses.replace(self.settings, **changes)
        candidate.validate()
        for root in candidate.roots:
            if root not in self.settings.roots:
                drafts.check_root(Path(root).expanduser())
        old = dataclasses.replace(self.settings)
        for name, value in changes.items():
            setattr(self.settings, name, value)
        if self.settings.store_path() != old.store_path():
            self.local.store = Store(self.settings.store_path(),
                                     lock_timeout=self.settings.lock_timeout_s)
            fresh = attempt_log(self.settings)
            self.attempts.folder, self.attempts.legacy = fresh.folder, fresh.legacy
        self.local.store.lock_timeout = self.settings.lock_timeout_s
        if (old.connect_timeout_s, old.total_timeout_s, old.remote_base, old.language) != (
            self.settings.connect_timeout_s, self.settings.total_timeout_s,
            self.settings.remote_base, self.settings.language,
        ):
            stale, self.remote = self.remote, RemoteEngine(self.settings,
                                                           attempts=self.attempts)
            self.router.remote = self.remote
            with contextlib.suppress(Exception):
                await stale.aclose()
        if old.max_parallel_saves != self.settings.max_parallel_saves:
            self.scheduler.resize(self.settings.max_parallel_saves)
        self.scheduler.set_autosave(self.settings.autosave_enabled,
                                    self.settings.autosave_interval_s)
        self.save_settings()
        await self.scheduler.refresh()
