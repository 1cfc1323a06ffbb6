"""The save contract: the SaveBackend protocol and every record it passes (a draft as
listed, a save's result, a version, a restore's result, a verify report, a sweep's scan).

LocalEngine and RemoteEngine both implement it; the scheduler, the CLI and the UI only
know this protocol. A leaf: it imports nothing else of Draft Keeper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from draftkeeper.core.records import Record

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    import os
    from typing import Any, Final, Protocol
else:
    Protocol = object  # the protocols here are mypy's: nothing checks one at run time

try:  # CPython's own module: hashlib would load OpenSSL (about 2 ms of every start)
    from _blake2 import blake2b  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from hashlib import blake2b


class DraftInfo(Record):
    """A draft as the list shows it: where it is, its size, its newest file."""

    __match_args__ = ("draft_id", "name", "root", "path", "size", "file_count", "modified",
                      "draft_url", "remote")
    __slots__ = __match_args__
    draft_id: Final[str]
    name: Final[str]
    root: Final[str]
    path: Final[str]
    size: Final[int]
    file_count: Final[int]
    modified: Final[float]  # epoch seconds of the newest file, 0.0 for an empty draft
    draft_url: Final[str]  # the draft's address: the id for local drafts, the URL for remote ones
    remote: Final[bool]

    def __init__(self, draft_id: str, name: str, root: str, path: str, size: int,
                 file_count: int, modified: float, draft_url: str = "",
                 remote: bool = False) -> None:
        self.draft_id = draft_id
        self.name = name
        self.root = root
        self.path = path
        self.size = size
        self.file_count = file_count
        self.modified = modified
        self.draft_url = draft_url
        self.remote = remote

    @property
    def key(self) -> str:
        return self.draft_url or self.draft_id


class SaveResult(Record):
    """What a save answers: the draft, the version that holds its state, whether that
    version was there already, the bytes it added."""

    __match_args__ = ("draft_url", "version", "saved_at", "unchanged", "bytes_stored", "insecure")
    __slots__ = __match_args__
    draft_url: Final[str]
    version: Final[str | None]
    saved_at: Final[str]
    unchanged: Final[bool]
    bytes_stored: Final[int]
    insecure: Final[bool]  # remote over plain http to a host other than loopback

    def __init__(self, draft_url: str, version: str | None, saved_at: str, unchanged: bool,
                 bytes_stored: int = 0, insecure: bool = False) -> None:
        self.draft_url = draft_url
        self.version = version
        self.saved_at = saved_at
        self.unchanged = unchanged
        self.bytes_stored = bytes_stored
        self.insecure = insecure

    def to_json(self) -> dict[str, Any]:
        data = self.as_dict()
        data.update(code=0, message="Success")
        return data


class VersionInfo(Record):
    """One version as history lists it."""

    __match_args__ = ("version", "time", "saved_at", "reason", "file_count", "bytes", "not_kept",
                 "outcome", "message", "error", "damaged", "pinned", "label", "restored_from",
                 "current", "changes", "summary")
    __slots__ = __match_args__
    version: Final[str]
    time: Final[float]
    saved_at: Final[str]
    reason: Final[str]
    file_count: Final[int]
    bytes: Final[int]
    not_kept: Final[list[str]]
    outcome: Final[str]  # remote history: "saved" or "failed"
    message: Final[str]
    # remote history, a failed attempt: its error as ``errors.to_record`` keeps it (the
    # window words it from its reason); not part of the JSON
    error: Final[dict[str, Any]]
    damaged: Final[str | None]  # why the version cannot be read (None: it can)
    pinned: Final[bool]
    label: Final[str]
    restored_from: Final[str | None]
    # filled in by the timeline (core/local/timeline.py); None until then
    current: Final[bool]  # equals the working copy
    changes: Final[Changes | None]  # against the version before it
    summary: Final[Summary | None]  # content facts; None when unreadable

    def __init__(self, version: str, time: float, saved_at: str, reason: str,
                 file_count: int, bytes: int, not_kept: list[str] | None = None,
                 outcome: str = "saved", message: str = "",
                 error: dict[str, Any] | None = None, damaged: str | None = None,
                 pinned: bool = False, label: str = "", restored_from: str | None = None,
                 current: bool = False, changes: Changes | None = None,
                 summary: Summary | None = None) -> None:
        self.version = version
        self.time = time
        self.saved_at = saved_at
        self.reason = reason
        self.file_count = file_count
        self.bytes = bytes
        self.not_kept = [] if not_kept is None else not_kept
        self.outcome = outcome
        self.message = message
        self.error = {} if error is None else error
        self.damaged = damaged
        self.pinned = pinned
        self.label = label
        self.restored_from = restored_from
        self.current = current
        self.changes = changes
        self.summary = summary

    def to_json(self) -> dict[str, Any]:
        data = self.as_dict()
        del data["error"]
        if self.damaged is None:
            del data["damaged"]
        return data


class Changes(Record):
    """What a version changed against the one before it (paths, sorted)."""

    __match_args__ = ("added", "removed", "modified", "bytes_delta")
    __slots__ = __match_args__
    added: Final[list[str]]
    removed: Final[list[str]]
    modified: Final[list[str]]
    bytes_delta: Final[int]

    def __init__(self, added: list[str], removed: list[str], modified: list[str],
                 bytes_delta: int) -> None:
        self.added = added
        self.removed = removed
        self.modified = modified
        self.bytes_delta = bytes_delta


class Summary(Record):
    """What a readable draft holds (from its content JSON)."""

    __match_args__ = ("duration_s", "tracks", "segments", "texts")
    __slots__ = __match_args__
    duration_s: Final[float]
    tracks: Final[int]
    segments: Final[int]
    texts: Final[int]  # text / caption segments

    def __init__(self, duration_s: float, tracks: int, segments: int, texts: int) -> None:
        self.duration_s = duration_s
        self.tracks = tracks
        self.segments = segments
        self.texts = texts


class RestoreResult(Record):
    """What a restore answers: the version brought back, the saved state before it, the
    files it wrote and moved aside."""

    __match_args__ = ("draft_url", "version", "before_restore_version", "written", "moved_aside",
                 "aside_dir", "not_kept", "folder")
    __slots__ = __match_args__
    draft_url: Final[str]
    version: Final[str]
    before_restore_version: Final[str | None]
    written: Final[list[str]]
    moved_aside: Final[list[str]]
    aside_dir: Final[str | None]
    not_kept: Final[list[str]]
    folder: Final[str | None]  # restore as a new draft: the new folder

    def __init__(self, draft_url: str, version: str, before_restore_version: str | None,
                 written: list[str], moved_aside: list[str], aside_dir: str | None,
                 not_kept: list[str], folder: str | None = None) -> None:
        self.draft_url = draft_url
        self.version = version
        self.before_restore_version = before_restore_version
        self.written = written
        self.moved_aside = moved_aside
        self.aside_dir = aside_dir
        self.not_kept = not_kept
        self.folder = folder

    def to_json(self) -> dict[str, Any]:
        data = self.as_dict()
        data.update(code=0, message="Success")
        return data


class DamagedVersion(Record):
    """A version verify found damaged, and why."""

    __match_args__ = ("draft_id", "version", "problems")
    __slots__ = __match_args__
    draft_id: Final[str]
    version: Final[str]
    problems: Final[list[str]]

    def __init__(self, draft_id: str, version: str, problems: list[str]) -> None:
        self.draft_id = draft_id
        self.version = version
        self.problems = problems


class VerifyReport(Record):
    """What verify read, and the versions it found damaged."""

    __match_args__ = ("versions", "blobs", "damaged")
    __slots__ = __match_args__
    versions: Final[int]
    blobs: Final[int]
    damaged: Final[list[DamagedVersion]]

    def __init__(self, versions: int, blobs: int, damaged: list[DamagedVersion]) -> None:
        self.versions = versions
        self.blobs = blobs
        self.damaged = damaged

    @property
    def ok(self) -> bool:
        return not self.damaged

    def to_json(self) -> dict[str, Any]:
        return self.as_dict() | {"ok": self.ok}


# What a sweep compares to tell a change: a digest of (relative path, size, mtime_ns) per
# file, in path order (``fingerprint``). Only ever compared for equality; 33 bytes kept per
# draft instead of a tuple per file (10,000 drafts of 6 files: about 12 MB less).
Fingerprint = bytes


def fingerprint(files: Iterable[tuple[str, int, int]]) -> Fingerprint:
    """The fingerprint of these (relative path, size, mtime_ns), in path order. Paths
    hold no NUL (no file system allows one), so the text is unambiguous."""
    text = "".join(f"{path}\0{size}\0{mtime_ns}\0" for path, size, mtime_ns in files)
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).digest()


def fingerprint_of(files: Sequence[tuple[str, os.stat_result]]) -> Fingerprint:
    """``fingerprint`` of a walk's (relative path, stat) list (one pass, no tuples made:
    every draft at every sweep)."""
    text = "".join([f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0" for path, st in files])
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).digest()


class DraftScan(Record):
    """One draft as a sweep saw it. ``fingerprint`` is None where changes cannot be seen
    (remote drafts: the server holds the state)."""

    __match_args__ = ("info", "fingerprint")
    __slots__ = __match_args__
    info: Final[DraftInfo]
    fingerprint: Final[Fingerprint | None]

    def __init__(self, info: DraftInfo, fingerprint: Fingerprint | None) -> None:
        self.info = info
        self.fingerprint = fingerprint


class SavedState(Record):
    """What the backend knows of a draft's latest save."""

    __match_args__ = ("fingerprint", "last_saved_at", "versions", "last_version")
    __slots__ = __match_args__
    fingerprint: Final[Fingerprint | None]
    last_saved_at: Final[float | None]
    versions: Final[int]
    last_version: Final[str | None]

    def __init__(self, fingerprint: Fingerprint | None, last_saved_at: float | None,
                 versions: int, last_version: str | None = None) -> None:
        self.fingerprint = fingerprint
        self.last_saved_at = last_saved_at
        self.versions = versions
        self.last_version = last_version


# one draft's outcome in a batch: its result and saved state, or the error that kept it
Batched = tuple["SaveResult", "SavedState"] | BaseException


class BatchSaver(Protocol):
    """A backend that saves many drafts in one call (the local engine: one hold of the
    store's lock and one group commit per group of drafts, not one per draft). Drafts it
    does not handle (remote ones) are left out of the answer."""

    async def save_many(self, keys: list[str], reason: str) -> dict[str, Batched]: ...


class SaveBackend(Protocol):
    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult: ...

    async def scan(self) -> list[DraftScan]: ...

    async def scan_one(self, key: str) -> DraftScan | None: ...

    async def saved_state(self, key: str) -> SavedState: ...

    async def saved_states(self, keys: list[str]) -> list[SavedState]: ...

    def server_of(self, key: str) -> str | None:
        """The remote server a draft is saved on (None for local drafts)."""
        ...

    async def list_drafts(self) -> list[DraftInfo]: ...

    async def history(self, draft_url: str) -> list[VersionInfo]: ...

    async def restore(self, draft_url: str, version: str) -> RestoreResult: ...

    async def aclose(self) -> None: ...
