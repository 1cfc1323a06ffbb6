"""The scheduler's status board: every tracked draft's record and its published status.

A status changes only through ``StatusBoard.set`` (or a draft joining or leaving the
list), and every change is published to the listeners as a StatusEvent: at once, or,
within ``StatusBoard.held()`` (a slice of a batch's drafts), together once the slice is
over (a listener of slices gets them as one list). ``first_status``
decides, from what the store and the attempt record know, what a draft that joins the list
shows: clean, unsaved, at risk (its last attempt failed after its last saved version) or
lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from draftkeeper.core.backend import DraftScan, Fingerprint, SavedState, SaveResult
from draftkeeper.core.errors import DraftLost
from draftkeeper.core.logs import DEBUG, INFO, Logger
from draftkeeper.core.records import Record
from draftkeeper.core.saving.status import FAILED_STATES, NOT_SAVED, DraftStatus, State, StatusEvent
from draftkeeper.core.store.attempts import Attempt

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # the scheduler's asyncio; a synchronous save (once.py) needs none
    import asyncio

# (the logger a Session's scheduler logs to; logs.Logger: without loading logging for
# a local save)
log = Logger("draftkeeper.core.saving.scheduler")
Listener = Callable[[StatusEvent], None]
# told of the changes of a slice at once (one status change alone: a list of one)
SliceListener = Callable[[list[StatusEvent]], None]


def _event() -> asyncio.Event:
    import asyncio

    return asyncio.Event()


class TrackedDraft(Record):
    """What the scheduler knows of one draft besides its published status."""

    __match_args__ = ("status", "saved_fp", "seen_fp", "last_change", "watched", "inflight",
                      "followup", "followup_reason", "waiting", "fresh", "single", "_wake",
                      "last_autosave", "check_only", "autosave_task", "retry_at")
    __slots__ = __match_args__

    def __init__(self, status: DraftStatus, saved_fp: Fingerprint | None = None,
                 seen_fp: Fingerprint | None = None, last_change: float = 0.0,
                 watched: bool = False,
                 inflight: asyncio.Future[Any] | None = None,
                 followup: asyncio.Future[SaveResult] | None = None,
                 followup_reason: str = "autosave", waiting: bool = False,
                 fresh: bool = False, single: bool = False,
                 _wake: asyncio.Event | None = None, last_autosave: float = float("-inf"),
                 check_only: bool = False, autosave_task: asyncio.Task[None] | None = None,
                 retry_at: float | None = None) -> None:
        self.status = status
        # tracking: what the sweep saw, what is saved, when it last changed
        self.saved_fp = saved_fp
        self.seen_fp = seen_fp
        self.last_change = last_change
        self.watched = watched  # file-system events report its changes (the quiet period
        # ends on the last event; the check when it ends needs no second quiet period)
        # saving: the run in flight and the one follow-up requests coalesce into
        # a Task (its own run), or the future the drafts of a batch's chunk share
        self.inflight = inflight
        self.followup = followup
        self.followup_reason = followup_reason
        self.waiting = waiting  # in a backoff wait (no request in flight)
        self.fresh = fresh  # a manual save asked to skip the wait and start over
        self.single = single  # the run in flight makes one attempt only (a slow retry)
        self._wake = _wake
        # autosave (and the slow retry, which runs as its autosave task)
        self.last_autosave = last_autosave
        self.check_only = check_only  # its autosave task only checks the state (autosave off)
        self.autosave_task = autosave_task
        self.retry_at = retry_at  # failed or at risk: when autosave tries it again

    @property
    def wake(self) -> asyncio.Event:
        """Cuts a wait short (made when first needed: 10,000 drafts, 7 MB less)."""
        if self._wake is None:
            self._wake = _event()
        return self._wake


def attempt_matters(scan: DraftScan, saved: SavedState) -> bool:
    """Whether a failed attempt can change what a draft joining the list shows
    (``first_status``): only where the working copy is not its saved version (10,000
    saved drafts open no attempt file)."""
    return scan.fingerprint is None or saved.fingerprint != scan.fingerprint


def first_statuses(
    scans: Sequence[DraftScan], saved: Sequence[SavedState],
    last_many: Callable[[list[str]], list[Attempt | None]], now: float,
) -> list[DraftStatus]:
    """``first_status`` of many drafts joining at ``now``, their last attempts read by
    ``last_many`` (for those where one matters): what a sweep of the scheduler makes of
    drafts it lists, for a caller with no scheduler (``draftkeeper list``)."""
    asked = [s.info.key for s, st in zip(scans, saved, strict=True) if attempt_matters(s, st)]
    found = dict(zip(asked, last_many(asked), strict=True)) if asked else {}
    return [first_status(s, st, found.get(s.info.key), now)[0]
            for s, st in zip(scans, saved, strict=True)]


def first_status(
    scan: DraftScan, saved: SavedState, last: Attempt | None, now: float
) -> tuple[DraftStatus, float | None]:
    """The status of a draft joining the list at ``now``, and when autosave tries it again
    (at risk: at once; otherwise None)."""
    if scan.fingerprint is not None:
        clean = saved.fingerprint is not None and saved.fingerprint == scan.fingerprint
    else:
        clean = saved.last_saved_at is not None
    # the last attempt failed after the last saved version (and, for a local draft, the
    # working copy is not that version): what is there may not be saved
    at_risk = (
        last is not None and last.failed
        and (saved.last_saved_at is None or last.time > saved.last_saved_at)
        and not (clean and scan.fingerprint is not None)
    )
    status = DraftStatus(
        key=scan.info.key,
        state=State.CLEAN if clean else State.UNSAVED,
        info=scan.info,
        detail_kind="" if clean or saved.versions else "never_saved",
        last_saved_at=saved.last_saved_at,
        last_version=saved.last_version,
        versions=saved.versions,
    )
    if not at_risk or last is None:
        return status, None
    status = status.replace(
        state=State.AT_RISK, detail_kind="", error=last.as_error(),
        error_message=last.message, failed_at=last.time,
        error_kind=str(last.error.get("error", "")), next_attempt_at=now,
    )
    if status.error_kind == DraftLost.__name__:
        # the server lost it: nothing to retry until the user acts
        return status.replace(state=State.LOST, next_attempt_at=None), None
    return status, now


_RETRY_SHOWN = frozenset({State.RETRYING, *FAILED_STATES})  # states that show a retry time


def updated(old: DraftStatus, **changes: Any) -> DraftStatus:
    """``old`` with ``changes``; a retry time and a failure stay only in the states that
    show them."""
    new = old.replace(**changes)
    if new.next_attempt_at is not None and new.state not in _RETRY_SHOWN:
        new = new.replace(next_attempt_at=None)
    if new.state not in FAILED_STATES and new.failed_at is not None:
        new = new.replace(failed_at=None, error_kind="")
    return new


def changed(key: str, old: DraftStatus, *, from_clean: bool = False,
            lines: list[str] | None = None, **changes: Any) -> DraftStatus | None:
    """``old`` with ``changes`` (None when that changes nothing); a new state is logged
    (``lines``: its line added there, for the caller to log with others as one record).
    ``from_clean``: the save now running started from the clean state."""
    new = updated(old, **changes)
    if new.state is old.state and new == old:
        return None
    if new.state is not old.state:
        # a save that finds a clean draft unchanged is routine (debug): `save --all` of
        # 10,000 saved drafts would otherwise write 20,000 lines and rotate the log out
        routine = (old.state is State.CLEAN and new.state is State.SAVING) or (
            from_clean and old.state is State.SAVING and new.state is State.CLEAN
            and new.last_version == old.last_version)
        if lines is None or routine:
            log.log(DEBUG if routine else INFO, "%s: %s -> %s %s", key,
                    old.state.value, new.state.value, new.detail_kind or new.error_message)
        else:  # (a StrEnum formats as its value; .value is a Python-level property)
            lines.append(f"{key}: {old.state} -> {new.state} "
                         f"{new.detail_kind or new.error_message}")
    return new


def log_lines(lines: list[str]) -> None:
    """The lines ``changed`` collected, as one record (a batch of 1,024 drafts: one
    record, not 1,024 of them; each draft keeps its line in the log)."""
    if lines:
        log.info("%s", "\n".join(lines))


class StatusBoard:
    def __init__(self) -> None:
        self.drafts: dict[str, TrackedDraft] = {}
        self._listeners: list[Listener] = []
        self._slice_listeners: list[SliceListener] = []
        self._held: list[StatusEvent] | None = None  # a slice's changes, not yet published
        # drafts that are not clean, or remote (saved on a schedule): the only ones an
        # autosave tick has to look at (10,000 clean drafts cost it nothing)
        self.active: set[str] = set()
        self._from_clean: set[str] = set()  # drafts whose running save started clean

    def _note(self, key: str, status: DraftStatus) -> None:
        if status.state is State.CLEAN and not status.remote:
            self.active.discard(key)
        else:
            self.active.add(key)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def subscribe_slices(self, listener: SliceListener) -> Callable[[], None]:
        """``listener`` is told of the changes of a slice together (the window: one pass
        over 256 rows, not 256 calls through the table, the counts and the panels)."""
        self._slice_listeners.append(listener)
        return lambda: self._slice_listeners.remove(listener)

    def emit(self, event: StatusEvent) -> None:
        if self._held is not None:
            self._held.append(event)
        else:
            self._publish([event])

    @contextmanager
    def held(self) -> Iterator[None]:
        """The changes made meanwhile (no await in between: a slice of a batch's drafts)
        are published together at the end, each listener told of each in order."""
        if self._held is not None:
            yield  # (within a slice already)
            return
        self._held = []
        try:
            yield
        finally:
            events, self._held = self._held, None
            if events:
                self._publish(events)

    def _publish(self, events: list[StatusEvent]) -> None:
        for listener in list(self._listeners):
            for event in events:
                try:
                    listener(event)
                except Exception:  # a broken listener must not stop saving
                    log.exception("status listener failed")
        for many in list(self._slice_listeners):
            try:
                many(events)
            except Exception:
                log.exception("status listener failed")

    def set(self, key: str, *, lines: list[str] | None = None, **changes: Any) -> None:
        """Change a tracked draft's status (nothing when it is not tracked); publish it.
        ``lines``: a new state's log line goes there (``log_lines`` logs them)."""
        d = self.drafts.get(key)
        if d is None:
            return
        old = d.status
        new = changed(key, old, from_clean=key in self._from_clean, lines=lines, **changes)
        if new is not None:
            if old.state is State.CLEAN and new.state is State.SAVING:
                self._from_clean.add(key)
            elif new.state is not State.SAVING:
                self._from_clean.discard(key)
            d.status = new
            self._note(key, new)
            self.emit(StatusEvent(key, old, new))

    def add(self, key: str, d: TrackedDraft) -> None:
        """A draft joins the list."""
        self.drafts[key] = d
        self._note(key, d.status)
        self.emit(StatusEvent(key, None, d.status))

    def relist(self, key: str, status: DraftStatus) -> None:
        """A tracked draft is listed anew (it was missing): its status starts over."""
        d = self.drafts[key]
        old, d.status = d.status, status
        self._from_clean.discard(key)
        self._note(key, status)
        self.emit(StatusEvent(key, old, status))

    def pop(self, key: str) -> TrackedDraft:
        """A draft leaves the list."""
        d = self.drafts.pop(key)
        self.active.discard(key)
        self._from_clean.discard(key)
        self.emit(StatusEvent(key, d.status, None))
        return d

    # --- queries ------------------------------------------------------------------------

    def status(self, key: str) -> DraftStatus:
        return self.drafts[key].status

    def statuses(self) -> list[DraftStatus]:
        return [d.status for d in self.drafts.values()]

    def not_saved(self) -> list[DraftStatus]:
        return [d.status for d in self.drafts.values() if d.status.state in NOT_SAVED]
