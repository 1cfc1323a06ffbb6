"""Slow retries: a draft whose attempts are used up is not given up. Autosave tries it
again, one attempt at a time, at the slow cadence (the backoff cap, at most 10 minutes) for
as long as it is failed or at risk; failed drafts of a server that was offline send one
probe per cycle, not one request each, and go at once when the server answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from draftkeeper.core.backend import SaveBackend
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.board import StatusBoard, TrackedDraft
from draftkeeper.core.saving.clock import Clock, first_of
from draftkeeper.core.saving.runner import SaveRunner
from draftkeeper.core.saving.server_state import Servers
from draftkeeper.core.saving.status import FAILED_STATES
from draftkeeper.core.saving.timing import next_retry_in, slow_retry
from draftkeeper.core.settings.table import Settings

log = logging.getLogger("draftkeeper.core.saving.scheduler")


class SlowRetries:
    def __init__(self, board: StatusBoard, backend: SaveBackend, settings: Settings,
                 clock: Clock, servers: Servers, runner: SaveRunner) -> None:
        self.board = board
        self.backend = backend
        self.settings = settings
        self.clock = clock
        self.servers = servers
        self.runner = runner
        self.wake = asyncio.Event()  # a retry time changed: look again

    async def loop(self) -> None:
        while True:
            self.wake.clear()
            wait = next_retry_in((d.retry_at for d in self.board.drafts.values()),
                                 self.clock.now())
            if wait is None:
                await self.wake.wait()
                continue
            if wait > 0:
                await first_of(self.clock.sleep(wait), self.wake.wait())
                continue
            try:
                self.due()
            except Exception:
                log.exception("retry failed")
                await self.clock.sleep(1.0)  # never spin on a bug

    def due(self) -> list[str]:
        """Try again each failed or at-risk draft whose slow retry is due (one attempt
        each); a server that was offline gets one probe, not one request per draft."""
        now = self.clock.now()
        slow = self.runner.policy.slow
        started = []
        for key, d in self.board.drafts.items():
            step = slow_retry(d.retry_at, now, d.status.state,
                              bool(d.inflight or d.autosave_task), self.settings.autosave_enabled)
            if step == "not_due":
                continue
            if step == "drop":
                d.retry_at = None  # saving already, or saved meanwhile
                continue
            if step == "later":
                self.due_again(key, d, now + slow)
                continue
            server = self.backend.server_of(key)
            error = d.status.error
            if (server and (error is None or error.offline)
                    and not self.servers.claim_probe(server, key)):
                self.due_again(key, d, now + slow)  # the probe's outcome decides
                continue
            d.retry_at = None
            d.autosave_task = asyncio.create_task(self._retry(key, server),
                                                  name=f"retry {key}")
            started.append(key)
        return started

    def due_again(self, key: str, d: TrackedDraft, when: float) -> None:
        d.retry_at = when
        self.board.set(key, next_attempt_at=when)

    def resume(self) -> None:
        """Autosave is on again: the failed drafts put off while it was off go now."""
        now = self.clock.now()
        for key, d in self.board.drafts.items():
            if d.retry_at is not None and d.retry_at > now:
                self.due_again(key, d, now)
        self.wake.set()

    async def _retry(self, key: str, server: str | None) -> None:
        d = self.board.drafts.get(key)
        if d is None:
            return
        try:
            task = d.inflight or self.runner.start_run(key, "autosave", fresh=False,
                                                       single=True)
            with contextlib.suppress(DraftKeeperError):
                await asyncio.shield(task)
        finally:
            d.autosave_task = None
            if server:
                self.servers.release_probe(server, key)

    def kick(self, server: str, but: str) -> None:
        """A server answered: its failed drafts waiting for a slow retry go now."""
        now = self.clock.now()
        kicked = False
        for key, d in self.board.drafts.items():
            if (key != but and d.retry_at is not None and d.retry_at > now
                    and d.status.state in FAILED_STATES and self.backend.server_of(key) == server):
                self.due_again(key, d, now)
                kicked = True
        if kicked:
            self.wake.set()
