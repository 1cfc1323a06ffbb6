"""Version manifests: what a version holds and how it is named (``versions.py`` keeps
them: rows of the store's database, committed after every blob they name is durable).
A manifest that cannot be read is *damaged*: it is reported, skipped by the writers, and
never hides the readable versions beside it.
"""

from __future__ import annotations

import time
from pathlib import Path

from draftkeeper.core import plainjson
from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.records import Record
from draftkeeper.core.store.quick import PROTECTED_REASONS as PROTECTED_REASONS
from draftkeeper.core.store.quick import READ_FORMATS

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any, Final

FORMAT = 2  # written by every new save; format 1 manifests are read as they are
REASONS = ("manual", "autosave", "before-restore", "restored")


class FileEntry(Record):
    """One file of a version: its path, size and mtime, and how its content is kept."""

    __match_args__ = ("path", "size", "mtime_ns", "hash", "chunks")
    __slots__ = __match_args__
    path: Final[str]
    size: Final[int]
    mtime_ns: Final[int]
    hash: Final[str | None]  # None: not kept (media); else the SHA-256 of the whole file
    # format 2: the chunk list blob naming the file's pieces; None: one whole blob (``hash``)
    chunks: Final[str | None]

    def __init__(self, path: str, size: int, mtime_ns: int, hash: str | None,
                 chunks: str | None = None) -> None:
        self.path = path
        self.size = size
        self.mtime_ns = mtime_ns
        self.hash = hash
        self.chunks = chunks

    @property
    def kept(self) -> bool:
        return self.hash is not None

    def stat_key(self) -> tuple[str, int, int]:
        return (self.path, self.size, self.mtime_ns)


class Manifest(Record):
    """One version: the draft's files as saved, and what the version is (its id, time,
    reason, pin and label)."""

    __match_args__ = ("draft_id", "version", "time", "reason", "files", "stored_bytes",
                      "pinned", "label", "restored_from", "folder", "checked_at")
    __slots__ = __match_args__
    draft_id: Final[str]
    version: Final[str]
    time: Final[float]
    reason: Final[str]
    files: Final[tuple[FileEntry, ...]]
    stored_bytes: Final[int]
    # a manual save answered "unchanged" with this version, or the user pinned it: never
    # thinned from then on
    pinned: Final[bool]
    label: Final[str]  # the user's name for it ("sent to client")
    restored_from: Final[str | None]  # reason "restored": the version it equals
    folder: Final[str | None]  # where the working copy was (finds drafts the editor deleted)
    # when a save last found the working copy equal to this version by content, long enough
    # after its files' mtimes that any later write moves them: from then on, stat data
    # alone tells (see ``trusted_from``)
    checked_at: Final[float | None]

    def __init__(self, draft_id: str, version: str, time: float, reason: str,
                 files: tuple[FileEntry, ...], stored_bytes: int, pinned: bool = False,
                 label: str = "", restored_from: str | None = None,
                 folder: str | None = None, checked_at: float | None = None) -> None:
        self.draft_id = draft_id
        self.version = version
        self.time = time
        self.reason = reason
        self.files = files
        self.stored_bytes = stored_bytes
        self.pinned = pinned
        self.label = label
        self.restored_from = restored_from
        self.folder = folder
        self.checked_at = checked_at

    @property
    def saved_at(self) -> str:
        return iso(self.time)

    @property
    def trusted_from(self) -> float:
        """Files whose mtime is not within RACY_NS before this moment are told apart by
        stat data alone."""
        return max(self.time, self.checked_at or 0.0)

    @property
    def protected(self) -> bool:
        return self.pinned or self.reason in PROTECTED_REASONS

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def not_kept(self) -> list[str]:
        return [f.path for f in self.files if not f.kept]

    def pin(self) -> Manifest:
        return self.replace(pinned=True)

    def info(self) -> VersionInfo:
        return VersionInfo(
            version=self.version,
            time=self.time,
            saved_at=self.saved_at,
            reason=self.reason,
            file_count=len(self.files),
            bytes=self.total_bytes,
            not_kept=self.not_kept,
            pinned=self.pinned,
            label=self.label,
            restored_from=self.restored_from,
        )

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "format": FORMAT,
            "draft_id": self.draft_id,
            "version": self.version,
            "time": self.time,
            "saved_at": self.saved_at,
            "reason": self.reason,
            "stored_bytes": self.stored_bytes,
            "files": [_entry(f) for f in self.files],
        }
        if self.pinned:
            data["pinned"] = True
        if self.label:
            data["label"] = self.label
        if self.restored_from:
            data["restored_from"] = self.restored_from
        if self.folder:
            data["folder"] = self.folder
        if self.checked_at is not None:
            data["checked_at"] = self.checked_at
        return plainjson.dumps(data, compact=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        """Raises ValueError naming what is wrong for anything that is not a manifest."""
        try:
            data = plainjson.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            if data.get("format") not in READ_FORMATS:
                raise ValueError(f"unknown manifest format {data.get('format')!r}")
            files = []
            for f in data["files"]:
                digest = f["hash"]
                if digest is not None and not isinstance(digest, str):
                    raise ValueError(f"bad hash {digest!r}")
                if not isinstance(f["path"], str):
                    raise ValueError(f"bad path {f['path']!r}")
                chunks = f.get("chunks")
                if chunks is not None and not isinstance(chunks, str):
                    raise ValueError(f"bad chunk list {chunks!r}")
                files.append(
                    FileEntry(f["path"], int(f["size"]), int(f["mtime_ns"]), digest, chunks))
            return cls(
                draft_id=str(data["draft_id"]),
                version=str(data["version"]),
                time=float(data["time"]),
                reason=str(data["reason"]),
                stored_bytes=int(data.get("stored_bytes", 0)),
                files=tuple(files),
                pinned=bool(data.get("pinned", False)),
                label=str(data.get("label") or ""),
                restored_from=_optional_str(data.get("restored_from")),
                folder=_optional_str(data.get("folder")),
                checked_at=float(data["checked_at"]) if "checked_at" in data else None,
            )
        except UnicodeDecodeError as exc:
            raise ValueError("not UTF-8 text") from exc
        except ValueError as exc:
            from json import JSONDecodeError  # (plainjson loaded it to say what is wrong)

            if not isinstance(exc, JSONDecodeError):
                raise  # (one of the above: it names the problem)
            raise ValueError(f"not JSON ({exc.msg} at byte {exc.pos})") from exc
        except KeyError as exc:
            raise ValueError(f"field {exc} is missing") from exc
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"unexpected content ({exc})") from exc


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _entry(f: FileEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns, "hash": f.hash}
    if f.chunks is not None:
        out["chunks"] = f.chunks
    return out


