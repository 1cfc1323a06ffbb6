"""Snapshots: a consistent copy of a working copy's files into blobs, and the cheap check
that tells a save there is nothing new to store."""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.blobs import Blobs, Stored
from draftkeeper.core.blobs.chunking import SMALL, FileChanged
from draftkeeper.core.blobs.hashing import digest_of
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.drafts.folders import is_media
from draftkeeper.core.drafts.roots import walk_files
from draftkeeper.core.errors import DraftBusy
from draftkeeper.core.records import Record
from draftkeeper.core.store.manifests import FileEntry, Manifest
from draftkeeper.core.store.quick import RACY_NS as RACY_NS

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Final, Protocol
else:
    Protocol = object  # the protocols here are mypy's: nothing checks one at run time

if TYPE_CHECKING:  # the pool is made for a save of several files
    from concurrent.futures import ThreadPoolExecutor

    # (the second process of big batch saves: a save of one draft loads none of it)
    from draftkeeper.core.blobs.hashers import Walked

WORKERS = max(1, min(4, os.cpu_count() or 1))  # files hashed and compressed at once
INLINE_BYTES = 256 * 1024  # drafts smaller than this are stored by the saving thread itself
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = _thread.allocate_lock()



class Stat(Protocol):
    """What a save reads of a file's stat: an ``os.stat_result``, or a ``Listed``."""

    @property
    def st_size(self) -> int: ...

    @property
    def st_mtime_ns(self) -> int: ...


class Listed:
    """A file's stat as another process listed it (``walk_and_hash``)."""

    __slots__ = ("st_mtime_ns", "st_size")

    def __init__(self, size: int, mtime_ns: int) -> None:
        self.st_size = size
        self.st_mtime_ns = mtime_ns


Listing = Sequence[tuple[str, Stat]]


