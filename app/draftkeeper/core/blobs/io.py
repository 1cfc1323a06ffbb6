"""The store's one I/O seam, and its one safe-write routine.

Every write, fsync, rename, unlink and read the store does (in the store and, during a
restore, in the working copy) goes through ``StoreIO``, so tests can inject disk errors:
``hook`` is called with the operation and the path first. The rules of the system it runs
on come from ``core/platform``: draft files are read with full sharing (an editor may
rename over them meanwhile), renames and deletes wait out other programs' sharing
violations (``busy_delays``), and long paths get Windows' ``\\?\\`` prefix.

The safe-write routine has two halves so that blobs can be prepared in parallel and
published in order: ``write_temp`` (temp file in the target's folder, write, flush, fsync)
and ``publish`` (replace, fsync the folder). ``safe_write`` is both at once.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform.files import (
    BUSY_DELAYS,
    fsync_dir,
    long_path,
    open_shared,
    retry_busy,
)
from draftkeeper.core.platform.system import LINUX, SYSTEM

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import IO

if TYPE_CHECKING:  # the pool is made when a save has files to make durable
    from concurrent.futures import ThreadPoolExecutor

CHUNK = 1024 * 1024
FIRST_READ = 8 * CHUNK  # read_chunks' first read at most (then CHUNK at a time)
Hook = Callable[[str, Path], None]
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
FSYNC_WORKERS = 8
_FSYNC_POOL: ThreadPoolExecutor | None = None
_FSYNC_LOCK = _thread.allocate_lock()


class StoreIO:
    def __init__(self, busy_delays: tuple[float, ...] = BUSY_DELAYS) -> None:
        self.hook: Hook | None = None
        self.busy_delays = busy_delays  # waits for a file another program holds open

    def _op(self, op: str, path: Path | str) -> None:
        if self.hook is not None:
            self.hook(op, Path(path))

    def op(self, op: str, path: Path | str) -> None:
        """An operation done outside these methods (the object database's commits): the
        hook has its say first, as for every other."""
        self._op(op, path)

    def open_write(self, path: Path) -> IO[bytes]:
        """A new file, never an existing one and never through a symlink."""
        self._op("open", path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
        fd = os.open(long_path(path), flags, 0o644)
        return os.fdopen(fd, "wb")

    def write(self, f: IO[bytes], data: bytes | memoryview, path: Path) -> None:
        self._op("write", path)
        f.write(data)

    def fsync(self, f: IO[bytes], path: Path) -> None:
        self._op("fsync", path)
        f.flush()
        os.fsync(f.fileno())

    def fsync_path(self, path: Path) -> None:
        """fsync a file written (and closed) before, through a new descriptor."""
        self._op("fsync", path)
        fd = os.open(long_path(path), os.O_WRONLY | _NOFOLLOW | _BINARY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def replace(self, src: Path, dst: Path) -> None:
        """Rename; neither end is followed if it is a symlink."""
        self._op("rename", dst)
        retry_busy(lambda: os.replace(long_path(src), long_path(dst)), dst, self.busy_delays)

    def fsync_dir(self, path: Path) -> None:
        self._op("fsync_dir", path)
        fsync_dir(path)

    def mkdir(self, path: Path) -> None:
        if not path.is_dir():
            self._op("mkdir", path)
            path.mkdir(parents=True, exist_ok=True)

    def make_dir(self, path: Path) -> None:
        """Exactly one new folder (fails if anything is there already)."""
        self._op("mkdir", path)
        os.mkdir(long_path(path))

    def unlink(self, path: Path) -> None:
        self._op("unlink", path)
        retry_busy(lambda: os.unlink(long_path(path)), path, self.busy_delays)

    def open_read(self, path: Path | str) -> IO[bytes]:
        """With full sharing: the editor may save (rename over the file) while it is read.
        (A ``str`` path spares building a Path per stored piece.)"""
        self._op("read_open", path)
        return open_shared(long_path(path))

    def read(self, f: IO[bytes], path: Path | str, size: int = CHUNK) -> bytes:
        self._op("read", path)
        return f.read(size)

    def read_chunks(self, path: Path | str) -> Iterator[bytes]:
        """A file's bytes, a block at a time, through a bare descriptor (a stored piece is
        a few KiB: one right-sized read, no file object, no 1 MiB buffer)."""
        self._op("read_open", path)
        fd = os.open(long_path(path), os.O_RDONLY | _BINARY)
        try:  # a piece (at most 4 MiB) in one read: one buffer, no join of two
            size = min(os.fstat(fd).st_size + 1, FIRST_READ)
            while True:
                self._op("read", path)
                data = os.read(fd, size)
                if not data:
                    return
                yield data
                size = CHUNK
        finally:
            os.close(fd)

    def read_at(self, f: IO[bytes], path: Path | str, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset`` of a file being read in order (the chunker's): its
        position is where it was."""
        self._op("read_again", path)
        at = f.tell()
        try:
            f.seek(offset)
            return f.read(size)
        finally:
            f.seek(at)

    def readinto(self, f: IO[bytes], path: Path | str, buffer: memoryview) -> int:
        """Read straight into ``buffer`` (the chunker's own: no copy in between)."""
        self._op("read", path)
        return f.readinto(buffer)  # type: ignore[attr-defined, no-any-return]

    def open_lock(self, path: Path) -> int:
        self._op("lock", path)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


