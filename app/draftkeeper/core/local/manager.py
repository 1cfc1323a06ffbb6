"""The draft-manager side of the local engine: draft details (cover, duration, badges),
deleted drafts, the timeline, compare, pin, restore as a new draft, restore one file.

A mixin of LocalEngine (it uses the engine's store, roots and save options); the blocking
``*_sync`` methods run in worker threads, JSON parsing in the ContentParser's processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from draftkeeper.core.backend import DraftInfo, RestoreResult, VersionInfo
from draftkeeper.core.drafts import folders as drafts
from draftkeeper.core.drafts import roots
from draftkeeper.core.errors import BadRequest, DraftKeeperError, DraftNotFound
from draftkeeper.core.urls import draft_path_in_root, parse_draft_id, validate_draft_id

# The details, the timeline and compare (and their JSON parsing), restore's modules
# (store/actions.py) and asyncio are imported where they are used: a command that saves
# one draft loads none of them.

# remote drafts' mirrors live in the store under this prefix (remote/mirror.py's PREFIX, not
# imported: it brings the network client along): they are never deleted local drafts
MIRRORS = "remote:"

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any, TypeVar

    from draftkeeper.core.drafts.content import ContentParser
    from draftkeeper.core.drafts.details import DraftDetails, Listed
    from draftkeeper.core.local.compare import Comparison
    from draftkeeper.core.local.index import DraftIndex
    from draftkeeper.core.settings.table import Settings
    from draftkeeper.core.store.snapshot import SaveOptions
    from draftkeeper.core.store.store import Store

    T = TypeVar("T")



async def to_thread(fn: Callable[..., T], /, *args: Any) -> T:
    """``asyncio.to_thread``, with asyncio imported on first use (the CLI's synchronous
    commands never import it)."""
    import asyncio

    return await asyncio.to_thread(fn, *args)


class DraftManagerMixin:
    store: Store
    settings: Settings
    _parser: ContentParser | None = None

    @property
    def index(self) -> DraftIndex:
        raise NotImplementedError

    @property
    def roots(self) -> list[Path]:
        raise NotImplementedError

    def _save_options(self) -> SaveOptions:
        raise NotImplementedError

    @property
    def parser(self) -> ContentParser:
        if self._parser is None:
            self._parser = self._new_parser()
        return self._parser

    def _new_parser(self) -> ContentParser:
        from draftkeeper.core.drafts.content import ContentParser
        from draftkeeper.core.local.facts import IndexedParser

        try:
            return IndexedParser(self.index)  # facts of unchanged files kept in the index
        except DraftKeeperError:
            return ContentParser()  # the store cannot be used: nothing is kept

    def set_parser(self, parser: ContentParser) -> None:
        self._parser = parser

    def close_parser(self) -> None:
        if self._parser is not None:
            self._parser.close()

    # --- where a draft is, or was -----------------------------------------------------

    def _folder(self, draft_id: str) -> Path | None:
        try:
            return roots.find_draft(self.roots, draft_id)[1]
        except DraftNotFound:
            return None

    def restore_folder(self, draft_id: str) -> Path:
        """The folder a restore writes: the draft's, or where a deleted draft was (when
        its root is still one of ours), else in the first root."""
        found = self._folder(draft_id)
        if found is not None:
            return found
        latest = self.store.latest(draft_id)
        if latest is not None and latest.folder:
            was = Path(latest.folder)
            if was.name == draft_id and was.parent in self.roots:
                return was
        return draft_path_in_root(self.roots[0], draft_id)

    def deleted_drafts_sync(self, present: set[str] | None = None) -> list[DraftInfo]:
        """Drafts whose folder is gone but which have versions (not those removed from
        the list, nor those of a root that is no longer one of ours). ``present``: the
        ids of the roots' drafts, when the caller has just listed them."""
        roots = self.roots
        if present is None:
            present = {d for root in roots for d in drafts.draft_ids(root)}
        ignored = set(self.settings.ignored_drafts)
        out = []
        for latest in self.index.all_latest(but=present):  # one query, one stat each
            draft_id = latest.draft_id
            if draft_id in present or draft_id in ignored or draft_id.startswith(MIRRORS):
                continue
            root = roots[0]
            if latest.folder:
                was = Path(latest.folder)
                if was.parent not in roots or was.is_dir():
                    continue
                root = was.parent
            out.append(DraftInfo(
                draft_id=draft_id, name=draft_id, root=os.fspath(root),
                path=os.fspath(root / draft_id), size=latest.total_bytes,
                file_count=latest.file_count, modified=latest.time, draft_url=draft_id,
            ))
        return sorted(out, key=lambda d: d.draft_id)

    # --- details ---------------------------------------------------------------------

    def _listed(self, info: DraftInfo) -> Listed | None:
        """The draft's files its details look at, and its content file's stat data, as
        the last sweep listed them (roots.listing), when ``info`` is what that sweep made
        of them."""
        return None

    def details_sync(self, infos: list[DraftInfo]) -> dict[str, DraftDetails]:
        """Details by draft key; the drafts' JSON is parsed in the process pool."""
        from draftkeeper.core.drafts.details import DELETED, details_many

        local = [d for d in infos if not d.remote]
        # a draft as the last sweep saw it (the same info): its files are known, its
        # folder is not read again (10,000 drafts: a stat and a directory read each)
        listed = [self._listed(d) for d in local]
        here = [(d, files) for d, files in zip(local, listed, strict=True)
                if files is not None or os.path.isdir(d.path)]
        found = details_many(self.parser, [(d.path, d.modified) for d, _f in here],
                             [files for _d, files in here])
        out = {d.key: det for (d, _f), det in zip(here, found, strict=True)}
        for d in local:
            out.setdefault(d.key, DELETED)
        return out

    # --- timeline and compare --------------------------------------------------------

    def timeline_sync(self, draft_url: str, summaries: bool = True) -> list[VersionInfo]:
        from draftkeeper.core.local import timeline

        draft_id = parse_draft_id(draft_url)
        folder = self._folder(draft_id)
        versions = timeline.timeline(self.store, self.parser if summaries else None,
                                     draft_id, folder)
        if not versions and folder is None:
            raise DraftNotFound(f"Draft does not exist and has no versions: {draft_id}",
                                reason="draft_not_found", params={"draft_id": draft_id})
        return versions

    def compare_sync(self, draft_url: str, old: str | None = None,
                     new: str | None = None) -> Comparison:
        """``old`` (default: the latest version) against ``new`` (default: the working
        copy)."""
        from draftkeeper.core.local import timeline

        draft_id = parse_draft_id(draft_url)
        return timeline.compare(self.store, self.parser, draft_id, old or "latest", new,
                                self._folder(draft_id))

    # --- pin, restore as new, restore one file ----------------------------------------

    def pin_sync(self, draft_url: str, version: str, pinned: bool = True,
                 label: str | None = None) -> VersionInfo:
        from draftkeeper.core.store import actions

        draft_id = parse_draft_id(draft_url)
        return actions.set_pin(self.store, draft_id, version, pinned, label).info()

    def restore_as_new_sync(self, draft_url: str, version: str, name: str) -> RestoreResult:
        from draftkeeper.core.store import actions

        draft_id = parse_draft_id(draft_url)
        name = name.strip()
        try:
            validate_draft_id(name)
        except BadRequest as exc:
            raise BadRequest(f"Cannot use {name!r} as a folder name: {exc.message}",
                             reason=exc.reason, params=exc.params) from None
        dest = self.restore_folder(draft_id).parent / name
        return actions.restore_as_new(self.store, draft_id, version, dest,
                                      self._save_options())

    def restore_file_sync(self, draft_url: str, version: str, rel: str) -> RestoreResult:
        from draftkeeper.core.store import actions

        draft_id = parse_draft_id(draft_url)
        folder = self._folder(draft_id)
        if folder is None:
            raise DraftNotFound(f"Draft {draft_id} was deleted: restore the whole version "
                                "to bring its folder back", reason="draft_folder_gone",
                                params={"draft_id": draft_id})
        return actions.restore_file(self.store, draft_id, version, rel, folder,
                                    self._save_options(), draft_url)

    # --- asyncio ---------------------------------------------------------------------

    async def deleted_drafts(self) -> list[DraftInfo]:
        return await to_thread(self.deleted_drafts_sync)

    async def details(self, infos: list[DraftInfo]) -> dict[str, DraftDetails]:
        return await to_thread(self.details_sync, infos)

    async def timeline(self, draft_url: str) -> list[VersionInfo]:
        return await to_thread(self.timeline_sync, draft_url)

    async def compare(self, draft_url: str, old: str | None = None,
                      new: str | None = None) -> Comparison:
        return await to_thread(self.compare_sync, draft_url, old, new)

    async def pin(self, draft_url: str, version: str, pinned: bool = True,
                  label: str | None = None) -> VersionInfo:
        return await to_thread(self.pin_sync, draft_url, version, pinned, label)

    async def restore_as_new(self, draft_url: str, version: str, name: str) -> RestoreResult:
        return await to_thread(self.restore_as_new_sync, draft_url, version, name)

    async def restore_file(self, draft_url: str, version: str, rel: str) -> RestoreResult:
        return await to_thread(self.restore_file_sync, draft_url, version, rel)
