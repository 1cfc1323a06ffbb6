"""A draft's save status: its state, and the kinds and parameters the UI and CLI put in
words. Published by the scheduler as StatusEvents; one source of truth for the window,
the CLI (`list`) and `watch`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from draftkeeper.core.backend import DraftInfo
from draftkeeper.core.errors import DraftKeeperError


class State(StrEnum):
    CLEAN = "clean"
    UNSAVED = "unsaved"
    QUEUED = "queued"
    SAVING = "saving"
    RETRYING = "retrying"
    FAILED = "failed"
    # the last recorded attempt failed after the last saved version (known at start, from
    # the attempt record): what is on disk or on the server may not be saved
    AT_RISK = "at_risk"
    MISSING = "missing"
    # a remote draft the server no longer has (save_draft answers 2001) whose content is
    # kept here (``versions``): autosave leaves it alone until the user saves or pulls it
    LOST = "lost"


PENDING = frozenset({State.UNSAVED, State.QUEUED, State.SAVING, State.RETRYING})
# every state in which the draft's current state is not known to be saved
NOT_SAVED = PENDING | {State.FAILED, State.AT_RISK}
# the attempts are used up (or the last recorded one failed): autosave retries it slowly
FAILED_STATES = (State.FAILED, State.AT_RISK)


@dataclass(frozen=True, slots=True)
class DraftStatus:
    key: str
    state: State
    info: DraftInfo
    # what the state needs said beyond the error (the UI and CLI put it in words):
    # "never_saved", "waiting" (for other saves), "folder_gone", "server_offline" (the
    # error is the server's), or ""
    detail_kind: str = ""
    attempt: int = 0
    max_attempts: int = 0
    # RETRYING: when the next attempt starts; FAILED / AT_RISK: when autosave tries again
    next_attempt_at: float | None = None
    error: DraftKeeperError | None = field(default=None, compare=False)
    error_message: str = ""
    last_saved_at: float | None = None
    last_version: str | None = None
    versions: int = 0
    failed_at: float | None = None  # when the last attempt failed (FAILED, AT_RISK)
    error_kind: str = ""  # the error's type name: Unavailable, DraftNotFound, SaveFailed, …

    @property
    def remote(self) -> bool:
        return self.info.remote


@dataclass(frozen=True)
class StatusEvent:
    """A draft's status changed. ``old`` is None for a new draft, ``new`` None when the
    draft left the list."""

    key: str
    old: DraftStatus | None
    new: DraftStatus | None
