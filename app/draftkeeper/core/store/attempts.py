"""The record of save attempts: one fsynced, append-only JSON-lines file per draft (and
shared files for the batches' successes of drafts that have none).

Every attempt the scheduler makes (local or remote, manual or autosave) appends one line:
when, the outcome ("saved" or "failed") and, for a failure, the error's kind and fields.
It is what lets a restart know that a draft's last save failed (so it is shown at risk,
not saved), and it is the history of a remote draft, whose versions live on its server.

The files live in their own folder beside the version store's data (``<store>/attempts``),
never inside it. A torn last line (a crash while appending) is skipped when read.

Beside a draft's file, an empty ``<key>.failed`` marks a draft whose last recorded attempt
may be a failure: it is made (durably) before a failure is appended and removed after a
success is. A batch of saves (``append_many``) does not append an "unchanged" success of
a draft without one: that line would tell a reader nothing (a draft is at risk only while
a failure is its last attempt and newer than its newest version, which the unchanged
answer did not change), and 10,000 unchanged drafts then write nothing. A folder from
before the markers gets them once, from each file's last line (``MARKED`` says it has).

A batch's successes of drafts with no file of their own (none of their attempts failed or
was made alone) go to shared files, ``shared/<2 hex digits of the key>.jsonl``, one write
each: a first `save --all` of 10,000 drafts would otherwise create 10,000 files. Once a
draft has its own file every later line goes there (its last line is its last attempt);
reading merges both. A shared file over ``SHARED_MAX`` keeps its newer half.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from draftkeeper.core import plainjson
from draftkeeper.core.errors import RECORD_KEYS, DraftKeeperError, error_from_record, to_record
from draftkeeper.core.fsutil import atomic_write_bytes
from draftkeeper.core.platform.files import fsync_dir
from draftkeeper.core.store.keys import draft_key

TYPE_CHECKING = False  # no typing, no dataclasses: the CLI's quick save reads and appends
if TYPE_CHECKING:
    from typing import Any

KEEP = 500  # lines kept per draft when a file is trimmed
TAIL = 8192  # bytes read to find the last attempt
RECORD = ".jsonl"
FAILED = ".failed"  # a marker: this draft's last recorded attempt may be a failure
MARKED = "markers"  # in the folder: every draft whose last attempt failed has its marker
FEW = 64  # drafts of a batch below which markers are looked up one by one
SHARED = "shared"  # the folder of the batches' lines of drafts with no file of their own
BUCKET = 2  # hex digits of a draft's key that name its shared file (256 files at most)
SHARED_MAX = 1 << 20  # bytes of a shared file above which its older half is dropped


_text = plainjson.string  # a JSON string, as json.dumps(ensure_ascii=False)


class Attempt:
    """One attempt, immutable (a plain class: importing dataclasses costs the quick save
    8 ms)."""

    __slots__ = ("draft_url", "error", "outcome", "reason", "time", "unchanged", "version")
    _FIELDS = ("time", "outcome", "draft_url", "reason", "version", "unchanged", "error")

    time: float
    outcome: str  # "saved" or "failed"
    draft_url: str
    reason: str
    version: str | None
    unchanged: bool
    error: dict[str, Any]  # to_record(error) for failures

    def __init__(self, time: float, outcome: str, draft_url: str, reason: str = "",
                 version: str | None = None, unchanged: bool = False,
                 error: dict[str, Any] | None = None) -> None:
        values = (time, outcome, draft_url, reason, version, unchanged, error or {})
        for name, value in zip(self._FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Attempt is immutable: cannot set {name}")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Attempt) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values()[:6])

    def __repr__(self) -> str:
        return "Attempt(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self._FIELDS) + ")"

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    @property
    def message(self) -> str:
        return str(self.error.get("message", "")) if self.failed else "Saved"

    def as_error(self) -> DraftKeeperError | None:
        return error_from_record(self.error) if self.failed else None

    def to_line(self) -> bytes:
        if not self.failed:  # (what json.dumps writes, without its dict and encoder: a
            # batch of 10,000 drafts writes 10,000 of these lines)
            text = (f'{{"time": {float(self.time)!r}, "outcome": {_text(self.outcome)}, '
                    f'"draft_url": {_text(self.draft_url)}, "reason": {_text(self.reason)}, '
                    f'"version": {"null" if self.version is None else _text(self.version)}, '
                    f'"unchanged": {"true" if self.unchanged else "false"}, '
                    '"message": "Saved"}\n')
            return text.encode("utf-8")
        data: dict[str, Any] = {"time": self.time, "outcome": self.outcome,
                                "draft_url": self.draft_url, "reason": self.reason}
        data.update(self.error)
        return plainjson.dumps(data).encode("utf-8") + b"\n"

    @classmethod
    def from_line(cls, line: bytes | str) -> Attempt | None:
        try:
            data = plainjson.loads(line)
            when = float(data["time"])
            outcome = str(data["outcome"])
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(data, dict):
            return None
        error = {} if outcome != "failed" else {k: data[k] for k in RECORD_KEYS if k in data}
        version = data.get("version")
        return cls(time=when, outcome=outcome, draft_url=str(data.get("draft_url", "")),
                   reason=str(data.get("reason", "")),
                   version=version if isinstance(version, str) else None,
                   unchanged=bool(data.get("unchanged", False)), error=error)

    @classmethod
    def failure(cls, key: str, when: float, reason: str, error: DraftKeeperError) -> Attempt:
        return cls(time=when, outcome="failed", draft_url=key, reason=reason,
                   error=to_record(error))

    @classmethod
    def success(cls, key: str, when: float, reason: str, version: str | None,
                unchanged: bool) -> Attempt:
        return cls(time=when, outcome="saved", draft_url=key, reason=reason, version=version,
                   unchanged=unchanged)


class AttemptLog:
    """Attempt records of every draft, in ``folder`` (one file per draft)."""

    def __init__(self, folder: Path, *, legacy: Path | None = None) -> None:
        self.folder = folder
        # remote drafts' records from before every draft had one (``<store>/remote``)
        self.legacy = legacy

    def path(self, key: str) -> Path:
        return self.folder / f"{draft_key(key)}{RECORD}"

    def _file(self, key: str) -> str:
        """``path`` as a string (no Path object per line of a batch)."""
        return os.path.join(self.folder, draft_key(key) + RECORD)

    def _marker(self, key: str) -> str:
        return os.path.join(self.folder, draft_key(key) + FAILED)

    def append(self, attempt: Attempt, *, local: bool = False) -> None:
        """Append one attempt, fsynced, but a ``local`` draft's new version's success that
        supersedes no failure (as ``append_many`` appends it: the version says more)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if attempt.failed:
            self._mark([attempt.draft_url])
        marked = attempt.failed or os.path.exists(self._marker(attempt.draft_url))
        self._append(attempt, sync=marked or attempt.unchanged or not local)
        if marked and not attempt.failed:
            self._unmark(attempt.draft_url)

    def _mark(self, keys: list[str]) -> None:
        """Markers for drafts whose failures are about to be appended, durable first (a
        marker never lags its failure; one left by a crash costs one line later)."""
        for key in keys:
            os.close(os.open(self._marker(key), os.O_WRONLY | os.O_CREAT, 0o644))
        fsync_dir(self.folder)

    def _unmark(self, key: str) -> None:
        """After a durable success: the draft's last attempt is no failure (unless a
        failure of another process came meanwhile: then the marker stays)."""
        marker = self._marker(key)  # (the callers saw it)
        last = self.last(key)
        if last is not None and not last.failed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(marker)

    def append_many(self, attempts: list[Attempt]) -> None:
        """``append`` for the attempts of a batch of local drafts, the files written side
        by side in the I/O threads (their fsyncs become a few journal commits); raises the
        first OSError once every other attempt is recorded. A new version's success is not
        fsynced (lost in a crash, it changes nothing a reader concludes: a draft is at risk
        only while a failure is newer than its newest version, which the version itself
        shows), and goes to the shared file of its bucket when the draft has no file of
        its own; an unchanged one is written only where it supersedes a failure (a marker:
        then fsynced before the marker goes), else not at all (see the module's doc)."""
        from concurrent.futures import wait  # not on the quick path (cli/front.py)

        from draftkeeper.core.blobs.io import fsync_pool

        self.folder.mkdir(parents=True, exist_ok=True)
        present = self._present([a.draft_url for a in attempts if not a.failed])
        failures = [a for a in attempts if a.failed]
        if failures:
            self._mark([a.draft_url for a in failures])
        futures = [fsync_pool().submit(self._append, a) for a in failures]
        first: OSError | None = None
        shared: dict[str, list[bytes]] = {}
        for a in attempts:
            if a.failed:
                continue
            name = draft_key(a.draft_url)
            marked = name + FAILED in present
            if a.unchanged and not marked:
                continue  # nothing to supersede
            if not marked and name + RECORD not in present:
                shared.setdefault(name[:BUCKET], []).append(a.to_line())
                continue
            try:
                self._append(a, sync=marked)
                if marked:
                    self._unmark(a.draft_url)
            except OSError as exc:
                first = first or exc
        for bucket, lines in shared.items():
            try:
                self._append_shared(bucket, lines)
            except OSError as exc:
                first = first or exc
        wait(futures)
        for f in futures:
            if (failure := f.exception()) is not None:
                raise failure
        if first is not None:
            raise first

    def _present(self, keys: list[str]) -> set[str]:
        """The files of ``keys``' drafts there are (their own records and markers): one
        listing of the folder for a big batch, a look at each for a few drafts
        (autosave's batches)."""
        if not os.path.exists(os.path.join(self.folder, MARKED)):
            self._mark_old(set(os.listdir(self.folder)))
        if len(keys) >= FEW:
            return set(os.listdir(self.folder))
        names = [draft_key(k) + end for k in keys for end in (RECORD, FAILED)]
        return {n for n in names if os.path.exists(os.path.join(self.folder, n))}

    def _append_shared(self, bucket: str, lines: list[bytes]) -> None:
        """The lines of drafts with no file of their own, in one write to their bucket's
        shared file (a first `save --all` of 10,000 drafts creates 256 files, not 10,000:
        about 1 s of the kernel's time on a busy machine)."""
        os.makedirs(os.path.join(self.folder, SHARED), exist_ok=True)
        path = os.path.join(self.folder, SHARED, bucket + RECORD)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, b"".join(lines))  # one write: concurrent appenders do not interleave
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > SHARED_MAX:
            with open(path, "rb") as f:
                f.seek(size - SHARED_MAX // 2)
                kept = f.read().split(b"\n", 1)[-1]  # (from the first whole line)
            atomic_write_bytes(Path(path), kept)

    def _shared_lasts(self, keys: list[str]) -> dict[str, Attempt]:
        """The newest line of each of ``keys`` in the shared files (drafts without a file
        of their own)."""
        by_bucket: dict[str, set[str]] = {}
        for k in keys:
            by_bucket.setdefault(draft_key(k)[:BUCKET], set()).add(k)
        found: dict[str, Attempt] = {}
        for bucket, wanted in by_bucket.items():
            for a in self._shared_lines(bucket):
                if a.draft_url in wanted and (a.draft_url not in found
                                              or a.time >= found[a.draft_url].time):
                    found[a.draft_url] = a
        return found

    def _shared_last(self, key: str) -> Attempt | None:
        """The newest line of ``key`` in its shared file, read from the end in blocks."""
        needle = _text(key).encode("utf-8")
        path = os.path.join(self.folder, SHARED, draft_key(key)[:BUCKET] + RECORD)
        with contextlib.suppress(FileNotFoundError), open(path, "rb") as f:
            pos, rest = f.seek(0, os.SEEK_END), b""
            while pos > 0:
                start = max(0, pos - TAIL * 8)
                f.seek(start)
                lines = (f.read(pos - start) + rest).split(b"\n")
                rest = lines.pop(0) if start else b""  # (a line cut by the block's start)
                for line in reversed(lines):
                    if needle in line and (a := Attempt.from_line(line)) and a.draft_url == key:
                        return a
                pos = start
        return None

    def _shared_lines(self, bucket: str) -> list[Attempt]:
        """The readable lines of a bucket's shared file."""
        try:
            with open(os.path.join(self.folder, SHARED, bucket + RECORD), "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return []
        return [a for a in map(Attempt.from_line, raw.splitlines()) if a is not None]

    def _mark_old(self, present: set[str]) -> None:
        """Once per folder: a marker for each draft whose last recorded attempt (written
        before markers existed) is a failure."""
        made = set()
        for name in present:
            if name.endswith(RECORD):
                last = self._last_in(self.folder / name)
                if last is not None and last.failed:
                    made.add(name[:-len(RECORD)] + FAILED)
        for name in made:
            os.close(os.open(self.folder / name, os.O_WRONLY | os.O_CREAT, 0o644))
        fsync_dir(self.folder)
        atomic_write_bytes(self.folder / MARKED, b"1\n")

    def _append(self, attempt: Attempt, sync: bool = True) -> None:
        path = self._file(attempt.draft_url)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, attempt.to_line())  # one write: concurrent appenders do not interleave
            if sync:
                os.fsync(fd)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > KEEP * 2 * 400:
            with open(path, "rb") as f:
                lines = f.read().splitlines()[-KEEP:]
            atomic_write_bytes(Path(path), b"\n".join(lines) + b"\n")

    def _files(self, key: str) -> list[Path]:
        found = []
        if self.legacy is not None:
            found.append(self.legacy / f"{draft_key(key)}.jsonl")
        found.append(self.path(key))
        return found

    def read(self, key: str) -> list[Attempt]:
        """Every recorded attempt of a draft, oldest first."""
        out: list[Attempt] = []
        for path in self._files(key):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue
            out.extend(a for a in map(Attempt.from_line, raw.splitlines()) if a is not None)
        out.extend(a for a in self._shared_lines(draft_key(key)[:BUCKET]) if a.draft_url == key)
        out.sort(key=lambda a: a.time)
        return out

    def last(self, key: str) -> Attempt | None:
        """The newest recorded attempt of a draft (reads only the end of its file, or of
        its shared file)."""
        try:
            found = self._last_in(self.path(key))
        except FileNotFoundError:  # (its lines are in the shared file, or the legacy one)
            found = self._shared_last(key)
            if found is None and self.legacy is not None:
                older = self.read(key)
                found = older[-1] if older else None
            return found
        if found is not None:
            return found
        older = self.read(key)
        return older[-1] if older else None

    @staticmethod
    def _last_in(path: Path) -> Attempt | None:
        """The last readable attempt in the end of one file (FileNotFoundError: none)."""
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - TAIL))
            tail = f.read()
        for line in reversed(tail.splitlines()):
            attempt = Attempt.from_line(line)
            if attempt is not None:
                return attempt
        return None

    def last_many(self, keys: list[str]) -> list[Attempt | None]:
        """``last`` for many drafts; one directory listing skips drafts without records."""
        try:
            present = set(os.listdir(self.folder))
        except FileNotFoundError:
            present = set()
        if self.legacy is not None and self.legacy.is_dir():
            present |= set(os.listdir(self.legacy))
        own = [f"{draft_key(k)}{RECORD}" in present for k in keys]
        shared = (self._shared_lasts([k for k, o in zip(keys, own, strict=True) if not o])
                  if SHARED in present else {})
        return [self.last(k) if o else shared.get(k) for k, o in zip(keys, own, strict=True)]
