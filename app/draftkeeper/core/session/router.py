"""One SaveBackend over the local engine and the remote engine: the one place that decides
whether a draft is local or remote, for the window, the CLI and `watch` alike.

A draft is remote when it is in the settings' remote list, or when it is a draft_url that
names an http(s) server and its draft is not in a local root (added with `add` or not) nor
a local draft the editor deleted (one with versions in the store).
Everything else goes to the LocalEngine. The scheduler drives this without knowing which
is which.

The decision needs neither the remote engine nor asyncio: a command on one local draft
(``draftkeeper save`` / ``restore``) asks ``Router(local).is_remote`` and runs the local
engine's synchronous function, the one the scheduler runs in a worker thread; a Router
without a remote engine sends every draft to the local engine.
"""

from __future__ import annotations

from draftkeeper.core.backend import (
    Batched,
    DraftInfo,
    DraftScan,
    RestoreResult,
    SavedState,
    SaveResult,
    VersionInfo,
)
from draftkeeper.core.drafts import roots
from draftkeeper.core.errors import BadRequest, DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.urls import parse_draft_id

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this

if TYPE_CHECKING:  # the network client is loaded by the Session that makes one
    from draftkeeper.core.remote.engine import RemoteEngine


class Router:
    def __init__(self, local: LocalEngine, remote: RemoteEngine | None = None, *,
                 only_remote: bool = False) -> None:
        self.local = local
        self.remote = remote
        self.only_remote = only_remote  # `--remote`: every draft named is a remote one

    def is_remote(self, key: str) -> bool:
        if self.only_remote or key in self.local.settings.remote_drafts:
            return True
        if not key.lower().startswith(("http://", "https://")):
            return False  # a bare draft_id, or not a URL a server could be reached at
        try:
            draft_id = parse_draft_id(key)
            roots.find_draft(self.local.roots, draft_id)
        except DraftNotFound:
            # not here: its server has it, unless it is a local draft the editor deleted
            # (its versions are still in the store, to be restored)
            return not self.local.saved_state_sync(draft_id).versions
        except BadRequest:
            return False  # the local engine names what is wrong with it
        return False

    def _for(self, key: str) -> LocalEngine | RemoteEngine:
        if self.remote is not None and self.is_remote(key):
            return self.remote
        return self.local

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        return await self._for(draft_url).save(draft_url, reason)

    async def save_many(self, keys: list[str], reason: str = "manual") -> dict[str, Batched]:
        """The local drafts of ``keys`` saved at once; remote ones are left out (each is
        saved on its server by ``save``)."""
        return await self.local.save_many([k for k in keys if not self.is_remote(k)], reason)

    async def walk_ahead(self, keys: list[str]) -> None:
        """The new local drafts of ``keys`` walked by the local engine's second process
        while a batch save of them starts (``local/ahead.py``)."""
        await self.local.walk_ahead([k for k in keys if not self.is_remote(k)])

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
        remote = [k for k in keys if self.remote is not None and self.is_remote(k)]
        remote_set = set(remote)
        local = [k for k in keys if k not in remote_set]
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
