"""Virtual time for scheduler tests: sleeps wake only when the test advances the clock."""

from __future__ import annotations

import asyncio
import heapq


class VirtualClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.t = start
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (self.t + max(0.0, seconds), self._seq, fut))
        self._seq += 1
        await fut

    @staticmethod
    async def settle() -> None:
        """Let every ready task run until they all wait on something."""
        for _ in range(60):
            await asyncio.sleep(0)

    async def advance(self, seconds: float) -> None:
        target = self.t + seconds
        await self.settle()
        while self._heap and self._heap[0][0] <= target:
            when, _seq, fut = heapq.heappop(self._heap)
            if fut.done():
                continue
            self.t = max(self.t, when)
            fut.set_result(None)
            await self.settle()
        self.t = target
        await self.settle()

    async def run_until(self, predicate: object, limit: float, step: float = 0.1) -> float:
        """Advance in steps until ``predicate()`` is true; returns the virtual time taken."""
        start = self.t
        while not predicate():  # type: ignore[operator]
            if self.t - start > limit:
                raise AssertionError(f"condition not reached within {limit} virtual seconds")
            await self.advance(step)
        return self.t - start
