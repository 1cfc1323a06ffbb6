"""Saving many drafts as one batch (``SaveRunner.start_many`` and ``launch_many`` start
it): the batch cut into chunks, saved one after the other, each chunk's attempts recorded
and its drafts settled while the next one is saved; each draft's outcome from its chunk,
a run relayed into the future a draft's callers wait on, and which backends save in
batches.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, cast

from draftkeeper.core.backend import Batched, BatchSaver, SaveBackend, SavedState, SaveResult
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound, SaveFailed
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.saving.board import StatusBoard, TrackedDraft, log_lines
from draftkeeper.core.saving.clock import Clock, consume
from draftkeeper.core.saving.status import State
from draftkeeper.core.store.attempts import Attempt

log = logging.getLogger("draftkeeper.core.saving.scheduler")

# drafts in the first call of the backend's batch save, each next call twice as many: each
# chunk's outcomes are recorded and published while the next chunk is saved (its reading
# and hashing overlap the record's writes and the board's events), and a call's fixed costs
# (the index, the attempt record's folder, thread hand-offs: about 15 ms) are paid a few
# times, not once per thousand drafts (10,000 drafts: 4 calls)
CHUNK = 1024
# status changes published in one turn of the loop: the window repaints and answers in
# between (a chunk of 4,096 drafts settled at once held its thread for ~0.2 s)
EVENTS_AT_ONCE = 256
# a Save all with this many new drafts (a manual batch: its drafts are all asked for at
# once; new: no version yet, as the list shows them) asks the backend to walk them ahead
# (``LocalEngine.walk_ahead``): its second process then reads every new draft of the batch
# while this process saves, not a group at a time (10,000 drafts in the window, the press
# to the last row saved: 2.1-2.3 s against 2.4-3.0 s without it, in alternating runs)
AHEAD_FROM = 256

# a chunk's outcomes: each draft's, or what made the whole call fail
Outcomes = dict[str, Batched] | Exception
# a chunk of drafts, and the future they share as their save in flight
Part = tuple[list[str], asyncio.Future[None]]
# a draft's part of a batch, once settled: its outcome, or the run it goes on with
Settled = SaveResult | BaseException | asyncio.Future[SaveResult]


class Runs(Protocol):
    """What a batch needs of the runner that drives it (``runner.SaveRunner``)."""

    board: StatusBoard
    clock: Clock

    @property
    def policy(self) -> RetryPolicy: ...

    async def note_many(self, attempts: list[Attempt]) -> None: ...

    def settled(self, key: str, d: TrackedDraft, result: SaveResult, saved: SavedState,
                lines: list[str] | None = None) -> None: ...

    def run_own(self, key: str, reason: str, failed: DraftKeeperError | None = None
                ) -> asyncio.Task[SaveResult]: ...


def crashed(key: str, exc: BaseException, *, logged: bool = False) -> SaveFailed:
    """A bug must show as a failure, not a stuck row (``logged``: already logged)."""
    if not logged:
        log.error("save of %s crashed", key, exc_info=exc)
    return SaveFailed(f"Save failed: unexpected error: {exc!r}",
                      reason="unexpected", params={"detail": repr(exc)})


def pass_on(t: asyncio.Task[SaveResult], dst: asyncio.Future[SaveResult]) -> None:
    """Give ``dst`` the outcome of the finished ``t`` (unless it has one already)."""
    if dst.done():
        return
    if t.cancelled():
        dst.cancel()
    elif (exc := t.exception()) is not None:
        dst.set_exception(exc)
    else:
        dst.set_result(t.result())


def relay(src: asyncio.Task[SaveResult], dst: asyncio.Future[SaveResult]) -> None:
    def done(t: asyncio.Task[SaveResult]) -> None:
        pass_on(t, dst)

    def stopped(f: asyncio.Future[SaveResult]) -> None:
        if f.cancelled():
            src.cancel()  # the scheduler stops a run waiting for its retry this way

    src.add_done_callback(done)
    dst.add_done_callback(stopped)


def batch_saver(backend: SaveBackend) -> BatchSaver | None:
    return cast(BatchSaver, backend) if hasattr(backend, "save_many") else None


def chunks(keys: list[str]) -> list[list[str]]:
    out, start, size = [], 0, CHUNK
    while start < len(keys):
        out.append(keys[start:start + size])
        start, size = start + size, size * 2
    return out


async def save_chunk(saver: BatchSaver, keys: list[str], reason: str) -> Outcomes:
    """One call of the batch save; what made it fail is every draft's outcome."""
    try:
        return await saver.save_many(keys, reason)
    except Exception as exc:
        log.error("save of a batch of %d drafts crashed", len(keys), exc_info=exc)
        return exc


