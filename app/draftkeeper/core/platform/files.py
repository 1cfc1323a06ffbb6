"""File operations whose rules differ by system.

- ``open_shared``: reading a draft file without getting in the editor's way. On Windows a
  file opened by Python's ``open`` cannot be renamed over or deleted by anyone until it
  is closed, so an editor that saves by writing a temp file and renaming it over the draft
  (the usual safe save) would fail while Draft Keeper hashes the draft. Here files are
  opened with ``FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE`` (``CreateFileW``
  through ctypes); elsewhere renames never wait for readers.
- ``retry_busy``: the reverse: renaming or deleting a file that the editor (or an
  antivirus) holds open fails on Windows with a sharing violation. It is retried with
  backoff for a few seconds; the last error then goes on, and ``errors.disk_error`` words
  it as one clear error: the file is in use, close the editor first.
- ``long_path``: Win32 paths of 260 characters and more need the ``\\\\?\\`` prefix;
  ``walk_tree`` lists a folder's files through it.
- ``fsync_dir``: folders cannot be opened for fsync on Windows (NTFS makes renames
  durable with the file's own metadata).
- ``lock`` / ``unlock``: the store's one-byte OS lock (``msvcrt`` or ``fcntl``).
- ``folder_times_tell_entries``: whether a folder whose inode, modification and change
  times are as they were holds the entries it held (``local/walks.py``).
"""

from __future__ import annotations

import os
import sys
import time

from draftkeeper.core.platform import system as _system
from draftkeeper.core.platform.system import WINDOWS

TYPE_CHECKING = False  # typing is not imported at run time: errors.py (the quick CLI) uses this
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import IO, TypeVar

    T = TypeVar("T")

MAX_PATH = 260  # Win32 paths at least this long need the \\?\ prefix
# ERROR_ACCESS_DENIED (a rename over a file open without share-delete), ERROR_SHARING_
# VIOLATION, ERROR_LOCK_VIOLATION
SHARING_ERRORS = frozenset({5, 32, 33})
# about 6 s in all: long enough for an editor's save or an antivirus scan to let go
BUSY_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3.0)


if sys.platform == "win32":  # pragma: no cover (Windows)
    def open_shared(path: str | os.PathLike[str]) -> IO[bytes]:
        """Open a file for reading so that others may still write, rename and delete it
        (``CreateFileW`` with every share flag; Python's ``open`` leaves out delete)."""
        import ctypes
        import msvcrt
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        create = kernel32.CreateFileW
        create.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                           wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
        create.restype = wintypes.HANDLE
        generic_read, share_all, open_existing, normal = 0x80000000, 0x1 | 0x2 | 0x4, 3, 0x80
        handle = create(long_path(path), generic_read, share_all, None, open_existing, normal,
                        None)
        if handle is None or handle == ctypes.c_void_p(-1).value:
            raise ctypes.WinError(ctypes.get_last_error())
        fd = msvcrt.open_osfhandle(handle, os.O_RDONLY | os.O_BINARY)
        return os.fdopen(fd, "rb")
else:
    def open_shared(path: str | os.PathLike[str]) -> IO[bytes]:
        """Open a file for reading; elsewhere than Windows nobody waits for readers."""
        return open(path, "rb")


def folder_times_tell_entries(system: str | None = None) -> bool:
    """On Linux and macOS an entry added, removed or renamed in a folder moves the
    folder's mtime and ctime (POSIX; the file systems' drivers there, FAT and exFAT
    included, do it). Not relied on on Windows: ctime is the creation time there, and
    FAT volumes are not known to move a folder's time for its entries."""
    return (system or _system.SYSTEM) != WINDOWS


def long_path(path: str | os.PathLike[str], system: str | None = None) -> str:
    """``path`` as Win32 takes it at any length: absolute paths of ``MAX_PATH``
    characters or more get the ``\\\\?\\`` prefix (``\\\\?\\UNC\\`` for shares). On other
    systems, and for short paths, the path as it is."""
    text = os.fspath(path)
    if (system or _system.SYSTEM) != WINDOWS or len(text) < MAX_PATH or text.startswith("\\\\?\\"):
        return text
    native = text.replace("/", "\\")
    if native.startswith("\\\\"):
        return "\\\\?\\UNC\\" + native[2:]
    if len(native) >= 3 and native[1:3] == ":\\":
        return "\\\\?\\" + native
    return text  # relative: Win32 applies the limit to the absolute path; leave it


def walk_tree(folder: str | os.PathLike[str], skip: str,
              dirs: list[tuple[str, os.stat_result]] | None = None,
              ) -> list[tuple[str, os.stat_result]]:
    """(relative posix path, stat) of every regular file under ``folder``, sorted; names
    starting with ``skip`` left out, symlinks not followed; ``dirs`` gets each folder's
    (relative path, stat taken before it is read) (``drafts/roots.walk_files``; here so
    that a batch save's second process, ``blobs/hashers.py``, walks a draft exactly so
    without importing the drafts' modules)."""
    out: list[tuple[str, os.stat_result]] = []
    stack = [("", long_path(folder))]  # entries' paths keep the prefix
    while stack:
        prefix, current = stack.pop()
        if dirs is not None:
            dirs.append((prefix[:-1], os.lstat(current)))
        with os.scandir(current) as it:
            for entry in it:
                name = entry.name
                if name.startswith(skip):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((f"{prefix}{name}/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    out.append((prefix + name, entry.stat(follow_symlinks=False)))
    out.sort()  # paths are unique, so the stat results are never compared
    return out


def is_busy(exc: BaseException) -> bool:
    """A sharing violation: another program holds the file (Windows error codes, which
    the rules mode of the tests raises on any system)."""
    return isinstance(exc, OSError) and getattr(exc, "winerror", None) in SHARING_ERRORS


def retry_busy(operation: Callable[[], T], path: str | os.PathLike[str],
               delays: Sequence[float] = BUSY_DELAYS,
               sleep: Callable[[float], None] | None = None) -> T:
    """Run ``operation`` (a rename or delete of ``path``), retrying sharing violations
    with backoff; the last one is raised (with ``filename`` set to ``path``)."""
    for delay in delays:
        try:
            return operation()
        except OSError as exc:
            if not is_busy(exc):
                raise
            (sleep or time.sleep)(delay)
    try:
        return operation()
    except OSError as exc:
        if is_busy(exc) and not exc.filename:
            exc.filename = os.fspath(path)
        raise


def fsync_dir(path: str | os.PathLike[str]) -> None:
    if _system.SYSTEM == WINDOWS:  # folders cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover (Windows)
    def lock(fd: int) -> None:
        """Take the OS lock on the file's first byte without waiting (OSError if held)."""
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def unlock(fd: int) -> None:
        import contextlib
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    def lock(fd: int) -> None:
        """Take the OS lock on the file without waiting (OSError if held)."""
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def unlock(fd: int) -> None:
        """Closing the descriptor releases a flock: nothing to do before it."""
