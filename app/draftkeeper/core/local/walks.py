"""Walking draft folders without reading them again: a folder whose stat data is as it
was holds the entries it held, so only its files need a stat.

A sweep walks every draft (``roots.walk_files``: each folder read, each file's stat).
Where the system keeps folder times honest (``platform.files.folder_times_tell_entries``:
Linux and macOS), adding, removing or renaming an entry moves the folder's mtime and
ctime. So a walk records, per draft folder, each of its folders' (inode, mtime_ns,
ctime_ns), taken *before* that folder was read, and the files it found; the next walk
that finds every folder's stat data unchanged takes those files as the folder's entries
and only stats them (10,000 drafts: no directory opened, read and closed per draft). An
edit in place moves the file's own size or mtime, which the stat sees as before; a file
added, removed or renamed in any folder of the draft, or a folder replaced, moves a
folder's data and the draft is walked in full again.

The racy rule holds for folders as for files: a listing is recorded only while each of
its folders' mtimes is more than ``RACY_NS`` older than the moment the walk began (a
change in the same timestamp tick as that mtime would not move it). A file that is
gone, or no longer a regular file, falls back to the full walk.

The listings live in the index (``index.sqlite3``'s ``walks``: folder, its folders'
stat data, its files), a cache: any process's row is true of the folder while the
folder's stat data matches it, so they are read once per process and written when a
full walk finds new ones.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable

from draftkeeper.core.drafts.roots import walk_files
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.platform.files import folder_times_tell_entries
from draftkeeper.core.store.quick import RACY_NS

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this

if TYPE_CHECKING:  # (sqlite3: loaded when the index is first read, not by a one-draft save)
    from draftkeeper.core.local.index import DraftIndex

Listing = list[tuple[str, os.stat_result]]


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"


class Walks:
    """The engine's walker: ``walk`` answers as ``roots.walk_files`` does; ``flush``
    keeps what its full walks learnt."""

    def __init__(self, index: Callable[[], DraftIndex]) -> None:
        self._index = index
        self._known: dict[str, tuple[str, str]] | None = None  # folder -> (dirs, files)
        self._fresh: dict[str, tuple[str, str]] = {}
        self._lock = _thread.allocate_lock()  # a sweep and a one-draft scan, in worker threads

    def _rows(self) -> dict[str, tuple[str, str]]:
        if self._known is None:
            try:
                rows = self._index().walk_rows()
            except DraftKeeperError:
                rows = []  # the store cannot be used: every walk is a full one
            self._known = {r[0]: (r[1], r[2]) for r in rows}  # type: ignore[misc]
        return self._known

    def walk(self, folder: str) -> Listing:
        """(relative path, stat) of every regular file under ``folder``, sorted;
        FileNotFoundError / NotADirectoryError when it is gone. (A one-draft command walks
        with ``roots.walk_files`` and does not open the index.)"""
        if not folder_times_tell_entries():
            return walk_files(folder)
        known = self._rows().get(folder)
        if known is not None:
            files = _known_files(folder, *known)
            if files is not None:
                return files
        began = time.time_ns()
        dirs: Listing = []
        files = walk_files(folder, dirs)
        old = began - RACY_NS
        if all(stat.S_ISDIR(st.st_mode) and st.st_mtime_ns < old for _rel, st in dirs):
            # (the files' names: one string for every draft with the same names, the
            # usual case; 10,000 drafts kept for the next walk, ~1.7 MB less)
            entry = ("\0".join(f"{rel}\0{_stamp(st)}" for rel, st in dirs),
                     sys.intern("\0".join(rel for rel, _st in files)))
            if entry != known:
                rows = self._rows()
                with self._lock:
                    self._fresh[folder] = rows[folder] = entry
        return files

    def flush(self, roots: Iterable[str | os.PathLike[str]] = (),
              seen: Iterable[str] = ()) -> None:
        """Write the new listings; with ``roots`` (a whole sweep of them) and ``seen``
        (the folders it walked), drop the rows of their folders that are gone."""
        parents = {os.fspath(r) for r in roots}
        walked = set(seen)
        with self._lock:
            known = self._known
            gone = [f for f in known if f not in walked and os.path.dirname(f) in parents
                    ] if known is not None and parents else []
            for f in gone:
                del known[f]  # type: ignore[union-attr]
            fresh, self._fresh = self._fresh, {}
        if not fresh and not gone:
            return
        try:
            self._index().put_walks([(f, *e) for f, e in fresh.items()], gone)
        except DraftKeeperError:
            return  # a cache: the next full walks find them again


def _known_files(folder: str, dirs: str, names: str) -> Listing | None:
    """The files of ``folder`` as recorded, with their stat data now, when every one of
    its folders is as it was; None when anything differs (walk it in full)."""
    parts = dirs.split("\0")
    lstat = os.lstat
    try:
        for i in range(0, len(parts), 2):
            rel = parts[i]
            st = lstat(f"{folder}/{rel}" if rel else folder)
            if not stat.S_ISDIR(st.st_mode) or _stamp(st) != parts[i + 1]:
                return None
        prefix = folder + "/"
        out = [(rel, lstat(prefix + rel)) for rel in names.split("\0")] if names else []
    except OSError:
        return None
    for _rel, st in out:
        if not stat.S_ISREG(st.st_mode):
            return None
    return out
