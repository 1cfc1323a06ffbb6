"""Session: what the window runs on. One Settings object shared by the engines and the
scheduler, commands that change it (roots, remote drafts, settings) and persist it.

Qt-free, so the window stays a thin layer over it and the commands are tested without Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from draftkeeper.core.backend import RestoreResult, VersionInfo
from draftkeeper.core.drafts import folders as drafts
from draftkeeper.core.drafts import roots
from draftkeeper.core.drafts.watcher import DraftWatcher
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound, SaveFailed
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.remote.engine import RemoteEngine, attempt_log
from draftkeeper.core.remote.urls import remote_draft_url
from draftkeeper.core.saving.clock import Clock
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.session.manager import DraftCommands
from draftkeeper.core.session.router import Router
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Problem, SettingError, Settings
from draftkeeper.core.store.store import Store

if TYPE_CHECKING:
    from draftkeeper.core.remote.pull import PullResult
    from draftkeeper.core.saving.status import StatusEvent
    from draftkeeper.core.shared.background import ShareState, Sharing

# how long the start waits for what its caller does first (the window's details) before
# it sets up the file-system watches
WATCH_WAIT_S = 3.0
# the settings that name the shared store: a change restarts the background uploads
SHARE_SETTINGS = ("share_url", "share_region", "share_access_key_id",
                  "share_secret_access_key", "share_passphrase", "machine_name")


class _UnusableStore:
    """Stands in for a version store that cannot be opened: any use names the problem.
    The session starts no saving while it is in place, so nothing claims to be saved."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.lock_timeout = 0.0

    def __getattr__(self, name: str) -> Any:
        raise SaveFailed(f"The version store cannot be used: {self.problem}",
                         reason="store_unusable", params={"detail": self.problem})


def _open_store(settings: Settings) -> tuple[Store, str | None]:
    """The store the settings name, or a stand-in and why it cannot be used. A store that
    can be read but not written opens: readers work, and a save names the cause."""
    problem = settings_mod.store_problem(settings.store_path(), writable=False)
    if problem is None:
        try:
            return Store(settings.store_path(), lock_timeout=settings.lock_timeout_s), None
        except DraftKeeperError as exc:
            problem = exc.message
    return cast(Store, _UnusableStore(problem)), problem


def _share_problems(candidate: Settings, now: Settings) -> list[Problem]:
    """A share URL or machine name that cannot be used (checked only when changed and
    set: nothing of the shared store is loaded otherwise)."""
    found: list[Problem] = []
    if candidate.share_url and candidate.share_url != now.share_url:
        from draftkeeper.core.shared.url import parse_share_url

        try:
            parse_share_url(candidate.share_url, candidate.share_region)
        except DraftKeeperError as exc:
            found.append(Problem("share_url", "url", {"reason": exc.message}, exc.message))
    if candidate.machine_name and candidate.machine_name != now.machine_name:
        from draftkeeper.core.shared.config import machine_of

        try:
            machine_of(candidate)
        except DraftKeeperError as exc:
            found.append(Problem("machine_name", "value", {"reason": exc.message},
                                 exc.message))
    return found


