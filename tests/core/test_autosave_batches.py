"""Drafts that become quiet one after the other while autosave runs (an automation flow
writing hundreds of drafts) are saved in batches, not one by one: those that become quiet
while a batch saves go together as the next one. Each still shows saving, then clean,
once, with one attempt recorded and one version."""

from __future__ import annotations

import asyncio
import random
import threading
from pathlib import Path
from typing import Any

from draftkeeper.core.backend import Batched, DraftScan, SaveResult
from draftkeeper.core.drafts.watcher import DraftWatcher
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft
from tests.vclock import VirtualClock


class Gated:
    """The real local engine, with a seam: each batch save waits for ``gate`` and is
    noted in ``batches``; ``scanned`` counts the drafts looked at once quiet."""

    def __init__(self, engine: LocalEngine) -> None:
        self.engine = engine
        self.gate = asyncio.Event()
        self.batches: list[list[str]] = []
        self.singles: list[str] = []
        self.scanned = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    async def save_many(self, keys: list[str], reason: str = "manual") -> dict[str, Batched]:
        self.batches.append(list(keys))
        await self.gate.wait()
        return await self.engine.save_many(keys, reason)

    async def save(self, key: str, reason: str = "manual") -> SaveResult:
        self.singles.append(key)
        return await self.engine.save(key, reason)

    async def scan_one(self, key: str) -> DraftScan | None:
        scan = await self.engine.scan_one(key)
        self.scanned += 1
        return scan


async def until(check: Any, limit: float = 60.0) -> None:
    """Wait (in real time: the saves run in threads) until ``check()``; the limit only
    guards a hang."""
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.005)
    await asyncio.wait_for(poll(), limit)


def test_drafts_written_one_after_the_other_are_autosaved_in_batches(tmp_path: Path) -> None:
    async def main() -> None:
        count = 300
        root = tmp_path / "root"
        root.mkdir()
        clock = VirtualClock()
        settings = Settings(quiet_period_s=1, scan_interval_s=600, autosave_interval_s=300,
                            min_autosave_gap_s=0)
        backend = Gated(LocalEngine(settings, roots=[root], store=Store(tmp_path / "store")))
        record = AttemptLog(tmp_path / "store" / "attempts")
        sched = SaveScheduler(backend, settings, clock=clock,  # type: ignore[arg-type]
                              rng=random.Random(1), record=record)
        states: dict[str, list[State]] = {}
        sched.subscribe(lambda e: states.setdefault(e.key, []).append(e.new.state)
                        if e.new is not None else None)
        await sched.start()
        sched.events = True
        try:
            # the flow writes 300 drafts, 3 ms apart; the sweep lists them, and events
            # report each draft's writes
            keys = [f"d{i:03d}" for i in range(count)]
            for key in keys:
                make_draft(root, key)
            await sched.refresh()
            start = clock.now()
            for i, key in enumerate(keys):
                sched.changed(key, start + i * 0.003)
            assert all(sched.status(k).state is State.UNSAVED for k in keys)
            # every draft becomes quiet, one after the other, while the first batch saves
            await clock.advance(3)
            await until(lambda: backend.scanned == count)
            assert len(backend.batches) == 1
            assert all(sched.status(k).state is State.UNSAVED
                       for k in keys if k not in backend.batches[0])
            backend.gate.set()
            await until(lambda: all(sched.status(k).state is State.CLEAN for k in keys))
        finally:
            await sched.stop()
        # the first batch, then every draft that became quiet meanwhile as the next one
        assert len(backend.batches) == 2
        assert sorted(backend.batches[0] + backend.batches[1]) == keys
        for key in keys:
            assert states[key] == [State.UNSAVED, State.SAVING, State.CLEAN], key
            [attempt] = record.read(key)
            assert attempt.outcome == "saved" and attempt.reason == "autosave"
            [version] = backend.engine.history_sync(key)
            assert attempt.version == version.version == sched.status(key).last_version

    asyncio.run(main())


def test_drafts_unsaved_at_quit_are_saved_as_one_batch(tmp_path: Path) -> None:
    """At quit (the window's close, `watch` stopped), the unsaved local drafts are saved
    once each, together: one batch, each draft saving, then clean, with one version."""
    async def main() -> None:
        root = tmp_path / "root"
        keys = [f"d{i:03d}" for i in range(300)]
        for key in keys:
            make_draft(root, key)
        settings = Settings(autosave_enabled=False)
        backend = Gated(LocalEngine(settings, roots=[root], store=Store(tmp_path / "store")))
        backend.gate.set()
        sched = SaveScheduler(backend, settings)  # type: ignore[arg-type]
        states: dict[str, list[State]] = {}
        sched.subscribe(lambda e: states.setdefault(e.key, []).append(e.new.state)
                        if e.new is not None else None)
        await sched.start()
        try:
            assert await sched.flush(60) == []
        finally:
            await sched.stop()
        assert sorted(k for batch in backend.batches for k in batch) == keys
        assert len(backend.batches) == 1
        for key in keys:
            assert states[key] == [State.UNSAVED, State.SAVING, State.CLEAN], key
            assert len(backend.engine.history_sync(key)) == 1

    asyncio.run(main())


def test_drafts_appearing_while_watched_are_listed_at_once_and_saved_in_batches(
        tmp_path: Path) -> None:
    """300 new drafts written into a watched root (the sweep is 600 s away): file-system
    events list them at once, and each goes unsaved, saving, clean, with one attempt
    and one version, saved in batches (none alone)."""
    async def main() -> None:
        count = 300
        root = tmp_path / "root"
        root.mkdir()
        settings = Settings(quiet_period_s=0.5, scan_interval_s=600, autosave_interval_s=600,
                            min_autosave_gap_s=0)
        backend = Gated(LocalEngine(settings, roots=[root], store=Store(tmp_path / "store")))
        backend.gate.set()
        record = AttemptLog(tmp_path / "store" / "attempts")
        sched = SaveScheduler(backend, settings, record=record)  # type: ignore[arg-type]
        states: dict[str, list[State]] = {}
        sched.subscribe(lambda e: states.setdefault(e.key, []).append(e.new.state)
                        if e.new is not None else None)
        await sched.start()
        watcher = DraftWatcher(asyncio.get_running_loop(), sched.changed)
        assert watcher.start([root])
        sched.events = True
        keys = [f"d{i:03d}" for i in range(count)]
        try:
            writer = threading.Thread(target=lambda: [make_draft(root, k) for k in keys])
            writer.start()  # (an automation flow, in another process)
            await asyncio.to_thread(writer.join)
            await until(lambda: all(k in sched and sched.status(k).state is State.CLEAN
                                    for k in keys))
        finally:
            await asyncio.to_thread(watcher.stop)
            await sched.stop()
        assert backend.singles == []
        assert sorted(k for batch in backend.batches for k in batch) == keys
        assert len(backend.batches) <= count // 3
        for key in keys:
            assert states[key] == [State.UNSAVED, State.SAVING, State.CLEAN], key
            [attempt] = record.read(key)
            assert attempt.outcome == "saved" and attempt.reason == "autosave"
            [version] = backend.engine.history_sync(key)
            assert attempt.version == version.version

    asyncio.run(main())