def blob_pool() -> ThreadPoolExecutor:
    """One pool for the whole process: parallel saves share the cores instead of each
    starting its own threads (which only made the window wait longer for the GIL)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="dk-blob")
        return _POOL


class SaveOptions(Record):
    """What a save keeps, and its clock (the engine builds these from the settings)."""

    __match_args__ = ("include_media", "media_threshold", "keep_last", "now")
    __slots__ = __match_args__
    include_media: Final[bool]
    media_threshold: Final[int]
    keep_last: Final[int]
    now: Final[Callable[[], float]]

    def __init__(self, include_media: bool = False, media_threshold: int = 64 * 1024 * 1024,
                 keep_last: int = 50, now: Callable[[], float] = time.time) -> None:
        self.include_media = include_media
        self.media_threshold = media_threshold
        self.keep_last = keep_last
        self.now = now


DEFAULT_OPTIONS = SaveOptions()


class Snapshot(Record):
    """What a save has taken so far: the entries, the bytes stored, the blobs it added."""

    __match_args__ = ("files", "stored_bytes", "new_blobs")
    __slots__ = __match_args__

    def __init__(self, files: list[FileEntry] | None = None, stored_bytes: int = 0,
                 new_blobs: dict[str, int] | None = None) -> None:
        self.files: list[FileEntry] = [] if files is None else files
        self.stored_bytes = stored_bytes
        self.new_blobs: dict[str, int] = {} if new_blobs is None else new_blobs  # digest ->
        # bytes stored


def is_racy(entry: FileEntry, manifest: Manifest) -> bool:
    return entry.mtime_ns >= int(manifest.trusted_from * 1e9) - RACY_NS


def listing(draft_id: str, folder: Path) -> Listing:
    try:
        return walk_files(folder)
    except FileNotFoundError:
        raise DraftBusy(f"Draft {draft_id} is being written (files vanished)",
                        reason="draft_busy", params={"draft_id": draft_id}) from None


def read_chunks(io: StoreIO, path: Path) -> Iterator[bytes]:
    with io.open_read(path) as f:
        while chunk := io.read(f, path):
            yield chunk


def file_digest(io: StoreIO, path: Path) -> str:
    return digest_of(read_chunks(io, path))


def same_as(io: StoreIO, latest: Manifest, folder: Path, current: Listing) -> bool:
    """Whether ``current`` (a listing of ``folder``) is the state ``latest`` holds.

    Decided from stat data before anything is hashed. Only files whose mtime is too close
    to the version's time to be trusted ("racy", as git calls it: a second write in the
    same timestamp tick keeps size and mtime) are hashed.
    """
    if [(rel, st.st_size, st.st_mtime_ns) for rel, st in current] != [
        f.stat_key() for f in latest.files
    ]:
        return False
    for entry in latest.files:
        if entry.kept and is_racy(entry, latest):
            try:
                if file_digest(io, folder / entry.path) != entry.hash:
                    return False
            except FileNotFoundError:
                return False
    return True


def racy_settled(latest: Manifest, at_ns: int | None = None) -> bool:
    """True once (by ``at_ns``, default now) later writes are sure to move the racy files'
    mtimes."""
    racy = [f.mtime_ns for f in latest.files if f.kept and is_racy(f, latest)]
    return not racy or (time.time_ns() if at_ns is None else at_ns) > max(racy) + RACY_NS


def has_racy(latest: Manifest) -> bool:
    return any(f.kept and is_racy(f, latest) for f in latest.files)


Todo = list[tuple[int, str, Stat]]  # files to store: index in the entries, path,
# stat when listed


def take(
    io: StoreIO,
    blobs: Blobs,
    draft_id: str,
    folder: Path,
    current: Listing,
    latest: Manifest | None,
    options: SaveOptions,
    out: Snapshot,
) -> None:
    """Fill ``out`` with the entries of ``current``, storing the blobs that are new (the
    ones a failure leaves behind are in ``out.new_blobs`` for the caller to discard)."""
    entries, todo = plan(blobs, current, latest, options)
    store_planned(io, blobs, draft_id, folder, entries, todo, out)


def plan(blobs: Blobs, current: Listing, latest: Manifest | None, options: SaveOptions,
         ) -> tuple[list[FileEntry], Todo]:
    """The entries of ``current`` as far as ``latest`` tells them, and the files whose
    content is still to be stored (``store_planned``)."""
    previous = (
        {f.stat_key(): f for f in latest.files if f.kept and not is_racy(f, latest)}
        if latest
        else {}
    )
    kept = [(rel, st) for rel, st in current
            if options.include_media or not is_media(rel, st.st_size, options.media_threshold)]
    same = {rel: f for rel, st in kept
            if (f := previous.get((rel, st.st_size, st.st_mtime_ns))) is not None and f.hash}
    there = blobs.present({f.chunks or f.hash or "" for f in same.values()}) if same else set()
    entries: list[FileEntry] = []
    todo: Todo = []
    wanted = {rel for rel, _st in kept}
    for rel, st in current:
        entry = FileEntry(rel, st.st_size, st.st_mtime_ns, None)
        if rel in wanted:
            known = same.get(rel)
            if known is not None and (known.chunks or known.hash) in there:
                entry = known
            else:
                todo.append((len(entries), rel, st))
        entries.append(entry)
    return entries, todo


def walked_listing(walked: Walked) -> Listing:
    """The listing ``hashers.walk_and_hash`` sent, as ``listing`` gives it."""
    return [(rel, Listed(size, mtime_ns)) for rel, size, mtime_ns in walked[0]]


def store_planned(io: StoreIO, blobs: Blobs, draft_id: str, folder: Path,
                  entries: list[FileEntry], todo: Todo, out: Snapshot,
                  hashed: dict[int, str] | None = None) -> None:
    """``take``'s second half: store the files of ``todo`` (``hashed``: the digests of
    some of them, by their place in the listing, read as listed and hashed by another
    process: one whose blob is stored already is named without being read again), then
    fill ``out``."""
    if hashed:
        rest: Todo = []
        for item in todo:
            index, rel, st = item
            digest = hashed.get(index)
            if digest is not None and blobs.exists(digest):
                entries[index] = FileEntry(rel, st.st_size, st.st_mtime_ns, digest)
            else:
                rest.append(item)
        todo = rest
    for index, stored in _store_files(io, blobs, draft_id, folder, todo, out):
        old = entries[index]
        entries[index] = FileEntry(old.path, old.size, old.mtime_ns, stored.hash, stored.chunks)
    out.files.extend(entries)


def _store_files(
    io: StoreIO,
    blobs: Blobs,
    draft_id: str,
    folder: Path,
    todo: Todo,
    out: Snapshot,
) -> list[tuple[int, Stored]]:
    """Hash, cut and compress files into blobs, several at once (hashing, chunking and zstd
    release the GIL). Every blob is stored once; the ones this save added are recorded in
    ``out.new_blobs`` even when a file fails, so that the caller can take them back."""
    if not todo:
        return []
    results = [Stored("", None, out.new_blobs) for _ in todo]
    base = os.fspath(folder)
    if len(todo) == 1 or sum(st.st_size for _index, _rel, st in todo) < INLINE_BYTES:
        # one file (an edit of one file), or a small draft: a thread of the pool would
        # only do what this one does while it waits
        for (_index, rel, st), result in zip(todo, results, strict=True):
            _store_file(io, blobs, draft_id, _join(base, rel), rel, st, result)
        out.stored_bytes += sum(out.new_blobs.values())
        return [(index, result) for (index, _rel, _st), result in zip(todo, results, strict=True)]
    jobs = [partial(_store_file, io, blobs, draft_id, _join(base, rel), rel, st, result)
            for (_index, rel, st), result in zip(todo, results, strict=True)]
    if _POOL is None and "concurrent.futures" not in sys.modules:
        # a command that saves one draft (CapCut writes its two JSON files together):
        # threads of its own, not the pool (concurrent.futures, with the logging it
        # loads, was ~15 ms of a 68 ms `draftkeeper save`); a process that runs asyncio
        # has loaded it, and shares the pool among its saves
        if any(st.st_size >= SMALL for _index, _rel, st in todo):
            chunking.ready()  # (before the threads: pyfastcdc loads lean in one alone)
        _together(jobs, WORKERS)
    else:
        from concurrent.futures import wait

        futures = [blob_pool().submit(job) for job in jobs]
        wait(futures)
        for f in futures:
            if (exc := f.exception()) is not None:
                raise exc
    out.stored_bytes += sum(out.new_blobs.values())
    return [(index, result) for (index, _rel, _st), result in zip(todo, results, strict=True)]


def _together(jobs: Sequence[Callable[[], None]], workers: int) -> None:
    """Run ``jobs`` on this thread and up to ``workers - 1`` plain threads (each takes the
    next job left); once all have ended, the first job's error in order is raised."""
    left = iter(range(len(jobs)))
    errors: list[BaseException | None] = [None] * len(jobs)
    take = _thread.allocate_lock()

    def work(done: _thread.LockType | None) -> None:
        try:
            while True:
                with take:
                    i = next(left, None)
                if i is None:
                    return
                try:
                    jobs[i]()
                except BaseException as exc:  # (raised by the caller, in order)
                    errors[i] = exc
        finally:
            if done is not None:
                done.release()

    ends = []
    for _ in range(min(workers, len(jobs)) - 1):
        end = _thread.allocate_lock()
        end.acquire()
        try:
            _thread.start_new_thread(work, (end,))
        except RuntimeError:  # (no thread to be had: the others take what is left)
            break
        ends.append(end)
    work(None)
    for end in ends:
        end.acquire()
    for exc in errors:
        if exc is not None:
            raise exc