def outcome_in(key: str, outcomes: Outcomes
               ) -> tuple[SaveResult, SavedState] | DraftKeeperError | None:
    """This draft's part of a chunk's outcomes (None: the batch did not save it)."""
    if isinstance(outcomes, Exception):
        return crashed(key, outcomes, logged=True)
    outcome = outcomes.get(key)
    if outcome is None or isinstance(outcome, tuple | DraftKeeperError):
        return outcome
    return crashed(key, outcome)


def attempts_of(keys: list[str], outcomes: Outcomes, now: float, reason: str
                ) -> tuple[list[Attempt], dict[str, int]]:
    """The attempts a chunk's outcomes record (drafts it did not save have none: their
    own save records theirs), and how many drafts were saved, new and failed."""
    attempts: list[Attempt] = []
    counts = {"new": 0, "unchanged": 0, "failed": 0}
    for k in keys:
        outcome = outcome_in(k, outcomes)
        if outcome is None:
            continue
        if isinstance(outcome, tuple):
            result = outcome[0]
            counts["unchanged" if result.unchanged else "new"] += 1
            attempts.append(Attempt.success(k, now, reason, result.version, result.unchanged))
        else:
            counts["failed"] += 1
            attempts.append(Attempt.failure(k, now, reason, outcome))
    return attempts, counts


def launch(runs: Runs, saver: BatchSaver, keys: list[str], reason: str, *, wanted: bool,
           results: dict[str, Settled] | None = None
           ) -> tuple[dict[str, asyncio.Future[SaveResult]], asyncio.Task[None]]:
    """Start saving ``keys`` (tracked, none in flight) as one batch; each is in flight
    when this returns. The future of each draft's outcome (``wanted``; else none; with
    ``results``, each draft's part goes there once its chunk is settled), and the batch's
    task (done once every chunk is settled)."""
    # a chunk's drafts share one future while in flight (no task or future per draft:
    # 10,000 drafts, tens of MB less); a draft the batch does not save starts a run
    loop = asyncio.get_running_loop()
    parts: list[Part] = []
    futures: dict[str, asyncio.Future[SaveResult]] = {}
    for chunk in chunks(keys):
        marker: asyncio.Future[None] = loop.create_future()
        marker.add_done_callback(consume)
        parts.append((chunk, marker))
        for k in chunk:
            runs.board.drafts[k].inflight = marker
            if wanted and results is None:
                futures[k] = loop.create_future()
    batch = asyncio.create_task(_run_batch(runs, saver, parts, reason, futures, results),
                                name="save batch")
    batch.add_done_callback(consume)
    return futures, batch


async def _run_batch(runs: Runs, saver: BatchSaver, parts: list[Part], reason: str,
                     futures: dict[str, asyncio.Future[SaveResult]],
                     results: dict[str, Settled] | None) -> None:
    """Save the chunks one after the other; each chunk's attempts are recorded and its
    drafts settled while the next ones are saved (a chunk's save never waits for the
    records of the one before: a first save's records create their files, ~0.3 s of
    1,024 drafts, which held up the third chunk's save when it did)."""
    loop = asyncio.get_running_loop()
    saved: list[asyncio.Future[Outcomes]] = [loop.create_future() for _p in parts]

    async def save_chunks() -> None:
        try:
            ahead = getattr(saver, "walk_ahead", None)
            new = [k for c, _m in parts for k in c  # (no version yet, as the list knows)
                   if (d := drafts.get(k)) is not None and not d.status.versions]
            if ahead is not None and reason == "manual" and len(new) >= AHEAD_FROM:
                await _walk_ahead(ahead, new)
            for (chunk, _marker), out in zip(parts, saved, strict=True):
                out.set_result(await save_chunk(saver, chunk, reason))
        except Exception as exc:  # (a bug here fails the chunks not saved: none hangs)
            log.error("a batch's saves crashed", exc_info=exc)
            for out in saved:
                if not out.done():
                    out.set_result(exc)

    total = sum(len(c) for c, _m in parts)
    drafts = runs.board.drafts
    pending = asyncio.ensure_future(save_chunks())
    attempts_max = runs.policy.attempts
    lines: list[str] = []  # each draft's line in the log, as one record
    set_status = runs.board.set
    done = 0
    try:
        for chunk, marker in parts:  # (the save has started: saving is the truth)
            for start in range(0, len(chunk), EVENTS_AT_ONCE):
                with runs.board.held():  # a slice's changes published as one
                    for k in chunk[start:start + EVENTS_AT_ONCE]:
                        d = drafts.get(k)
                        if d is not None and d.inflight is marker:
                            set_status(k, lines=lines, state=State.SAVING, detail_kind="",
                                       attempt=1, max_attempts=attempts_max)
                await asyncio.sleep(0)
        log_lines(lines)
        for i, (chunk, marker) in enumerate(parts):
            outcomes = await saved[i]
            attempts, counts = attempts_of(chunk, outcomes, runs.clock.now(), reason)
            await runs.note_many(attempts)
            log.info("%s batch: %d of %d drafts: %d saved as new versions, %d unchanged, "
                     "%d failed", reason, len(chunk), total, counts["new"],
                     counts["unchanged"], counts["failed"])
            await _settle(runs, chunk, marker, outcomes, reason, futures, results)
            done = i + 1
    finally:
        for chunk, marker in parts[done:]:  # cancelled (the loop is closing)
            pending.cancel()
            for k in chunk:
                d = runs.board.drafts.get(k)
                if d is not None and d.inflight is marker:
                    d.inflight = None
                if k in futures:
                    futures[k].cancel()
            marker.cancel()


