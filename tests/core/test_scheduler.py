"""SaveScheduler in virtual time: schedules, coalescing, backoff, probes, flush."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from draftkeeper.core.errors import BadRequest, DraftKeeperError, DraftNotFound, Unavailable
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.settings.table import Settings
from tests.scripted_backend import ScriptedBackend
from tests.vclock import VirtualClock

Scenario = Callable[[VirtualClock, ScriptedBackend, SaveScheduler], Awaitable[None]]


def run(scenario: Scenario, *, seed: int = 42, **settings: Any) -> None:
    async def main() -> None:
        clock = VirtualClock()
        backend = ScriptedBackend(clock)
        defaults: dict[str, Any] = {"autosave_interval_s": 30, "quiet_period_s": 2,
                                    "min_autosave_gap_s": 10, "scan_interval_s": 5}
        sched = SaveScheduler(backend, Settings(**(defaults | settings)), clock=clock,
                              rng=random.Random(seed))
        await scenario(clock, backend, sched)
        await sched.stop()

    asyncio.run(main())


def states(events: list[StatusEvent], key: str) -> list[str]:
    out = []
    for e in events:
        if e.key == key and e.new is not None and (e.old is None or e.old.state != e.new.state):
            out.append(e.new.state.value)
    return out


def test_autosave_cadence_and_only_changed_drafts() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a", saved=True)
        backend.add("b", saved=True)
        await sched.start()
        assert sched.status("a").state is State.CLEAN
        await clock.advance(3)
        backend.touch("a")
        await clock.advance(5)  # the status sweep sees the change
        assert sched.status("a").state is State.UNSAVED
        assert backend.saves() == []  # not before the autosave tick
        await clock.advance(30 - 8)  # t=30: tick; a changed 25 s ago, quiet: saved now
        assert backend.saves("a") == [clock.t]
        assert sched.status("a").state is State.CLEAN
        await clock.advance(120)  # four more ticks, nothing changed
        assert len(backend.saves()) == 1
        assert backend.calls[0][1] == "autosave"

    run(scenario)


def test_quiet_period_waits_for_a_burst_of_writes_to_end() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a", saved=True)
        await sched.start()
        await clock.advance(25)
        for _ in range(12):  # the editor writes every second from t=25 to t=36
            backend.touch("a")
            await clock.advance(1)
        last_write = clock.t - 1
        await clock.run_until(lambda: backend.saves("a"), limit=30)
        [saved_at] = backend.saves("a")
        assert saved_at >= last_write + 2  # only after 2 s without a change
        # changes are polled once per quiet period, so the save lands 2 to 4 s after the
        # last write: promptly, not a whole autosave interval later
        assert saved_at <= last_write + 2 * 2 + 0.5

    run(scenario)


def test_two_autosaves_of_one_draft_are_at_least_the_minimum_gap_apart() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a", saved=True)
        await sched.start()
        backend.touch("a")
        await clock.advance(5)  # t=5 (seen); tick at 10
        await clock.advance(5.5)
        assert len(backend.saves("a")) == 1
        backend.touch("a")
        await clock.advance(0.5)
        sched.autosave_due()  # an early tick: gap not yet passed
        await clock.run_until(lambda: len(backend.saves("a")) == 2, limit=30)
        first, second = backend.saves("a")
        assert second - first >= 10

    run(scenario, autosave_interval_s=10)


def test_100_concurrent_requests_give_at_most_2_saves_and_100_answers() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [1.0, 1.0]  # each save takes 1 virtual second
        await sched.start()
        tasks = [asyncio.create_task(sched.save("a")) for _ in range(100)]
        await clock.advance(5)
        results = [t.result() for t in tasks]
        assert len(results) == 100
        assert len(backend.saves("a")) == 2
        assert all(r.draft_url == "a" for r in results)

    run(scenario)


def test_manual_save_while_saving_runs_exactly_one_follow_up() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [1.0]
        await sched.start()
        first = asyncio.create_task(sched.save("a"))
        await clock.settle()
        assert sched.status("a").state is State.SAVING
        backend.touch("a")  # changed while saving: the follow-up saves the new state
        second = asyncio.create_task(sched.save("a"))
        await clock.advance(2)
        assert first.result().version == "v1" and second.result().version == "v2"
        assert len(backend.saves("a")) == 2

    run(scenario)


def test_backoff_delays_stay_within_full_jitter_bounds() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [Unavailable("busy") for _ in range(8)]
        await sched.start()
        task = asyncio.create_task(sched.save("a"))
        await clock.run_until(task.done, limit=1000)
        with pytest.raises(Unavailable):
            task.result()
        times = backend.saves("a")
        assert len(times) == 8  # max attempts
        delays = [b - a for a, b in itertools.pairwise(times)]
        for k, delay in enumerate(delays):
            assert 0 <= delay <= min(60, 1 * 2**k) + 0.11, (k, delay)  # 0.1: the test's step
        assert sched.status("a").state is State.FAILED
        assert sched.status("a").attempt == 8

    run(scenario)


def test_retrying_status_carries_attempt_and_countdown() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [Unavailable("Service unavailable", retry_after=4)]
        await sched.start()
        task = asyncio.create_task(sched.save("a"))
        await clock.settle()
        status = sched.status("a")
        assert status.state is State.RETRYING
        assert (status.attempt, status.max_attempts) == (1, 8)
        assert status.next_attempt_at is not None
        assert status.next_attempt_at - clock.t >= 4  # Retry-After honoured
        assert status.error_message == "Service unavailable"
        await clock.advance(3.9)
        assert len(backend.saves("a")) == 1
        await clock.run_until(task.done, limit=60)
        assert sched.status("a").state is State.CLEAN
        assert backend.saves("a")[1] - backend.saves("a")[0] >= 4

    run(scenario)


def test_permanent_error_fails_at_once_and_manual_save_starts_over() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a", remote_server="http://s")
        backend.drafts["a"].script = [DraftNotFound("Draft does not exist on the server")]
        await sched.start()
        with pytest.raises(DraftNotFound):
            await sched.save("a")
        status = sched.status("a")
        assert status.state is State.FAILED
        assert status.error_message == "Draft does not exist on the server"
        assert len(backend.saves("a")) == 1
        await sched.save("a")  # manual: starts over, and this time it works
        assert sched.status("a").state is State.CLEAN

    run(scenario)


def test_manual_save_skips_the_backoff_wait() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [Unavailable("x", retry_after=50)]
        await sched.start()
        auto = asyncio.create_task(sched.save("a", reason="autosave"))
        await clock.advance(1)
        assert sched.status("a").state is State.RETRYING
        manual = await sched.save("a")
        assert manual.version == "v1"
        assert backend.saves("a")[1] - backend.saves("a")[0] == pytest.approx(1)
        assert auto.done() and auto.result() is manual

    run(scenario)


def test_offline_server_is_probed_once_per_backoff_step() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        keys = [f"r{i}" for i in range(10)]
        for key in keys:
            backend.add(key, remote_server="http://s")
        backend.add("local")
        backend.server_down.add("http://s")
        backend.down_error = Unavailable("Cannot reach the server: connection refused",
                                         offline=True)
        await sched.start()
        tasks = [asyncio.create_task(sched.save(k)) for k in [*keys, "local"]]
        await clock.settle()
        # all ten tried once at first, as they were asked for together
        assert len([c for c in backend.calls if c[0] != "local"]) <= 10
        before = len(backend.calls)
        await clock.advance(20)
        during = [c for c in backend.calls[before:] if c[0] != "local"]
        probers = {k for k, _r, _t in during}
        assert len(probers) == 1  # one draft probes...
        times = [t for _k, _r, t in during]
        assert len(times) == len(set(times))  # ...one request per backoff step
        waiting = [sched.status(k) for k in keys if k not in probers]
        assert all(s.state is State.RETRYING for s in waiting)
        assert all(s.detail_kind == "server_offline" for s in waiting)
        assert sched.status("local").state is State.CLEAN  # other servers unaffected
        backend.server_down.clear()
        await clock.run_until(lambda: all(t.done() for t in tasks), limit=120)
        assert all(sched.status(k).state is State.CLEAN for k in keys)
        assert all(t.exception() is None for t in tasks)

    run(scenario)


def test_flush_saves_what_it_can_before_the_deadline() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        for key in ("fast", "slow", "clean"):
            backend.add(key, saved=key == "clean")
        backend.drafts["slow"].script = [30.0]  # a save that takes 30 s
        await sched.start()
        progress: list[tuple[int, int]] = []
        task = asyncio.create_task(sched.flush(10, lambda d, t: progress.append((d, t))))
        await clock.advance(11)
        assert task.done()
        assert task.result() == ["slow"]
        assert sched.status("fast").state is State.CLEAN
        assert progress[0] == (0, 2) and (1, 2) in progress
        assert "clean" not in {k for k, _r, _t in backend.calls}
        await clock.advance(30)  # the slow save was not cut off: it completes
        assert sched.status("slow").state is State.CLEAN

    run(scenario)


def test_flush_does_not_keep_retrying() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [Unavailable("x") for _ in range(5)]
        await sched.start()
        task = asyncio.create_task(sched.flush(10))
        await clock.advance(1)
        assert task.result() == ["a"]
        assert len(backend.saves("a")) == 1

    run(scenario)


def test_drafts_appearing_and_vanishing() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        events: list[StatusEvent] = []
        sched.subscribe(events.append)
        backend.add("kept", saved=True)
        backend.add("never-saved")
        await sched.start()
        assert {e.key for e in events} == {"kept", "never-saved"}
        backend.add("new")
        await clock.advance(5)
        assert sched.status("new").state is State.UNSAVED
        del backend.drafts["kept"]
        del backend.drafts["never-saved"]
        await clock.advance(5)
        assert sched.status("kept").state is State.MISSING  # it has versions: stays listed
        assert "never-saved" not in sched
        assert events[-1].key == "never-saved" and events[-1].new is None
        backend.add("kept", saved=True)
        await clock.advance(5)
        assert sched.status("kept").state is State.CLEAN

    run(scenario)


def test_events_of_a_save() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        events: list[StatusEvent] = []
        sched.subscribe(events.append)
        backend.add("a")
        backend.drafts["a"].script = [Unavailable("busy"), 0.5]
        await sched.start()
        task = asyncio.create_task(sched.save("a"))
        await clock.run_until(task.done, limit=10)
        assert states(events, "a") == ["unsaved", "saving", "retrying", "saving", "clean"]
        assert sched.status("a").last_saved_at == backend.drafts["a"].saved_at
        assert sched.status("a").versions == 1

    run(scenario)


def test_save_all_with_bounded_parallelism() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        for i in range(10):
            backend.add(f"d{i}")
            backend.drafts[f"d{i}"].script = [1.0]
        backend.add("clean", saved=True)
        await sched.start()
        task = asyncio.create_task(sched.save_all())
        await clock.settle()
        assert sum(sched.status(f"d{i}").state is State.SAVING for i in range(10)) == 4
        assert sum(sched.status(f"d{i}").state is State.QUEUED for i in range(10)) == 6
        await clock.advance(3)
        results = task.result()
        assert sorted(results) == [f"d{i}" for i in range(10)]
        assert "clean" not in {k for k, _r, _t in backend.calls}

    run(scenario)


def test_autosave_off_saves_nothing() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        await sched.start()
        sched.set_autosave(False)
        await clock.advance(200)
        assert backend.saves() == []
        sched.set_autosave(True, 10)
        await clock.advance(13)
        assert len(backend.saves()) == 1

    run(scenario)


def test_errors_that_are_not_ours_show_as_failed() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [BadRequest("Invalid draft_id")]
        await sched.start()
        with pytest.raises(DraftKeeperError):
            await sched.save("a")
        assert sched.status("a").state is State.FAILED

    run(scenario)
