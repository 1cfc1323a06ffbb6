"""SaveScheduler: live save status for every draft, driving one SaveBackend on asyncio.

Per draft it keeps one state (clean, unsaved, queued, saving, retrying, failed, at risk,
missing) and publishes every change as a StatusEvent. It runs at most one save of a draft
at a time (requests meanwhile coalesce into one follow-up), bounds parallel saves and the
requests in flight to one server, autosaves changed drafts after a quiet period, retries
retryable errors with full-jitter backoff, and lets one probe find out when an offline
server is back. A draft whose attempts are used up is not given up: autosave tries it again
at a slow cadence (the backoff cap, at most 10 minutes) for as long as it is failed. Every
attempt is recorded (``AttemptLog``), so that after a restart a draft whose last save
failed shows at risk, not saved. Time is injectable (``Clock``) so tests run schedules in
virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from app.core.attempts import Attempt, AttemptLog
from app.core.backend import DraftScan, Fingerprint, SaveBackend, SavedState, SaveResult
from app.core.errors import DraftKeeperError, DraftLost, DraftNotFound, SaveFailed
from app.core.retry import RetryPolicy
from app.core.settings import Settings
from app.core.status import NOT_SAVED, PENDING, DraftStatus, State, StatusEvent
from app.core.urls import parse_draft_id

__all__ = ["NOT_SAVED", "PENDING", "Clock", "DraftStatus", "SaveScheduler", "State",
           "StatusEvent", "SystemClock", "first_of"]

log = logging.getLogger(__name__)
EVENTS_SWEEP_FACTOR = 12  # with events, the stat sweep runs every 12 x scan_interval_s
FAILED_STATES = (State.FAILED, State.AT_RISK)


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


@dataclass
class _Episode:
    """One stretch of time a server was offline."""

    prober: str
    error: DraftKeeperError
    next_at: float | None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    failed: DraftKeeperError | None = None
    waiters: set[str] = field(default_factory=set)


@dataclass
class _Draft:
    status: DraftStatus
    saved_fp: Fingerprint | None = None
    seen_fp: Fingerprint | None = None
    last_change: float = 0.0
    last_autosave: float = float("-inf")
    inflight: asyncio.Task[SaveResult] | None = None
    followup: asyncio.Future[SaveResult] | None = None
    followup_reason: str = "autosave"
    waiting: bool = False  # in a backoff wait (no request in flight)
    check_only: bool = False  # its autosave task only checks the state (autosave off)
    watched: bool = False  # file-system events report its changes (the quiet period ends
    # on the last event; the check when it ends needs no second quiet period)
    fresh: bool = False  # a manual save asked to skip the wait and start over
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    autosave_task: asyncio.Task[None] | None = None
    retry_at: float | None = None  # failed or at risk: when autosave tries it again
    single: bool = False  # the run in flight makes one attempt only (a slow retry)


async def first_of(*aws: Awaitable[Any]) -> int:
    """Wait for the first of several awaitables; cancel the rest; return its index."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            if not t.done():
                t.cancel()
    return next(i for i, t in enumerate(tasks) if t in done)


def _consume(fut: asyncio.Future[Any]) -> None:
    if not fut.cancelled():
        fut.exception()  # retrieved: no "exception was never retrieved" noise


Listener = Callable[[StatusEvent], None]