class Session(DraftCommands):
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        settings_path: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings_path = settings_path
        self.settings = settings if settings is not None else settings_mod.load(settings_path)
        # values of settings changed for this run only (CLI options): saved as they were
        self.kept_on_disk: dict[str, Any] = {}
        store, self.store_problem = _open_store(self.settings)
        self.local = LocalEngine(self.settings, store=store)
        self._removed: dict[str, bool] = {}  # removed from the list (undoable): was remote
        self._started = False
        # one record of save attempts for every draft, beside the version store
        self.attempts = attempt_log(self.settings)
        self.remote = RemoteEngine(self.settings, attempts=self.attempts,
                                   store=self._store)
        self.router = Router(self.local, self.remote)
        self.scheduler = SaveScheduler(self.router, self.settings, clock=clock,
                                       record=self.attempts)
        self.watcher: DraftWatcher | None = None  # file-system events for local roots
        # the background uploads to the shared store (only when share_url is set: nothing
        # of the shared store is imported otherwise) and who hears of each draft's state
        self.sharing: Sharing | None = None
        # (None: every state is forgotten, the uploads stopped)
        self.share_listeners: list[Callable[[ShareState | None], None]] = []
        self.scheduler.subscribe(self._saved_for_share)

    def _store(self) -> Store:
        return self.local.store

    # --- lifecycle -------------------------------------------------------------------

    async def start(self, states_known: Callable[[], Awaitable[object] | None] | None = None
                    ) -> None:
        """Start saving, unless the store cannot be used: then nothing starts until
        another store is chosen (``store_problem`` says why). ``states_known`` runs once
        the first sweep knows every draft's state; what it returns (the window: its rows'
        details) is awaited, up to ``WATCH_WAIT_S``, before the file-system watches are
        set up (10,000 draft folders: 0.2-0.3 s holding the GIL; until then the sweep
        keeps its full pace)."""
        self._started = True
        if self.store_problem is None:
            await self.scheduler.start()
            first = states_known() if states_known is not None else None
            if first is not None:
                await asyncio.wait([asyncio.ensure_future(first)], timeout=WATCH_WAIT_S)
            await self._watch()
            self._start_sharing()
        elif states_known is not None:
            states_known()

    def _start_sharing(self) -> None:
        if not self.settings.share_url or self.sharing is not None:
            return
        from draftkeeper.core.shared.background import Sharing

        self.sharing = Sharing(self._store, self.settings, self._share_changed)
        self.sharing.start()

    async def _stop_sharing(self) -> None:
        sharing, self.sharing = self.sharing, None
        if sharing is not None:
            await sharing.stop()
            self._share_changed(None)

    def _share_changed(self, state: ShareState | None) -> None:
        for listener in list(self.share_listeners):
            listener(state)

    def _saved_for_share(self, event: StatusEvent) -> None:
        """A save made a new version (of a local draft, or a remote draft's mirror in the
        store): the background uploads share it."""
        new = event.new
        if self.sharing is None or new is None or not new.last_version:
            return
        if event.old is None or event.old.last_version != new.last_version:
            # the mirror's modules (downloads, httpx): only once there is a share
            from draftkeeper.core.remote.mirror import mirror_id

            draft_id = new.info.draft_id
            self.sharing.saved(mirror_id(draft_id) if new.remote else draft_id)

    async def stop(self) -> None:
        self._started = False
        await self._stop_sharing()
        if self.watcher is not None:
            await asyncio.to_thread(self.watcher.stop)
        await self.scheduler.stop()
        await self.router.aclose()
        self.local.close_parser()

    def save_settings(self) -> None:
        settings = self.settings
        if self.kept_on_disk:
            settings = settings.replace(**self.kept_on_disk)
        settings_mod.save(settings, self.settings_path)

    def _events_lost(self) -> None:
        self.scheduler.events = False  # the sweep takes over at its full pace

    async def _watch(self) -> None:
        """(Re)start file-system events on the local roots; where there are none, the
        scheduler's stat sweep keeps its full pace."""
        if not self._started or self.store_problem is not None:
            return
        if self.watcher is None:
            self.watcher = DraftWatcher(asyncio.get_running_loop(), self.scheduler.changed,
                                        lost=self._events_lost)
        self.scheduler.events = await asyncio.to_thread(self.watcher.start, self.local.roots)

    @property
    def roots(self) -> list[Path]:
        return self.local.roots

    # --- commands --------------------------------------------------------------------

    async def add_root(self, folder: str) -> Path:
        path = Path(folder).expanduser()
        roots.check_root(path)
        path = path.resolve()
        if str(path) not in self.settings.roots:
            if not self.settings.roots:
                # the first root the user picks joins the ones shown so far
                self.settings.roots = [str(r) for r in self.local.roots]
            if str(path) not in self.settings.roots:
                self.settings.roots.append(str(path))
            self.save_settings()
        await self.scheduler.refresh()
        await self._watch()
        return path

    def validate_draft_url(self, text: str) -> str:
        """The remote draft_url for what the user typed, or BadRequest naming why not."""
        return remote_draft_url(text, self.settings.remote_base)

    async def add_remote(self, text: str) -> str:
        url = self.validate_draft_url(text)
        if url not in self.settings.remote_drafts:
            self.settings.remote_drafts.append(url)
            self.save_settings()
        await self.scheduler.refresh()
        return url

    async def remove(self, key: str) -> None:
        """Take a draft off the list: remote drafts leave the remote list, local drafts are
        ignored from now on. Nothing is deleted, versions stay in the store."""
        was_remote = key in self.settings.remote_drafts
        before = list(self.settings.remote_drafts), list(self.settings.ignored_drafts)
        if was_remote:
            self.settings.remote_drafts.remove(key)
        elif key not in self.settings.ignored_drafts:
            self.settings.ignored_drafts.append(key)
        try:
            self.save_settings()
        except BaseException:  # not saved: not removed either
            self.settings.remote_drafts, self.settings.ignored_drafts = before
            raise
        self._removed[key] = was_remote
        self.scheduler.remove(key)
        await self.scheduler.refresh()

    async def unremove(self, key: str) -> None:
        """Undo ``remove``: the draft is listed and autosaved again."""
        if key not in self._removed:
            raise DraftNotFound(f"Not removed from the list: {key}")
        was_remote = self._removed.pop(key)
        if was_remote:
            if key not in self.settings.remote_drafts:
                self.settings.remote_drafts.append(key)
        elif key in self.settings.ignored_drafts:
            self.settings.ignored_drafts.remove(key)
        self.save_settings()
        await self.scheduler.refresh()

    async def create_sample(self) -> str:
        root = self.local.roots[0]

        def create() -> str:  # named apart from the drafts of the other roots and the store
            taken = set(self.local.store.draft_ids())
            taken.update(*(drafts.draft_ids(r) for r in self.local.roots))
            return drafts.create_sample_draft(root, taken)

        draft_id = await asyncio.to_thread(create)
        await self.scheduler.refresh()
        return draft_id

    async def history(self, key: str) -> list[VersionInfo]:
        return await self.router.history(key)

    async def restore(self, key: str, version: str) -> RestoreResult:
        result = await self.router.restore(key, version)
        await self.scheduler.refresh()
        return result

    async def pull(self, key: str, root: Path | None = None, version: str | None = None,
                   progress: Callable[[int], None] | None = None) -> PullResult:
        """Write a remote draft (latest, or ``version`` of its mirror) into a local drafts
        folder (the first root unless given); it is then listed as a local draft."""
        from draftkeeper.core.remote.pull import pull

        folder = root if root is not None else self.local.roots[0]
        result = await pull(self.remote, self.validate_draft_url(key), folder, version,
                            progress)
        if self._started:
            await self.scheduler.refresh()
        return result

    def is_remote(self, key: str) -> bool:
        return self.router.is_remote(key)

    def set_autosave(self, enabled: bool, interval: float | None = None) -> None:
        candidate = self.settings.replace(autosave_enabled=enabled)
        if interval is not None:
            candidate.autosave_interval_s = interval
        candidate.validate()
        self.scheduler.set_autosave(enabled, interval)
        self.save_settings()

    def check_settings(self, changes: dict[str, Any]) -> list[Problem]:
        """Everything wrong with applying ``changes``, one Problem per field: the values,
        the store folder (writable, or one that can be created) and new draft folders."""
        candidate = self.settings.replace(**changes)
        found = candidate.problems()
        store_changed = candidate.store_path() != self.settings.store_path()
        if store_changed or self.store_problem is not None:
            reason = settings_mod.store_problem(candidate.store_path())
            if reason:
                found.append(Problem("store_dir", "folder", {"reason": reason},
                                     f"Version store: {reason}"))
        found += _share_problems(candidate, self.settings)
        for root in candidate.roots:
            if root in self.settings.roots:
                continue
            try:
                roots.check_root(Path(root).expanduser())
            except DraftKeeperError as exc:
                found.append(Problem("roots", "folder", {"path": root, "reason": exc.message},
                                     exc.message))
        return found

    async def apply_settings(self, changes: dict[str, Any]) -> None:
        """Apply new settings without a restart and persist them: all of them or, when
        anything is wrong (SettingError names each field) or fails, none."""
        problems = self.check_settings(changes)
        if problems:
            raise SettingError(problems)
        candidate = self.settings.replace(**changes)
        old = self.settings.replace()
        old_store, old_problem = self.local.store, self.store_problem
        new_store = None
        if candidate.store_path() != old.store_path() or old_problem is not None:
            new_store, problem = _open_store(candidate)  # may fail: nothing changed yet
            if problem is not None:
                raise SettingError([Problem("store_dir", "folder", {"reason": problem},
                                            f"Version store: {problem}")])
        on_disk = candidate.replace(**self.kept_on_disk)
        settings_mod.save(on_disk, self.settings_path)  # may fail: nothing changed yet
        old_attempts = (self.attempts.folder, self.attempts.legacy)
        try:
            for name in changes:
                setattr(self.settings, name, getattr(candidate, name))
            if new_store is not None:
                self.local.store, self.store_problem = new_store, None
                fresh = attempt_log(self.settings)
                self.attempts.folder, self.attempts.legacy = fresh.folder, fresh.legacy
            self.local.store.lock_timeout = self.settings.lock_timeout_s
            if (old.connect_timeout_s, old.total_timeout_s, old.remote_base, old.language,
                    old.store_path()) != (
                self.settings.connect_timeout_s, self.settings.total_timeout_s,
                self.settings.remote_base, self.settings.language, self.settings.store_path(),
            ):
                stale, self.remote = self.remote, RemoteEngine(
                    self.settings, attempts=self.attempts, store=self._store)
                self.router.remote = self.remote
                with contextlib.suppress(Exception):
                    await stale.aclose()
            if old.max_parallel_saves != self.settings.max_parallel_saves:
                self.scheduler.resize(self.settings.max_parallel_saves)
            self.scheduler.set_autosave(self.settings.autosave_enabled,
                                        self.settings.autosave_interval_s)
        except BaseException:
            for name in old.fields():
                setattr(self.settings, name, getattr(old, name))
            self.local.store, self.store_problem = old_store, old_problem
            self.attempts.folder, self.attempts.legacy = old_attempts
            with contextlib.suppress(Exception):
                self.save_settings()
            raise
        if old_problem is not None and self._started:
            await self.scheduler.start()  # the store works now: saving starts
        else:
            await self.scheduler.refresh()
        if old.roots != self.settings.roots or old_problem is not None:
            await self._watch()
        if self._started and (old_problem is not None or new_store is not None or any(
                getattr(old, n) != getattr(self.settings, n) for n in SHARE_SETTINGS)):
            await self._stop_sharing()
            self._start_sharing()
