"""A draft removed from the list while a sweep is under way stays removed: the sweep's
scan, taken before the removal, must not list it again (seen as a removed draft coming
back, unprotected by undo, when Delete was pressed during a background sweep)."""

from __future__ import annotations

import asyncio

from draftkeeper.core.backend import DraftScan
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.settings.table import Settings
from tests.scripted_backend import ScriptedBackend
from tests.vclock import VirtualClock


class SlowScan(ScriptedBackend):
    """Its scan returns what was listed when it started, after a gate opens."""

    def __init__(self, clock: VirtualClock) -> None:
        super().__init__(clock)
        self.gate = asyncio.Event()
        self.gate.set()
        self.scanning = asyncio.Event()
        self.hidden: set[str] = set()

    async def scan(self) -> list[DraftScan]:
        listed = [s for s in await super().scan() if s.info.key not in self.hidden]
        self.scanning.set()
        await self.gate.wait()
        return listed


def test_a_draft_removed_during_a_sweep_is_not_listed_again() -> None:
    async def go() -> None:
        backend = SlowScan(VirtualClock())
        backend.add("kept")
        backend.add("removed")
        sched = SaveScheduler(backend, Settings())
        await sched.refresh()
        assert sorted(sched.keys()) == ["kept", "removed"]
        backend.gate.clear()
        backend.scanning.clear()
        sweep = asyncio.ensure_future(sched.refresh())
        await backend.scanning.wait()  # the sweep listed both drafts
        sched.remove("removed")  # what Session.remove does, then it hides it
        backend.hidden.add("removed")
        backend.gate.set()
        await sweep
        assert sched.keys() == ["kept"]
        await sched.refresh()
        assert sched.keys() == ["kept"]
        backend.hidden.clear()  # un-removed: listed again by the next sweep
        await sched.refresh()
        assert sorted(sched.keys()) == ["kept", "removed"]

    asyncio.run(go())
