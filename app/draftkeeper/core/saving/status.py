"""A draft's save status: its state, and the kinds and parameters the UI and CLI put in
words. Published by the scheduler as StatusEvents; one source of truth for the window,
the CLI (`list`) and `watch`."""

from __future__ import annotations

from draftkeeper.core.backend import DraftInfo
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.records import Record

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, ClassVar, Final


class _States(type):
    """State's class: iterating ``State`` gives its members, in the order declared."""

    def __iter__(cls) -> Iterator[State]:
        return iter(_MEMBERS)


class State(str, metaclass=_States):
    """A draft's state: one of the members below, each the one object of its value.

    A ``str`` (equal to, and hashed as, its value; ``value`` gives it), not an ``enum``:
    that module, with the class it makes, took ~3.5 ms of a 65 ms changed ``draftkeeper
    save`` (an A/B of whole processes, bench/cli.py). Nothing makes a ``State`` but the
    lines below: ``State(value)`` (and unpickling) gives the member of that value, so
    ``is`` compares members as it compared an enum's."""

    __slots__ = ()

    CLEAN: ClassVar[State]
    UNSAVED: ClassVar[State]
    QUEUED: ClassVar[State]
    SAVING: ClassVar[State]
    RETRYING: ClassVar[State]
    FAILED: ClassVar[State]
    # the last recorded attempt failed after the last saved version (known at start, from
    # the attempt record): what is on disk or on the server may not be saved
    AT_RISK: ClassVar[State]
    MISSING: ClassVar[State]
    # a remote draft the server no longer has (save_draft answers 2001) whose content is
    # kept here (``versions``): autosave leaves it alone until the user saves or pulls it
    LOST: ClassVar[State]

    def __new__(cls, value: str) -> State:
        try:
            return _BY_VALUE[value]
        except KeyError:
            raise ValueError(f"{value!r} is not a State") from None

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"State.{self.upper()}"


# each member is declared once, above: its value is its name in lower case
_MEMBERS = tuple(str.__new__(State, name.lower()) for name in State.__annotations__)
_BY_VALUE = {member.value: member for member in _MEMBERS}
for _member in _MEMBERS:
    setattr(State, _member.upper(), _member)
del _member


PENDING = frozenset({State.UNSAVED, State.QUEUED, State.SAVING, State.RETRYING})
# every state in which the draft's current state is not known to be saved
NOT_SAVED = PENDING | {State.FAILED, State.AT_RISK}
# the attempts are used up (or the last recorded one failed): autosave retries it slowly
FAILED_STATES = (State.FAILED, State.AT_RISK)


class DraftStatus(Record):
    """A draft's state, with what the UI and CLI say about it (equal statuses are equal
    whatever their ``error`` objects: the message and kind are compared)."""

    __match_args__ = ("key", "state", "info", "detail_kind", "attempt", "max_attempts",
                      "next_attempt_at", "error", "error_message", "last_saved_at",
                      "last_version", "versions", "failed_at", "error_kind")
    __slots__ = __match_args__
    key: Final[str]
    state: Final[State]
    info: Final[DraftInfo]
    # what the state needs said beyond the error (the UI and CLI put it in words):
    # "never_saved", "waiting" (for other saves), "folder_gone", "server_offline" (the
    # error is the server's), or ""
    detail_kind: Final[str]
    attempt: Final[int]
    max_attempts: Final[int]
    # RETRYING: when the next attempt starts; FAILED / AT_RISK: when autosave tries again
    next_attempt_at: Final[float | None]
    error: Final[DraftKeeperError | None]  # not compared
    error_message: Final[str]
    last_saved_at: Final[float | None]
    last_version: Final[str | None]
    versions: Final[int]
    failed_at: Final[float | None]  # when the last attempt failed (FAILED, AT_RISK)
    error_kind: Final[str]  # the error's type name: Unavailable, DraftNotFound, SaveFailed, …

    def __init__(self, key: str, state: State, info: DraftInfo, detail_kind: str = "",
                 attempt: int = 0, max_attempts: int = 0,
                 next_attempt_at: float | None = None,
                 error: DraftKeeperError | None = None, error_message: str = "",
                 last_saved_at: float | None = None, last_version: str | None = None,
                 versions: int = 0, failed_at: float | None = None,
                 error_kind: str = "") -> None:
        self.key = key
        self.state = state
        self.info = info
        self.detail_kind = detail_kind
        self.attempt = attempt
        self.max_attempts = max_attempts
        self.next_attempt_at = next_attempt_at
        self.error = error
        self.error_message = error_message
        self.last_saved_at = last_saved_at
        self.last_version = last_version
        self.versions = versions
        self.failed_at = failed_at
        self.error_kind = error_kind

    def _values(self) -> tuple[Any, ...]:
        return (self.key, self.state, self.info, self.detail_kind, self.attempt,
                self.max_attempts, self.next_attempt_at, self.error_message,
                self.last_saved_at, self.last_version, self.versions, self.failed_at,
                self.error_kind)

    @property
    def remote(self) -> bool:
        return self.info.remote


class StatusEvent(Record):
    """A draft's status changed. ``old`` is None for a new draft, ``new`` None when the
    draft left the list."""

    __match_args__ = ("key", "old", "new")
    __slots__ = __match_args__
    key: Final[str]
    old: Final[DraftStatus | None]
    new: Final[DraftStatus | None]

    def __init__(self, key: str, old: DraftStatus | None, new: DraftStatus | None) -> None:
        self.key = key
        self.old = old
        self.new = new