class SaveScheduler:
    def __init__(
        self,
        backend: SaveBackend,
        settings: Settings | None = None,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        record: AttemptLog | None = None,
    ) -> None:
        self.backend = backend
        self.settings = settings or Settings()
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.record = record
        self._drafts: dict[str, _Draft] = {}
        self._listeners: list[Listener] = []
        self._episodes: dict[str, _Episode] = {}
        self._loops: list[asyncio.Task[None]] = []
        self._sem = asyncio.Semaphore(self.settings.max_parallel_saves)
        self._flushing = False
        self._refresh_lock = asyncio.Lock()
        self._removed_now: set[str] = set()  # removed while a sweep runs: not re-listed
        self._wake_loops = asyncio.Event()
        # local roots watched by file-system events (app/core/watcher.py): the stat sweep
        # is then only the safety net, run this many times less often
        self.events = False
        self._retry_wake = asyncio.Event()
        self._server_sems: dict[str, tuple[int, asyncio.Semaphore]] = {}
        self._probing: dict[str, str] = {}  # server -> the failed draft that probes it

    # --- observing -------------------------------------------------------------------

    @property
    def policy(self) -> RetryPolicy:
        s = self.settings
        return RetryPolicy(s.max_attempts, s.backoff_base_s, s.backoff_cap_s)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def status(self, key: str) -> DraftStatus:
        return self._drafts[key].status

    def statuses(self) -> list[DraftStatus]:
        return [d.status for d in self._drafts.values()]

    def keys(self) -> list[str]:
        return list(self._drafts)

    def not_saved(self) -> list[DraftStatus]:
        """Drafts whose current state is not known to be saved (unsaved, saving, retrying,
        failed, at risk)."""
        return [d.status for d in self._drafts.values() if d.status.state in NOT_SAVED]

    def __contains__(self, key: object) -> bool:
        return key in self._drafts

    def _emit(self, event: StatusEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not stop saving
                log.exception("status listener failed")

    def _set(self, key: str, **changes: Any) -> None:
        d = self._drafts.get(key)
        if d is None:
            return
        old = d.status
        new = replace(old, **changes)
        if new.state not in (State.RETRYING, *FAILED_STATES) and new.next_attempt_at is not None:
            new = replace(new, next_attempt_at=None)
        if new.state not in FAILED_STATES and new.failed_at is not None:
            new = replace(new, failed_at=None, error_kind="")
        if new != old:
            d.status = new
            if new.state is not old.state:
                log.info("%s: %s -> %s %s", key, old.state.value, new.state.value,
                         new.detail_kind or new.error_message)
            self._emit(StatusEvent(key, old, new))

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        """First sweep, then the status sweep and the autosave loops."""
        await self.refresh()
        self._loops = [
            asyncio.create_task(self._sweep_loop(), name="draftkeeper-sweep"),
            asyncio.create_task(self._autosave_loop(), name="draftkeeper-autosave"),
            asyncio.create_task(self._retry_loop(), name="draftkeeper-retry"),
        ]

    async def stop(self) -> None:
        """Stop the loops and pending autosaves; saves already running finish."""
        tasks: list[asyncio.Task[Any]] = list(self._loops)
        for d in self._drafts.values():
            if d.autosave_task is not None:
                tasks.append(d.autosave_task)
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        inflight = [d.inflight for d in self._drafts.values() if d.inflight]
        for d in self._drafts.values():
            if d.waiting and d.inflight is not None:
                d.inflight.cancel()  # only waiting for a retry: nothing is being written
        for t in inflight:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._loops = []

    def resize(self, max_parallel: int) -> None:
        """A new bound on parallel saves (saves already running keep their places)."""
        self._sem = asyncio.Semaphore(max_parallel)

    def set_autosave(self, enabled: bool, interval: float | None = None) -> None:
        self.settings.autosave_enabled = enabled
        if interval is not None:
            self.settings.autosave_interval_s = interval
        self._wake_loops.set()  # re-arm the loop's timer with the new interval
        if enabled:  # failed drafts put off while autosave was off: try them now
            now = self.clock.now()
            for key, d in self._drafts.items():
                if d.retry_at is not None and d.retry_at > now:
                    self._due_again(key, d, now)
            self._retry_wake.set()

    async def _sweep_loop(self) -> None:
        last = self.clock.now()
        while True:
            await self.clock.sleep(self.settings.scan_interval_s)
            if self.events and (self.clock.now() - last
                                < self.settings.scan_interval_s * EVENTS_SWEEP_FACTOR):
                continue  # events report changes: the sweep is only the safety net
            last = self.clock.now()
            try:
                await self.refresh()
            except Exception:
                log.exception("sweep failed")

    async def _autosave_loop(self) -> None:
        while True:
            self._wake_loops.clear()
            await first_of(
                self.clock.sleep(self.settings.autosave_interval_s), self._wake_loops.wait()
            )
            if self._wake_loops.is_set():
                continue
            if not self.settings.autosave_enabled:
                continue
            try:
                if not self.events:  # (with events, every change is known already)
                    await self.refresh()
                self.autosave_due()
            except Exception:
                log.exception("autosave failed")

    # --- sweeping ---------------------------------------------------------------------

    async def refresh(self) -> None:
        """Sweep the backend: new drafts, changed drafts, vanished drafts."""
        async with self._refresh_lock:
            self._removed_now.clear()  # the backend's list no longer has them
            scans = await self.backend.scan()
            now = self.clock.now()
            seen: set[str] = set()
            fresh: list[DraftScan] = []
            for scan in scans:
                key = scan.info.key
                if key in self._removed_now:
                    continue
                seen.add(key)
                d = self._drafts.get(key)
                if d is None or d.status.state is State.MISSING:
                    fresh.append(scan)
                else:
                    self._apply_scan(key, d, scan, now)
            if fresh:
                keys = [s.info.key for s in fresh]
                states = await self.backend.saved_states(keys)
                lasts = await self._last_attempts(keys)
                for scan, saved, last in zip(fresh, states, lasts, strict=True):
                    if scan.info.key not in self._removed_now:
                        self._add(scan, saved, last, now)
            for key in [k for k in self._drafts if k not in seen]:
                self._vanished(key)

    async def track(self, draft: str) -> str:
        """Add one draft to the list without a sweep (a command on one draft); its key.
        DraftNotFound when the backend does not know it."""
        scan = await self.backend.scan_one(draft)
        if scan is None:
            draft_id = parse_draft_id(draft)
            raise DraftNotFound(f"Draft does not exist: {draft_id}", reason="draft_not_found",
                                params={"draft_id": draft_id})
        key = scan.info.key
        d = self._drafts.get(key)
        if d is None or d.status.state is State.MISSING:
            saved = await self.backend.saved_state(key)
            [last] = await self._last_attempts([key])
            self._add(scan, saved, last, self.clock.now())
        return key

    async def _last_attempts(self, keys: list[str]) -> list[Attempt | None]:
        if self.record is None or not keys:
            return [None] * len(keys)
        try:
            return await asyncio.to_thread(self.record.last_many, keys)
        except OSError:
            log.exception("cannot read the attempt record")
            return [None] * len(keys)

    def _add(self, scan: DraftScan, saved: SavedState, last: Attempt | None,
             now: float) -> None:
        key = scan.info.key
        d = self._drafts.get(key)
        if scan.fingerprint is not None:
            clean = saved.fingerprint is not None and saved.fingerprint == scan.fingerprint
        else:
            clean = saved.last_saved_at is not None
        # the last attempt failed after the last saved version (and, for a local draft,
        # the working copy is not that version): what is there may not be saved
        at_risk = (
            last is not None and last.failed
            and (saved.last_saved_at is None or last.time > saved.last_saved_at)
            and not (clean and scan.fingerprint is not None)
        )
        status = DraftStatus(
            key=key,
            state=State.CLEAN if clean else State.UNSAVED,
            info=scan.info,
            detail_kind="" if clean or saved.versions else "never_saved",
            last_saved_at=saved.last_saved_at,
            last_version=saved.last_version,
            versions=saved.versions,
        )
        retry_at = None
        if at_risk and last is not None:
            error = last.as_error()
            retry_at = now  # autosave tries it again at once
            status = replace(
                status, state=State.AT_RISK, detail_kind="", error=error,
                error_message=last.message, failed_at=last.time,
                error_kind=str(last.error.get("error", "")), next_attempt_at=retry_at,
            )
        if at_risk and status.error_kind == DraftLost.__name__:
            retry_at = None  # the server lost it: nothing to retry until the user acts
            status = replace(status, state=State.LOST, next_attempt_at=None)
        if d is None:
            d = _Draft(status=status, saved_fp=saved.fingerprint, seen_fp=scan.fingerprint,
                       last_change=now, retry_at=retry_at)
            self._drafts[key] = d
            self._emit(StatusEvent(key, None, status))
        else:
            d.saved_fp, d.seen_fp, d.last_change = saved.fingerprint, scan.fingerprint, now
            d.retry_at = retry_at
            old, d.status = d.status, status
            self._emit(StatusEvent(key, old, status))
        if retry_at is not None:
            self._retry_wake.set()

    def _apply_scan(self, key: str, d: _Draft, scan: DraftScan, now: float) -> None:
        if scan.info is not d.status.info and scan.info != d.status.info:
            self._set(key, info=scan.info)
        if scan.fingerprint is None:
            return
        if scan.fingerprint != d.seen_fp:
            d.seen_fp = scan.fingerprint
            d.last_change = now
        state = d.status.state
        changed = scan.fingerprint != d.saved_fp
        if state is State.CLEAN and changed:
            self._set(key, state=State.UNSAVED, detail_kind="")
        elif state is State.UNSAVED and not changed:
            self._set(key, state=State.CLEAN, detail_kind="")  # changed back to the saved state
        elif state is State.FAILED and d.last_change == now and d.inflight is None:
            # a local draft that failed and has changed since: autosave tries it as usual
            d.retry_at = None
            self._set(key, state=State.UNSAVED, detail_kind="")

    def _vanished(self, key: str) -> None:
        d = self._drafts[key]
        if d.status.state is State.MISSING:
            return
        if d.status.versions or d.inflight is not None:
            self._set(key, state=State.MISSING, detail_kind="folder_gone")
        else:
            self._forget(key)

    def _forget(self, key: str) -> None:
        d = self._drafts.pop(key)
        if d.autosave_task is not None:
            d.autosave_task.cancel()
        self._emit(StatusEvent(key, d.status, None))

    def remove(self, key: str) -> None:
        """Drop a draft from the list (its versions stay in the store)."""
        self._removed_now.add(key)
        if key in self._drafts:
            self._forget(key)

    def changed(self, key: str, at: float | None = None) -> None:
        """A file-system event: draft ``key`` changed at ``at``. It shows as unsaved at
        once, and its autosave starts ``quiet_period_s`` after the last such event."""
        d = self._drafts.get(key)
        if d is None or d.status.state is State.MISSING:
            return
        d.watched = True
        d.last_change = max(d.last_change, self.clock.now() if at is None else at)
        if d.status.state is State.CLEAN:
            self._set(key, state=State.UNSAVED, detail_kind="")
        elif d.status.state is State.FAILED and d.inflight is None:
            d.retry_at = None  # failed and changed since: autosave tries it as usual
            self._set(key, state=State.UNSAVED, detail_kind="")
        # once quiet, the draft is re-scanned: an event that left the saved state (a restore's
        # own writes, a file touched back) must not leave it "unsaved"; with autosave on, a
        # real change is then saved
        if (d.status.state is State.UNSAVED
                and d.autosave_task is None and d.inflight is None):
            d.check_only = not self.settings.autosave_enabled
            d.autosave_task = asyncio.create_task(self._autosave_when_ready(key))

    # --- autosave ----------------------------------------------------------------------

    def autosave_due(self) -> list[str]:
        """Start an autosave for each draft that needs one; returns their keys."""
        now = self.clock.now()
        started = []
        for key, d in self._drafts.items():
            if d.autosave_task is not None and d.check_only and d.inflight is None:
                d.check_only = False  # the check that runs saves too, once quiet
                started.append(key)
                continue
            if d.autosave_task is not None or d.inflight is not None:
                continue
            state = d.status.state
            # drafts whose changes cannot be seen (remote) are saved on every tick, unless
            # saved in the last half interval: a save just after a tick must not push the
            # next one to the tick after (the cadence would be twice what it says)
            periodic = d.seen_fp is None and state in (State.CLEAN, State.UNSAVED) and (
                d.status.last_saved_at is None
                or now - d.status.last_saved_at >= self.settings.autosave_interval_s / 2
            )
            if state is State.UNSAVED or periodic:
                d.check_only = False
                d.autosave_task = asyncio.create_task(self._autosave_when_ready(key))
                started.append(key)
        return started

    async def _autosave_when_ready(self, key: str) -> None:
        d = self._drafts.get(key)
        if d is None:
            return
        try:
            while True:
                s = self.settings
                now = self.clock.now()
                ready_at = d.last_change + s.quiet_period_s
                if not d.check_only:
                    ready_at = max(ready_at, d.last_autosave + s.min_autosave_gap_s)
                if now < ready_at:
                    await self.clock.sleep(ready_at - now)
                    continue
                if d.seen_fp is None:
                    break  # remote: nothing to watch, save on schedule
                scan = await self.backend.scan_one(key)
                if scan is None:
                    self._vanished(key)
                    return
                if scan.fingerprint != d.seen_fp:  # still being written: wait for quiet
                    d.seen_fp = scan.fingerprint
                    if not d.watched:  # (with events, the last event said when it was)
                        d.last_change = self.clock.now()
                        continue
                if scan.fingerprint == d.saved_fp:
                    if d.status.state is State.UNSAVED:
                        self._set(key, state=State.CLEAN, detail_kind="")
                    return
                break
            if d.check_only:
                return  # only the check: the status is true, saving waits for the user
            d.last_autosave = self.clock.now()
            with contextlib.suppress(DraftKeeperError):
                await self.save(key, reason="autosave")
        finally:
            d.autosave_task = None

    # --- slow retries of failed drafts --------------------------------------------------

    async def _retry_loop(self) -> None:
        while True:
            self._retry_wake.clear()
            due = [d.retry_at for d in self._drafts.values() if d.retry_at is not None]
            if not due:
                await self._retry_wake.wait()
                continue
            wait = min(due) - self.clock.now()
            if wait > 0:
                await first_of(self.clock.sleep(wait), self._retry_wake.wait())
                continue
            try:
                self.retry_due()
            except Exception:
                log.exception("retry failed")
                await self.clock.sleep(1.0)  # never spin on a bug

    def retry_due(self) -> list[str]:
        """Try again each failed or at-risk draft whose slow retry is due (one attempt
        each); a server that was offline gets one probe, not one request per draft."""
        now = self.clock.now()
        slow = self.policy.slow
        started = []
        for key, d in self._drafts.items():
            if d.retry_at is None or d.retry_at > now:
                continue
            if d.status.state not in FAILED_STATES or d.inflight or d.autosave_task:
                d.retry_at = None  # saving already, or saved meanwhile
                continue
            if not self.settings.autosave_enabled:
                self._due_again(key, d, now + slow)
                continue
            server = self.backend.server_of(key)
            error = d.status.error
            if server and (error is None or error.offline):
                if self._probing.get(server, key) != key:
                    self._due_again(key, d, now + slow)  # the probe's outcome decides
                    continue
                self._probing[server] = key
            d.retry_at = None
            d.autosave_task = asyncio.create_task(self._retry(key, server),
                                                  name=f"retry {key}")
            started.append(key)
        return started

    def _due_again(self, key: str, d: _Draft, when: float) -> None:
        d.retry_at = when
        self._set(key, next_attempt_at=when)

    async def _retry(self, key: str, server: str | None) -> None:
        d = self._drafts.get(key)
        if d is None:
            return
        try:
            task = d.inflight or self._start_run(key, "autosave", fresh=False, single=True)
            with contextlib.suppress(DraftKeeperError):
                await asyncio.shield(task)
        finally:
            d.autosave_task = None
            if server and self._probing.get(server) == key:
                del self._probing[server]

    def _kick(self, server: str, but: str) -> None:
        """A server answered: its failed drafts waiting for a slow retry go now."""
        now = self.clock.now()
        kicked = False
        for key, d in self._drafts.items():
            if (key != but and d.retry_at is not None and d.retry_at > now
                    and d.status.state in FAILED_STATES and self.backend.server_of(key) == server):
                self._due_again(key, d, now)
                kicked = True
        if kicked:
            self._retry_wake.set()

    # --- saving ------------------------------------------------------------------------

    async def save(self, key: str, reason: str = "manual") -> SaveResult:
        """Save one draft; every caller gets the outcome (a result, or the error raised).

        A manual save skips any backoff wait and starts a fresh series of attempts. While a
        save of the draft is in flight, requests coalesce into exactly one follow-up.
        """
        d = self._drafts.get(key)
        if d is None:
            raise DraftNotFound(f"Not in the draft list: {key}")
        if d.inflight is not None:
            if d.waiting and (reason == "manual" or self._flushing):
                d.fresh = True
                d.wake.set()
                return await asyncio.shield(d.inflight)
            if d.followup is None:
                d.followup = asyncio.get_running_loop().create_future()
                d.followup.add_done_callback(_consume)
                d.followup_reason = reason
            elif reason == "manual":
                d.followup_reason = reason
            return await asyncio.shield(d.followup)
        task = self._start_run(key, reason, fresh=reason == "manual")
        return await asyncio.shield(task)

    def _start_run(self, key: str, reason: str, fresh: bool,
                   single: bool = False) -> asyncio.Task[SaveResult]:
        d = self._drafts[key]
        d.fresh = fresh
        d.single = single
        d.retry_at = None
        task = asyncio.create_task(self._run(key, reason), name=f"save {key}")
        task.add_done_callback(_consume)
        task.add_done_callback(lambda t: self._run_done(key, t))
        d.inflight = task
        return task

    def _run_done(self, key: str, task: asyncio.Task[SaveResult]) -> None:
        d = self._drafts.get(key)
        if d is None or d.inflight is not task:
            return
        d.inflight = None
        d.waiting = False
        if d.followup is not None:
            followup, d.followup = d.followup, None
            if (d.followup_reason == "autosave" and d.status.state is State.CLEAN
                    and not task.cancelled() and task.exception() is None):
                # an autosave asked for while a save ran: that save covered it (saving
                # again would only log the same save twice)
                followup.set_result(task.result())
                return
            nxt = self._start_run(key, d.followup_reason, fresh=d.followup_reason == "manual")

            def relay(t: asyncio.Task[SaveResult]) -> None:
                if followup.done():
                    return
                if t.cancelled():
                    followup.cancel()
                elif (exc := t.exception()) is not None:
                    followup.set_exception(exc)
                else:
                    followup.set_result(t.result())

            nxt.add_done_callback(relay)

    async def _run(self, key: str, reason: str) -> SaveResult:
        d = self._drafts[key]
        policy = self.policy
        attempt = 0
        while True:
            server = self.backend.server_of(key)
            episode = self._episodes.get(server) if server else None
            if episode is not None and episode.prober != key and not d.fresh:
                await self._wait_for_probe(key, d, episode)
                continue
            if d.fresh:
                attempt = 0
                d.fresh = d.single = False
            async with contextlib.AsyncExitStack() as slots:
                # a slow server saves one draft at a time: a few requests in flight to it,
                # the rest wait here rather than in its queue (where they would time out)
                for sem in ([self._server_sem(server)] if server else []) + [self._sem]:
                    if sem.locked():
                        self._set(key, state=State.QUEUED, detail_kind="waiting")
                    await slots.enter_async_context(sem)
                self._set(key, state=State.SAVING, detail_kind="", attempt=attempt + 1,
                          max_attempts=policy.attempts)
                try:
                    result = await self.backend.save(key, reason)
                except DraftKeeperError as exc:
                    error: DraftKeeperError = exc
                except Exception as exc:  # a bug must show as a failure, not a stuck row
                    log.exception("save of %s crashed", key)
                    error = SaveFailed(f"Save failed: unexpected error: {exc!r}",
                                       reason="unexpected", params={"detail": repr(exc)})
                else:
                    await self._note(Attempt.success(key, self.clock.now(), reason,
                                                     result.version, result.unchanged))
                    await self._saved(key, d, result, server)
                    return result
            await self._note(Attempt.failure(key, self.clock.now(), reason, error))
            if server and not error.offline:
                self._server_back(server, key)
            attempt += 1
            final = (not error.retryable or attempt >= policy.attempts or self._flushing
                     or d.single)
            if isinstance(error, DraftLost):
                self._set(key, state=State.LOST, detail_kind="", error=error,
                          error_message=error.message, failed_at=self.clock.now(),
                          error_kind=type(error).__name__, versions=error.versions)
                raise error
            if isinstance(error, DraftNotFound) and not d.status.remote:
                self._set(key, state=State.MISSING, detail_kind="folder_gone",
                          error=error, error_message=error.message)
                raise error
            if final:
                if server and error.offline:
                    self._server_gave_up(server, key, error)
                self._failed(key, d, error, attempt=attempt)
                raise error
            delay = policy.delay(attempt - 1, error.retry_after, self.rng, busy=error.busy)
            next_at = self.clock.now() + delay
            if server and error.offline:
                episode = self._server_offline(server, key, error, next_at)
                if episode.prober != key:
                    continue  # another draft probes the server for all of us
            self._set(key, state=State.RETRYING, detail_kind="", error=error,
                      error_message=error.message, attempt=attempt,
                      max_attempts=policy.attempts, next_attempt_at=next_at)
            d.waiting = True
            d.wake.clear()
            try:
                await first_of(self.clock.sleep(delay), d.wake.wait())
            finally:
                d.waiting = False

    def _server_sem(self, server: str) -> asyncio.Semaphore:
        limit = self.settings.max_requests_per_server  # read each time: settings change
        entry = self._server_sems.get(server)
        if entry is None or entry[0] != limit:
            entry = (limit, asyncio.Semaphore(limit))
            self._server_sems[server] = entry
        return entry[1]

    async def _note(self, attempt: Attempt) -> None:
        """Record an attempt durably before its outcome is published."""
        if self.record is None:
            return
        try:
            await asyncio.to_thread(self.record.append, attempt)
        except OSError:
            log.exception("cannot record the attempt of %s", attempt.draft_url)

    def _failed(self, key: str, d: _Draft, error: DraftKeeperError, **changes: Any) -> None:
        """Attempts used up (or a permanent error): FAILED, and autosave tries it again at
        the slow cadence for as long as it stays failed."""
        now = self.clock.now()
        d.retry_at = now + self.policy.slow
        self._set(key, state=State.FAILED, detail_kind="", error=error,
                  error_message=error.message, failed_at=now,
                  error_kind=type(error).__name__, next_attempt_at=d.retry_at, **changes)
        self._retry_wake.set()

    async def _saved(
        self, key: str, d: _Draft, result: SaveResult, server: str | None
    ) -> None:
        if server:
            self._server_back(server, key)
        try:
            saved = await self.backend.saved_state(key)
        except DraftKeeperError:
            saved = None
        now = self.clock.now()
        if saved is not None:
            d.saved_fp = saved.fingerprint
        changed_since = (
            d.seen_fp is not None and saved is not None and d.seen_fp != saved.fingerprint
        )
        if d.watched and saved is not None and saved.last_saved_at is not None:
            # events do not update seen_fp: changed since if an event came after the save
            changed_since = d.last_change > saved.last_saved_at
        self._set(
            key,
            state=State.UNSAVED if changed_since else State.CLEAN,
            detail_kind="",
            error=None,
            error_message="",
            attempt=0,
            last_saved_at=saved.last_saved_at if saved and saved.last_saved_at else now,
            last_version=saved.last_version if saved else result.version,
            versions=saved.versions if saved else d.status.versions,
        )
        if changed_since:
            d.last_change = now

    # --- offline servers: one probe ----------------------------------------------------

    def _server_offline(
        self, server: str, key: str, error: DraftKeeperError, next_at: float
    ) -> _Episode:
        episode = self._episodes.get(server)
        if episode is None:
            episode = _Episode(prober=key, error=error, next_at=next_at)
            self._episodes[server] = episode
        elif episode.prober == key:
            episode.error, episode.next_at = error, next_at
        for waiter in episode.waiters:
            self._set(waiter, next_attempt_at=next_at, detail_kind="server_offline",
                      error=error, error_message=error.message)
        return episode

    def _server_back(self, server: str, key: str) -> None:
        episode = self._episodes.get(server)
        if episode is not None:
            del self._episodes[server]
            episode.done.set()
        self._kick(server, but=key)

    def _server_gave_up(self, server: str, key: str, error: DraftKeeperError) -> None:
        episode = self._episodes.get(server)
        if episode is not None and episode.prober == key:
            del self._episodes[server]
            episode.failed = error
            episode.done.set()

    async def _wait_for_probe(self, key: str, d: _Draft, episode: _Episode) -> None:
        episode.waiters.add(key)
        self._set(key, state=State.RETRYING,
                  detail_kind="server_offline", error=episode.error,
                  error_message=episode.error.message, next_attempt_at=episode.next_at,
                  max_attempts=self.policy.attempts)
        d.waiting = True
        d.wake.clear()
        try:
            await first_of(episode.done.wait(), d.wake.wait())
        finally:
            d.waiting = False
            episode.waiters.discard(key)
        if episode.failed is not None and not d.fresh:
            error = episode.failed
            # not sent (the probe spoke for every draft of the server), but not saved either
            await self._note(Attempt.failure(key, self.clock.now(), "autosave", error))
            self._failed(key, d, error)
            raise error

    # --- save all and flush ------------------------------------------------------------

    async def save_all(
        self, keys: Iterable[str] | None = None
    ) -> dict[str, SaveResult | BaseException]:
        """Save every draft that is not clean (or the given ones), bounded in parallel."""
        if keys is None:
            keys = [k for k, d in self._drafts.items()
                    if d.status.state not in (State.CLEAN, State.MISSING)]
        keys = list(keys)
        results = await asyncio.gather(*(self.save(k) for k in keys), return_exceptions=True)
        return dict(zip(keys, results, strict=True))

    async def flush(
        self, deadline: float, progress: Callable[[int, int], None] | None = None
    ) -> list[str]:
        """Save every draft that is not saved (unsaved, retrying, failed, at risk) once (no
        further retries), for at most ``deadline`` seconds; returns the keys that could not
        be saved. Failed drafts of a server that was offline try it with one request first.
        Saves running when the deadline passes finish on their own: nothing is ever left
        half-written."""
        self._flushing = True
        keys = [k for k, d in self._drafts.items() if d.status.state in NOT_SAVED]
        total, done = len(keys), 0
        saved: set[str] = set()
        if progress:
            progress(0, total)

        async def one(key: str) -> bool:
            nonlocal done
            try:
                await self.save(key, reason="autosave")
                saved.add(key)
                return True
            except DraftKeeperError:
                return False
            finally:
                done += 1
                if progress:
                    progress(done, total)

        async def probe_first(group: list[str]) -> None:
            nonlocal done
            if await one(group[0]):
                await asyncio.gather(*(one(k) for k in group[1:]))
            else:
                done += len(group) - 1
                if progress:
                    progress(done, total)

        groups: dict[str, list[str]] = {}
        jobs: list[Awaitable[Any]] = []
        for key in keys:
            d = self._drafts[key]
            server = self.backend.server_of(key)
            error = d.status.error
            if (server and d.inflight is None and d.status.state in FAILED_STATES
                    and (error is None or error.offline)):
                groups.setdefault(server, []).append(key)
            else:
                jobs.append(one(key))
        jobs.extend(probe_first(group) for group in groups.values())
        try:
            if jobs:
                everything = asyncio.gather(*jobs)
                everything.add_done_callback(_consume)  # a cancelled flush: no noise
                which = await first_of(everything, self.clock.sleep(deadline))
                if which == 1:
                    everything.cancel()
        finally:
            self._flushing = False
        return [k for k in keys if k not in saved]
