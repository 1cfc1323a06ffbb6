"""Where the store's objects (chunks, chunk lists, whole-file blobs) live: a narrow object
interface, and the local folder that implements it (``packs.PackedFolder``, the store's
default, keeps the small objects in a database and the large ones in this folder).

``Backing`` is what a second place to keep objects (an S3-compatible bucket for a team)
implements, as a module of its own beside this one: put if absent, get, list by prefix,
delete, and ``sync`` (make every put so far durable, before a manifest names them). Keys
are ``/``-separated names such as ``blobs/ab/<sha256>.zst``; values are opaque bytes.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from draftkeeper.core.blobs.io import StoreIO, fsync_pool, publish, write_temp
from draftkeeper.core.fsutil import TMP_PREFIX

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:  # (futures only where a big object was put: a save of JSON has none)
    from concurrent.futures import Future
    from typing import Protocol
else:
    Protocol = object  # the protocols here are mypy's: nothing checks one at run time


class Backing(Protocol):
    def put_if_absent(self, key: str, data: Iterable[bytes]) -> int:
        """Store ``data`` under ``key`` unless something is there already; the bytes
        written (0 when the key existed). A failed put leaves no object behind."""
        ...

    def get(self, key: str) -> Iterator[bytes]:
        """The object's bytes, piece by piece (FileNotFoundError when there is none)."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> Iterator[str]:
        """Every key that starts with ``prefix`` (no temp objects)."""
        ...

    def delete(self, key: str) -> None: ...

    def sync(self) -> None:
        """Make every put so far durable (and visible: a put may be published only by
        this); raises the first error a put met."""
        ...


class LocalFolder:
    """Objects as files under ``root`` (key ``a/b/c`` is ``root/a/b/c``), written with the
    store's safe-write steps: a temp file in the store's ``blobs`` folder, fsynced, renamed
    into place. The fsync and the rename are left to the I/O threads, so that the objects
    of one save become durable side by side (a few journal commits, not one per object)
    while the save goes on cutting and compressing; ``sync`` waits for them all and fsyncs
    the folders renamed into. An object is only ever renamed into place once its bytes are
    durable, so a crash never leaves a damaged object under its key."""

    def __init__(self, root: Path, io: StoreIO, temp_dir: Path) -> None:
        self.root = root
        self.io = io
        self.temp_dir = temp_dir
        self._prefix = str(root) + os.sep
        self._unsynced: set[Path] = set()
        self._pending: list[Future[None]] = []
        self._lock = _thread.allocate_lock()

    def path(self, key: str) -> Path:
        return self.root / key

    def put_if_absent(self, key: str, data: Iterable[bytes]) -> int:
        target = self.path(key)
        tmp, written = write_temp(self.io, self.temp_dir, data,
                                  keep=lambda: not target.exists(), sync=False)
        if tmp is None:
            return 0
        try:
            self.io.mkdir(target.parent)
            future = fsync_pool().submit(self._publish, tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with self._lock:
            self._pending.append(future)
        return written

    def _publish(self, tmp: Path, target: Path) -> None:
        try:
            self.io.fsync_path(tmp)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        publish(self.io, tmp, target, sync_dir=False)
        with self._lock:
            self._unsynced.add(target.parent)

    def get(self, key: str) -> Iterator[bytes]:
        return self.io.read_chunks(self._prefix + key)

    def exists(self, key: str) -> bool:
        return os.path.exists(self._prefix + key)  # once per piece: no Path objects

    def list(self, prefix: str) -> Iterator[str]:
        folder, _sep, start = prefix.rpartition("/")
        base = self.root / folder if folder else self.root
        for dirpath, _dirs, files in os.walk(base):
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in files:
                if name.startswith(TMP_PREFIX):
                    continue
                key = f"{rel}/{name}" if rel != "." else name
                if key.startswith(prefix) and (folder or key.startswith(start)):
                    yield key

    def delete(self, key: str) -> None:
        self.io.unlink(self.path(key))

    def sync(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        if pending:
            from concurrent.futures import wait

            wait(pending)  # every put is finished (done or undone) before anything is raised
        for future in pending:
            if (exc := future.exception()) is not None:
                raise exc
        with self._lock:
            folders, self._unsynced = sorted(self._unsynced), set()
        for folder in folders:
            self.io.fsync_dir(folder)


