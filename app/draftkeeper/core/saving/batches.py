"""The parts of saving many drafts as one batch that need no runner: each draft's outcome
from the batch, a run relayed into the future a draft's callers wait on, and which backends
save in batches (``SaveRunner.start_many`` drives them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import cast

from draftkeeper.core.backend import Batched, BatchSaver, SaveBackend, SavedState, SaveResult
from draftkeeper.core.errors import DraftKeeperError, SaveFailed

log = logging.getLogger("draftkeeper.core.saving.scheduler")


def crashed(key: str, exc: BaseException) -> SaveFailed:
    """A bug must show as a failure, not a stuck row."""
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


async def outcome_of(key: str, batch: asyncio.Task[dict[str, Batched]]
                   ) -> tuple[SaveResult, SavedState] | DraftKeeperError | None:
    """This draft's part of a batch (None: the batch did not save it)."""
    with contextlib.suppress(Exception):
        await asyncio.shield(batch)  # its failure is each draft's (below)
    return outcome_now(key, batch)


def outcome_now(key: str, batch: asyncio.Task[dict[str, Batched]]
                ) -> tuple[SaveResult, SavedState] | DraftKeeperError | None:
    """``outcome_of`` a batch that is done."""
    try:
        outcome = batch.result().get(key)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        return crashed(key, exc)
    if outcome is None or isinstance(outcome, tuple | DraftKeeperError):
        return outcome
    return crashed(key, outcome)
