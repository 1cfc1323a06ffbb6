"""One manual save of one local draft, synchronously, as the scheduler makes it: for a
command that saves a draft and exits (``draftkeeper save``), without asyncio or a loop.

The steps of ``SaveScheduler.track`` and ``SaveRunner.save`` for a local draft, in one
thread: the draft's first status (``board.first_status``), then attempt after attempt of
the backend's ``save_sync`` (``LocalEngine.save_sync``, the function the scheduler runs in
a worker thread) under the same retry policy (``core/retry``), each attempt recorded in
the attempt record before its outcome is published, each status change logged as the
board logs it and told to ``listener``. What it has no use for (coalescing, bounds on
parallel saves, servers, autosave) only concerns a process that saves many drafts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from draftkeeper.core.backend import DraftScan, SavedState, SaveResult
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound, SaveFailed
from draftkeeper.core.logs import Logger
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.saving.board import Listener, changed, first_status
from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.urls import parse_draft_id

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any, Protocol
else:
    Protocol = object  # the protocols here are mypy's: nothing checks one at run time

if TYPE_CHECKING:  # None: the retry policy's own (random is imported when a retry waits)
    import random

# (the logger a Session's scheduler logs to; logs.Logger: without loading logging for
# a local save)
log = Logger("draftkeeper.core.saving.scheduler")


class SyncBackend(Protocol):
    """The synchronous side of a local SaveBackend (``LocalEngine``)."""

    def save_sync(self, draft_url: str, reason: str = "manual") -> SaveResult: ...

    def scan_one_sync(self, key: str) -> DraftScan | None: ...

    def saved_state_sync(self, key: str) -> SavedState: ...


class SaveOnce:
    """Saves one draft of ``backend`` (``save``), publishing its status to ``listener``.

    ``now`` and ``sleep`` are the clock and the wait between attempts (injectable)."""

    def __init__(self, backend: SyncBackend, settings: Settings, record: AttemptLog | None,
                 listener: Listener | None = None, *, now: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.backend = backend
        self.settings = settings
        self.record = record
        self.listener = listener
        self.now = now
        self.sleep = sleep
        self.rng = rng
        self.status: DraftStatus | None = None

    @property
    def policy(self) -> RetryPolicy:
        s = self.settings
        return s.retry_policy

    def _set(self, key: str, **changes: Any) -> None:
        old = self.status
        assert old is not None
        new = changed(key, old, **changes)
        if new is not None:
            self.status = new
            self._emit(StatusEvent(key, old, new))

    def _emit(self, event: StatusEvent) -> None:
        if self.listener is not None:
            self.listener(event)

    def _note(self, attempt: Attempt) -> None:
        """Record an attempt before its outcome is published (durably, but for a new
        version's success: ``AttemptLog.append``)."""
        if self.record is None:
            return
        try:
            self.record.append(attempt, local=True)
        except OSError:
            log.exception("cannot record the attempt of %s", attempt.draft_url)

    def track(self, draft: str) -> tuple[str, DraftScan]:
        """The draft's key and scan, its first status published (``DraftNotFound`` when
        it does not exist)."""
        scan = self.backend.scan_one_sync(draft)
        if scan is None:
            draft_id = parse_draft_id(draft)
            raise DraftNotFound(f"Draft does not exist: {draft_id}", reason="draft_not_found",
                                params={"draft_id": draft_id})
        key = scan.info.key
        saved = self.backend.saved_state_sync(key)
        last = None
        if self.record is not None:
            try:
                last = self.record.last(key)
            except OSError:
                log.exception("cannot read the attempt record")
        self.status, _retry_at = first_status(scan, saved, last, self.now())
        self._emit(StatusEvent(key, None, self.status))
        return key, scan

    def save(self, draft: str, reason: str = "manual") -> SaveResult:
        """Save the draft: the result, or the error of its last attempt raised."""
        key, scan = self.track(draft)
        policy = self.policy
        attempt = 0
        while True:
            self._set(key, state=State.SAVING, detail_kind="", attempt=attempt + 1,
                      max_attempts=policy.attempts)
            try:
                result = self.backend.save_sync(key, reason)
            except DraftKeeperError as exc:
                error: DraftKeeperError = exc
            except Exception as exc:  # a bug must show as a failure, as in the scheduler
                log.exception("save of %s crashed", key)
                error = SaveFailed(f"Save failed: unexpected error: {exc!r}",
                                   reason="unexpected", params={"detail": repr(exc)})
            else:
                self._note(Attempt.success(key, self.now(), reason, result.version,
                                           result.unchanged))
                self._saved(key, scan, result)
                return result
            self._note(Attempt.failure(key, self.now(), reason, error))
            attempt += 1
            if isinstance(error, DraftNotFound):
                self._set(key, state=State.MISSING, detail_kind="folder_gone", error=error,
                          error_message=error.message)
                raise error
            if not error.retryable or attempt >= policy.attempts:
                now = self.now()
                self._set(key, state=State.FAILED, detail_kind="", error=error,
                          error_message=error.message, failed_at=now,
                          error_kind=type(error).__name__, next_attempt_at=now + policy.slow,
                          attempt=attempt)
                raise error
            delay = policy.delay(attempt - 1, error.retry_after, self.rng, busy=error.busy)
            self._set(key, state=State.RETRYING, detail_kind="", error=error,
                      error_message=error.message, attempt=attempt,
                      max_attempts=policy.attempts, next_attempt_at=self.now() + delay)
            self.sleep(delay)

    def _saved(self, key: str, scan: DraftScan, result: SaveResult) -> None:
        try:
            saved: SavedState | None = self.backend.saved_state_sync(key)
        except DraftKeeperError:
            saved = None
        # changed since it was looked at: the save took a state it did not see
        changed_since = (scan.fingerprint is not None and saved is not None
                         and scan.fingerprint != saved.fingerprint)
        assert self.status is not None
        self._set(
            key,
            state=State.UNSAVED if changed_since else State.CLEAN,
            detail_kind="",
            error=None,
            error_message="",
            attempt=0,
            last_saved_at=saved.last_saved_at if saved and saved.last_saved_at else self.now(),
            last_version=saved.last_version if saved else result.version,
            versions=saved.versions if saved else self.status.versions,
        )
