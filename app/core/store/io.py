"""The store's one I/O seam, and its one safe-write routine.

Every write, fsync, rename, unlink and read the store does (in the store and, during a
restore, in the working copy) goes through ``StoreIO``, so tests can inject disk errors:
``hook`` is called with the operation and the path first.

The safe-write routine has two halves so that blobs can be prepared in parallel and
published in order: ``write_temp`` (temp file in the target's folder, write, flush, fsync)
and ``publish`` (replace, fsync the folder). ``safe_write`` is both at once.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from app.core.fsutil import TMP_PREFIX, fsync_dir

CHUNK = 1024 * 1024
Hook = Callable[[str, Path], None]
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class StoreIO:
    def __init__(self) -> None:
        self.hook: Hook | None = None

    def _op(self, op: str, path: Path) -> None:
        if self.hook is not None:
            self.hook(op, path)

    def open_write(self, path: Path) -> IO[bytes]:
        """A new file, never an existing one and never through a symlink."""
        self._op("open", path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o644)
        return os.fdopen(fd, "wb")

    def write(self, f: IO[bytes], data: bytes, path: Path) -> None:
        self._op("write", path)
        f.write(data)

    def fsync(self, f: IO[bytes], path: Path) -> None:
        self._op("fsync", path)
        f.flush()
        os.fsync(f.fileno())

    def replace(self, src: Path, dst: Path) -> None:
        """Rename; neither end is followed if it is a symlink."""
        self._op("rename", dst)
        os.replace(src, dst)

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
        os.mkdir(path)

    def unlink(self, path: Path) -> None:
        self._op("unlink", path)
        path.unlink()

    def open_read(self, path: Path) -> IO[bytes]:
        self._op("read_open", path)
        return open(path, "rb")

    def read(self, f: IO[bytes], path: Path) -> bytes:
        self._op("read", path)
        return f.read(CHUNK)

    def open_lock(self, path: Path) -> int:
        self._op("lock", path)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def temp_path(folder: Path) -> Path:
    return folder / f"{TMP_PREFIX}{secrets.token_hex(8)}"


def write_temp(
    io: StoreIO,
    folder: Path,
    chunks: Iterable[bytes],
    *,
    name: str | None = None,
    keep: Callable[[], bool] | None = None,
) -> tuple[Path | None, int]:
    """Write ``chunks`` to a new durable file in ``folder``: (its path, bytes written).

    ``keep``, asked once everything is written, may decline the file (it is then removed
    and (None, 0) returned, without paying for an fsync). On any failure the file is gone.
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
