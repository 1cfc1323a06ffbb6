"""Change detection by file-system events for local draft roots.

A ``DraftWatcher`` watches each local root (recursively) with ``watchfiles`` (inotify,
FSEvents, ReadDirectoryChangesW through the Rust ``notify`` crate; chosen over ``watchdog``
by ``bench/watch.py``: the figures are in the README) in one background thread, and reports
"draft ``key`` changed at ``t``" for every draft folder an event touches, on the asyncio
loop, to the scheduler's ``changed`` hook. The quiet period then ends on the last event.

Where events are not available (a network drive, too many watches, a root that cannot be
watched) ``start`` returns False and nothing else changes: the scheduler's stat sweep,
kept in any case as the slower safety net, finds the changes as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from draftkeeper.core.fsutil import TMP_PREFIX

log = logging.getLogger(__name__)

Changed = Callable[[str, float], None]  # (draft key, when)
DEBOUNCE_MS = 50  # events are gathered this long before they are reported
# file systems whose events do not reach this machine: the stat sweep watches them
_REMOTE_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "davfs"}


def events_supported(root: Path) -> bool:
    """False for a root on a network file system (its events are not seen here)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return True  # not Linux: the platform's watcher decides
    best, fstype = "", ""
    target = str(root.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3 or len(parts[1]) <= len(best):
            continue
        if target == parts[1] or target.startswith(parts[1].rstrip("/") + "/"):
            best, fstype = parts[1], parts[2]
    return fstype not in _REMOTE_FS


class DraftWatcher:
    """Watches local roots; ``changed(key, t)`` runs on ``loop`` for each touched draft."""

    def __init__(self, loop: asyncio.AbstractEventLoop, changed: Changed,
                 lost: Callable[[], None] | None = None) -> None:
        self.loop = loop
        self.changed = changed
        self.lost = lost  # runs on the loop when events stop working
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False  # events still on their way to the loop are dropped
        self.roots: list[Path] = []

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, roots: Iterable[Path]) -> bool:
        """Watch ``roots`` (the ones events can be had for); True once the watches are in
        place, False when there are none (the sweep then does all the watching)."""
        self._halt()
        self._stopped = False
        self.roots = [r for r in roots if r.is_dir() and events_supported(r)]
        if not self.roots:
            return False
        try:
            from watchfiles._rust_notify import RustNotify  # only where events are wanted
        except ImportError:
            return False
        try:
            notify = RustNotify([str(r) for r in self.roots], False, False, 300, True, True)
        except Exception:  # too many watches, a root that vanished: fall back to the sweep
            log.warning("cannot watch %s for events; the stat sweep watches it", self.roots,
                        exc_info=True)
            return False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(notify, self._stop), name="draftkeeper-watch", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        """No more events: once this returns, none reaches ``changed`` (one the thread
        had already handed to the loop is dropped there; the session that stops its
        watcher then stops its scheduler, which must not start an autosave after it)."""
        self._stopped = True
        self._halt()

    def _halt(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self._thread = None

    def _run(self, notify: Any, stop: threading.Event) -> None:
        try:
            with notify:
                while not stop.is_set():
                    batch = notify.watch(DEBOUNCE_MS, DEBOUNCE_MS, 1000, stop)
                    if isinstance(batch, str):
                        continue  # "timeout", "signal"; "stop" ends the loop above
                    self._report(batch)
        except Exception:  # events are an optimisation: the sweep still finds changes
            log.warning("file-system events stopped; the stat sweep keeps watching",
                        exc_info=True)
            if self.lost is not None:
                with contextlib.suppress(RuntimeError):
                    self.loop.call_soon_threadsafe(self.lost)

    def _report(self, batch: set[tuple[int, str]]) -> None:
        keys = {k for _change, path in batch if (k := self.key_of(Path(path)))}
        at = time.time()
        for key in sorted(keys):
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self.loop.call_soon_threadsafe(self._deliver, key, at)

    def _deliver(self, key: str, at: float) -> None:
        """On the loop: an event, unless the watcher was stopped since it was seen (a
        restart on other roots keeps it: the draft did change).

        qasync runs Qt's events once more after a run of its loop has stopped, with no
        asyncio loop running: an event handed over then would start an autosave task that
        cannot be created (``asyncio.create_task`` raises after its coroutine was made).
        Such an event waits for the loop's next run (and goes if the loop closes first)."""
        if self._stopped:
            return
        if not self.loop.is_running():
            self.loop.call_soon(self._deliver, key, at)
            return
        self.changed(key, at)

    def key_of(self, path: Path) -> str | None:
        """The draft a changed path belongs to (a local draft's key is its folder name)."""
        for root in self.roots:
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            if not rel.parts or rel.parts[0].startswith(".") or any(
                p.startswith(TMP_PREFIX) for p in rel.parts
            ):
                return None  # hidden folders, our temp files
            if len(rel.parts) == 1 and not path.is_dir():
                return None  # the root's own files (a folder made: a new draft, whose
                # first files may come before its folder is watched)
            return rel.parts[0]
        return None
