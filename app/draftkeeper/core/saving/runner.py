"""Saving one draft: at most one save of it at a time (requests meanwhile coalesce into one
follow-up), parallel saves and the requests in flight to one server bounded, retryable
errors retried with full-jitter backoff, one probe for an offline server. Every attempt is
recorded (``AttemptLog``) before its outcome is published on the board.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Callable
from typing import Any

from draftkeeper.core.backend import SaveBackend, SavedState, SaveResult
from draftkeeper.core.errors import DraftKeeperError, DraftLost, DraftNotFound
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.saving.batches import (
    Settled,
    batch_saver,
    crashed,
    gathered,
    launch,
    pass_on,
)
from draftkeeper.core.saving.board import StatusBoard, TrackedDraft
from draftkeeper.core.saving.clock import Clock, consume, first_of
from draftkeeper.core.saving.server_state import Episode, Servers
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog

log = logging.getLogger("draftkeeper.core.saving.scheduler")


class SaveRunner:
    """Runs the saves of the drafts on ``board``. ``on_failed()`` is told when a draft
    fails (its slow retry is due at ``retry_at``); ``on_answer(server, key)`` when a
    server answered draft ``key`` (it is not offline)."""

    def __init__(
        self, board: StatusBoard, backend: SaveBackend, settings: Settings, clock: Clock,
        rng: random.Random, record: AttemptLog | None, servers: Servers, *,
        on_failed: Callable[[], None], on_answer: Callable[[str, str], None],
    ) -> None:
        self.board = board
        self.backend = backend
        self.settings = settings
        self.clock = clock
        self.rng = rng
        self.record = record
        self.servers = servers
        self.on_failed = on_failed
        self.on_answer = on_answer
        self.sem = asyncio.Semaphore(settings.max_parallel_saves)
        self.flushing = False  # saving before quit: one attempt each, no waits

    @property
    def policy(self) -> RetryPolicy:
        s = self.settings
        return s.retry_policy

    async def save(self, key: str, reason: str = "manual") -> SaveResult:
        """Save one draft; every caller gets the outcome (a result, or the error raised).

        A manual save skips any backoff wait and starts a fresh series of attempts. While a
        save of the draft is in flight, requests coalesce into exactly one follow-up.
        """
        d = self.board.drafts.get(key)
        if d is None:
            raise DraftNotFound(f"Not in the draft list: {key}")
        if d.inflight is not None:
            if d.waiting and (reason == "manual" or self.flushing):
                d.fresh = True
                d.wake.set()
                return await asyncio.shield(d.inflight)
            if d.followup is None:
                d.followup = asyncio.get_running_loop().create_future()
                d.followup.add_done_callback(consume)
                d.followup_reason = reason
            elif reason == "manual":
                d.followup_reason = reason
            return await asyncio.shield(d.followup)
        task = self.start_run(key, reason, fresh=reason == "manual")
        return await asyncio.shield(task)

    async def save_many(self, keys: list[str], reason: str = "manual"
                        ) -> list[SaveResult | BaseException]:
        """Save many drafts; each one's outcome, in order (see ``start_many``). The batch
        writes its drafts' outcomes into one dict, not a future each: 10,000 futures made
        20,000 callbacks on the loop (most of a second of the window's thread, under
        qasync). One shield for all of them (a caller that stops waiting stops no save)."""
        results: dict[str, Settled] = {}
        _futures, batch, taken = self._launch(keys, reason, results=results)
        results.update(self._alone(keys, taken, reason))
        return await asyncio.shield(gathered(keys, results, batch))

    def start_many(self, keys: list[str], reason: str = "manual", *, shielded: bool = True
                   ) -> list[asyncio.Future[SaveResult]]:
        """Start saving many drafts (each is in flight when this returns); a future of
        each one's outcome, in order. Drafts the backend saves in one call (local drafts
        with no save in flight) go as one batch, the others one by one as ``save`` does;
        a draft that fails in the batch goes on as its own save would (retries with
        backoff), and requests that arrive meanwhile coalesce as usual. ``shielded``:
        each future may be cancelled without cancelling the draft's save (else the caller
        shields them)."""
        runs, _batch, _taken = self._launch(keys, reason, wanted=True)
        out = [asyncio.shield(runs[k]) if k in runs and shielded else runs[k] if k in runs
               else asyncio.ensure_future(self.save(k, reason)) for k in keys]
        for f in out:
            f.add_done_callback(consume)
        return out

    def launch_many(self, keys: list[str], reason: str = "autosave"
                    ) -> asyncio.Task[None] | None:
        """``start_many`` for a caller that waits for none of the outcomes (autosave): no
        future per draft (10,000 drafts: about 10 MB less). The batch's task (done when
        each of its drafts is settled: published, or on a run of its own), if any."""
        _futures, batch, taken = self._launch(keys, reason)
        for run in self._alone(keys, taken, reason).values():
            run.add_done_callback(consume)
        return batch

    def _alone(self, keys: list[str], taken: set[str], reason: str
               ) -> dict[str, asyncio.Future[SaveResult]]:
        """A save of its own for each draft of ``keys`` the batch did not take."""
        return {k: asyncio.ensure_future(self.save(k, reason))
                for k in dict.fromkeys(keys) if k not in taken}

    def _launch(self, keys: list[str], reason: str, *, wanted: bool = False,
                results: dict[str, Settled] | None = None
                ) -> tuple[dict[str, asyncio.Future[SaveResult]], asyncio.Task[None] | None,
                           set[str]]:
        """The batch of the drafts of ``keys`` the backend saves in one call; the future
        of each (``wanted``) or its outcome in ``results`` once settled; the batch's task;
        the keys in it (the caller saves the others one by one)."""
        saver = batch_saver(self.backend)
        free = [k for k in dict.fromkeys(keys)
                if saver is not None and (d := self.board.drafts.get(k)) is not None
                and d.inflight is None and self.backend.server_of(k) is None]
        if saver is None or not free:
            return {}, None, set()
        for k in free:
            d = self.board.drafts[k]
            d.fresh, d.single, d.retry_at = reason == "manual", False, None
        futures, batch = launch(self, saver, free, reason, wanted=wanted, results=results)
        return futures, batch, set(free)

    def settled(self, key: str, d: TrackedDraft, result: SaveResult, saved: SavedState,
                lines: list[str] | None = None) -> None:
        """The draft's part of a batch saved it: published (``lines``: its log line goes
        there), its follow-up started."""
        self._published(key, d, result, saved, lines)
        self._released(key, d, result)

    def run_own(self, key: str, reason: str, failed: DraftKeeperError | None = None
                ) -> asyncio.Task[SaveResult]:
        """Start a run of the draft's own (``failed``: its first attempt, the draft's part
        of a batch, failed so)."""
        task = asyncio.create_task(self._run(key, reason, failed), name=f"save {key}")
        task.add_done_callback(consume)
        task.add_done_callback(functools.partial(self._run_done, key))
        self.board.drafts[key].inflight = task
        return task

    def start_run(self, key: str, reason: str, fresh: bool, single: bool = False,
                  ) -> asyncio.Task[SaveResult]:
        """Start a save of the draft (``single``: one attempt only, a slow retry)."""
        d = self.board.drafts[key]
        d.fresh = fresh
        d.single = single
        d.retry_at = None
        return self.run_own(key, reason)

    def _run_done(self, key: str, task: asyncio.Task[SaveResult]) -> None:
        d = self.board.drafts.get(key)
        if d is None or d.inflight is not task:
            return
        ok = not task.cancelled() and task.exception() is None
        self._released(key, d, task.result() if ok else None)

    def _released(self, key: str, d: TrackedDraft, result: SaveResult | None) -> None:
        """The draft's save is over (``result``: it succeeded): the follow-up asked for
        meanwhile, if any, starts."""
        d.inflight = None
        d.waiting = False
        if d.followup is not None:
            followup, d.followup = d.followup, None
            if (d.followup_reason == "autosave" and d.status.state is State.CLEAN
                    and result is not None):
                # an autosave asked for while a save ran: that save covered it (saving
                # again would only log the same save twice)
                followup.set_result(result)
                return
            nxt = self.start_run(key, d.followup_reason, fresh=d.followup_reason == "manual")
            nxt.add_done_callback(functools.partial(pass_on, dst=followup))

    async def _run(self, key: str, reason: str, failed: DraftKeeperError | None = None
                   ) -> SaveResult:
        """Save the draft, retrying as the policy says (``failed``: its first attempt was
        its part of a batch, which failed so, and is recorded)."""
        d = self.board.drafts[key]
        set_status = self.board.set
        policy = self.policy
        attempt = 0
        if failed is not None:
            d.fresh = d.single = False  # (that attempt was the fresh one)
        while True:
            if failed is not None:
                error, server, failed = failed, None, None
            else:
                server = self.backend.server_of(key)
                episode = self.servers.episode(server) if server else None
                if episode is not None and episode.prober != key and not d.fresh:
                    await self._wait_for_probe(key, d, episode)
                    continue
                if d.fresh:
                    attempt = 0
                    d.fresh = d.single = False
                async with contextlib.AsyncExitStack() as slots:
                    # a slow server saves one draft at a time: a few requests in flight to
                    # it, the rest wait here rather than in its queue (where they would
                    # time out)
                    limit = self.settings.max_requests_per_server  # read each time
                    for sem in (([self.servers.slots(server, limit)] if server else [])
                                + [self.sem]):
                        if sem.locked():
                            set_status(key, state=State.QUEUED, detail_kind="waiting")
                        await slots.enter_async_context(sem)
                    set_status(key, state=State.SAVING, detail_kind="", attempt=attempt + 1,
                               max_attempts=policy.attempts)
                    try:
                        result = await self.backend.save(key, reason)
                    except DraftKeeperError as exc:
                        error = exc
                    except Exception as exc:  # a bug must show as a failure, not a stuck row
                        error = crashed(key, exc)
                    else:
                        await self.note(Attempt.success(key, self.clock.now(), reason,
                                                        result.version, result.unchanged))
                        await self._saved(key, d, result, server)
                        return result
                await self.note(Attempt.failure(key, self.clock.now(), reason, error))
            if server and not error.offline:
                self._server_back(server, key)
            attempt += 1
            final = (not error.retryable or attempt >= policy.attempts or self.flushing
                     or d.single)
            if isinstance(error, DraftLost):
                set_status(key, state=State.LOST, detail_kind="", error=error,
                           error_message=error.message, failed_at=self.clock.now(),
                           error_kind=type(error).__name__, versions=error.versions)
                raise error
            if isinstance(error, DraftNotFound) and not d.status.remote:
                set_status(key, state=State.MISSING, detail_kind="folder_gone",
                           error=error, error_message=error.message)
                raise error
            if final:
                if server and error.offline:
                    self.servers.gave_up(server, key, error)
                self.failed(key, d, error, attempt=attempt)
                raise error
            delay = policy.delay(attempt - 1, error.retry_after, self.rng, busy=error.busy)
            next_at = self.clock.now() + delay
            if server and error.offline:
                episode = self._server_offline(server, key, error, next_at)
                if episode.prober != key:
                    continue  # another draft probes the server for all of us
            set_status(key, state=State.RETRYING, detail_kind="", error=error,
                       error_message=error.message, attempt=attempt,
                       max_attempts=policy.attempts, next_attempt_at=next_at)
            d.waiting = True
            d.wake.clear()
            try:
                await first_of(self.clock.sleep(delay), d.wake.wait())
            finally:
                d.waiting = False

    async def note(self, attempt: Attempt) -> None:
        """Record an attempt durably before its outcome is published."""
        if self.record is None:
            return
        try:
            await asyncio.to_thread(self.record.append, attempt)
        except OSError:
            log.exception("cannot record the attempt of %s", attempt.draft_url)

    async def note_many(self, attempts: list[Attempt]) -> None:
        """``note`` for the attempts of a batch, in one go."""
        if self.record is None or not attempts:
            return
        try:
            await asyncio.to_thread(self.record.append_many, attempts)
        except OSError:
            log.exception("cannot record the attempts of %d drafts", len(attempts))

    def failed(self, key: str, d: TrackedDraft, error: DraftKeeperError,
               **changes: Any) -> None:
        """Attempts used up (or a permanent error): FAILED, and autosave tries it again at
        the slow cadence for as long as it stays failed."""
        now = self.clock.now()
        d.retry_at = now + self.policy.slow
        self.board.set(key, state=State.FAILED, detail_kind="", error=error,
                       error_message=error.message, failed_at=now,
                       error_kind=type(error).__name__, next_attempt_at=d.retry_at, **changes)
        self.on_failed()

    async def _saved(
        self, key: str, d: TrackedDraft, result: SaveResult, server: str | None,
        saved: SavedState | None = None,
    ) -> None:
        if server:
            self._server_back(server, key)
        if saved is None:
            try:
                saved = await self.backend.saved_state(key)
            except DraftKeeperError:
                saved = None
        self._published(key, d, result, saved)

    def _published(self, key: str, d: TrackedDraft, result: SaveResult,
                   saved: SavedState | None, lines: list[str] | None = None) -> None:
        """A save's outcome on the board: clean, or unsaved when it changed since."""
        now = self.clock.now()
        if saved is not None:  # (one copy of the fingerprint when it is the one seen)
            d.saved_fp = d.seen_fp if saved.fingerprint == d.seen_fp else saved.fingerprint
        changed_since = (
            d.seen_fp is not None and saved is not None and d.seen_fp != saved.fingerprint
        )
        if d.watched and saved is not None and saved.last_saved_at is not None:
            # events do not update seen_fp: changed since if an event came after the save
            changed_since = d.last_change > saved.last_saved_at
        self.board.set(
            key,
            lines=lines,
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
    ) -> Episode:
        episode = self.servers.offline(server, key, error, next_at)
        for waiter in episode.waiters:
            self.board.set(waiter, next_attempt_at=next_at, detail_kind="server_offline",
                           error=error, error_message=error.message)
        return episode

    def _server_back(self, server: str, key: str) -> None:
        self.servers.back(server)
        self.on_answer(server, key)

    async def _wait_for_probe(self, key: str, d: TrackedDraft, episode: Episode) -> None:
        episode.waiters.add(key)
        self.board.set(key, state=State.RETRYING,
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
            await self.note(Attempt.failure(key, self.clock.now(), "autosave", error))
            self.failed(key, d, error)
            raise error

