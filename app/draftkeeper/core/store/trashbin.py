"""The store's ``trash/`` folder: what finished restores replaced, deleted once they are over.

Deleting the files a restore replaced frees their blocks, which costs about as much as
writing them did (2 ms per 5 MB on ext4, and the next journal commit waits for the freed
blocks to be discarded on a disk mounted with ``discard``). So a restore renames its
staging folder (the replaced files in it) into the trash, one rename when the draft and the
store share a file system, and the trash is emptied on a background thread after the
restore returned. Only deletions ever touch what is in the trash, so that thread needs no
lock; a process waits for it at exit (the interpreter's own exit, or ``settle`` before
the command line's quick one), and the store's next opening empties what a kill left.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import contextlib
import os
from pathlib import Path

from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.platform.files import fsync_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading

# the latest deleting thread (each waits for the one before it: one deletion at a time);
# a plain thread, not a pool: concurrent.futures loads the logging package (~5 ms of a
# restore's start)
_TIDY: threading.Thread | None = None
_TIDY_LOCK = _thread.allocate_lock()


def put(io: StoreIO, path: Path, trash: Path) -> bool:
    """Rename the folder ``path`` into ``trash``; False when that cannot be done (another
    file system, a rename refused): the caller deletes it then."""
    try:
        if not trash.is_dir():
            trash.mkdir(parents=True, exist_ok=True)
        io.replace(path, trash / f"{path.name}-{os.urandom(4).hex()}")
    except OSError:
        return False
    return True


def empty(trash: Path) -> None:
    """Delete what is in ``trash`` on the background thread."""
    global _TIDY
    try:
        names = os.listdir(trash)
    except OSError:
        return
    if not names:
        return
    paths = [trash / name for name in names]
    with _TIDY_LOCK:
        before = _TIDY

        def tidy() -> None:
            if before is not None:
                before.join()
            _delete(paths, trash)

        import threading  # (a restore's: a save has no trash to empty)

        # not a daemon: the interpreter's exit waits for it, as for a pool's thread
        _TIDY = threading.Thread(target=tidy, name="dk-trash")
        _TIDY.start()


def settle() -> None:
    """Wait for the deletions under way (a process about to exit: as its teardown would)."""
    global _TIDY
    with _TIDY_LOCK:
        last, _TIDY = _TIDY, None
    if last is not None:
        last.join()  # (it waited for the ones before it)


def _delete(paths: list[Path], trash: Path) -> None:
    for path in paths:
        remove_tree(path)
    with contextlib.suppress(OSError):
        fsync_dir(trash)  # the blocks are freed (and discarded) on this thread, not the next


def remove_tree(path: Path) -> None:
    """``shutil.rmtree(path, ignore_errors=True)`` without shutil (whose import, bz2 and
    lzma with it, cost a restore ~3 ms): what can be deleted is, links never followed."""
    if not os.path.isdir(path) or os.path.islink(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    for folder, dirs, files in os.walk(path, topdown=False):
        for name in files:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
        for name in dirs:
            sub = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                if os.path.islink(sub):
                    os.unlink(sub)
                else:
                    os.rmdir(sub)
    with contextlib.suppress(OSError):
        os.rmdir(path)
