"""Failed drafts stay in autosave, slow servers are not flooded: the scheduler in virtual
time (issue 10)."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from draftkeeper.cli.words import cadence
from draftkeeper.core.errors import DraftNotFound, SaveFailed, Unavailable
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State
from tests.core.test_scheduler import run as base_run
from tests.scripted_backend import ScriptedBackend
from tests.vclock import VirtualClock

DOWN = Unavailable("Cannot reach the server: connection refused", offline=True)


def run(scenario: Any, **settings: Any) -> None:
    base_run(scenario, seed=7, **settings)


def test_a_failed_local_draft_is_retried_at_the_backoff_cap_until_it_saves() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        disk_full = SaveFailed("Save failed: no space left on device while writing")
        backend.drafts["a"].script = [disk_full] * 4  # permanent: fails at once, each time
        await sched.start()
        with pytest.raises(SaveFailed):
            await sched.save("a", reason="autosave")
        status = sched.status("a")
        assert status.state is State.FAILED and status.failed_at == clock.t
        assert status.next_attempt_at == pytest.approx(clock.t + 60)  # the cap
        await clock.advance(60 * 3 + 1)  # three more slow retries, one attempt each
        times = backend.saves("a")
        assert len(times) == 4
        assert [round(b - a) for a, b in itertools.pairwise(times)] == [60, 60, 60]
        assert sched.status("a").state is State.FAILED
        await clock.advance(60)  # the disk has room again: saved without anyone asking
        assert len(backend.saves("a")) == 5
        assert sched.status("a").state is State.CLEAN
        assert sched.status("a").failed_at is None
        await clock.advance(600)
        assert len(backend.saves("a")) == 5  # saved: no more retries

    run(scenario)


def test_a_remote_draft_whose_attempts_ran_out_is_saved_when_the_server_is_back() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("r", remote_server="http://s", saved=True)
        backend.server_down.add("http://s")
        backend.down_error = DOWN
        await sched.start()
        await clock.run_until(lambda: sched.status("r").state is State.FAILED, limit=400)
        assert len(backend.saves("r")) == 8  # every attempt used up
        await clock.advance(300)  # the server stays down five more minutes
        during = len(backend.saves("r")) - 8
        assert 4 <= during <= 5  # once a minute: alive, but gentle
        backend.server_down.clear()
        waited = await clock.run_until(lambda: sched.status("r").state is State.CLEAN,
                                       limit=61)
        assert waited <= 60

    run(scenario)


def test_the_slow_cadence_is_at_most_ten_minutes() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [SaveFailed("Save failed: disk")] * 3
        await sched.start()
        with pytest.raises(SaveFailed):
            await sched.save("a")
        await clock.advance(599)
        assert len(backend.saves("a")) == 1
        await clock.advance(2)
        assert len(backend.saves("a")) == 2

    run(scenario, backoff_cap_s=3600)


def test_failed_drafts_of_an_offline_server_get_one_probe_per_slow_retry() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        keys = [f"r{i}" for i in range(6)]
        for key in keys:
            backend.add(key, remote_server="http://s", saved=True)
        backend.server_down.add("http://s")
        backend.down_error = DOWN
        await sched.start()
        tasks = [asyncio.create_task(sched.save(k, reason="autosave")) for k in keys]
        await clock.run_until(lambda: all(t.done() for t in tasks), limit=600)
        assert all(sched.status(k).state is State.FAILED for k in keys)
        before = len(backend.calls)
        await clock.advance(60 * 5)  # five slow cycles
        during = backend.calls[before:]
        times = [t for _k, _r, t in during]
        assert 5 <= len(during) <= 6 and len(set(times)) == len(times)  # one request a cycle
        backend.server_down.clear()
        await clock.advance(61)  # the next probe gets through; the others follow at once
        assert all(sched.status(k).state is State.CLEAN for k in keys)
        assert all(t.exception() is not None for t in tasks)  # those saves did fail

    run(scenario)


def test_a_manual_save_of_a_failed_draft_tries_at_once() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("r", remote_server="http://s")
        backend.drafts["r"].script = [DraftNotFound("Draft does not exist on the server")]
        await sched.start()
        with pytest.raises(DraftNotFound):
            await sched.save("r")
        await clock.advance(5)
        result = await sched.save("r")  # no waiting for the slow retry
        assert result.version == "v1"
        assert backend.saves("r")[1] - backend.saves("r")[0] == pytest.approx(5)
        assert sched.status("r").state is State.CLEAN

    run(scenario)


def test_with_autosave_off_a_failed_draft_is_left_alone() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("a")
        backend.drafts["a"].script = [SaveFailed("Save failed: disk")]
        await sched.start()
        sched.set_autosave(False)
        with pytest.raises(SaveFailed):
            await sched.save("a")
        await clock.advance(600)
        assert len(backend.saves("a")) == 1
        assert sched.status("a").state is State.FAILED

    run(scenario)


def test_at_most_two_requests_in_flight_per_server() -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        in_flight: dict[str, int] = {"http://s": 0, "http://t": 0, "local": 0}
        peak = dict.fromkeys(in_flight, 0)
        save = backend.save

        async def counted(key: str, reason: str = "manual") -> Any:
            where = backend.drafts[key].server or "local"
            in_flight[where] += 1
            peak[where] = max(peak[where], in_flight[where])
            try:
                return await save(key, reason)
            finally:
                in_flight[where] -= 1

        backend.save = counted  # type: ignore[method-assign]
        keys = []
        for i in range(6):
            for server in ("http://s", "http://t", None):
                key = f"{server or 'local'}-{i}"
                backend.add(key, remote_server=server)
                backend.drafts[key].script = [2.4]  # a slow server: 2.4 s per save
                keys.append(key)
        await sched.start()
        task = asyncio.create_task(sched.save_all(keys))
        await clock.settle()
        waiting = [sched.status(k) for k in keys if k.startswith("http://s")]
        assert sum(s.state is State.QUEUED for s in waiting) == 4
        await clock.run_until(task.done, limit=60)
        assert all(sched.status(k).state is State.CLEAN for k in keys)
        # local saves are bound only by max_parallel_saves (8): all six ran at once
        assert peak == {"http://s": 2, "http://t": 2, "local": 6}

    run(scenario, max_parallel_saves=8)


@pytest.mark.parametrize("error", [
    Unavailable("The draft is locked on the server (lock timeout)", code=2042, busy=True),
    Unavailable("The server did not answer within 120 s", offline=True, busy=True),
])
def test_lock_timeouts_and_timeouts_back_off_before_retrying(error: Unavailable) -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("r", remote_server="http://s")
        backend.drafts["r"].script = [error] * 4
        await sched.start()
        task = asyncio.create_task(sched.save("r"))
        await clock.run_until(task.done, limit=200)
        delays = [b - a for a, b in itertools.pairwise(backend.saves("r"))]
        assert len(delays) == 4
        for k, delay in enumerate(delays):  # the upper half of a 4x window: never at once
            upper = min(60, 2 ** (k + 2))
            assert upper / 2 <= delay <= upper + 0.11, (k, delay)

    run(scenario)


@pytest.mark.parametrize(("interval", "gap", "every"), [(10, 0, 10), (5, 10, 10), (30, 10, 30)])
def test_remote_drafts_are_saved_at_the_cadence_watch_announces(
    interval: float, gap: float, every: float
) -> None:
    async def scenario(clock: VirtualClock, backend: ScriptedBackend, sched: SaveScheduler) -> None:
        backend.add("r", remote_server="http://s")
        backend.drafts["r"].script = [0.2] * 100  # each save takes a moment
        await sched.start()
        await clock.advance(interval * 0.3)
        manual = asyncio.create_task(sched.save("r"))  # a manual save between two ticks
        await clock.advance(200)
        assert manual.result().draft_url == "r"
        times = backend.saves("r")
        gaps = {round(b - a, 1) for a, b in itertools.pairwise(times[1:])}  # autosaves
        assert gaps == {every}
        said = cadence(sched.settings)
        assert said.startswith(f"autosave every {interval:g} s")
        assert f"remote drafts every {every:g} s" in said
        assert (f"at most once per {gap:g} s" in said) == (gap > interval)

    run(scenario, autosave_interval_s=interval, min_autosave_gap_s=gap, quiet_period_s=0)
