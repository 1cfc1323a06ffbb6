"""Time for the scheduler: an injectable clock (tests run schedules in virtual time,
tests/vclock.py), and waiting for the first of several things."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


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


def consume(fut: asyncio.Future[Any]) -> None:
    """A done callback: the future's exception counts as retrieved (no "exception was never
    retrieved" noise for an outcome nobody waited for)."""
    if not fut.cancelled():
        fut.exception()
