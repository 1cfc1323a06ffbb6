"""Versions: content-addressed zstd blobs, atomic manifests, restore, verify, prune.

Layout under the store folder::

    lock                              OS file lock serializing writers (several processes)
    blobs/ab/<sha256>.zst             file contents, compressed, stored once
    drafts/<key>/versions/<id>.json   one manifest per version, written last
    aside/<key>/<stamp>/...           files a restore moved out of the working copy
    gc-stamp                          when unreferenced blobs were last collected

A version exists when its manifest exists; manifests are written with the atomic recipe
(temp, write, flush, fsync, replace, fsync folder) after all of their blobs, so a crash at
any point leaves earlier versions intact and no partial version visible.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import zstandard

from app.core.backend import DamagedVersion, VerifyReport, VersionInfo
from app.core.drafts import is_media, walk_files
from app.core.errors import (
    BadRequest,
    DraftBusy,
    DraftKeeperError,
    DraftNotFound,
    SaveFailed,
    StoreLocked,
    disk_error,
)
from app.core.fsutil import TMP_PREFIX, fsync_dir

CHUNK = 1024 * 1024
WORKERS = max(1, min(4, os.cpu_count() or 1))  # files hashed and compressed at once
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _blob_pool() -> ThreadPoolExecutor:
    """One pool for the whole process: parallel saves share the cores instead of each
    starting its own threads (which only made the window wait longer for the GIL)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="dk-blob")
        return _POOL
FORMAT = 1
HOUR = 3600.0
DAY = 86400.0
GC_EVERY_S = HOUR
PROTECTED_REASONS = frozenset({"manual"})
REASONS = ("manual", "autosave", "before-restore")
# Timestamps are coarse (FAT: 2 s, Linux: a clock tick): a file whose mtime is this close
# to a version's time may have been rewritten since without its stat data changing.
RACY_NS = 2_000_000_000

Hook = Callable[[str, Path], None]


class StoreIO:
    """The one seam for the store's file I/O.

    Every write, fsync, rename, unlink and read the store does goes through here, so tests
    can inject disk errors (``hook`` is called with the operation and path first).
    """

    def __init__(self) -> None:
        self.hook: Hook | None = None

    def _op(self, op: str, path: Path) -> None:
        if self.hook is not None:
            self.hook(op, path)

    def open_write(self, path: Path) -> IO[bytes]:
        self._op("open", path)
        return open(path, "xb")

    def write(self, f: IO[bytes], data: bytes, path: Path) -> None:
        self._op("write", path)
        f.write(data)

    def fsync(self, f: IO[bytes], path: Path) -> None:
        self._op("fsync", path)
        f.flush()
        os.fsync(f.fileno())

    def replace(self, src: Path, dst: Path) -> None:
        self._op("rename", dst)
        os.replace(src, dst)

    def fsync_dir(self, path: Path) -> None:
        self._op("fsync_dir", path)
        fsync_dir(path)

    def mkdir(self, path: Path) -> None:
        if not path.is_dir():
            self._op("mkdir", path)
            path.mkdir(parents=True, exist_ok=True)

    def unlink(self, path: Path) -> None:
        self._op("unlink", path)
        path.unlink()

    def open_read(self, path: Path) -> IO[bytes]:
        self._op("read_open", path)
        return open(path, "rb")

    def read(self, f: IO[bytes], path: Path) -> bytes:
        self._op("read", path)
        return f.read(CHUNK)


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    mtime_ns: int
    hash: str | None  # None: not kept (media)

    @property
    def kept(self) -> bool:
        return self.hash is not None

    def stat_key(self) -> tuple[str, int, int]:
        return (self.path, self.size, self.mtime_ns)


