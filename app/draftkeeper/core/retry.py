"""Exponential backoff with full jitter, honouring Retry-After.

delay = random(0, min(cap, base * 2**attempt)), but never sooner than the server asked
(Retry-After), and never more than the cap. A busy server (a lock timeout, a request that
timed out while the server was still working) backs off for real: the delay is drawn from
the upper half of a window four times as large, so the retry does not join its queue at once.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.records import Record

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    import random
    from typing import Final, TypeVar

    T = TypeVar("T")

SLOW_RETRY_MAX_S = 600.0


class RetryPolicy(Record):
    """How many attempts, and the waits between them (exponential backoff, full jitter)."""

    __match_args__ = ("attempts", "base", "cap")
    __slots__ = __match_args__
    attempts: Final[int]
    base: Final[float]
    cap: Final[float]

    def __init__(self, attempts: int = 8, base: float = 1.0, cap: float = 60.0) -> None:
        self.attempts = attempts
        self.base = base
        self.cap = cap

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None,
        *, busy: bool = False,
    ) -> float:
        """Wait before attempt ``attempt + 1`` (``attempt`` counts from 0 for the first
        failure)."""
        if rng is None:
            import random  # here: a save that succeeds at once never needs it

            uniform = random.uniform
        else:
            uniform = rng.uniform
        if busy:
            upper = min(self.cap, self.base * 2.0 ** (attempt + 2))
            delay = uniform(upper / 2, upper)
        else:
            upper = min(self.cap, self.base * 2.0**attempt)
            delay = uniform(0, upper)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap))
        return delay

    @property
    def slow(self) -> float:
        """How often a draft whose attempts are used up is tried again: the cap, at most
        10 minutes."""
        return min(self.cap, SLOW_RETRY_MAX_S)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils  # only for a Retry-After that is a date

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    on_failure: Callable[[int, DraftKeeperError, float | None], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    rng: random.Random | None = None,
) -> T:
    """Run ``call`` until it succeeds, a permanent error occurs, or attempts run out.

    ``on_failure(attempt, error, delay)`` is told of every failed attempt (attempt counts
    from 1); delay is None when no retry follows.
    """
    if sleep is None:
        import asyncio  # here, not at the top: a synchronous save never loads asyncio

        sleep = asyncio.sleep
    attempt = 0
    while True:
        try:
            return await call()
        except DraftKeeperError as exc:
            attempt += 1
            if not exc.retryable or attempt >= policy.attempts:
                if on_failure:
                    on_failure(attempt, exc, None)
                raise
            delay = policy.delay(attempt - 1, exc.retry_after, rng, busy=exc.busy)
            if on_failure:
                on_failure(attempt, exc, delay)
            await sleep(delay)
