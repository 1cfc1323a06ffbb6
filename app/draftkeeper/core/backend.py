"""The save contract: the SaveBackend protocol and every record it passes (a draft as
listed, a save's result, a version, a restore's result, a verify report, a sweep's scan).

LocalEngine and RemoteEngine both implement it; the scheduler, the CLI and the UI only
know this protocol. A leaf: it imports nothing else of Draft Keeper.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

try:  # CPython's own module: hashlib would load OpenSSL (about 2 ms of every start)
    from _blake2 import blake2b  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from hashlib import blake2b


@dataclass(frozen=True)
class DraftInfo:
    """A draft as the list shows it: where it is, its size, its newest file."""

    draft_id: str
    name: str
    root: str
    path: str
    size: int
    file_count: int
    modified: float  # epoch seconds of the newest file, 0.0 for an empty draft
    draft_url: str = ""  # the draft's address: the id for local drafts, the URL for remote ones
    remote: bool = False

    @property
    def key(self) -> str:
        return self.draft_url or self.draft_id


@dataclass(frozen=True)
class SaveResult:
    draft_url: str
    version: str | None
    saved_at: str
    unchanged: bool
    bytes_stored: int = 0
    insecure: bool = False  # remote over plain http to a host other than loopback

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(code=0, message="Success")
        return data


@dataclass(frozen=True)
class VersionInfo:
    version: str
    time: float
    saved_at: str
    reason: str
    file_count: int
    bytes: int
    not_kept: list[str] = field(default_factory=list)
    outcome: str = "saved"  # remote history: "saved" or "failed"
    message: str = ""
    # remote history, a failed attempt: its error as ``errors.to_record`` keeps it (the
    # window words it from its reason); not part of the JSON
    error: dict[str, Any] = field(default_factory=dict)
    damaged: str | None = None  # why the version cannot be read (None: it can)
    pinned: bool = False
    label: str = ""
    restored_from: str | None = None
    # filled in by the timeline (core/local/timeline.py); None until then
    current: bool = False  # equals the working copy
    changes: Changes | None = None  # against the version before it
    summary: Summary | None = None  # content facts; None when unreadable

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["error"]
        if self.damaged is None:
            del data["damaged"]
        return data


@dataclass(frozen=True)
class Changes:
    """What a version changed against the one before it (paths, sorted)."""

    added: list[str]
    removed: list[str]
    modified: list[str]
    bytes_delta: int


@dataclass(frozen=True)
class Summary:
    """What a readable draft holds (from its content JSON)."""

    duration_s: float
    tracks: int
    segments: int
    texts: int  # text / caption segments


@dataclass(frozen=True)
class RestoreResult:
    draft_url: str
    version: str
    before_restore_version: str | None
    written: list[str]
    moved_aside: list[str]
    aside_dir: str | None
    not_kept: list[str]
    folder: str | None = None  # restore as a new draft: the new folder

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(code=0, message="Success")
        return data


@dataclass(frozen=True)
class DamagedVersion:
    draft_id: str
    version: str
    problems: list[str]


@dataclass(frozen=True)
class VerifyReport:
    versions: int
    blobs: int
    damaged: list[DamagedVersion]

    @property
    def ok(self) -> bool:
        return not self.damaged

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


# What a sweep compares to tell a change: a digest of (relative path, size, mtime_ns) per
# file, in path order (``fingerprint``). Only ever compared for equality; 33 bytes kept per
# draft instead of a tuple per file (10,000 drafts of 6 files: about 12 MB less).
Fingerprint = bytes


def fingerprint(files: Iterable[tuple[str, int, int]]) -> Fingerprint:
    """The fingerprint of these (relative path, size, mtime_ns), in path order. Paths
    hold no NUL (no file system allows one), so the text is unambiguous."""
    text = "".join(f"{path}\0{size}\0{mtime_ns}\0" for path, size, mtime_ns in files)
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).digest()


@dataclass(frozen=True)
class DraftScan:
    """One draft as a sweep saw it. ``fingerprint`` is None where changes cannot be seen
    (remote drafts: the server holds the state)."""

    info: DraftInfo
    fingerprint: Fingerprint | None


@dataclass(frozen=True)
class SavedState:
    """What the backend knows of a draft's latest save."""

    fingerprint: Fingerprint | None
    last_saved_at: float | None
    versions: int
    last_version: str | None = None


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