@dataclass(frozen=True)
class Manifest:
    draft_id: str
    version: str
    time: float
    reason: str
    files: tuple[FileEntry, ...]
    stored_bytes: int

    @property
    def saved_at(self) -> str:
        return iso(self.time)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def not_kept(self) -> list[str]:
        return [f.path for f in self.files if not f.kept]

    def info(self) -> VersionInfo:
        return VersionInfo(
            version=self.version,
            time=self.time,
            saved_at=self.saved_at,
            reason=self.reason,
            file_count=len(self.files),
            bytes=self.total_bytes,
            not_kept=self.not_kept,
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
            "files": [
                {"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns, "hash": f.hash}
                for f in self.files
            ],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown manifest format {data.get('format')!r}")
        return cls(
            draft_id=data["draft_id"],
            version=data["version"],
            time=float(data["time"]),
            reason=data["reason"],
            stored_bytes=int(data.get("stored_bytes", 0)),
            files=tuple(
                FileEntry(f["path"], int(f["size"]), int(f["mtime_ns"]), f["hash"])
                for f in data["files"]
            ),
        )


def _is_racy(entry: FileEntry, manifest: Manifest) -> bool:
    return entry.mtime_ns >= int(manifest.time * 1e9) - RACY_NS


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def draft_key(draft_id: str) -> str:
    return hashlib.sha256(draft_id.encode("utf-8")).hexdigest()[:32]


def new_version_id(now: float, after: str | None) -> str:
    """Sortable, filename-safe version ids: 20261127T005334.123456Z, strictly increasing."""
    us = int(now * 1_000_000)
    if after is not None:
        us = max(us, _version_us(after) + 1)
    secs, frac = divmod(us, 1_000_000)
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(secs)) + f".{frac:06d}Z"


def _version_us(version: str) -> int:
    stamp, frac = version.rstrip("Z").split(".")
    secs = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC).timestamp()
    return int(secs) * 1_000_000 + int(frac)


