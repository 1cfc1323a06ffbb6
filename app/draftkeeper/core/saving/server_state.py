"""What the scheduler keeps per server: how many requests it may have in flight, and its
offline episodes.

While a server is offline, one draft (the prober) keeps trying it; the drafts that wait for
it (the waiters) are told of each of its attempts and go when the episode ends: the server
answered, or the prober gave up (then they fail with its error, unsent). Failed drafts of
a server that was offline are retried slowly by one draft at a time (``claim_probe``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from draftkeeper.core.errors import DraftKeeperError


@dataclass
class Episode:
    """One stretch of time a server was offline."""

    prober: str
    error: DraftKeeperError
    next_at: float | None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    failed: DraftKeeperError | None = None
    waiters: set[str] = field(default_factory=set)


class Servers:
    def __init__(self) -> None:
        self._episodes: dict[str, Episode] = {}
        self._probing: dict[str, str] = {}  # server -> the failed draft that probes it
        self._slots: dict[str, tuple[int, asyncio.Semaphore]] = {}

    def slots(self, server: str, limit: int) -> asyncio.Semaphore:
        """The requests ``server`` may have in flight (a new bound: a new semaphore; the
        requests holding the old one keep their places)."""
        entry = self._slots.get(server)
        if entry is None or entry[0] != limit:
            entry = (limit, asyncio.Semaphore(limit))
            self._slots[server] = entry
        return entry[1]

    def episode(self, server: str) -> Episode | None:
        """The server's offline episode, if it is offline."""
        return self._episodes.get(server)

    def offline(
        self, server: str, key: str, error: DraftKeeperError, next_at: float
    ) -> Episode:
        """Draft ``key`` found ``server`` offline and tries again at ``next_at``. The first
        such draft becomes the prober; the prober's attempts update the episode."""
        episode = self._episodes.get(server)
        if episode is None:
            episode = Episode(prober=key, error=error, next_at=next_at)
            self._episodes[server] = episode
        elif episode.prober == key:
            episode.error, episode.next_at = error, next_at
        return episode

    def back(self, server: str) -> None:
        """The server answered: its episode ends, its waiters go."""
        episode = self._episodes.pop(server, None)
        if episode is not None:
            episode.done.set()

    def gave_up(self, server: str, key: str, error: DraftKeeperError) -> None:
        """Draft ``key`` used up its attempts on ``server``: if it was the prober, the
        episode ends and its waiters fail with ``error``."""
        episode = self._episodes.get(server)
        if episode is not None and episode.prober == key:
            del self._episodes[server]
            episode.failed = error
            episode.done.set()

    def claim_probe(self, server: str, key: str) -> bool:
        """Failed draft ``key`` may retry ``server`` now (no other failed draft does)."""
        if self._probing.get(server, key) != key:
            return False
        self._probing[server] = key
        return True

    def release_probe(self, server: str, key: str) -> None:
        if self._probing.get(server) == key:
            del self._probing[server]
