"""Change detection by file-system events: the quiet period ends on the last event, and a
real edit of a real draft is autosaved without waiting for the stat sweep."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

from draftkeeper.core.drafts.watcher import DraftWatcher, events_supported
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State
from draftkeeper.core.saving.timing import EVENTS_SWEEP_FACTOR
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import TEMPLATE_ID
from tests.helpers import bump
from tests.scripted_backend import ScriptedBackend
from tests.vclock import VirtualClock


def test_with_events_the_autosave_starts_when_the_quiet_period_after_the_last_event_ends(
) -> None:
    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        # the sweep is slow (60 s): only events can make this autosave prompt
        sched = SaveScheduler(backend, Settings(quiet_period_s=2, scan_interval_s=60,
                                                autosave_interval_s=300,
                                                min_autosave_gap_s=0),
                              clock=clock, rng=random.Random(1))
        backend.add("a", saved=True)
        await sched.start()
        sched.events = True
        await clock.advance(10)
        last = 0.0
        for _ in range(7):  # the editor writes every 0.7 s; each write is an event
            backend.touch("a")
            last = clock.now()
            sched.changed("a", last)
            assert sched.status("a").state is State.UNSAVED
            await clock.advance(0.7)
        await clock.run_until(lambda: backend.saves("a"), limit=10, step=0.05)
        [saved_at] = backend.saves("a")
        # not before 2 s of quiet after the last event, and not a poll later either
        assert last + 2 <= saved_at <= last + 2 + 0.1
        assert sched.status("a").state is State.CLEAN
        await sched.stop()

    asyncio.run(main())


def test_events_for_a_draft_that_did_not_change_leave_it_clean() -> None:
    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        sched = SaveScheduler(backend, Settings(quiet_period_s=1, scan_interval_s=60,
                                                min_autosave_gap_s=0),
                              clock=clock, rng=random.Random(1))
        backend.add("a", saved=True)
        await sched.start()
        sched.changed("a", clock.now())  # e.g. a file touched and written back as it was
        await clock.advance(3)
        assert backend.saves("a") == []
        assert sched.status("a").state is State.CLEAN
        await sched.stop()

    asyncio.run(main())


def test_with_autosave_off_events_that_left_the_saved_state_do_not_leave_it_unsaved() -> None:
    """A restore's own writes (or a file touched back) raise events after the save that
    recorded the state: once quiet, the draft is checked and shows saved, not unsaved."""

    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        sched = SaveScheduler(backend, Settings(quiet_period_s=1, scan_interval_s=600,
                                                autosave_enabled=False),
                              clock=clock, rng=random.Random(1))
        backend.add("a", saved=True)
        await sched.start()
        sched.changed("a", clock.now())
        assert sched.status("a").state is State.UNSAVED  # at once, until checked
        await clock.advance(3)
        assert sched.status("a").state is State.CLEAN
        backend.touch("a")  # a real change with autosave off: unsaved, and not saved
        sched.changed("a", clock.now())
        await clock.advance(3)
        assert sched.status("a").state is State.UNSAVED and backend.saves("a") == []
        await sched.stop()

    asyncio.run(main())


def test_a_real_edit_is_autosaved_soon_after_its_quiet_period_without_the_sweep(
    draft_root: Path, tmp_path: Path
) -> None:
    assert events_supported(draft_root)
    settings = Settings(quiet_period_s=0.3, scan_interval_s=600, autosave_interval_s=600,
                        min_autosave_gap_s=0)
    engine = LocalEngine(settings, roots=[draft_root], store=Store(tmp_path / "store"))
    engine.save_sync(TEMPLATE_ID)

    async def main() -> None:
        sched = SaveScheduler(engine, settings)
        await sched.start()
        watcher = DraftWatcher(asyncio.get_running_loop(), sched.changed)
        assert watcher.start([draft_root])
        sched.events = True
        try:
            assert sched.status(TEMPLATE_ID).state is State.CLEAN
            meta = draft_root / TEMPLATE_ID / "draft_meta_info.json"
            bump(meta, meta.read_bytes() + b" ")
            written = time.time()
            deadline = written + 10
            while sched.status(TEMPLATE_ID).versions < 2 and time.time() < deadline:
                await asyncio.sleep(0.02)
            saved = time.time()
            assert sched.status(TEMPLATE_ID).versions == 2, "the edit was not autosaved"
            # quiet period 0.3 s, then the save itself: far sooner than the 600 s sweep
            assert saved - written < 0.3 + 2.0
            [newest, _first] = engine.history_sync(TEMPLATE_ID)
            assert newest.reason == "autosave"
            # our own temp files and hidden folders are no draft's change
            assert watcher.key_of(draft_root / TEMPLATE_ID / ".dk-tmp-x" / "n0") is None
            assert watcher.key_of(draft_root / "root_meta_info.json") is None
        finally:
            await asyncio.to_thread(watcher.stop)
            await sched.stop()

    asyncio.run(main())


def test_a_manual_save_after_an_event_leaves_the_draft_clean_until_the_next_event() -> None:
    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        sched = SaveScheduler(backend, Settings(quiet_period_s=2, scan_interval_s=60,
                                                autosave_enabled=False),
                              clock=clock, rng=random.Random(1))
        backend.add("a", saved=True)
        await sched.start()
        sched.events = True
        await clock.advance(1)
        backend.touch("a")
        sched.changed("a", clock.now())
        assert sched.status("a").state is State.UNSAVED
        await clock.advance(1)
        await sched.save("a")  # saved by hand before the quiet period ended
        assert sched.status("a").state is State.CLEAN
        await clock.advance(1)
        backend.touch("a")
        sched.changed("a", clock.now())
        assert sched.status("a").state is State.UNSAVED
        await sched.stop()

    asyncio.run(main())


def test_the_session_watches_local_roots_by_events_and_falls_back_to_the_sweep(
    draft_root: Path, tmp_path: Path
) -> None:
    from draftkeeper.core.session.session import Session

    async def main() -> None:
        session = Session(Settings(roots=[str(draft_root)], store_dir=str(tmp_path / "s"),
                                   quiet_period_s=2, min_autosave_gap_s=0),
                          settings_path=tmp_path / "settings.json")
        session.local.save_sync(TEMPLATE_ID)
        await session.start()
        try:
            assert session.scheduler.status(TEMPLATE_ID).state is State.CLEAN
            assert session.scheduler.events
            assert session.watcher is not None and session.watcher.running
            meta = draft_root / TEMPLATE_ID / "draft_meta_info.json"
            bump(meta, meta.read_bytes() + b"  ")
            deadline = time.time() + 10
            while (session.scheduler.status(TEMPLATE_ID).state is not State.UNSAVED
                   and time.time() < deadline):
                await asyncio.sleep(0.02)  # an event, not the 5 s sweep, says so
            assert session.scheduler.status(TEMPLATE_ID).state is State.UNSAVED
            assert time.time() < deadline - 8
            # events that stop working hand the watching back to the sweep
            session._events_lost()
            assert not session.scheduler.events
        finally:
            await session.stop()
        assert session.watcher is not None and not session.watcher.running

    asyncio.run(main())
    # a root that cannot be watched: no events, the sweep watches it
    watcher = DraftWatcher(asyncio.new_event_loop(), lambda key, at: None)
    assert not watcher.start([tmp_path / "no such root"])


def test_a_change_whose_event_never_comes_is_found_by_the_safety_sweep() -> None:
    """ReadDirectoryChangesW drops events when its buffer overflows and FSEvents coalesces
    them: with events on, a change that no event reports is still found by the sweep,
    within EVENTS_SWEEP_FACTOR scan intervals, and saved."""
    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        sched = SaveScheduler(backend, Settings(quiet_period_s=1, scan_interval_s=5,
                                                autosave_interval_s=30,
                                                min_autosave_gap_s=0),
                              clock=clock, rng=random.Random(1))
        backend.add("a", saved=True)
        await sched.start()
        sched.events = True
        await clock.advance(1)
        backend.touch("a")  # written, and no event says so
        changed_at = clock.now()
        await clock.run_until(lambda: backend.saves("a"), limit=5 * EVENTS_SWEEP_FACTOR + 60,
                              step=0.5)
        [saved_at] = backend.saves("a")
        assert saved_at - changed_at <= 5 * EVENTS_SWEEP_FACTOR + 30 + 1
        assert sched.status("a").state is State.CLEAN
        await sched.stop()

    asyncio.run(main())


class HeldLoop:
    """A loop stand-in that holds what the watcher's thread hands over, to run it later
    (as a busy loop does: the session stops its watcher while events are on their way)."""

    def __init__(self) -> None:
        self.handed: list[tuple[object, tuple[object, ...]]] = []
        self.running = True
        self.soon: list[tuple[object, tuple[object, ...]]] = []  # for the loop's next run

    def call_soon_threadsafe(self, fn: object, *args: object) -> None:
        self.handed.append((fn, args))

    def call_soon(self, fn: object, *args: object) -> None:
        self.soon.append((fn, args))

    def is_running(self) -> bool:
        return self.running

    def run_handed(self) -> None:
        for fn, args in self.handed:
            fn(*args)  # type: ignore[operator]

    def run_again(self) -> None:
        self.running = True
        soon, self.soon = self.soon, []
        for fn, args in soon:
            fn(*args)  # type: ignore[operator]


def test_an_event_on_its_way_when_the_watcher_stops_never_reaches_the_scheduler(
        draft_root: Path) -> None:
    """Stopping the watcher is the session's first step of stopping; the scheduler stops
    next and must not start an autosave after it (on a closed loop, a task that never
    runs). An event the watcher saw before it stopped, run on the loop after, is dropped;
    one seen before a restart on other roots still arrives (the draft did change)."""
    loop = HeldLoop()
    changed: list[str] = []
    watcher = DraftWatcher(loop, lambda key, at: changed.append(key))  # type: ignore[arg-type]
    meta = draft_root / TEMPLATE_ID / "draft_meta_info.json"

    def edit_and_wait_for_its_event() -> None:
        loop.handed.clear()
        bump(meta, meta.read_bytes() + b" ")
        deadline = time.time() + 10
        while not loop.handed and time.time() < deadline:
            time.sleep(0.01)  # (the watcher's thread hands the event over)
        assert loop.handed, "no event for the edit"

    assert watcher.start([draft_root])
    edit_and_wait_for_its_event()
    watcher.start([draft_root])  # a restart (a root added): the event still counts
    loop.run_handed()
    assert changed == [TEMPLATE_ID]
    edit_and_wait_for_its_event()
    watcher.stop()
    loop.run_handed()
    assert changed == [TEMPLATE_ID]  # not the one seen before the stop


def test_an_event_handed_over_while_the_loop_is_not_running_waits_for_its_next_run(
        draft_root: Path) -> None:
    """qasync processes Qt's events once more after its loop stopped (the end of a
    ``run_until_complete``, the app quitting): no asyncio loop runs there, so an autosave
    cannot start. The event reaches the scheduler when the loop runs again, not before."""
    loop = HeldLoop()
    changed: list[str] = []
    watcher = DraftWatcher(loop, lambda key, at: changed.append(key))  # type: ignore[arg-type]
    meta = draft_root / TEMPLATE_ID / "draft_meta_info.json"
    assert watcher.start([draft_root])
    try:
        bump(meta, meta.read_bytes() + b" ")
        deadline = time.time() + 10
        while not loop.handed and time.time() < deadline:
            time.sleep(0.01)
        assert loop.handed, "no event for the edit"
        loop.running = False
        loop.run_handed()
        assert changed == []
        loop.run_again()
        assert changed == [TEMPLATE_ID]
    finally:
        watcher.stop()