def retention_victims(
    manifests: list[Manifest], now: float, keep_last: int
) -> list[Manifest]:
    """Which versions to delete: keep the newest ``keep_last``; older ones are thinned to
    one per hour for a day and one per day for 30 days. Manual saves are never thinned."""
    ordered = sorted(manifests, key=lambda m: (m.time, m.version), reverse=True)
    victims: list[Manifest] = []
    seen: set[tuple[str, int]] = set()
    for m in ordered[keep_last:]:
        if m.reason in PROTECTED_REASONS:
            continue
        age = now - m.time
        if age < DAY:
            bucket = ("hour", int(m.time // HOUR))
        elif age < 30 * DAY:
            bucket = ("day", int(m.time // DAY))
        else:
            victims.append(m)
            continue
        if bucket in seen:
            victims.append(m)
        else:
            seen.add(bucket)
    return victims


class _FileLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise StoreLocked(
                    f"The version store is busy (locked by another save for more than "
                    f"{self.timeout:g} s): {self.path.parent}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            import msvcrt

            with contextlib.suppress(OSError):
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)  # closing the descriptor releases a flock


@dataclass(frozen=True)
class SaveOptions:
    """What a save keeps, and its clock (the engine builds these from the settings)."""

    include_media: bool = False
    media_threshold: int = 64 * 1024 * 1024
    keep_last: int = 50
    now: Callable[[], float] = time.time


DEFAULT_OPTIONS = SaveOptions()


@dataclass
class _Snapshot:
    files: list[FileEntry]
    stored_bytes: int
    new_blobs: list[Path]


class Store:
    """Versions of drafts, shared safely by several processes."""

    def __init__(self, root: Path, *, lock_timeout: float = 10.0, io: StoreIO | None = None):
        self.root = root
        self.io = io or StoreIO()
        self.lock_timeout = lock_timeout
        self.blobs = root / "blobs"
        self.drafts = root / "drafts"
        self.aside = root / "aside"
        try:
            for folder in (self.root, self.blobs, self.drafts):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise disk_error(exc, "opening the version store") from exc
        self._latest_cache: dict[str, Manifest] = {}
        self._verified: dict[str, str] = {}  # draft_id -> version whose racy files matched
        self._cleanup_temp_files()

    # --- locking -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        lock = _FileLock(self.root / "lock", self.lock_timeout)
        lock.acquire()
        try:
            yield
        finally:
            lock.release()

    def _cleanup_temp_files(self) -> None:
        """Remove temp files a crashed writer left behind (only when no writer is active)."""
        lock = _FileLock(self.root / "lock", 0)
        if not lock.try_acquire():
            return
        try:
            for folder in [self.blobs, *self.blobs.iterdir(), *self.drafts.glob("*/versions")]:
                if not folder.is_dir():
                    continue
                for entry in os.scandir(folder):
                    if entry.name.startswith(TMP_PREFIX):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
        finally:
            lock.release()

    # --- reading -----------------------------------------------------------------------

    def _versions_dir(self, draft_id: str) -> Path:
        return self.drafts / draft_key(draft_id) / "versions"

    def _blob_path(self, digest: str) -> Path:
        return self.blobs / digest[:2] / f"{digest}.zst"

    def version_ids(self, draft_id: str) -> list[str]:
        """Version ids of a draft, oldest first."""
        try:
            names = os.listdir(self._versions_dir(draft_id))
        except FileNotFoundError:
            return []
        return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))

    def manifest(self, draft_id: str, version: str) -> Manifest:
        path = self._versions_dir(draft_id) / f"{version}.json"
        try:
            return Manifest.from_bytes(path.read_bytes())
        except FileNotFoundError:
            raise DraftNotFound(f"Version {version} of {draft_id} does not exist") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise SaveFailed(f"Version {version} of {draft_id} is damaged: {exc}") from exc

    def latest(self, draft_id: str) -> Manifest | None:
        ids = self.version_ids(draft_id)
        if not ids:
            return None
        cached = self._latest_cache.get(draft_id)
        if cached is not None and cached.version == ids[-1]:
            return cached
        manifest = self.manifest(draft_id, ids[-1])
        self._latest_cache[draft_id] = manifest
        return manifest

    def history(self, draft_id: str) -> list[VersionInfo]:
        """Versions of a draft, newest first."""
        return [self.manifest(draft_id, v).info() for v in reversed(self.version_ids(draft_id))]

    def resolve_version(self, draft_id: str, version: str) -> str:
        """A full version id from a full id or a unique prefix of one."""
        ids = self.version_ids(draft_id)
        if version in ids:
            return version
        matches = [v for v in ids if v.startswith(version)] if version else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise BadRequest(f"Version {version!r} is ambiguous: {len(matches)} versions match")
        raise DraftNotFound(f"Version {version} of {draft_id} does not exist")

    def draft_ids(self) -> list[str]:
        ids = []
        for folder in self.drafts.iterdir():
            versions = sorted((folder / "versions").glob("*.json"))
            if versions:
                with contextlib.suppress(OSError, ValueError, KeyError):
                    ids.append(Manifest.from_bytes(versions[-1].read_bytes()).draft_id)
        return sorted(ids)

    # --- saving ------------------------------------------------------------------------

    @staticmethod
    def _listing(draft_id: str, folder: Path) -> list[tuple[str, os.stat_result]]:
        try:
            return walk_files(folder)
        except FileNotFoundError:
            raise DraftBusy(f"Draft {draft_id} is being written (files vanished)") from None

    def is_unchanged(
        self,
        draft_id: str,
        folder: Path,
        listing: list[tuple[str, os.stat_result]] | None = None,
    ) -> Manifest | None:
        """The latest version when the working copy's stat data equals it; else None.

        Decided from stat data before anything is hashed. Only files whose mtime is too
        close to the version's time to be trusted ("racy", as git calls it: a second write
        in the same timestamp tick keeps size and mtime) are hashed, once.
        """
        latest = self.latest(draft_id)
        if latest is None:
            return None
        if listing is None:
            listing = self._listing(draft_id, folder)
        current = [(rel, st.st_size, st.st_mtime_ns) for rel, st in listing]
        if current != [f.stat_key() for f in latest.files]:
            return None
        racy = [f for f in latest.files if f.kept and _is_racy(f, latest)]
        if not racy or self._verified.get(draft_id) == latest.version:
            return latest
        for entry in racy:
            if self._file_hash(folder / entry.path) != entry.hash:
                return None
        if time.time_ns() > max(f.mtime_ns for f in racy) + RACY_NS:
            self._verified[draft_id] = latest.version  # later writes will move the mtime
        return latest

    def save(
        self,
        draft_id: str,
        folder: Path,
        *,
        reason: str = "manual",
        options: SaveOptions = DEFAULT_OPTIONS,
    ) -> tuple[Manifest, bool]:
        """Snapshot ``folder`` as a new version. Returns (manifest, unchanged)."""
        if reason not in REASONS:
            raise BadRequest(f"Unknown save reason {reason!r}")
        unchanged = self.is_unchanged(draft_id, folder)
        if unchanged is not None:
            return unchanged, True
        with self.locked():
            return self.save_locked(draft_id, folder, reason, options)

    def save_locked(
        self,
        draft_id: str,
        folder: Path,
        reason: str,
        options: SaveOptions = DEFAULT_OPTIONS,
    ) -> tuple[Manifest, bool]:
        """``save`` for a caller that holds the lock already (restore)."""
        # Another process may have saved this very state while we waited for the lock.
        listing = self._listing(draft_id, folder)
        unchanged = self.is_unchanged(draft_id, folder, listing)
        if unchanged is not None:
            return unchanged, True
        latest = self.latest(draft_id)
        snapshot = _Snapshot([], 0, [])
        try:
            self._snapshot(draft_id, folder, listing, latest, options, snapshot)
            if latest is not None and tuple(snapshot.files) == latest.files:
                return latest, True  # racy files were re-read and had not changed
            for parent in {p.parent for p in snapshot.new_blobs}:
                self.io.fsync_dir(parent)
            stamp = options.now()
            manifest = Manifest(
                draft_id=draft_id,
                version=new_version_id(stamp, latest.version if latest else None),
                time=stamp,
                reason=reason,
                files=tuple(snapshot.files),
                stored_bytes=snapshot.stored_bytes,
            )
            self._write_manifest(manifest)
        except DraftKeeperError:
            self._discard(snapshot.new_blobs)
            raise
        except OSError as exc:
            self._discard(snapshot.new_blobs)
            raise disk_error(exc, f"saving {draft_id}") from exc
        self._latest_cache[draft_id] = manifest
        with contextlib.suppress(OSError):  # retention is best effort; the version is saved
            self._apply_retention(draft_id, options.keep_last, stamp)
        return manifest, False

    def _discard(self, blobs: list[Path]) -> None:
        # Blobs fully written by a failed save are harmless (content-addressed) but
        # unreferenced; drop them so a failure leaves the store as it was.
        for blob in blobs:
            with contextlib.suppress(OSError):
                os.unlink(blob)

    def _snapshot(
        self,
        draft_id: str,
        folder: Path,
        listing: list[tuple[str, os.stat_result]],
        latest: Manifest | None,
        options: SaveOptions,
        out: _Snapshot,
    ) -> None:
        previous = (
            {f.stat_key(): f.hash for f in latest.files if not _is_racy(f, latest)}
            if latest
            else {}
        )
        entries: list[FileEntry] = []
        todo: list[tuple[int, str, os.stat_result]] = []
        for rel, st in listing:
            key = (rel, st.st_size, st.st_mtime_ns)
            digest = None
            if options.include_media or not is_media(rel, st.st_size, options.media_threshold):
                digest = previous.get(key)
                if digest is None or not self._blob_path(digest).exists():
                    todo.append((len(entries), rel, st))
                    digest = ""  # filled in below
            entries.append(FileEntry(rel, st.st_size, st.st_mtime_ns, digest))
        for index, digest in self._store_files(draft_id, folder, todo, out):
            old = entries[index]
            entries[index] = FileEntry(old.path, old.size, old.mtime_ns, digest)
        out.files.extend(entries)

    def _store_files(
        self,
        draft_id: str,
        folder: Path,
        todo: list[tuple[int, str, os.stat_result]],
        out: _Snapshot,
    ) -> list[tuple[int, str]]:
        """Hash and compress files into blobs, several at once (hashing and zstd release
        the GIL); the renames that publish blobs then happen here, in order."""
        if not todo:
            return []
        pool = _blob_pool()
        futures = [
            pool.submit(self._prepare_blob, draft_id, folder / rel, rel, st)
            for _index, rel, st in todo
        ]
        wait(futures)
        prepared = [f.result() for f in futures if f.exception() is None]
        failures = [e for f in futures if (e := f.exception()) is not None]
        pending = [tmp for _d, tmp, _w in prepared if tmp is not None]
        try:
            if failures:
                raise failures[0]
            done: list[tuple[int, str]] = []
            for (index, _rel, _st), (digest, tmp, written) in zip(todo, prepared, strict=True):
                target = self._blob_path(digest)
                if tmp is not None and target in out.new_blobs:  # same content twice
                    os.unlink(tmp)
                    pending.remove(tmp)
                elif tmp is not None:
                    self.io.mkdir(target.parent)
                    self.io.replace(tmp, target)
                    pending.remove(tmp)
                    out.new_blobs.append(target)
                    out.stored_bytes += written
                done.append((index, digest))
            return done
        finally:
            for tmp in pending:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _prepare_blob(
        self, draft_id: str, src: Path, rel: str, st: os.stat_result
    ) -> tuple[str, Path | None, int]:
        """Read one working-copy file once, hashing it and compressing it into a durable
        temp file. Returns (hash, temp file or None when the blob exists, bytes written).

        Its stat is compared before and after so that a version never holds a file that
        was changing while it was read.
        """
        busy = DraftBusy(f"Draft {draft_id} is being written ({rel} changed while saving)")
        hasher = hashlib.sha256()
        compressor = zstandard.ZstdCompressor(level=1).compressobj()
        tmp = self.blobs / f"{TMP_PREFIX}{secrets.token_hex(8)}.zst"
        written = 0
        try:
            src_file = self.io.open_read(src)
        except FileNotFoundError:
            raise busy from None
        try:
            with src_file, self.io.open_write(tmp) as dst:
                while chunk := self.io.read(src_file, src):
                    hasher.update(chunk)
                    data = compressor.compress(chunk)
                    if data:
                        self.io.write(dst, data, tmp)
                        written += len(data)
                tail = compressor.flush()
                self.io.write(dst, tail, tmp)
                written += len(tail)
                try:
                    after = os.stat(src, follow_symlinks=False)
                except FileNotFoundError:
                    raise busy from None
                if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    raise busy
                digest = hasher.hexdigest()
                if self._blob_path(digest).exists():
                    dst.close()
                    os.unlink(tmp)
                    return digest, None, 0
                self.io.fsync(dst, tmp)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return digest, tmp, written

    def _atomic_write(self, target: Path, data: bytes) -> None:
        self.io.mkdir(target.parent)
        tmp = target.with_name(f"{TMP_PREFIX}{secrets.token_hex(8)}")
        try:
            with self.io.open_write(tmp) as f:
                self.io.write(f, data, tmp)
                self.io.fsync(f, tmp)
            self.io.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        try:
            self.io.fsync_dir(target.parent)
        except BaseException:
            # not durable: take it back so that a failed save never leaves a version
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise

    def _write_manifest(self, manifest: Manifest) -> None:
        target = self._versions_dir(manifest.draft_id) / f"{manifest.version}.json"
        self._atomic_write(target, manifest.to_bytes())

    # --- retention and garbage collection ----------------------------------------------

    def _apply_retention(self, draft_id: str, keep_last: int, now: float) -> None:
        ids = self.version_ids(draft_id)
        if len(ids) <= keep_last:
            return
        older = [self.manifest(draft_id, v) for v in ids[: len(ids) - keep_last]]
        victims = retention_victims(older, now, keep_last=0)
        if not victims:
            return
        folder = self._versions_dir(draft_id)
        for m in victims:
            self.io.unlink(folder / f"{m.version}.json")
        self.io.fsync_dir(folder)
        stamp = self.root / "gc-stamp"
        try:
            last_gc = stamp.stat().st_mtime
        except FileNotFoundError:
            last_gc = 0.0
        if now - last_gc >= GC_EVERY_S:
            self._collect_garbage()
            stamp.touch()

    def prune(self, keep_last: int, now: float | None = None) -> int:
        """Apply retention to every draft and collect unreferenced blobs; returns the
        number of blobs removed."""
        now = time.time() if now is None else now
        with self.locked():
            for draft_id in self.draft_ids():
                self._apply_retention(draft_id, keep_last, now)
            return self._collect_garbage()

    def _manifest_paths(self) -> list[Path]:
        return sorted(
            p for p in self.drafts.glob("*/versions/*.json") if not p.name.startswith(TMP_PREFIX)
        )

    def _referenced(self) -> set[str]:
        refs: set[str] = set()
        for manifest_path in self._manifest_paths():
            manifest = Manifest.from_bytes(manifest_path.read_bytes())
            refs.update(f.hash for f in manifest.files if f.hash)
        return refs

    def _collect_garbage(self) -> int:
        """Delete blobs no manifest references (the caller holds the lock)."""
        refs = self._referenced()
        removed = 0
        for blob in self.blobs.glob("*/*.zst"):
            if blob.name.startswith(TMP_PREFIX):
                continue
            if blob.name[:-4] not in refs:
                self.io.unlink(blob)
                removed += 1
        return removed

    # --- restore -----------------------------------------------------------------------

    def read_blob(self, digest: str) -> Iterator[bytes]:
        """Decompressed content of a blob, chunk by chunk."""
        path = self._blob_path(digest)
        dctx = zstandard.ZstdDecompressor()
        with self.io.open_read(path) as f, dctx.stream_reader(f) as reader:
            while chunk := reader.read(CHUNK):
                yield chunk

    def restore_files(
        self, manifest: Manifest, folder: Path, aside_stamp: str
    ) -> tuple[list[str], list[str], Path | None]:
        """Make ``folder`` match ``manifest`` (the caller holds the lock and has saved the
        current state first). Returns (written, moved aside, aside folder)."""
        written: list[str] = []
        moved: list[str] = []
        wanted = {f.path: f for f in manifest.files}
        try:
            current = {rel: st for rel, st in walk_files(folder)}
        except FileNotFoundError:
            current = {}
        for entry in manifest.files:
            if not entry.kept:
                continue  # media not kept: left as it is
            st = current.get(entry.path)
            same_stat = st is not None and (st.st_size, st.st_mtime_ns) == (
                entry.size,
                entry.mtime_ns,
            )
            if same_stat and self._file_hash(folder / entry.path) == entry.hash:
                continue
            self._write_back(entry, folder)
            written.append(entry.path)
        aside_dir = self.aside / draft_key(manifest.draft_id) / aside_stamp
        for rel in sorted(current):
            if rel in wanted:
                continue
            target = aside_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder / rel), str(target))
            moved.append(rel)
        return written, moved, (aside_dir if moved else None)

    def _file_hash(self, path: Path) -> str:
        hasher = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                hasher.update(chunk)
        return hasher.hexdigest()

    def _write_back(self, entry: FileEntry, folder: Path) -> None:
        """Write one file of a version into the working copy atomically, checking its hash
        before it replaces anything."""
        assert entry.hash is not None
        target = folder / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{TMP_PREFIX}{secrets.token_hex(6)}-{target.name}")
        hasher = hashlib.sha256()
        try:
            with open(tmp, "xb") as f:
                for chunk in self.read_blob(entry.hash):
                    hasher.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if hasher.hexdigest() != entry.hash:
                raise SaveFailed(
                    f"Restore refused: the stored copy of {entry.path} is damaged "
                    "(hash mismatch); the working copy was not changed"
                )
            os.utime(tmp, ns=(entry.mtime_ns, entry.mtime_ns))
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        fsync_dir(target.parent)

    # --- verify ------------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Re-read every blob of every version and check its hash."""
        checked: dict[str, str | None] = {}  # hash -> problem (None when fine)
        damaged: list[DamagedVersion] = []
        versions = 0
        for manifest_path in self._manifest_paths():
            versions += 1
            try:
                manifest = Manifest.from_bytes(manifest_path.read_bytes())
            except (OSError, ValueError, KeyError, TypeError) as exc:
                damaged.append(
                    DamagedVersion("?", manifest_path.stem, [f"manifest unreadable: {exc}"])
                )
                continue
            problems = []
            for entry in manifest.files:
                if entry.hash is None:
                    continue
                if entry.hash not in checked:
                    checked[entry.hash] = self._check_blob(entry.hash)
                problem = checked[entry.hash]
                if problem:
                    problems.append(f"{entry.path}: {problem}")
            if problems:
                damaged.append(DamagedVersion(manifest.draft_id, manifest.version, problems))
        return VerifyReport(versions=versions, blobs=len(checked), damaged=damaged)

    def _check_blob(self, digest: str) -> str | None:
        hasher = hashlib.sha256()
        try:
            for chunk in self.read_blob(digest):
                hasher.update(chunk)
        except FileNotFoundError:
            return "stored copy is missing"
        except zstandard.ZstdError as exc:
            return f"stored copy is corrupt ({exc})"
        except OSError as exc:
            if exc.errno == errno.EIO:
                return "stored copy cannot be read (I/O error)"
            return f"stored copy cannot be read ({exc})"
        if hasher.hexdigest() != digest:
            return "stored copy is damaged (hash mismatch)"
        return None
