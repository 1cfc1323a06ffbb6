"""A one-shot save's big changed files, read and hashed whole on a thread of its own while
the process still imports what saves them.

A ``draftkeeper save`` of an edited draft spends ~25 ms importing the store after its
quick check (cli/front.py) already knows which files changed; storing the edited 5.5 MB
JSON then reads it, cuts it and hashes every piece, and hashes the whole file a second
time (a new process has no ``wholehash.HashMemo``). ``Prefetch`` does the reading and the
whole-file SHA-256 meanwhile, on the machine's other core: one ``open``, ``fstat``, ``read``
and ``close`` per file and one hash of the whole buffer (OpenSSL's SHA-256 runs without the
GIL), so the thread needs the GIL back only a handful of times while the main thread holds
it for its imports (hashing each piece there instead was measured a loss: ~180 returns
for the GIL). ``Blobs.store_file`` then cuts the buffer instead of reading the file again
and takes the whole hash from here (``take``): the pieces and the whole hash are the same
bytes by construction.

A file is taken only when the file the store opened is the one read, unchanged since:
the same device, inode, size, mtime and ctime as its ``fstat`` just before the read (any
write moves ctime, even one that puts mtime back; a rename over it is another inode). A
write within the same clock tick as the read can go unseen, as it can for the store's own
reading: the version then records the file as "racy" (``snapshot.is_racy``) and the next
save reads it again. Not on Windows, where ``st_ctime`` is the creation time. Anything
else - a file not prefetched, changed, unreadable, over ``CAP``, a thread that failed or is
still stuck after ``JOIN_S`` - gets no entry, and the store reads the file as it always
does: a prefetch can make a save quicker, never different.

It pays only where the thread gets a core of its own (``spare_core``: the caller asks
first). Only the command line's plain ``save`` and ``restore`` start one (cli/front.py,
which hands it on with the parsed command line; ``cli/common.local_engine`` gives it to
the store as ``Blobs.prefetched``): the window and ``watch`` run long enough to keep
their whole-hash states in memory, and save files as they change, not once after a
start.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import os
import stat
import time

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.hashing import hexdigest
from draftkeeper.core.platform.system import SYSTEM, WINDOWS

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import IO

CAP = 64 * 1024 * 1024  # bytes held at most (files taken in order until the next would pass it)
JOIN_S = 10.0  # a read still going after this long: the store reads the file itself
# a copy read longer ago than this is not taken: a write in the tick of its read would
# go unseen, and the version then calls the file racy (re-read by the next save) only
# while its mtime is within quick.RACY_NS (2 s) of the version's time (reads began)
FRESH_S = 1.0
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

Key = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


def _key(st: os.stat_result) -> Key:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def spare_core() -> bool:
    """Whether a thread would likely have a core of its own now: two CPUs or more are
    usable, and the 1-minute load average is below their count. (On a machine busy on
    every core the thread takes the saving thread's time instead, and the GIL's
    handovers cost more: measured on 2 cores at load 2.2, no wall time saved and 4-6 ms
    more CPU.)"""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # (not on macOS)
        cpus = os.cpu_count() or 1
    try:
        return cpus >= 2 and os.getloadavg()[0] < cpus
    except (AttributeError, OSError):
        return cpus >= 2


def chosen(files: Sequence[tuple[str, int]], cap: int = CAP) -> list[str]:
    """Of ``files`` (path, size as listed), those worth reading ahead: the ones the store
    cuts into pieces (``chunking.SMALL`` or more, smaller than ``chunking.BIG``), in order,
    as long as they add up to at most ``cap`` bytes."""
    paths: list[str] = []
    total = 0
    for path, size in files:
        if not chunking.SMALL <= size < chunking.BIG:
            continue
        if total + size > cap:
            break
        paths.append(path)
        total += size
    return paths


class Prefetch:
    """The content and whole SHA-256 of ``files`` (path, size as listed; see ``chosen``),
    read and hashed on a thread started at once (none when no file qualifies, or on
    Windows: ``system``)."""

    def __init__(self, files: Sequence[tuple[str, int]], cap: int = CAP,
                 system: str = SYSTEM, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._entries: dict[Key, tuple[float, bytes, str]] = {}
        self._done = _thread.allocate_lock()
        paths = chosen(files, cap) if system != WINDOWS else []
        self.started = bool(paths)
        if paths:
            chunking.load()  # (the chunker's lean import wants no other thread running)
            self._done.acquire()
            try:
                _thread.start_new_thread(self._work, (paths, cap))
            except RuntimeError:  # (no thread to be had: the store reads the files)
                self.started = False
                self._done.release()

    def _work(self, paths: list[str], cap: int) -> None:
        """Each file: opened, its stat, its bytes in one read, closed, hashed in one call.
        Whatever fails leaves that file (and the ones after it) out."""
        entries: dict[Key, tuple[float, bytes, str]] = {}
        try:
            for path in paths:
                fd = os.open(path, _FLAGS)
                try:
                    before = os.fstat(fd)
                    if not stat.S_ISREG(before.st_mode) or before.st_size > cap:
                        continue
                    read_at = self._clock()
                    data = os.read(fd, before.st_size)
                finally:
                    os.close(fd)
                if len(data) != before.st_size:
                    continue  # cut short, or changed meanwhile: the store reads it
                cap -= len(data)
                # (the hash: one call, without the GIL)
                entries[_key(before)] = (read_at, data, hexdigest(data))
        except BaseException:  # (an error means no more prefetch, never a failed save)
            pass
        finally:
            self._entries = entries
            self._done.release()

    def take(self, f: IO[bytes]) -> tuple[bytes, str] | None:
        """(content, SHA-256 in hex) of the file open as ``f`` when it is a file read
        here and has not changed since (its ``fstat``); each is given once. None: the
        caller reads the file itself, as it does for a copy read over ``FRESH_S`` ago (the
        store waited for its lock meanwhile). Waits for the thread (``JOIN_S`` at most)."""
        if not self.started:
            return None
        try:
            key = _key(os.fstat(f.fileno()))
        except (OSError, ValueError, AttributeError):
            return None
        if not self._done.acquire(timeout=JOIN_S):
            return None
        self._done.release()
        entry = self._entries.pop(key, None)
        if entry is None or self._clock() - entry[0] > FRESH_S:
            return None  # (read too long ago: see FRESH_S)
        return entry[1], entry[2]
