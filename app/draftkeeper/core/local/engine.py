"""LocalEngine: the save_draft workflow over draft roots and the version store.

The spec's workflow: validate the draft_url, check the draft exists, take a consistent
snapshot of the working copy, persist it durably, return the result. Blocking work runs in
worker threads so the asyncio loop (and the window on it) never waits on disk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from draftkeeper.core.backend import (
    Batched,
    DraftInfo,
    DraftScan,
    RestoreResult,
    SavedState,
    SaveResult,
    VerifyReport,
    VersionInfo,
    fingerprint,
    fingerprint_of,
)
from draftkeeper.core.drafts import folders as drafts
from draftkeeper.core.drafts import roots
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound
from draftkeeper.core.local.manager import DraftManagerMixin, to_thread
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store import quick
from draftkeeper.core.store.snapshot import SaveOptions
from draftkeeper.core.store.store import Store
from draftkeeper.core.urls import parse_draft_id

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from draftkeeper.core.drafts.details import Listed
    from draftkeeper.core.local.index import DraftIndex
    from draftkeeper.core.local.walks import Walks
    from draftkeeper.core.store.batch import Outcome
    from draftkeeper.core.store.manifests import Manifest



class LocalEngine(DraftManagerMixin):
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        roots: list[Path] | None = None,
        store: Store | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or Settings()
        self._roots = roots
        self.store = store or Store(
            self.settings.store_path(), lock_timeout=self.settings.lock_timeout_s
        )
        self.clock = clock
        # by (root, draft id), the root as DraftInfo.root has it (a str: hashed per draft)
        self._scan_cache: dict[tuple[str, str], DraftScan] = {}
        # what each draft's details look at of its files, as its last new scan listed them
        self._listings: dict[tuple[str, str], Listed] = {}
        # when (time.monotonic) each draft's last walk began
        self._walked: dict[tuple[str, str], float] = {}
        # A command that sweeps the roots and then saves what it found (``save --all``)
        # asks for those saves before its sweep: a walk begun since then is stat data as
        # fresh as the save's own walk, so the unchanged check uses it (one walk per draft
        # instead of two). None: every save walks its draft itself.
        self.walks_count_from: float | None = None
        self.ahead = False  # the next sweep asks for its new drafts' walks (local/ahead.py)
        self._index: DraftIndex | None = None
        self._walks: Walks | None = None

    @property
    def index(self) -> DraftIndex:
        """The index of the store's latest versions (a new one when the store changed)."""
        if self._index is None or self._index.store is not self.store:
            from draftkeeper.core.local.index import DraftIndex  # sqlite3: when first read

            if self._index is not None:
                self._index.close()
            self._index = DraftIndex(self.store)
        return self._index

    def _index_saves(self) -> None:
        """The store's saves write the index's rows of the versions they commit (the
        next command then reads no manifest of them)."""
        self.store.manifests.committed = self.index.record

    @property
    def walks(self) -> Walks:
        """Draft folders' known listings: an unchanged folder is not read again."""
        if self._walks is None:  # (a one-draft command walks its draft in full: no Walks)
            from draftkeeper.core.local.walks import Walks

            self._walks = Walks(lambda: self.index)
        return self._walks

    @property
    def roots(self) -> list[Path]:
        if self._roots is not None:
            return self._roots
        return roots.effective_roots(self.settings.roots)

    def set_roots(self, roots: list[Path] | None) -> None:
        self._roots = roots

    # --- synchronous API (worker threads, CLI) -----------------------------------------

    def locate(self, draft_url: str) -> tuple[str, Path, Path]:
        """(draft_id, root, folder): validate first, then check that the draft exists. The
        id is the folder's name as the list shows it (an id from a URL may be in another
        Unicode form than the name on disk: see ``find_draft``)."""
        root, folder = roots.find_draft(self.roots, parse_draft_id(draft_url))
        return folder.name, root, folder

    def _save_options(self) -> SaveOptions:
        s = self.settings  # read at every save: settings change at run time
        return SaveOptions(s.include_media, s.media_threshold_bytes, s.keep_last, self.clock)

    def save_sync(self, draft_url: str, reason: str = "manual") -> SaveResult:
        draft_id, _root, folder = self.locate(draft_url)
        if self._index is not None and self._index.store is self.store:
            self._index_saves()  # (a one-draft command opens no index for it: ~1.5 ms)
        manifest, unchanged = self.store.save(
            draft_id, folder, reason=reason, options=self._save_options()
        )
        return SaveResult(
            draft_url=draft_url,
            version=manifest.version,
            saved_at=manifest.saved_at,
            unchanged=unchanged,
            bytes_stored=0 if unchanged else manifest.stored_bytes,
        )

    def save_many_sync(self, keys: list[str], reason: str = "manual") -> dict[str, Batched]:
        """Save many drafts at once (``store/batch.py``): each key's result and saved
        state, or the error that kept it from being saved."""
        out: dict[str, Batched] = {}
        found: list[tuple[str, str, Path]] = []
        root_of: dict[str, Path] = {}
        for key in keys:
            try:
                draft_id, root, folder = self.locate(key)
            except DraftKeeperError as exc:
                out[key] = exc
                continue
            found.append((key, draft_id, folder))
            root_of[key] = root
        if found and not quick.restore_pending(self.store.root):  # (else: recovers first)
            from draftkeeper.core.local.unchanged import answer_unchanged

            since = self.walks_count_from
            found = answer_unchanged(self.index, found, root_of, reason, out, None if (
                since is None) else lambda root, draft_id: self._walk_since(root, draft_id, since))
        if not found:
            return out
        self._index_saves()
        from draftkeeper.core.store import batch  # only when many drafts are saved

        counts: dict[str, int] = {}  # each draft's versions, as the batch counted them

        def done(i: int, outcome: Outcome) -> None:  # (a group's manifests at a time)
            self._result(found[i][0], outcome, out, counts)

        # one call for all of them: its second process reads the next group while this
        # thread saves one, from the first group to the last
        batch.save_many(self.store, [(d, f) for _k, d, f in found], reason=reason,
                        options=self._save_options(), counts=counts, done=done)
        return out

    def walk_ahead_sync(self, keys: list[str]) -> None:
        """The new drafts of ``keys``, which a batch save is about to save, walked and
        hashed by the second process meanwhile (``local/ahead.py``)."""
        from draftkeeper.core.local.ahead import walk_ahead

        scans = list(self._scan_cache.values())  # (one C call: a sweep may run meanwhile)
        where = {s.info.key: (s.info.draft_id, s.info.path) for s in scans}
        walk_ahead(self.store, [where[k] for k in keys if k in where], self.clock)

    def _walk_since(self, root: Path, draft_id: str, since: float) -> DraftScan | None:
        """The draft's scan, when its last walk began at or after ``since``."""
        at = (os.fspath(root), draft_id)
        walked = self._walked.get(at)
        return self._scan_cache.get(at) if walked is not None and walked >= since else None

    def _result(self, key: str, outcome: Outcome, out: dict[str, Batched],
                counts: dict[str, int]) -> None:
        if isinstance(outcome, DraftKeeperError):
            out[key] = outcome
        else:
            manifest, unchanged = outcome
            out[key] = (
                SaveResult(draft_url=key, version=manifest.version, saved_at=manifest.saved_at,
                           unchanged=unchanged,
                           bytes_stored=0 if unchanged else manifest.stored_bytes),
                self._state_of(manifest, counts.get(manifest.draft_id)),
            )

    def list_drafts_sync(self) -> list[DraftInfo]:
        ignored = set(self.settings.ignored_drafts)
        out: list[DraftInfo] = []
        for root in self.roots:
            out.extend(d for d in drafts.list_drafts(root) if d.draft_id not in ignored)
        return out

    def history_sync(self, draft_url: str) -> list[VersionInfo]:
        draft_id = parse_draft_id(draft_url)
        versions = self.store.history(draft_id)
        if not versions:
            # a draft deleted by the editor still has its history; only complain when
            # there is neither a draft nor a version
            try:
                self.locate(draft_url)
            except DraftNotFound:
                raise DraftNotFound(
                    f"Draft does not exist and has no versions: {draft_id}",
                    reason="draft_not_found", params={"draft_id": draft_id},
                ) from None
        return versions

    def restore_sync(self, draft_url: str, version: str) -> RestoreResult:
        """All or nothing: the version is staged and checked before the working copy
        changes (see app/draftkeeper/core/store/restore.py)."""
        from draftkeeper.core.store import actions  # restore's modules: only to restore

        draft_id = parse_draft_id(draft_url)
        # the editor deleted the draft: restore recreates it where it was
        folder = self.restore_folder(draft_id)
        return actions.restore_version(
            self.store, draft_id, version, folder, draft_url=draft_url, options=self._save_options()
        )

    def scan_sync(self) -> list[DraftScan]:
        """Every draft of every root with its stat fingerprint: one stat per file."""
        jobs: list[tuple[str, str, str, dict[str, str]]] = []
        ignored = set(self.settings.ignored_drafts)
        for root in self.roots:
            names = drafts.read_root_index(root)
            top = os.fspath(root)  # (strings: a Path costs its conversions per draft)
            jobs.extend(
                (top, draft_id, os.path.join(top, draft_id), names)
                for draft_id in drafts.draft_ids(root)
                if draft_id not in ignored
            )
        if self.ahead and jobs:  # a batch save of them follows
            from draftkeeper.core.local.ahead import walk_ahead

            self.ahead = False
            walk_ahead(self.store, [(d, f) for _r, d, f, _n in jobs], self.clock)
        # One thread on purpose: threads made this slower (GIL hand-offs per stat call).
        scans = [self._scan(*job) for job in jobs]
        self.walks.flush(self.roots, (folder for _r, _d, folder, _n in jobs))
        return [scan for scan in scans if scan is not None]

    def _scan(self, root: str, draft_id: str, folder: str, names: dict[str, str],
              known: bool = True) -> DraftScan | None:
        began = time.monotonic()
        at = (root, draft_id)
        try:
            files = self.walks.walk(folder) if known else roots.walk_files(folder)
        except (FileNotFoundError, NotADirectoryError):
            self._walked.pop(at, None)
            return None  # vanished while we looked
        self._walked[at] = began
        fp = fingerprint_of(files)
        name = names.get(draft_id, draft_id)
        cached = self._scan_cache.get(at)
        if cached is not None and cached.fingerprint == fp and cached.info.name == name:
            return cached  # unchanged: skip rebuilding its info
        scan = DraftScan(drafts.draft_info(root, draft_id, names, files, folder), fp)
        self._scan_cache[at] = scan
        self._listings[at] = roots.listing(files)
        return scan

    def _listed(self, info: DraftInfo) -> Listed | None:
        at = (info.root, info.draft_id)  # (as the sweep keyed it: no new Path)
        scan = self._scan_cache.get(at)
        if scan is None or (scan.info is not info and scan.info != info):
            return None
        return self._listings.get(at)

    def scan_one_sync(self, key: str) -> DraftScan | None:
        draft_id = parse_draft_id(key)
        try:
            root, _folder = roots.find_draft(self.roots, draft_id)
        except DraftNotFound:
            return None
        top = os.fspath(root)
        # the known listings only where the index is open already (the window, watch):
        # a one-draft command walks its draft in full and leaves the index alone
        known = self._index is not None
        scan = self._scan(top, draft_id, os.path.join(top, draft_id),
                          drafts.read_root_index(root), known)
        if known:
            self.walks.flush()
        return scan

    def saved_state_sync(self, key: str) -> SavedState:
        return self.saved_states_sync([key])[0]

    def saved_states_sync(self, keys: list[str]) -> list[SavedState]:
        """From the index of latest versions (``local/index.py``), checked against the
        store; a process that has not opened the index (a one-draft command) asks the
        store of its one draft (what the index reads when its row is stale: opening the
        index and checking its row cost ~1.5 ms of a changed CLI save)."""
        if self._index is None and len(keys) == 1:
            draft_id = parse_draft_id(keys[0])
            ids = self.store.version_ids(draft_id)
            latest = self.store.latest(draft_id, ids)
            return [SavedState(None, None, 0) if latest is None
                    else self._state_of(latest, len(ids))]
        found = self.index.latest_many([parse_draft_id(k) for k in keys])
        return [SavedState(None, None, 0) if e is None else SavedState(
            fingerprint=e.fingerprint, last_saved_at=e.time, versions=e.versions,
            last_version=e.version) for e in found]

    def _state_of(self, latest: Manifest, versions: int | None = None) -> SavedState:
        return SavedState(
            fingerprint=fingerprint(f.stat_key() for f in latest.files),
            last_saved_at=latest.time,
            versions=len(self.store.version_ids(latest.draft_id)) if versions is None
            else versions,
            last_version=latest.version,
        )

    def server_of(self, key: str) -> str | None:
        return None

    async def scan(self) -> list[DraftScan]:
        return await to_thread(self.scan_sync)

    async def scan_one(self, key: str) -> DraftScan | None:
        return await to_thread(self.scan_one_sync, key)

    async def saved_state(self, key: str) -> SavedState:
        return await to_thread(self.saved_state_sync, key)

    async def saved_states(self, keys: list[str]) -> list[SavedState]:
        return await to_thread(self.saved_states_sync, keys)

    def verify_sync(self) -> VerifyReport:
        return self.store.verify()

    # --- SaveBackend (asyncio) ---------------------------------------------------------

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        return await to_thread(self.save_sync, draft_url, reason)

    async def save_many(self, keys: list[str], reason: str = "manual") -> dict[str, Batched]:
        return await to_thread(self.save_many_sync, keys, reason)

    async def walk_ahead(self, keys: list[str]) -> None:
        await to_thread(self.walk_ahead_sync, keys)

    async def list_drafts(self) -> list[DraftInfo]:
        return await to_thread(self.list_drafts_sync)

    async def history(self, draft_url: str) -> list[VersionInfo]:
        return await to_thread(self.history_sync, draft_url)

    async def restore(self, draft_url: str, version: str) -> RestoreResult:
        return await to_thread(self.restore_sync, draft_url, version)

    async def verify(self) -> VerifyReport:
        return await to_thread(self.verify_sync)

    async def aclose(self) -> None:
        self.close_parser()
        self.store.close_hasher()  # (a batch save's second process, if one was started)
        if self._index is not None:
            self._index.close()

