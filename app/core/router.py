"""One SaveBackend over the local engine and the remote engine.

Drafts in the settings' remote list go to the RemoteEngine; everything else to the
LocalEngine. The scheduler and the window drive this without knowing which is which.
"""

from __future__ import annotations

from app.core.backend import (
    DraftScan,
    RestoreResult,
    SavedState,
    SaveResult,
    VersionInfo,
)
from app.core.drafts import DraftInfo
from app.core.engine import LocalEngine
from app.core.remote import RemoteEngine


class Router:
    def __init__(self, local: LocalEngine, remote: RemoteEngine | None = None) -> None:
        self.local = local
        self.remote = remote

    def is_remote(self, key: str) -> bool:
        return self.remote is not None and key in self.remote.settings.remote_drafts

    def _for(self, key: str) -> LocalEngine | RemoteEngine:
        if self.remote is not None and self.is_remote(key):
            return self.remote
        return self.local

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        return await self._for(draft_url).save(draft_url, reason)

    async def list_drafts(self) -> list[DraftInfo]:
        remote = await self.remote.list_drafts() if self.remote else []
        return await self.local.list_drafts() + remote

    async def scan(self) -> list[DraftScan]:
        remote = await self.remote.scan() if self.remote else []
        return await self.local.scan() + remote

    async def scan_one(self, key: str) -> DraftScan | None:
        return await self._for(key).scan_one(key)

    async def saved_state(self, key: str) -> SavedState:
        return await self._for(key).saved_state(key)

    async def saved_states(self, keys: list[str]) -> list[SavedState]:
        remote = [k for k in keys if self.is_remote(k)]
        local = [k for k in keys if not self.is_remote(k)]
        found = dict(zip(local, await self.local.saved_states(local), strict=True))
        if self.remote is not None and remote:
            found.update(zip(remote, await self.remote.saved_states(remote), strict=True))
        return [found[k] for k in keys]

    def server_of(self, key: str) -> str | None:
        return self._for(key).server_of(key)

    async def history(self, draft_url: str) -> list[VersionInfo]:
        return await self._for(draft_url).history(draft_url)

    async def restore(self, draft_url: str, version: str) -> RestoreResult:
        return await self._for(draft_url).restore(draft_url, version)

    async def aclose(self) -> None:
        if self.remote is not None:
            await self.remote.aclose()