def _join(folder: str, rel: str) -> str:
    """``str(Path(folder) / rel)`` without the Path objects (a draft's files: one each)."""
    return f"{folder}{os.sep}{rel if os.sep == '/' else rel.replace('/', os.sep)}"


def _store_file(
    io: StoreIO, blobs: Blobs, draft_id: str, src: str, rel: str, st: Stat,
    out: Stored,
) -> None:
    """Read one working-copy file once, hashing, cutting and compressing it into blobs.
    Its stat is compared before and after so that a version never holds a file that was
    changing while it was read."""

    def busy() -> DraftBusy:
        return DraftBusy(f"Draft {draft_id} is being written ({rel} changed while saving)",
                         reason="draft_busy", params={"draft_id": draft_id, "path": rel})

    try:
        src_file = io.open_read(src)
    except FileNotFoundError:
        raise busy() from None

    def unchanged_since_listing() -> None:
        try:
            after = os.stat(src, follow_symlinks=False)
        except FileNotFoundError:
            raise busy() from None
        if after.st_size != st.st_size or after.st_mtime_ns != st.st_mtime_ns:
            raise busy()

    with src_file:
        try:
            blobs.store_file(src_file, src, st.st_size, unchanged_since_listing, out)
        except FileChanged:
            raise busy() from None