class DamagedManifest(SaveFailed):
    """A manifest that exists but cannot be read."""

    def __init__(self, path: Path, version: str, reason: str, draft_id: str = "") -> None:
        who = f" of {draft_id}" if draft_id else ""
        super().__init__(f"Version {version}{who} is damaged: {reason}",
                         reason="version_damaged",
                         params={"version": version, "draft_id": draft_id, "detail": reason})
        self.path = path
        self.version = version
        self.damage = reason  # what is wrong with it, in English


class Damage(Record):
    """A damaged manifest a reader skipped (the CLI warns about it)."""

    __match_args__ = ("path", "version", "reason")
    __slots__ = __match_args__
    path: Final[str]
    version: Final[str]
    reason: Final[str]

    def __init__(self, path: str, version: str, reason: str) -> None:
        self.path = path
        self.version = version
        self.reason = reason


def iso(ts: float) -> str:
    """``ts`` as ISO 8601 in UTC to the second, as ``datetime.fromtimestamp(ts, UTC)``
    gives it (microseconds rounded half to even first), without importing datetime."""
    whole = int(ts)
    us = round((ts - whole) * 1_000_000)
    secs = whole + (us >= 1_000_000) - (us < 0)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(secs))


def utc_seconds(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    """Seconds since the epoch of a time in UTC (ValueError when there is no such time),
    counted by hand (days from the civil date): ``datetime`` costs ~1 ms of every start
    that reads a version id."""
    y = year - (month <= 2)
    era, yoe = divmod(y, 400)
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
    secs = ((days * 24 + hour) * 60 + minute) * 60 + second
    if not 1 <= year <= 9999 or tuple(time.gmtime(secs))[:6] != (
            year, month, day, hour, minute, second):
        raise ValueError("no such time")
    return secs


def new_version_id(now: float, after: str | None) -> str:
    """Sortable, filename-safe version ids: 20261127T005334.123456Z, strictly increasing."""
    us = int(now * 1_000_000)
    if after is not None:
        us = max(us, version_us(after) + 1)
    secs, frac = divmod(us, 1_000_000)
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(secs)) + f".{frac:06d}Z"


def read_began(began: float, after: str | None) -> float:
    """A new version's time: when the reads of its files began (not when they ended), so
    that a file written again in the tick of its read (its stat unchanged) stays racy to
    later checks (``snapshot.is_racy``) however long the save went on; never before the
    version it follows."""
    return began if after is None else max(began, version_time(after))


def version_us(version: str) -> int:
    stamp, frac = version.rstrip("Z").split(".")
    # read by hand, not by strptime: its first call in a process costs several ms (it
    # imports _strptime and builds the locale's patterns), on every command's path
    digits = stamp[:8] + stamp[9:]
    if len(stamp) != 15 or stamp[8] != "T" or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a version id: {version!r}")
    secs = utc_seconds(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]),
                       int(stamp[11:13]), int(stamp[13:15]))
    return secs * 1_000_000 + int(frac)


def version_time(version: str) -> float:
    """The time a version id names (0 when the id itself is not one of ours)."""
    try:
        return version_us(version) / 1_000_000
    except ValueError:
        return 0.0


class RecentManifests(dict[str, Manifest]):
    """A dict that keeps its ``size`` most recently set manifests (the latest of each
    draft, kept by the store: all 10,000 of them would take about 35 MB)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: str, value: Manifest) -> None:
        self.pop(key, None)
        super().__setitem__(key, value)
        if len(self) > self.size:
            del self[next(iter(self))]


def same_files(files: list[FileEntry], latest: Manifest) -> bool:
    """Same paths, stat data and content (however each is stored)."""
    return [(f.stat_key(), f.hash) for f in files] == [
        (f.stat_key(), f.hash) for f in latest.files]