async def _walk_ahead(ahead: Callable[[list[str]], Awaitable[None]], keys: list[str]) -> None:
    """Ask the backend to have the batch's new drafts walked ahead; a failure there only
    leaves the batch to walk them as it goes."""
    try:
        await ahead(keys)
    except Exception:
        log.warning("walking a batch's drafts ahead failed; saving without it", exc_info=True)


async def _settle(runs: Runs, chunk: list[str], marker: asyncio.Future[None],
                  outcomes: Outcomes, reason: str,
                  futures: dict[str, asyncio.Future[SaveResult]],
                  results: dict[str, Settled] | None) -> None:
    """Each draft's part of a chunk: its outcome published, or (failed, or not in the
    batch) a run of its own that goes on as its save would, retries included; a slice
    of the chunk at a time, the loop turning in between."""
    lines: list[str] = []
    for start in range(0, len(chunk), EVENTS_AT_ONCE):
        if start:
            await asyncio.sleep(0)
        with runs.board.held():  # a slice's changes published as one
            for k in chunk[start:start + EVENTS_AT_ONCE]:
                _settle_one(runs, k, marker, outcomes, reason, futures, results, lines)
    log_lines(lines)
    marker.set_result(None)


def _settle_one(runs: Runs, k: str, marker: asyncio.Future[None], outcomes: Outcomes,
                reason: str, futures: dict[str, asyncio.Future[SaveResult]],
                results: dict[str, Settled] | None, lines: list[str]) -> None:
    """One draft's part of a chunk (see ``_settle``)."""
    d = runs.board.drafts.get(k)
    part = futures.get(k)
    if d is not None and d.inflight is not marker:
        d = None  # (taken off the list meanwhile, and listed anew)
    outcome = outcome_in(k, outcomes)
    settled: Settled
    if isinstance(outcome, tuple):
        if d is not None:
            runs.settled(k, d, outcome[0], outcome[1], lines)
        settled = outcome[0]
        if part is not None:
            part.set_result(settled)
    elif d is None:
        settled = outcome or DraftNotFound(f"Not in the draft list: {k}")
        if part is not None:
            part.set_exception(settled)
    else:
        settled = runs.run_own(k, reason, outcome)
        if part is not None:
            relay(settled, part)
    if results is not None:
        results[k] = settled


async def gathered(keys: list[str], results: dict[str, Settled],
                   batch: asyncio.Task[None] | None) -> list[SaveResult | BaseException]:
    """Each key's outcome, in order, once the batch is settled and every run of a draft
    on its own (not in the batch, or failed in it) has ended; a draft the batch never
    settled (the loop is closing) was cancelled."""
    if batch is not None:
        await asyncio.wait([batch])
    runs = [v for v in results.values() if isinstance(v, asyncio.Future)]
    if runs:
        await asyncio.wait(runs)
    out: list[SaveResult | BaseException] = []
    for k in keys:
        v = results.get(k)
        if isinstance(v, asyncio.Future):
            v = asyncio.CancelledError() if v.cancelled() else (v.exception() or v.result())
        out.append(asyncio.CancelledError() if v is None else v)
    return out
