"""Reading and hashing small working-copy files in a second process, beside the saving
thread.

A batch save of thousands of small drafts is Python work per file (open, read, stat,
SHA-256), all of it holding the interpreter's lock, so a second thread only takes turns
with the first: a second *process* is what uses a second core. ``Hasher`` starts one
(spawned, as the content parser's pool is: never forked from a process with threads)
only when a batch has enough new drafts to pay for its start (``store/batch.py``), and
hands it part of them (``store/snapshot.walk_and_hash``: a walk of each draft and the
digests of its small files, ``hash_file``); the saving thread saves the rest meanwhile.

The process only reads: it never writes the store. For each file it gives the SHA-256
of the bytes it read, or None when the file could not be read in one consistent piece
(missing, changed since it was listed, unreadable): the saving thread then reads that
file itself, and says why it fails. A digest is used only where that blob is stored
already; a file whose content is new is read, compressed and stored by the saving thread
as any other, so every rule of a save (blobs durable before the version's row, a failed
group leaving nothing) stays where it was.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from draftkeeper.core.platform.files import long_path, open_shared

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

A = TypeVar("A")
R = TypeVar("R")

def hash_file(path: str, size: int, mtime_ns: int) -> str | None:
    """In the second process: the file's SHA-256, when it reads as listed (``size`` bytes,
    the same size and mtime after the read); else None (the saver reads it itself)."""
    try:
        with open_shared(long_path(path)) as f:
            data = f.read(size + 1)
        after = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if len(data) != size or after.st_size != size or after.st_mtime_ns != mtime_ns:
        return None  # changing: the saver reads it and reports it
    return hashlib.sha256(data).hexdigest()


class Hasher:
    """One second process for the saves of this process, started at its first use."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.broken = False  # it failed once: saves go on without it

    def submit(self, fn: Callable[[A], R], arg: A) -> Future[R] | None:
        """``fn(arg)`` in the second process (``fn`` a module's function), to come; None
        when there is no process to ask."""
        with self._lock:
            if self.broken:
                return None
            try:
                if self._pool is None:
                    from concurrent.futures import ProcessPoolExecutor
                    from multiprocessing import get_context

                    self._pool = ProcessPoolExecutor(max_workers=1,
                                                     mp_context=get_context("spawn"))
                return self._pool.submit(fn, arg)
            except Exception:
                self.broken = True
                return None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
