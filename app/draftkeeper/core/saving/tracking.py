"""Tracking the drafts: which drafts there are and whether they changed since their last
saved version. A sweep of the backend (``refresh``) lists new drafts (with the status
``board.first_status`` gives them), notes changed ones and marks vanished ones missing (or
drops them when nothing of them is saved); file-system events (``changed``) report a
change at once, and its autosave follows after the quiet period.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from draftkeeper.core.backend import DraftScan, SaveBackend, SavedState
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound
from draftkeeper.core.saving.autosave import Autosaver
from draftkeeper.core.saving.board import (
    StatusBoard,
    TrackedDraft,
    attempt_matters,
    first_status,
)
from draftkeeper.core.saving.clock import Clock
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.urls import parse_draft_id

log = logging.getLogger("draftkeeper.core.saving.scheduler")


class DraftTracker:
    """Keeps ``board`` in step with ``backend``. ``on_at_risk()`` is told when a draft
    joins at risk (its slow retry is due at once)."""

    def __init__(self, board: StatusBoard, backend: SaveBackend, settings: Settings,
                 clock: Clock, record: AttemptLog | None, autosaver: Autosaver,
                 on_at_risk: Callable[[], None]) -> None:
        self.board = board
        self._drafts = board.drafts
        self.backend = backend
        self.settings = settings
        self.clock = clock
        self.record = record
        self.autosaver = autosaver
        self.on_at_risk = on_at_risk
        self._refresh_lock = asyncio.Lock()
        self._removed_now: set[str] = set()  # removed while a sweep runs: not re-listed
        # drafts not in the list that events reported (new folders), and when
        self._appearing: dict[str, float] = {}
        self.lister: asyncio.Task[None] | None = None  # lists them (``_list_appeared``)

    async def refresh(self) -> None:
        """Sweep the backend: new drafts, changed drafts, vanished drafts."""
        async with self._refresh_lock:
            self._removed_now.clear()  # the backend's list no longer has them
            scans = await self.backend.scan()
            now = self.clock.now()
            seen: set[str] = set()
            fresh: list[DraftScan] = []
            for scan in scans:
                key = scan.info.key
                if key in self._removed_now:
                    continue
                seen.add(key)
                d = self._drafts.get(key)
                if d is None or d.status.state is State.MISSING:
                    fresh.append(scan)
                else:
                    self._apply_scan(key, d, scan, now)
            if fresh:
                keys = [s.info.key for s in fresh]
                states = await self.backend.saved_states(keys)
                # a failed attempt matters only to a draft that is not its saved version
                # (first_status): 10,000 saved drafts open no attempt file
                asked = [s.info.key for s, saved in zip(fresh, states, strict=True)
                         if attempt_matters(s, saved)]
                found = dict(zip(asked, await self._last_attempts(asked), strict=True))
                lasts = [found.get(k) for k in keys]
                for scan, saved, last in zip(fresh, states, lasts, strict=True):
                    if scan.info.key not in self._removed_now:
                        self._add(scan, saved, last, now)
            for key in [k for k in self._drafts if k not in seen]:
                self.vanished(key)

    async def track(self, draft: str) -> str:
        """Add one draft to the list without a sweep (a command on one draft); its key.
        DraftNotFound when the backend does not know it."""
        scan = await self.backend.scan_one(draft)
        if scan is None:
            draft_id = parse_draft_id(draft)
            raise DraftNotFound(f"Draft does not exist: {draft_id}", reason="draft_not_found",
                                params={"draft_id": draft_id})
        key = scan.info.key
        d = self._drafts.get(key)
        if d is None or d.status.state is State.MISSING:
            saved = await self.backend.saved_state(key)
            [last] = await self._last_attempts([key])
            self._add(scan, saved, last, self.clock.now())
        return key

    async def _last_attempts(self, keys: list[str]) -> list[Attempt | None]:
        if self.record is None or not keys:
            return [None] * len(keys)
        try:
            return await asyncio.to_thread(self.record.last_many, keys)
        except OSError:
            log.exception("cannot read the attempt record")
            return [None] * len(keys)

    def _add(self, scan: DraftScan, saved: SavedState, last: Attempt | None,
             now: float) -> None:
        key = scan.info.key
        status, retry_at = first_status(scan, saved, last, now)
        saved_fp = saved.fingerprint
        if saved_fp == scan.fingerprint:
            saved_fp = scan.fingerprint  # one copy of it for both (memory)
        d = self._drafts.get(key)
        if d is None:
            self.board.add(key, TrackedDraft(
                status=status, saved_fp=saved_fp, seen_fp=scan.fingerprint,
                last_change=now, retry_at=retry_at))
        else:
            d.saved_fp, d.seen_fp, d.last_change = saved_fp, scan.fingerprint, now
            d.retry_at = retry_at
            self.board.relist(key, status)
        if retry_at is not None:
            self.on_at_risk()

    def _apply_scan(self, key: str, d: TrackedDraft, scan: DraftScan, now: float) -> None:
        if scan.info is not d.status.info and scan.info != d.status.info:
            self.board.set(key, info=scan.info)
        if scan.fingerprint is None:
            return
        if scan.fingerprint != d.seen_fp:
            d.seen_fp = scan.fingerprint
            d.last_change = now
        state = d.status.state
        changed = scan.fingerprint != d.saved_fp
        if state is State.CLEAN and changed:
            self.board.set(key, state=State.UNSAVED, detail_kind="")
        elif state is State.UNSAVED and not changed:
            # changed back to the saved state
            self.board.set(key, state=State.CLEAN, detail_kind="")
        elif state is State.FAILED and d.last_change == now and d.inflight is None:
            # a local draft that failed and has changed since: autosave tries it as usual
            d.retry_at = None
            self.board.set(key, state=State.UNSAVED, detail_kind="")

    def vanished(self, key: str) -> None:
        """The draft is gone: missing if it has versions (or a save runs), else unlisted."""
        d = self._drafts[key]
        if d.status.state is State.MISSING:
            return
        if d.status.versions or d.inflight is not None:
            self.board.set(key, state=State.MISSING, detail_kind="folder_gone")
        else:
            self._forget(key)

    def _forget(self, key: str) -> None:
        task = self._drafts[key].autosave_task
        if task is not None:
            task.cancel()
        self.board.pop(key)

    def remove(self, key: str) -> None:
        """Drop a draft from the list (its versions stay in the store)."""
        self._removed_now.add(key)
        if key in self._drafts:
            self._forget(key)

    def changed(self, key: str, at: float | None = None) -> None:
        """A file-system event: draft ``key`` changed at ``at``. It shows as unsaved at
        once, and its autosave starts ``quiet_period_s`` after the last such event."""
        d = self._drafts.get(key)
        if d is None:
            self._appeared(key, self.clock.now() if at is None else at)
            return
        if d.status.state is State.MISSING:
            return
        d.watched = True
        d.last_change = max(d.last_change, self.clock.now() if at is None else at)
        if d.status.state is State.CLEAN:
            self.board.set(key, state=State.UNSAVED, detail_kind="")
        elif d.status.state is State.FAILED and d.inflight is None:
            d.retry_at = None  # failed and changed since: autosave tries it as usual
            self.board.set(key, state=State.UNSAVED, detail_kind="")
        # once quiet, the draft is re-scanned: an event that left the saved state (a restore's
        # own writes, a file touched back) must not leave it "unsaved"; with autosave on, a
        # real change is then saved
        if (d.status.state is State.UNSAVED
                and d.autosave_task is None and d.inflight is None):
            self.autosaver.start(key, d, check_only=not self.settings.autosave_enabled)
        elif (d.inflight is not None and d.autosave_task is None
                and not self.settings.autosave_enabled):
            # an event during a save (its own files' events, late) leaves it "unsaved" when
            # the save is published: once quiet, it is checked (with autosave on, autosave
            # does that)
            self.autosaver.start(key, d, check_only=True)

    def _appeared(self, key: str, at: float) -> None:
        """An event from a folder that is not in the list: a new draft (an automation flow
        writes hundreds) is listed now, not at the next sweep (with events only the safety
        net: minutes apart with 10,000 drafts), and then autosaved as any changed draft."""
        if key in self._removed_now or key in self.settings.ignored_drafts:
            return
        self._appearing[key] = max(at, self._appearing.get(key, at))
        if self.lister is None:
            self.lister = asyncio.create_task(self._list_appeared(), name="list new drafts")

    async def _list_appeared(self) -> None:
        try:
            while self._appearing:
                async with self._refresh_lock:  # (a sweep lists them as well)
                    found, self._appearing = self._appearing, {}
                    scans = []
                    for key in found:
                        if key not in self._drafts and key not in self._removed_now:
                            try:
                                scan = await self.backend.scan_one(key)
                            except DraftKeeperError:
                                scan = None  # (not a draft's folder name)
                            if scan is not None and scan.info.key == key:
                                scans.append(scan)
                    keys = [s.info.key for s in scans]
                    states = await self.backend.saved_states(keys) if keys else []
                    lasts = await self._last_attempts(keys)
                    now = self.clock.now()
                    for scan, saved, last in zip(scans, states, lasts, strict=True):
                        key = scan.info.key
                        if key not in self._drafts and key not in self._removed_now:
                            self._add(scan, saved, last, now)
                for key, at in found.items():
                    if key in self._drafts:  # (as an event for a listed draft does)
                        self.changed(key, at)
        finally:
            self.lister = None
