"""Flush at quit: save every draft that is not saved, once each, within a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.clock import consume, first_of
from draftkeeper.core.saving.runner import SaveRunner
from draftkeeper.core.saving.status import FAILED_STATES, NOT_SAVED


async def flush(
    runner: SaveRunner, deadline: float, progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """Save every draft that is not saved (unsaved, retrying, failed, at risk) once (no
    further retries), for at most ``deadline`` seconds; returns the keys that could not be
    saved. Failed drafts of a server that was offline try it with one request first. Saves
    running when the deadline passes finish on their own: nothing is ever left
    half-written."""
    drafts = runner.board.drafts
    runner.flushing = True
    keys = [k for k, d in drafts.items() if d.status.state in NOT_SAVED]
    total, done = len(keys), 0
    saved: set[str] = set()
    if progress:
        progress(0, total)

    async def one(key: str, started: Awaitable[Any] | None = None) -> bool:
        nonlocal done
        try:
            await (runner.save(key, reason="autosave") if started is None else started)
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
    singles: list[str] = []
    for key in keys:
        d = drafts[key]
        server = runner.backend.server_of(key)
        error = d.status.error
        if (server and d.inflight is None and d.status.state in FAILED_STATES
                and (error is None or error.offline)):
            groups.setdefault(server, []).append(key)
        else:
            singles.append(key)
    # local drafts with no save in flight go as one batch (2,000 drafts unsaved at quit:
    # about a second, not 11 s one by one)
    starts = runner.start_many(singles, "autosave") if singles else []
    jobs.extend(one(k, f) for k, f in zip(singles, starts, strict=True))
    jobs.extend(probe_first(group) for group in groups.values())
    try:
        if jobs:
            everything = asyncio.gather(*jobs)
            everything.add_done_callback(consume)  # a cancelled flush: no noise
            which = await first_of(everything, runner.clock.sleep(deadline))
            if which == 1:
                everything.cancel()
    finally:
        runner.flushing = False
    return [k for k in keys if k not in saved]
