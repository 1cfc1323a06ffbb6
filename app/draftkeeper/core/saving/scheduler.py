"""SaveScheduler: live save status for every draft, driving one SaveBackend on asyncio.

Per draft it keeps one state (clean, unsaved, queued, saving, retrying, failed, at risk,
missing, lost) and publishes every change as a StatusEvent. It runs the loops (the stat
sweep, with file-system events only the safety net; the autosave tick; the slow retries)
and orchestrates its parts:

- ``board.StatusBoard``: the tracked drafts and their published status;
- ``tracking.DraftTracker``: which drafts there are and whether they changed;
- ``saving.SaveRunner``: one save of a draft at a time, bounded in parallel and per server,
  retries with backoff, one probe for an offline server (``server_state.Servers``);
- ``autosave.Autosaver``: autosaves changed drafts after a quiet period;
- ``slow_retry.SlowRetries``: drafts whose attempts are used up are tried again at the
  slow cadence for as long as they are failed;
- ``flush.flush``: saving everything once before quit;
- ``timing``: when each of them acts, as pure functions of state and the clock.

Every attempt is recorded (``AttemptLog``), so that after a restart a draft whose last save
failed shows at risk, not saved. Time is injectable (``Clock``) so tests run schedules in
virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Iterable
from typing import Any

from draftkeeper.core.backend import SaveBackend, SaveResult
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.saving import flush as flush_mod
from draftkeeper.core.saving.autosave import Autosaver
from draftkeeper.core.saving.board import Listener, SliceListener, StatusBoard
from draftkeeper.core.saving.clock import Clock, SystemClock, first_of
from draftkeeper.core.saving.runner import SaveRunner
from draftkeeper.core.saving.server_state import Servers
from draftkeeper.core.saving.slow_retry import SlowRetries
from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.core.saving.timing import sweep_due
from draftkeeper.core.saving.tracking import DraftTracker
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog

log = logging.getLogger(__name__)


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
        self._board = StatusBoard()
        self._drafts = self._board.drafts
        self._loops: list[asyncio.Task[None]] = []
        self._wake_loops = asyncio.Event()
        # local roots watched by file-system events (drafts/watcher.py): the stat sweep is
        # then only the safety net, run this many times less often
        self.events = False
        servers = Servers()
        self._retries: SlowRetries
        self._runner = SaveRunner(
            self._board, backend, self.settings, self.clock, self.rng, record, servers,
            on_failed=lambda: self._retries.wake.set(),
            on_answer=lambda server, key: self._retries.kick(server, but=key),
        )
        self._retries = SlowRetries(self._board, backend, self.settings, self.clock,
                                    servers, self._runner)
        self._tracker: DraftTracker
        autosaver = Autosaver(self._board, backend, self.settings, self.clock, self._runner,
                              lambda key: self._tracker.vanished(key))
        self._tracker = DraftTracker(self._board, backend, self.settings, self.clock, record,
                                     autosaver, on_at_risk=lambda: self._retries.wake.set())
        self._autosaver = autosaver

    # --- observing -------------------------------------------------------------------

    @property
    def policy(self) -> RetryPolicy:
        return self._runner.policy

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._board.subscribe(listener)

    def subscribe_slices(self, listener: SliceListener) -> Callable[[], None]:
        """``listener`` gets the status changes of a slice of a batch as one list."""
        return self._board.subscribe_slices(listener)

    def status(self, key: str) -> DraftStatus:
        return self._board.status(key)

    def statuses(self) -> list[DraftStatus]:
        return self._board.statuses()

    def keys(self) -> list[str]:
        return list(self._drafts)

    def not_saved(self) -> list[DraftStatus]:
        """Drafts whose current state is not known to be saved (unsaved, saving, retrying,
        failed, at risk)."""
        return self._board.not_saved()

    def __contains__(self, key: object) -> bool:
        return key in self._drafts

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        """First sweep, then the status sweep and the autosave loops."""
        await self.refresh()
        self._loops = [
            asyncio.create_task(self._sweep_loop(), name="draftkeeper-sweep"),
            asyncio.create_task(self._autosave_loop(), name="draftkeeper-autosave"),
            asyncio.create_task(self._retries.loop(), name="draftkeeper-retry"),
        ]

    async def stop(self) -> None:
        """Stop the loops and pending autosaves; saves already running finish."""
        tasks: list[asyncio.Future[Any]] = list(self._loops)
        if self._tracker.lister is not None:
            tasks.append(self._tracker.lister)
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
        self._runner.sem = asyncio.Semaphore(max_parallel)

    def set_autosave(self, enabled: bool, interval: float | None = None) -> None:
        self.settings.autosave_enabled = enabled
        if interval is not None:
            self.settings.autosave_interval_s = interval
        self._wake_loops.set()  # re-arm the loop's timer with the new interval
        if enabled:  # failed drafts put off while autosave was off: try them now
            self._retries.resume()

    async def _sweep_loop(self) -> None:
        last = self.clock.now()
        while True:
            await self.clock.sleep(self.settings.scan_interval_s)
            if not sweep_due(self.clock.now(), last, self.settings.scan_interval_s,
                             self.events, len(self._drafts)):
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

    # --- tracking ----------------------------------------------------------------------

    async def refresh(self) -> None:
        """Sweep the backend: new drafts, changed drafts, vanished drafts."""
        await self._tracker.refresh()

    async def track(self, draft: str) -> str:
        """Add one draft to the list without a sweep (a command on one draft); its key.
        DraftNotFound when the backend does not know it."""
        return await self._tracker.track(draft)

    def remove(self, key: str) -> None:
        """Drop a draft from the list (its versions stay in the store)."""
        self._tracker.remove(key)

    def changed(self, key: str, at: float | None = None) -> None:
        """A file-system event: draft ``key`` changed at ``at``. It shows as unsaved at
        once, and its autosave starts ``quiet_period_s`` after the last such event."""
        self._tracker.changed(key, at)

    # --- autosave and slow retries ----------------------------------------------------

    def autosave_due(self) -> list[str]:
        """Start an autosave for each draft that needs one; returns their keys."""
        return self._autosaver.due()

    def retry_due(self) -> list[str]:
        """Try again each failed or at-risk draft whose slow retry is due (one attempt
        each); a server that was offline gets one probe, not one request per draft."""
        return self._retries.due()

    # --- saving -----------------------------------------------------------------------

    async def save(self, key: str, reason: str = "manual") -> SaveResult:
        """Save one draft; every caller gets the outcome (a result, or the error raised).

        A manual save skips any backoff wait and starts a fresh series of attempts. While a
        save of the draft is in flight, requests coalesce into exactly one follow-up.
        """
        return await self._runner.save(key, reason)

    async def save_all(
        self, keys: Iterable[str] | None = None
    ) -> dict[str, SaveResult | BaseException]:
        """Save every draft that is not clean (or the given ones), bounded in parallel."""
        if keys is None:
            keys = [k for k, d in self._drafts.items()
                    if d.status.state not in (State.CLEAN, State.MISSING)]
        keys = list(keys)
        results = await self._runner.save_many(keys, "manual")  # local drafts in batches
        return dict(zip(keys, results, strict=True))

    async def flush(
        self, deadline: float, progress: Callable[[int, int], None] | None = None
    ) -> list[str]:
        """Save every draft that is not saved once (no further retries), for at most
        ``deadline`` seconds; returns the keys that could not be saved (``flush.flush``)."""
        return await flush_mod.flush(self._runner, deadline, progress)

