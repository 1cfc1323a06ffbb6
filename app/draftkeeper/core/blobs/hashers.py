"""Walking and hashing small working-copy files in a second process, beside the saving
thread.

A batch save of thousands of small drafts is Python work per file (open, read, stat,
SHA-256), all of it holding the interpreter's lock, so a second thread only takes turns
with the first: a second *process* is what uses a second core. ``Hasher`` starts one (a
lean ``platform/workers.Worker``: it imports this module and little else) only when a
batch has enough new drafts to pay for its start (``store/batch.py``), and hands it part
of them (``walk_and_hash``: a walk of each draft, as ``drafts/roots.walk_files`` walks
it, and the digests of its small files, ``hash_file``); the saving thread saves the rest
meanwhile.

The process only reads: it never writes the store. For each file it gives the SHA-256
of the bytes it read, or None when the file could not be read in one consistent piece
(missing, changed since it was listed, unreadable): the saving thread then reads that
file itself, and says why it fails. A digest is used only where that blob is stored
already; a file whose content is new is read, compressed and stored by the saving thread
as any other, so every rule of a save (blobs durable before the version's row, a failed
group leaving nothing) stays where it was.

Light on purpose (no typing at run time, nothing of the store): this is what the second
process imports.
"""

from __future__ import annotations

import os
import time

from draftkeeper.core.platform.files import long_path, open_shared, walk_tree
from draftkeeper.core.platform.workers import Worker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future
    from hashlib import sha256
else:  # OpenSSL's SHA-256 (hashlib's own, without the rest of hashlib's module): its
    # libcrypto pages are the ones the saving process maps already, shared between the
    # two (the tree's PSS grows by ~1.4 MB, not libcrypto's 3.4 MB), and it hashes about
    # twice as fast as the interpreter's own
    try:
        from _hashlib import openssl_sha256 as sha256
    except ImportError:  # (an interpreter built without OpenSSL)
        from hashlib import sha256

# a draft's listing as (path, size, mtime_ns) (plain tuples: they travel as marshal data),
# and its small files' digests by place in the listing
Walked = tuple[list[tuple[str, int, int]], dict[int, str]]


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
    return sha256(data).hexdigest()


def walk_and_hash(work: tuple[list[str], str, int]) -> list[Walked | None]:
    """In the second process: of ``(folders, skip, small)``, each draft folder's listing
    (``walk_tree`` skipping names that start with ``skip``, as ``roots.walk_files``) and
    the SHA-256 of each of its files under ``small`` bytes that read as listed (by place
    in the listing); None for a folder that could not be walked."""
    folders, skip, small = work
    out: list[Walked | None] = []
    # one string object for each name and digest that repeats (every draft has the same
    # file names, copies the same content): marshal then sends a reference for each
    # repeat, and the saving process gets one object instead of thousands
    same: dict[str, str] = {}
    for folder in folders:
        try:
            files = [(same.setdefault(rel, rel), st.st_size, st.st_mtime_ns)
                     for rel, st in walk_tree(folder, skip)]
        except OSError:
            out.append(None)
            continue
        digests = {}
        for n, (rel, size, mtime_ns) in enumerate(files):
            if size < small:
                digest = hash_file(_join(folder, rel), size, mtime_ns)
                if digest is not None:
                    digests[n] = same.setdefault(digest, digest)
        out.append((files, digests))
    return out


def _join(folder: str, rel: str) -> str:
    """``str(Path(folder) / rel)`` without the Path objects."""
    return f"{folder}{os.sep}{rel if os.sep == '/' else rel.replace('/', os.sep)}"


# a walk made ahead (``Hasher.ahead``) is used for at most this long after it was asked
# for (the batch save it was made for comes within a second or two)
AHEAD_S = 30.0
# what a walk made ahead is kept as: the answer to come, the folder's place in it, when
# the walk was asked for (the version's time: ``store/batch.py``), and when (monotonic)
Ahead = tuple["Future[list[Walked | None]]", int, float, float]


class Hasher:
    """The second process for the saves of this process, started at its first use."""

    def __init__(self, worker: Worker | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.worker = Worker() if worker is None else worker
        self.clock = clock  # (of a walk's age: ``taken``)
        self._ahead: dict[str, Ahead] = {}

    @property
    def broken(self) -> bool:
        return self.worker.broken

    @broken.setter
    def broken(self, value: bool) -> None:
        self.worker.broken = value

    def walk_and_hash(self, folders: list[str], skip: str, small: int,
                      ) -> Future[list[Walked | None]] | None:
        """``walk_and_hash`` of ``folders`` in the second process, to come; None when there
        is no process to ask (the caller walks and reads them itself)."""
        return self.worker.submit(walk_and_hash, (folders, skip, small))

    def ahead(self, folders: list[str], skip: str, small: int, began: float) -> bool:
        """``walk_and_hash`` of new drafts' folders now, for a batch save about to come
        (``local/ahead.py``: `save --all` sweeping its drafts first), which takes each
        folder's walk with ``taken``; ``began``: the time before it was asked for. False
        when there is no process to ask."""
        future = self.walk_and_hash(folders, skip, small)
        if future is None:
            return False
        at = self.clock()
        for n, folder in enumerate(folders):
            self._ahead[folder] = (future, n, began, at)
        return True

    def taken(self, folder: str) -> Ahead | None:
        """The walk made ahead of ``folder`` (once: it is forgotten here), unless it is
        older than ``AHEAD_S`` (then every walk made ahead is forgotten)."""
        got = self._ahead.pop(folder, None)
        if got is not None and self.clock() - got[3] > AHEAD_S:
            self._ahead.clear()  # (asked for together: the others are as old)
            return None
        return got

    def asked(self, folder: str) -> bool:
        """Whether a walk of ``folder`` was asked for ahead and is not taken yet."""
        return folder in self._ahead

    def close(self) -> None:
        self._ahead.clear()
        self.worker.close()