_SYNC_FILE_RANGE_WRITE = 2  # linux/fs.h: start writing dirty pages, do not wait
_sync_file_range: Callable[[int, int, int, int], int] | None = None
_sync_file_range_known = False


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the OS to start writing a range of a file being written to disk now, so that
    the disk works while the rest is still being made and the fsync that follows waits for
    little (Linux ``sync_file_range``; elsewhere nothing). A hint: it guarantees nothing,
    and never fails; the fsync is what makes the file durable."""
    global _sync_file_range, _sync_file_range_known
    if not _sync_file_range_known:
        _sync_file_range_known = True
        if SYSTEM == LINUX:
            with contextlib.suppress(Exception):
                import ctypes  # ~3 ms, once, and only when a restore writes big files

                func = ctypes.CDLL(None, use_errno=True).sync_file_range
                func.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
                func.restype = ctypes.c_int
                _sync_file_range = func
    if _sync_file_range is not None:
        _sync_file_range(fd, offset, length, _SYNC_FILE_RANGE_WRITE)  # -1 on error: fine


def fsync_pool() -> ThreadPoolExecutor:
    """Threads that wait for fsyncs (not for the CPU): the files of one save or restore
    are made durable side by side, which the file system turns into a few journal commits
    instead of one per file, while the writers go on."""
    global _FSYNC_POOL
    with _FSYNC_LOCK:
        if _FSYNC_POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _FSYNC_POOL = ThreadPoolExecutor(max_workers=FSYNC_WORKERS,
                                             thread_name_prefix="dk-fsync")
        return _FSYNC_POOL


def temp_path(folder: Path) -> Path:
    return folder / f"{TMP_PREFIX}{os.urandom(8).hex()}"  # (secrets.token_hex(8))


def write_temp(
    io: StoreIO,
    folder: Path,
    chunks: Iterable[bytes],
    *,
    name: str | None = None,
    keep: Callable[[], bool] | None = None,
    sync: bool = True,
) -> tuple[Path | None, int]:
    """Write ``chunks`` to a new durable file in ``folder``: (its path, bytes written).

    ``keep``, asked once everything is written, may decline the file (it is then removed
    and (None, 0) returned, without paying for an fsync). On any failure the file is gone.
    ``sync=False`` leaves the fsync to the caller (``StoreIO.fsync_path``).
    """
    tmp = folder / name if name else temp_path(folder)
    written = 0
    f = io.open_write(tmp)
    try:
        with f:
            for chunk in chunks:
                if chunk:
                    io.write(f, chunk, tmp)
                    written += len(chunk)
            if keep is not None and not keep():
                f.close()
                os.unlink(tmp)
                return None, 0
            if sync:
                io.fsync(f, tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, written


def publish(io: StoreIO, tmp: Path, target: Path, *, sync_dir: bool = True) -> None:
    """Move a durable temp file into place (and make the rename durable)."""
    try:
        io.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not sync_dir:
        return
    try:
        io.fsync_dir(target.parent)
    except BaseException:
        # not durable: take it back so that a failed write never leaves a half-made state
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def safe_write(io: StoreIO, target: Path, data: bytes) -> None:
    """Temp file in the same folder, write, flush, fsync, replace, fsync the folder."""
    io.mkdir(target.parent)
    tmp, _written = write_temp(io, target.parent, [data])
    assert tmp is not None
    publish(io, tmp, target)
