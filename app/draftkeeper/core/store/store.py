"""The Store: one object over the store folder, tying its parts together.

Layout under the store folder::

    lock                              OS file lock serializing writers (several processes)
    objects.db                        SQLite (blobs/database.py): small contents, up to
                                      260 KiB as stored, once each (blobs/packs.py), and
                                      every version's manifest, a row (versions.py)
    blobs/ab/<sha256>.zst             large contents (pieces of media and of files over
                                      64 MiB), and every content of stores of earlier
                                      releases, one file each (blobs.py, chunking.py;
                                      both reached through backing.py's interface)
    drafts/<key>/versions/<id>.json   manifests of earlier releases (until migrated)
    journal/<key>.json                a restore in progress                    (journal.py)
    aside/<key>/<stamp>/...           files a restore moved out of the working copy
    trash/...                         what finished restores replaced, being deleted
    gc-stamp                          when unreferenced blobs were last collected
    index.sqlite3                     a cache of latest versions and content facts,
                                      rebuilt when missing or stale   (local/index.py)

Writers (save, restore, prune, recovery) hold the lock; readers (history, list, verify)
never take it, so a read-only store can be read.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from draftkeeper.core.backend import VerifyReport, VersionInfo
from draftkeeper.core.blobs.backing import Backing
from draftkeeper.core.blobs.blobs import Blobs
from draftkeeper.core.blobs.database import ObjectDB
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.blobs.lock import FileLock
from draftkeeper.core.blobs.packs import PackedFolder
from draftkeeper.core.errors import (
    BadRequest,
    DraftKeeperError,
    StoreLocked,
    disk_error,
)
from draftkeeper.core.fsutil import remove_temp_files
from draftkeeper.core.store import quick, retention, snapshot
from draftkeeper.core.store.manifests import (
    REASONS,
    Damage,
    Manifest,
    RecentManifests,
    new_version_id,
    read_began,
    same_files,
)
from draftkeeper.core.store.snapshot import DEFAULT_OPTIONS, SaveOptions, Snapshot
from draftkeeper.core.store.versions import Manifests

# the journal, the batch saves' second process and the trash are loaded where they are
# used: a save of one draft with no restore to finish needs none of them
TYPE_CHECKING = False
if TYPE_CHECKING:
    from draftkeeper.core.blobs.hashers import Hasher
    from draftkeeper.core.store.journal import Journal


class Store:
    """Versions of drafts, shared safely by several processes."""

    def __init__(self, root: Path, *, lock_timeout: float = 10.0, io: StoreIO | None = None,
                 backing: Backing | None = None):
        self.root = root
        self.io = io or StoreIO()
        self.lock_timeout = lock_timeout
        # where contents live (default: the local folder, small ones in the database);
        # manifests (rows of that database), journal and lock stay in ``root``
        self.db = ObjectDB(root, self.io)
        self.blobs = Blobs(root, self.io, backing or PackedFolder(
            root, self.io, root / "blobs", self.db))
        self.manifests = Manifests(root, self.io, self.db)
        self._journal: Journal | None = None  # (``journal``: made when a restore needs it)
        self.aside = root / "aside"
        self.trash = root / "trash"  # staging folders of finished restores, being deleted
        try:
            for folder in (self.root, self.blobs.dir):
                if not folder.is_dir():
                    folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise disk_error(exc, "opening the version store") from exc
        self._latest_cache: dict[str, Manifest] = RecentManifests(1024)  # not 35 MB at 10k
        self._verified: dict[str, str] = {}  # draft_id -> version whose racy files matched
        # draft_id -> (version, when) equal by content once its racy files had settled
        self._checked: dict[str, tuple[str, float]] = {}
        self.recovered: list[tuple[str, str]] = []  # (draft_id, outcome) of crashed restores
        self._hasher: Hasher | None = None  # (``hasher``: made when a batch needs it)
        self._migrated = False
        self._cleanup_temp_files()
        self.recover(timeout=min(lock_timeout, 2.0))

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from draftkeeper.core.store.journal import Journal

            self._journal = Journal(self.root, self.io)
        return self._journal

    @property
    def hasher(self) -> Hasher:
        """A second process for big batch saves (made at first use, started when used)."""
        if self._hasher is None:
            from draftkeeper.core.blobs.hashers import Hasher

            self._hasher = Hasher()
        return self._hasher

    def close_hasher(self) -> None:
        """End the second process of big batch saves, if one was made."""
        if self._hasher is not None:
            self._hasher.close()

    # --- locking and recovery ----------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        lock = FileLock(self.root / "lock", self.lock_timeout, self.io)
        lock.acquire()
        try:
            if self.manifests.legacy and not self._migrated:
                self._migrated = True  # manifest files of an earlier release become rows
                try:
                    self.manifests.migrate()
                except OSError as exc:
                    raise disk_error(exc, "opening the version store") from exc
            with self.blobs.holding():  # (what is stored stays so while the lock is held)
                yield
        finally:
            lock.release()

    def _cleanup_temp_files(self) -> None:
        """Remove temp files a crashed writer left behind (only when no writer is active;
        never on a store this process cannot write)."""
        lock = FileLock(self.root / "lock", 0, self.io)
        try:
            if not lock.try_acquire():
                return
        except OSError:
            return  # read-only: a reader needs no clean-up
        try:
            # where writers make their temp files (blobs/io.py's write_temp in blobs/, the
            # journal's); a blob's sub-folder gets only finished files (renamed in), so it
            # is not read at every opening (on a store of 51,200 blob files: ~31 ms of
            # each command); ``prune`` sweeps the sub-folders too
            remove_temp_files([self.blobs.dir, quick.journal_dir(self.root)])
            with contextlib.suppress(OSError):
                if os.listdir(self.trash):  # what a kill kept from being deleted
                    from draftkeeper.core.store import trashbin

                    trashbin.empty(self.trash)
            with contextlib.suppress(OSError):
                self.manifests.migrate()  # (readers read the files until then)
        finally:
            lock.release()

    def recover(self, timeout: float | None = None) -> int:
        """Finish or undo every restore a crash interrupted; returns how many. Skipped
        (0) when the store cannot be written or stays busy for ``timeout`` seconds: the
        next writer of that draft recovers it under the lock."""
        if not quick.restore_pending(self.root):
            return 0
        lock = FileLock(self.root / "lock", self.lock_timeout if timeout is None else timeout,
                        self.io)
        try:
            lock.acquire()
        except (StoreLocked, OSError):
            return 0
        try:
            pending = self.journal.pending()
            for path in pending:
                self._recover_locked(path)
            return len(pending)
        finally:
            lock.release()

    def _recover_locked(self, path: Path) -> None:
        from draftkeeper.core.store import restore  # only when a restore was interrupted

        outcome = restore.recover(self.io, self.journal, path)
        if outcome is not None:
            self.recovered.append(outcome)

    def _recover_draft_locked(self, draft_id: str) -> None:
        if not quick.restore_pending(self.root):
            return
        path = self.journal.path(draft_id)
        if path.exists():
            self._recover_locked(path)

    # --- reading (no lock) -------------------------------------------------------------

    def version_ids(self, draft_id: str) -> list[str]:
        """Version ids of a draft, oldest first (damaged ones included)."""
        return self.manifests.version_ids(draft_id)

    def manifest(self, draft_id: str, version: str) -> Manifest:
        return self.manifests.read(draft_id, version)

    def latest(self, draft_id: str, ids: list[str] | None = None) -> Manifest | None:
        """The newest readable version (of ``ids``, when the caller listed them)."""
        ids = self.version_ids(draft_id) if ids is None else ids
        if not ids:
            return None
        cached = self._latest_cache.get(draft_id)
        if cached is not None and cached.version == ids[-1]:
            return cached
        manifest = self.manifests.newest_readable(draft_id, ids)
        if manifest is not None and manifest.version == ids[-1]:
            self._latest_cache[draft_id] = manifest
        return manifest

    def history(self, draft_id: str) -> list[VersionInfo]:
        """Versions of a draft, newest first; damaged ones are listed and marked."""
        return self.manifests.history(draft_id)

    def resolve_version(self, draft_id: str, version: str) -> str:
        """A full version id from a full id or a unique prefix of one."""
        return self.manifests.resolve(draft_id, version)

    def draft_ids(self) -> list[str]:
        return self.manifests.draft_ids()

    def damage_seen(self) -> list[Damage]:
        """Damaged manifests that readers skipped so far (for warnings)."""
        return list(self.manifests.damage.values())

    def verify(self) -> VerifyReport:
        """Re-read every blob of every version and check its hash."""
        from draftkeeper.core.store.verify import verify

        return verify(self.manifests, self.blobs)

    # --- saving ------------------------------------------------------------------------

    def is_unchanged(
        self, draft_id: str, folder: Path, listing: snapshot.Listing | None = None,
        ids: list[str] | None = None) -> Manifest | None:
        """The latest version when the working copy equals it; else None."""
        latest = self.latest(draft_id, ids)
        if latest is None:
            return None
        if listing is None:
            listing = snapshot.listing(draft_id, folder)
        if self._verified.get(draft_id) == latest.version or not snapshot.has_racy(latest):
            current = [(rel, st.st_size, st.st_mtime_ns) for rel, st in listing]
            return latest if current == [f.stat_key() for f in latest.files] else None
        started = time.time()
        if not snapshot.same_as(self.io, latest, folder, listing):
            return None
        if snapshot.racy_settled(latest):
            self._verified[draft_id] = latest.version  # later writes will move the mtime
        if snapshot.racy_settled(latest, int(started * 1e9)):
            # equal by content as read after every racy mtime had settled: recorded in the
            # manifest by the save that answers (so that other processes trust stat data)
            self._checked[draft_id] = (latest.version, started)
        return latest

    def _record_check(self, manifest: Manifest, *, locked: bool) -> Manifest:
        """``manifest`` with the content check ``is_unchanged`` just made, written (best
        effort: without the lock at hand, only when the store is free at once)."""
        pending = self._checked.pop(manifest.draft_id, None)
        if pending is None or pending[0] != manifest.version:
            return manifest
        lock = None if locked else FileLock(self.root / "lock", 0, self.io)
        try:
            if lock is not None and not lock.try_acquire():
                return manifest
            try:
                current = self.manifests.read(manifest.draft_id, manifest.version)
                if current.files != manifest.files:
                    return manifest
                checked = current.replace(checked_at=pending[1])
                self.manifests.write(checked)
            finally:
                if lock is not None:
                    lock.release()
        except (OSError, DraftKeeperError):
            return manifest  # read-only, thinned meanwhile: the next save checks again
        self._latest_cache[manifest.draft_id] = checked
        return checked

    def save(
        self,
        draft_id: str,
        folder: Path,
        *,
        reason: str = "manual",
        options: SaveOptions = DEFAULT_OPTIONS,
    ) -> tuple[Manifest, bool]:
        """Snapshot ``folder`` as a new version. Returns (manifest, unchanged).

        What a save answers stays saved: an unchanged manual save pins the version it
        answers with, so retention never thins it."""
        if reason not in REASONS:
            raise BadRequest(f"Unknown save reason {reason!r}")
        unchanged = self.is_unchanged(draft_id, folder)
        if unchanged is not None and (unchanged.protected or reason != "manual"):
            return self._record_check(unchanged, locked=False), True
        with self.locked():
            return self.save_locked(draft_id, folder, reason, options)

    def save_locked(
        self,
        draft_id: str,
        folder: Path,
        reason: str,
        options: SaveOptions = DEFAULT_OPTIONS,
        *,
        retain: bool = True,
    ) -> tuple[Manifest, bool]:
        """``save`` for a caller that holds the lock already (restore: ``retain=False``,
        retention runs after the restore instead)."""
        self._recover_draft_locked(draft_id)
        began = options.now()  # (the version's time: ``read_began``)
        listing = snapshot.listing(draft_id, folder)  # (another process may have saved it)
        ids = self.version_ids(draft_id)  # (the lock is held: they stay these)
        unchanged = self.is_unchanged(draft_id, folder, listing, ids)
        if unchanged is not None:
            return self._answer_unchanged(unchanged, reason), True
        latest = self.latest(draft_id, ids)
        out = Snapshot()
        try:
            snapshot.take(self.io, self.blobs, draft_id, folder, listing, latest, options, out)
            if latest is not None and same_files(out.files, latest):
                return self._answer_unchanged(latest, reason), True  # racy files had not changed
            last = next(reversed(ids), None)
            stamp = read_began(began, last)
            manifest = Manifest(
                draft_id=draft_id, version=new_version_id(stamp, last),
                time=stamp,
                reason=reason,
                files=tuple(out.files),
                stored_bytes=out.stored_bytes,
                folder=str(folder),
            )
            self.commit([manifest])
        except DraftKeeperError:
            self.blobs.discard(out.new_blobs)
            raise
        except OSError as exc:
            self.blobs.discard(out.new_blobs)
            raise disk_error(exc, f"saving {draft_id}") from exc
        self._latest_cache[draft_id] = manifest
        if retain:
            self.retain(draft_id, options.keep_last, stamp)
        self.manifests.done([manifest])  # (the index of latest versions: its row)
        return manifest, False

    def commit(self, manifests: list[Manifest], raws: list[bytes] | None = None) -> None:
        """Make new versions exist (``Manifests.commit``; the caller holds the lock)."""
        self.manifests.commit(manifests, self.blobs, raws)

    def _answer_unchanged(self, manifest: Manifest, reason: str) -> Manifest:
        manifest = self._record_check(manifest, locked=True)
        if reason != "manual" or manifest.protected:
            return manifest
        pinned = manifest.pin()
        try:
            self.manifests.write(pinned)
        except OSError as exc:
            raise disk_error(exc, f"keeping version {manifest.version}") from exc
        self._latest_cache[manifest.draft_id] = pinned
        return pinned

    def retain(self, draft_id: str, keep_last: int, now: float, spare: set[str] | None = None,
                ) -> None:
        """Retention, then garbage collection when due: best effort, the version is saved
        (the caller holds the lock)."""
        with contextlib.suppress(OSError):
            removed = retention.apply_retention(
                self.io, self.manifests, draft_id, keep_last, now, spare or set())
            if removed and retention.gc_due(self.root, now):
                retention.collect_garbage(self.manifests, self.blobs)
                (self.root / "gc-stamp").touch()

    def prune(self, keep_last: int, now: float | None = None) -> int:
        """Apply retention to every draft and collect unreferenced blobs; returns the
        number of blobs removed."""
        now = time.time() if now is None else now
        with self.locked():
            for path in self.journal.pending():
                self._recover_locked(path)
            for draft_id in self.draft_ids():
                retention.apply_retention(self.io, self.manifests, draft_id, keep_last, now)
            with contextlib.suppress(OSError):
                remove_temp_files(list(self.blobs.dir.iterdir()))
            return retention.collect_garbage(self.manifests, self.blobs)
