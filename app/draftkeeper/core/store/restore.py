"""Restore: all or nothing per draft, never outside the draft.

1. plan   decide every change first; refuse (the working copy untouched) a version path
          that would leave the draft, a name the file system does not take, a folder
          where the version has a file.
2. stage  journal "staging"; write every file of the version into a staging folder inside
          the draft (``.dk-tmp-s<6 hex>/n<i>``: short names, the draft's file system, so the
          swap is renames only, and hidden from saves and scans like every ``.dk-tmp-``
          name) in one pass: decompressed, hashed and written piece by piece, checked
          against its hash, then fsynced (side by side). Damaged or missing blobs, a
          full disk: the staging folder goes, the working copy was never touched.
3. swap   journal "swap"; rename the files being replaced and the things in the way into
          the staging folder (``o<i>``, ``a<j>``), make folders, rename the staged files in.
4. done   journal "done"; move what left the working copy and is not held by the
          before-restore version to the store's aside folder; the staging folder goes to
          the store's trash (``trashbin``), then the journal.

No write follows a symlink: staged files are opened O_EXCL|O_NOFOLLOW in a folder we
made, renames act on links themselves, and before every rename each parent is checked
(lstat) to be a real folder inside the draft. After a crash, ``recover`` reads the journal:
"staging" drops the staging folder, "swap" puts every old thing back, "done" finishes.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from draftkeeper.core.blobs.blobs import BlobDamaged, Blobs
from draftkeeper.core.blobs.io import CHUNK, StoreIO, fsync_pool, start_writeback
from draftkeeper.core.errors import SaveFailed, disk_error
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform.files import long_path
from draftkeeper.core.store import trashbin
from draftkeeper.core.store.journal import ASIDE, DONE, NO_BACKUP, SWAP, Journal, Placed, Plan
from draftkeeper.core.store.plan import (
    STAGE_PREFIX,
    UNCHANGED,
    RestoreRefused,
    inside,
    lstat_or_none,
)
from draftkeeper.core.store.snapshot import blob_pool

if TYPE_CHECKING:  # (the thread pools: only for a version of several files, ``stage``)
    from concurrent.futures import Future
# what restores of earlier releases left behind: .dk-tmp-<12 hex>-<name>
_OLD_TEMP = re.compile(re.escape(TMP_PREFIX) + r"[0-9a-f]{12}-")


WRITEBACK_STEP = CHUNK  # a staged file's bytes are handed to the disk every 1 MiB
# once it has this many: a smaller file's fsync waits for little anyway, and the hint's
# first use costs more (ctypes: ~2 ms of a command that restores a draft's 5 MB JSON)
WRITEBACK_FROM = 16 * CHUNK
AHEAD = 2  # pieces a file's reader may have ready before its writer takes them
AHEAD_FROM = 256 * 1024  # pieces this big (media's ~1 MiB) are made on a reader thread


_UTIME_FD = os.utime in os.supports_fd
Piece = bytes | memoryview


def stage(io: StoreIO, blobs: Blobs, plan: Plan) -> None:
    """Every file of the version into the staging folder, hash-checked and durable.
    Several files are written at once (decompressing and hashing release the GIL), and
    each file's fsync is handed to the I/O threads so that its writer goes on with the
    next file; every fsync has finished before this returns. One file (a draft's usual
    restore) is written and synced by this thread: a pool's threads would only do what it
    does while it waits (and loading them, with the logging package concurrent.futures
    imports, cost ~5 ms of a restore's start)."""
    staging = Path(plan.folder) / plan.staging
    io.make_dir(staging)
    if len(plan.place) == 1:
        [placed] = plan.place
        try:
            _write_staged(io, blobs, staging / "n0", placed)
            io.fsync_path(staging / "n0")
        except (BlobDamaged, OSError) as failure:
            raise _refused(placed, failure) from (
                None if isinstance(failure, BlobDamaged) else failure)
        io.fsync_dir(staging)
        return
    from concurrent.futures import wait

    syncs = fsync_pool()

    def one(i: int, placed: Placed) -> Future[None]:
        path = staging / f"n{i}"
        _write_staged(io, blobs, path, placed)
        return syncs.submit(io.fsync_path, path)

    writes = [blob_pool().submit(one, i, placed) for i, placed in enumerate(plan.place)]
    wait(writes)
    durable = [None if w.exception() else w.result() for w in writes]
    wait([d for d in durable if d])  # no fsync still runs on a file a failure deletes
    for placed, written, synced in zip(plan.place, writes, durable, strict=True):
        exc = written.exception() or (synced.exception() if synced else None)
        if isinstance(exc, BlobDamaged | OSError):
            raise _refused(placed, exc) from (None if isinstance(exc, BlobDamaged) else exc)
        if exc is not None:
            raise exc
    io.fsync_dir(staging)


def _refused(placed: Placed, exc: BlobDamaged | OSError) -> Exception:
    """What a restore says when staging ``placed`` failed with ``exc``."""
    if isinstance(exc, BlobDamaged):
        return RestoreRefused(
            f"Restore refused: the stored copy of {placed.rel} is damaged ({exc.reason}); "
            f"{UNCHANGED}", reason="restore_damaged_copy",
            params={"path": placed.rel, "detail": exc.reason, "kept": "unchanged"},
        )
    return disk_error(
        exc, f"staging {placed.rel}", what="Restore", after=f"; {UNCHANGED}",
        kept="unchanged",
    )


def _write_staged(io: StoreIO, blobs: Blobs, path: Path, placed: Placed) -> None:
    """Write one file of the version as ``path`` (a new name in the staging folder) in one
    pass: each piece is written as it is decompressed, and the same bytes are hashed on
    the way (``file_content`` raises BlobDamaged at the end, before anything is made
    durable, when they are not the version's); then its mtime is set. The disk is asked
    to start writing every MiB meanwhile (from ``WRITEBACK_FROM``), so that the fsync
    after (``stage``) is short."""
    f = io.open_write(path)
    try:
        with f:
            fd = f.fileno()
            written = started = 0
            for data in _overlapped(blobs.file_content(placed.hash, placed.chunks)):
                io.write(f, data, path)
                written += len(data)
                if written - started >= WRITEBACK_STEP and written >= WRITEBACK_FROM:
                    f.flush()
                    start_writeback(fd, started, written - started)
                    started = written
            f.flush()  # before the mtime: a later write would move it
            if written > started and started:
                start_writeback(fd, started, written - started)
            times = (placed.mtime_ns, placed.mtime_ns)
            os.utime(fd if _UTIME_FD else long_path(path), ns=times)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(long_path(path))
        raise


def _overlapped(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """A file's pieces, the rest of them made ``ahead`` when its first one is big (a
    hand-over between threads costs more than a small piece takes to make)."""
    first = next(pieces, None)
    if first is None:
        return
    yield first
    yield from ahead(pieces) if len(first) >= AHEAD_FROM else pieces


def ahead(pieces: Iterator[Piece], depth: int = AHEAD) -> Iterator[Piece]:
    """``pieces`` made on a thread of its own (reading, decompressing and hashing: they
    release the GIL), up to ``depth`` ahead of the writer, so that making the next piece
    and writing this one overlap. Its error is raised here, where it would have been."""
    ready: queue.Queue[tuple[Piece | None, BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for piece in pieces:
                ready.put((piece, None))
                if stop.is_set():
                    return
            ready.put((None, None))
        except BaseException as exc:  # given to the writer, which raises it
            ready.put((None, exc))

    thread = threading.Thread(target=make, name="dk-restore-read", daemon=True)
    thread.start()
    try:
        while True:
            piece, exc = ready.get()
            if exc is not None:
                raise exc
            if piece is None:
                return
            yield piece
    finally:
        stop.set()
        while thread.is_alive():  # let the reader see ``stop`` (it may wait on a full queue)
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        thread.join()


def swap(io: StoreIO, plan: Plan) -> None:
    folder = Path(plan.folder)
    staging = folder / plan.staging
    touched: set[Path] = {folder, staging}
    for i, placed in enumerate(plan.place):
        if placed.backup != NO_BACKUP:
            src = inside(folder, placed.rel)
            io.replace(src, staging / f"o{i}")
            touched.add(src.parent)
    for j, rel in enumerate(plan.aside):
        src = inside(folder, rel)
        io.replace(src, staging / f"a{j}")
        touched.add(src.parent)
    for path in sorted(touched):
        io.fsync_dir(path)
    for rel in plan.mkdirs:
        path = inside(folder, rel)
        io.make_dir(path)
        touched.add(path)
    for i, placed in enumerate(plan.place):
        dst = inside(folder, placed.rel)
        io.replace(staging / f"n{i}", dst)
        touched.add(dst.parent)
    for path in sorted(touched):
        if lstat_or_none(path) is not None:
            io.fsync_dir(path)


def roll_back(io: StoreIO, plan: Plan) -> None:
    """Put every old thing back (works from any point of a swap, and when re-run)."""
    folder = Path(plan.folder)
    staging = folder / plan.staging
    if lstat_or_none(staging) is None:
        return  # the staging folder goes last: a roll back that finished already
    for i, placed in reversed(list(enumerate(plan.place))):
        backup = staging / f"o{i}"
        if lstat_or_none(backup) is not None:
            io.replace(backup, inside(folder, placed.rel))
        elif placed.backup == NO_BACKUP and lstat_or_none(staging / f"n{i}") is None:
            dst = folder / placed.rel
            st = lstat_or_none(dst)
            if st is not None and stat.S_ISREG(st.st_mode):
                io.unlink(inside(folder, placed.rel))  # a file only the restore made
    for rel in reversed(plan.mkdirs):
        with contextlib.suppress(OSError):
            os.rmdir(long_path(folder / rel))  # only while empty: then it is the one we made
    for j, rel in reversed(list(enumerate(plan.aside))):
        moved = staging / f"a{j}"
        if lstat_or_none(moved) is not None:
            io.replace(moved, inside(folder, rel))
    io.fsync_dir(folder)
    remove_staging(plan)


def finish(io: StoreIO, plan: Plan, trash: Path | None = None) -> None:
    """After the swap: what left the working copy goes aside, the staging folder goes
    (into ``trash`` when given, see ``discard_staging``)."""
    folder = Path(plan.folder)
    staging = folder / plan.staging
    aside_dir = Path(plan.aside_dir)
    keep = [(f"a{j}", rel) for j, rel in enumerate(plan.aside)]
    keep += [(f"o{i}", p.rel) for i, p in enumerate(plan.place) if p.backup == ASIDE]
    moved = False
    for name, rel in keep:
        src = staging / name
        if lstat_or_none(src) is None:
            continue
        dst = aside_dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(long_path(dst))  # half a copy from an interrupted earlier try
        import shutil  # (here and below: only where a restore needs it, ~3 ms with bz2, lzma)

        shutil.move(long_path(src), long_path(dst))  # a link moves as a link
        moved = True
    discard_staging(io, plan, trash)
    if moved or trash is None:
        # before the journal goes: a restore's own finish removes its journal without an
        # fsync, so when only replaced files held by the before-restore version were in
        # the staging folder, a crash may bring both back and recovery finishes again
        io.fsync_dir(folder)


def discard_staging(io: StoreIO, plan: Plan, trash: Path | None) -> None:
    """Take the staging folder (the replaced files in it) out of the draft: into the
    store's ``trash`` when given and on the same file system, else deleted here."""
    staging = Path(plan.folder) / plan.staging
    if (trash is not None and lstat_or_none(staging) is not None
            and trashbin.put(io, staging, trash)):
        return
    remove_staging(plan)


def remove_staging(plan: Plan) -> None:
    staging = Path(plan.folder) / plan.staging
    st = lstat_or_none(staging)
    if st is not None and stat.S_ISDIR(st.st_mode):
        import shutil

        shutil.rmtree(long_path(staging))  # never follows links


def sweep(folder: Path) -> None:
    """Remove what restores of ours left in a draft folder (staging folders, old temp
    files); the caller holds the store lock and there is no journal for this draft."""
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in list(dirnames):
            path = Path(dirpath) / name
            if name.startswith(STAGE_PREFIX) and dirpath == str(folder):
                import shutil

                dirnames.remove(name)
                with contextlib.suppress(OSError):
                    shutil.rmtree(path)
        for name in filenames:
            if _OLD_TEMP.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(Path(dirpath) / name)


def recover(io: StoreIO, journal: Journal, path: Path) -> tuple[str, str] | None:
    """Finish or undo the restore a journal records (the caller holds the store lock):
    (draft_id, "completed" or "rolled back")."""
    plan = journal.read(path)
    outcome = None
    if plan is not None:
        outcome = (plan.draft_id, "completed" if plan.phase == DONE else "rolled back")
        st = lstat_or_none(Path(plan.folder))
        if st is None and lstat_or_none(Path(plan.folder).parent) is None:
            return None  # its draft root is gone (a drive not mounted?): keep the journal
        if st is not None and stat.S_ISDIR(st.st_mode):
            if plan.phase == DONE:
                finish(io, plan)
            elif plan.phase == SWAP:
                roll_back(io, plan)
            else:
                remove_staging(plan)
            sweep(Path(plan.folder))
    journal.remove(path)
    return outcome


def run(io: StoreIO, blobs: Blobs, journal: Journal, plan: Plan, trash: Path | None = None
        ) -> None:
    """Stage, swap, finish, with the journal saying where it is at every step (the staging
    folder goes to ``trash`` when given: ``discard_staging``)."""
    path = journal.path(plan.draft_id)
    journal.write(plan)
    try:
        stage(io, blobs, plan)
        plan.phase = SWAP
        journal.write(plan)
    except BaseException:
        with contextlib.suppress(OSError):
            remove_staging(plan)
            journal.remove(path)
        raise
    try:
        swap(io, plan)
        plan.phase = DONE
        journal.write(plan)
    except BaseException as exc:
        roll_back(io, plan)  # if this fails too, the journal stays for the next opening
        with contextlib.suppress(OSError):
            journal.remove(path)
        if isinstance(exc, OSError):
            raise disk_error(
                exc, "swapping files in", what="Restore",
                after="; every file was put back as it was", kept="put_back",
            ) from exc
        if isinstance(exc, SaveFailed):
            raise SaveFailed(f"{exc.message}; every file was put back as it was",
                             reason=exc.reason, params={**exc.params, "kept": "put_back"}) from exc
        raise
    with contextlib.suppress(OSError):  # restored; if tidying fails, the next opening redoes it
        finish(io, plan, trash)
        journal.remove(path, durable=False)
