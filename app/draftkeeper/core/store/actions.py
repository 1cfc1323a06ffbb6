"""What a draft manager does with versions beyond saving them: restore a version into its
folder (saving the state before, so that it can be undone), record that a restore made the
working copy equal a version, restore a version as a new draft beside the original,
restore one file, pin and name a version. Each runs under the store's lock and reuses the
staged, journaled restore (restore.py): all or nothing. Functions over a ``Store``
(store.py), which they build on.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from draftkeeper.core.backend import RestoreResult
from draftkeeper.core.errors import BadRequest, DraftKeeperError, DraftNotFound, disk_error
from draftkeeper.core.store import plan as plan_mod
from draftkeeper.core.store import restore, snapshot, trashbin
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.manifests import Manifest, new_version_id
from draftkeeper.core.store.plan import UNCHANGED, RestoreRefused
from draftkeeper.core.store.snapshot import DEFAULT_OPTIONS, SaveOptions, Snapshot

if TYPE_CHECKING:
    from draftkeeper.core.store.store import Store

MAX_LABEL = 200


def set_pin(store: Store, draft_id: str, version: str, pinned: bool,
            label: str | None = None) -> Manifest:
    """Pin (never thinned, shown apart) or unpin a version; a label names it."""
    if label is not None:
        label = " ".join(label.split())
        if len(label) > MAX_LABEL:
            raise BadRequest(f"Label is too long: {len(label)} characters (at most {MAX_LABEL})")
    with store.locked():
        version = store.resolve_version(draft_id, version)
        manifest = store.manifest(draft_id, version)
        changed = manifest.replace(pinned=pinned,
                                   label=manifest.label if label is None else label)
        try:
            store.manifests.write(changed)
        except OSError as exc:
            raise disk_error(exc, f"pinning version {version}", what="Pin") from exc
        store._latest_cache.pop(draft_id, None)
        return changed


def mark_restored(store: Store, draft_id: str, folder: Path, target: Manifest,
                  options: SaveOptions) -> Manifest | None:
    """After a restore (the caller holds the lock): record that the working copy now
    equals ``target`` as a version of reason "restored" (no new blobs), so the next
    autosave finds nothing new instead of storing the same state again."""
    out = Snapshot()
    try:
        listing = snapshot.listing(draft_id, folder)
        # The restore just wrote (hash-checked) or verified every kept file and set its
        # mtime: a file whose size and mtime are the version's is the version's, no need
        # to read it again. Anything else (written meanwhile) is read as a save would.
        wanted = {f.path: f for f in target.files}
        for rel, st in listing:
            entry = wanted.get(rel)
            if entry is None or (entry.size, entry.mtime_ns) != (st.st_size, st.st_mtime_ns):
                out = Snapshot()
                snapshot.take(store.io, store.blobs, draft_id, folder, listing, target,
                              options, out)
                break
            out.files.append(entry)
        latest = store.latest(draft_id)
        if latest is not None and tuple(out.files) == latest.files:
            return None  # the latest version is this state already
        after = store.version_ids(draft_id)
        stamp = options.now()
        manifest = Manifest(
            draft_id=draft_id,
            version=new_version_id(stamp, after[-1] if after else None),
            time=stamp,
            reason="restored",
            files=tuple(out.files),
            stored_bytes=out.stored_bytes,
            restored_from=target.version,
            folder=str(folder),
        )
        store.commit([manifest])  # what a file written meanwhile added, then the version
    except (OSError, DraftKeeperError):
        store.blobs.discard(out.new_blobs)
        return None  # restored all the same; the next save stores this state
    store._latest_cache[draft_id] = manifest
    return manifest


def restore_as_new(store: Store, draft_id: str, version: str, dest: Path,
                   options: SaveOptions) -> RestoreResult:
    """Write ``version`` into a new folder ``dest`` (the original is not touched) and save
    it as the first version of the new draft."""
    if dest.exists() or dest.is_symlink():
        raise BadRequest(f"A folder named {dest.name!r} exists already in {dest.parent}",
                         reason="folder_exists", params={"name": dest.name,
                                                         "path": str(dest.parent)})
    if not dest.parent.is_dir():
        raise DraftNotFound(f"Folder does not exist: {dest.parent}",
                            reason="folder_not_found", params={"path": str(dest.parent)})
    with store.locked():
        store._recover_draft_locked(draft_id)
        version = store.resolve_version(draft_id, version)
        target = store.manifest(draft_id, version)
        try:
            dest.mkdir()
        except OSError as exc:
            raise disk_error(exc, f"making {dest}", what="Restore") from exc
        aside_dir = store.aside / draft_key(draft_id) / new_version_id(options.now(), None)
        try:
            plan = plan_mod.make_plan(store.io, target, dest, None, aside_dir)
            restore.run(store.io, store.blobs, store.journal, plan, store.trash)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                dest.rmdir()  # empty again: the restore undid itself
            if isinstance(exc, OSError):
                raise disk_error(exc, f"writing {dest}", what="Restore") from exc
            raise
        first, _unchanged = store.save_locked(dest.name, dest, "restored", options)
        with contextlib.suppress(OSError):
            store.manifests.write(first.replace(restored_from=version))
            store._latest_cache.pop(dest.name, None)
    trashbin.empty(store.trash)
    return RestoreResult(
        draft_url=dest.name,
        version=version,
        before_restore_version=None,
        written=[p.rel for p in plan.place],
        moved_aside=[],
        aside_dir=None,
        not_kept=target.not_kept,
        folder=str(dest),
    )


def restore_file(store: Store, draft_id: str, version: str, rel: str, folder: Path,
                 options: SaveOptions, draft_url: str) -> RestoreResult:
    """Bring back one file of ``version``; the rest of the working copy stays as it is.
    The state before is saved first, as for a whole restore."""
    rel = rel.replace("\\", "/").strip("/")
    if not folder.is_dir():
        raise DraftNotFound(f"Draft folder does not exist: {folder}; restore the whole "
                            "version to bring it back", reason="draft_folder_gone",
                            params={"path": str(folder)})
    with store.locked():
        store._recover_draft_locked(draft_id)
        version = store.resolve_version(draft_id, version)
        target = store.manifest(draft_id, version)
        entry = next((f for f in target.files if f.path == rel), None)
        if entry is None:
            raise DraftNotFound(f"Version {version} has no file {rel}",
                                reason="version_has_no_file",
                                params={"version": version, "path": rel})
        if not entry.kept:
            raise RestoreRefused(f"Restore refused: {rel} is media that version {version} "
                                 f"did not keep; {UNCHANGED}", reason="restore_media_not_kept",
                                 params={"path": rel, "version": version, "kept": "unchanged"})
        restore.sweep(folder)
        before, _u = store.save_locked(draft_id, folder, "before-restore", options,
                                       retain=False)
        aside_dir = store.aside / draft_key(draft_id) / new_version_id(options.now(), None)
        plan = plan_mod.make_plan(store.io, target.replace(files=(entry,)), folder, before,
                                 aside_dir)
        # only what is in the way of this file leaves; every other file stays
        plan.aside = [a for a in plan.aside if rel == a or rel.startswith(a + "/")]
        try:
            restore.run(store.io, store.blobs, store.journal, plan, store.trash)
        except OSError as exc:
            raise disk_error(exc, f"restoring {rel}", what="Restore",
                             after=f"; {UNCHANGED}", kept="unchanged") from exc
    trashbin.empty(store.trash)
    return RestoreResult(
        draft_url=draft_url,
        version=version,
        before_restore_version=before.version,
        written=[p.rel for p in plan.place],
        moved_aside=plan.moved_aside,
        aside_dir=str(aside_dir) if plan.moved_aside else None,
        not_kept=[],
    )


def restore_version(
    store: Store,
    draft_id: str,
    version: str,
    folder: Path,
    *,
    draft_url: str,
    options: SaveOptions = DEFAULT_OPTIONS,
) -> RestoreResult:
    """Make ``folder`` hold ``version``, all or nothing; the state before is saved
    first (when there is a folder) so that the restore can be undone."""
    with store.locked():
        store._recover_draft_locked(draft_id)
        version = store.resolve_version(draft_id, version)
        target = store.manifest(draft_id, version)
        existed = folder.is_dir()
        before = None
        if existed:
            restore.sweep(folder)
            before, _unchanged = store.save_locked(
                draft_id, folder, "before-restore", options, retain=False)
        else:
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise disk_error(exc, f"making {folder}", what="Restore") from exc
        stamp = new_version_id(options.now(), None)
        aside_dir = store.aside / draft_key(draft_id) / stamp
        try:
            plan = plan_mod.make_plan(store.io, target, folder, before, aside_dir)
            restore.run(store.io, store.blobs, store.journal, plan, store.trash)
        except OSError as exc:
            if not existed:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise disk_error(exc, f"preparing the restore of {draft_id}", what="Restore",
                             after="; the working copy was not changed",
                             kept="unchanged") from exc
        except BaseException:
            if not existed:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        restored = mark_restored(store, draft_id, folder, target, options)
        spare = {version} | ({before.version} if before else set())
        spare |= {restored.version} if restored else set()
        store.retain(draft_id, options.keep_last, options.now(), spare)
    trashbin.empty(store.trash)
    moved = plan.moved_aside
    return RestoreResult(
        draft_url=draft_url,
        version=version,
        before_restore_version=before.version if before else None,
        written=[p.rel for p in plan.place],
        moved_aside=moved,
        aside_dir=str(aside_dir) if moved else None,
        not_kept=target.not_kept,
    )
