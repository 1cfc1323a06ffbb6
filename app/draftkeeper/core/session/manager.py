"""Session commands of the draft manager (a mixin of Session): details for the list,
deleted drafts, the timeline, compare, pin, restore as a new draft, restore one file.

Local drafts only: a remote draft's versions live on its server.
"""

from __future__ import annotations

from draftkeeper.core.backend import DraftInfo, RestoreResult, VersionInfo
from draftkeeper.core.drafts.details import DraftDetails
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.local.compare import Comparison
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.scheduler import SaveScheduler


class DraftCommands:
    local: LocalEngine
    scheduler: SaveScheduler

    def is_remote(self, key: str) -> bool:
        raise NotImplementedError

    def _local_only(self, key: str) -> None:
        if self.is_remote(key):
            raise BadRequest("Remote drafts keep their versions on their server")

    async def draft_details(self, infos: list[DraftInfo]) -> dict[str, DraftDetails]:
        return await self.local.details([d for d in infos if not d.remote])

    async def deleted_drafts(self) -> list[DraftInfo]:
        return await self.local.deleted_drafts()

    async def timeline(self, key: str) -> list[VersionInfo]:
        self._local_only(key)
        return await self.local.timeline(key)

    async def compare(self, key: str, old: str | None = None,
                      new: str | None = None) -> Comparison:
        self._local_only(key)
        return await self.local.compare(key, old, new)

    async def pin(self, key: str, version: str, pinned: bool = True,
                  label: str | None = None) -> VersionInfo:
        self._local_only(key)
        return await self.local.pin(key, version, pinned, label)

    async def restore_as_new(self, key: str, version: str, name: str) -> RestoreResult:
        self._local_only(key)
        result = await self.local.restore_as_new(key, version, name)
        await self.scheduler.refresh()
        return result

    async def restore_file(self, key: str, version: str, rel: str) -> RestoreResult:
        self._local_only(key)
        result = await self.local.restore_file(key, version, rel)
        await self.scheduler.refresh()
        return result
