"""The parts of saving many drafts as one batch that need no runner: the batch cut into
chunks, each draft's outcome from its chunk, the attempts a chunk records, a run relayed
into the future a draft's callers wait on, and which backends save in batches
(``SaveRunner.start_many`` drives them).
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from draftkeeper.core.backend import Batched, BatchSaver, SaveBackend, SavedState, SaveResult
from draftkeeper.core.errors import DraftKeeperError, SaveFailed
from draftkeeper.core.store.attempts import Attempt

log = logging.getLogger("draftkeeper.core.saving.scheduler")

# drafts per call of the backend's batch save: each chunk's outcomes are recorded and
# published while the next chunk is saved (its reading and hashing overlap the record's
# writes and the board's events), and only one chunk's outcomes are held at a time
CHUNK = 1024

# a chunk's outcomes: each draft's, or what made the whole call fail
Outcomes = dict[str, Batched] | Exception


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
    return [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]


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
