"""Autosave: each autosave tick starts a save of every draft that changed (and of every
remote draft, whose changes cannot be seen), once the draft has been quiet for the quiet
period. Drafts that are quiet already at the tick are saved together, as one batch
(``SaveRunner.launch_many``: the local engine takes the store's lock and commits once per
group of drafts); the store's save itself refuses a file that changes while it is read,
and the draft is then retried. A draft still being written waits for quiet; one that
changed back to its saved state shows clean again without a save. Local drafts that become
quiet one after the other (an automation flow writing hundreds of drafts) are saved in
batches too: those that become quiet while the last such batch is saving go as the next
one (a group commit: the first draft waits for nobody, the others for one batch at most).
With autosave off, a file-system event starts the same wait, but it ends with the check
only (the status stays true; saving waits).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from draftkeeper.core.backend import SaveBackend
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.board import StatusBoard, TrackedDraft
from draftkeeper.core.saving.clock import Clock
from draftkeeper.core.saving.runner import SaveRunner
from draftkeeper.core.saving.status import State
from draftkeeper.core.saving.timing import autosave_ready_at, autosave_wanted
from draftkeeper.core.settings.table import Settings


class Autosaver:
    """``vanished(key)`` is told when a draft waiting for its autosave is gone."""

    def __init__(self, board: StatusBoard, backend: SaveBackend, settings: Settings,
                 clock: Clock, runner: SaveRunner, vanished: Callable[[str], None]) -> None:
        self.board = board
        self.backend = backend
        self.settings = settings
        self.clock = clock
        self.runner = runner
        self.vanished = vanished
        # local drafts quiet and checked, waiting for the next batch (``_batched``)
        self._queue: dict[str, None] = {}
        self._launched: asyncio.Future[None] | None = None  # set when they are in flight
        self._pump: asyncio.Task[None] | None = None  # launches the batches

    def due(self) -> list[str]:
        """Start an autosave for each draft that needs one; returns their keys."""
        if not self.board.active:
            return []  # every draft clean: an idle tick of 10,000 drafts looks at none
        now = self.clock.now()
        started: list[str] = []
        ready: list[str] = []
        drafts = self.board.drafts
        for key in [k for k in drafts if k in self.board.active]:  # (in the list's order)
            d = drafts[key]
            if d.autosave_task is not None and d.check_only and d.inflight is None:
                d.check_only = False  # the check that runs saves too, once quiet
                started.append(key)
                continue
            if d.autosave_task is not None or d.inflight is not None:
                continue
            if autosave_wanted(d.status.state, d.seen_fp is not None,
                               d.status.last_saved_at, now, self.settings.autosave_interval_s):
                started.append(key)
                if d.seen_fp is not None and now >= self._ready_at(d, check_only=False):
                    ready.append(key)  # quiet already: saved with the others, at once
                else:
                    self.start(key, d, check_only=False)
        for key in ready:
            self.board.drafts[key].last_autosave = now
        if ready:  # one batch (the store's lock and its commit once per group of drafts)
            self.runner.launch_many(ready, "autosave")
        return started

    def _ready_at(self, d: TrackedDraft, *, check_only: bool) -> float:
        s = self.settings
        return autosave_ready_at(d.last_change, d.last_autosave, s.quiet_period_s,
                                 s.min_autosave_gap_s, check_only=check_only)

    def start(self, key: str, d: TrackedDraft, *, check_only: bool) -> None:
        """Autosave the draft once it is quiet (``check_only``: only check its state)."""
        d.check_only = check_only
        d.autosave_task = asyncio.create_task(self._when_ready(key))

    async def _when_ready(self, key: str) -> None:
        d = self.board.drafts.get(key)
        if d is None:
            return
        try:
            while True:
                now = self.clock.now()
                ready_at = self._ready_at(d, check_only=d.check_only)
                if now < ready_at:
                    await self.clock.sleep(ready_at - now)
                    continue
                if d.seen_fp is None:
                    break  # remote: nothing to watch, save on schedule
                scan = await self.backend.scan_one(key)
                if scan is None:
                    self.vanished(key)
                    return
                if scan.fingerprint != d.seen_fp:  # still being written: wait for quiet
                    d.seen_fp = scan.fingerprint
                    if not d.watched:  # (with events, the last event said when it was)
                        d.last_change = self.clock.now()
                        continue
                if scan.fingerprint == d.saved_fp:
                    if d.status.state is State.UNSAVED:
                        self.board.set(key, state=State.CLEAN, detail_kind="")
                    return
                break
            if d.check_only:
                return  # only the check: the status is true, saving waits for the user
            d.last_autosave = self.clock.now()
            if d.seen_fp is not None:
                await self._batched(key)
                return
            with contextlib.suppress(DraftKeeperError):
                await self.runner.save(key, reason="autosave")
        finally:
            d.autosave_task = None

    async def _batched(self, key: str) -> None:
        """Save the local draft with the others ready meanwhile, as one batch; back once
        it is in flight (its autosave task stays until then: no second autosave of it
        starts while it waits)."""
        self._queue[key] = None
        if self._launched is None:
            self._launched = asyncio.get_running_loop().create_future()
        launched = self._launched
        if self._pump is None:
            self._pump = asyncio.create_task(self._launch_batches(), name="autosave batches")
        try:
            await asyncio.shield(launched)
        finally:
            if not launched.done():  # cancelled (stopped, taken off the list): not saved
                self._queue.pop(key, None)

    async def _launch_batches(self) -> None:
        """Each batch of the drafts ready meanwhile, once the one before is saved."""
        try:
            while self._queue:
                await asyncio.sleep(0)  # the drafts quiet in the same pass join too
                keys, launched = list(self._queue), self._launched
                self._queue.clear()
                self._launched = None
                batch = self.runner.launch_many(keys, "autosave") if keys else None
                if launched is not None:
                    launched.set_result(None)
                if batch is not None:
                    await asyncio.wait([batch])  # (its outcomes are the drafts' own)
        finally:
            self._pump = None
            if self._queue:  # cancelled (the loop is closing): their autosaves end
                self._queue.clear()
                if self._launched is not None:
                    self._launched.cancel()
                self._launched = None
