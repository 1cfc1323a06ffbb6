"""Step 1 of a restore (see restore.py): the plan. Every change is decided before the draft
is touched, and refused with the working copy untouched when a version path would leave
the draft, a name is one the file system does not take (too long; on Windows a reserved
name such as ``CON``, a character such as ``:``, a trailing dot or space), two names are
one on this system (``Cover.jpg`` and ``cover.jpg`` where names are case-insensitive), or
a folder stands where the version has a file. Where names are case-insensitive, a file
renamed only in case is the same file, not one to move aside.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path, PurePosixPath

from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.drafts.roots import walk_files
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform import system
from draftkeeper.core.platform.files import long_path
from draftkeeper.core.platform.names import (
    collisions,
    fold,
    name_length,
    name_max,
    name_problem,
)
from draftkeeper.core.store.journal import ASIDE, DROP, NO_BACKUP, Placed, Plan
from draftkeeper.core.store.manifests import FileEntry, Manifest
from draftkeeper.core.store.snapshot import file_digest, is_racy

STAGE_PREFIX = f"{TMP_PREFIX}s"
UNCHANGED = "the working copy was not changed"


class RestoreRefused(SaveFailed):
    """The restore cannot be done; nothing in the working copy was changed."""


def lstat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(long_path(path))
    except (FileNotFoundError, NotADirectoryError):
        return None


def check_path(rel: str, version: str, name_max: int) -> None:
    """Refuse a version path that could leave the draft or that the file system refuses."""
    parts = rel.split("/")
    pure = PurePosixPath(rel)
    escapes = (
        not rel
        or pure.is_absolute()
        or "\0" in rel
        or any(p in ("", ".", "..") for p in parts)
        or (system.SYSTEM == system.WINDOWS and ("\\" in rel or ":" in rel))
    )
    if escapes:
        raise RestoreRefused(
            f"Restore refused: version {version} names {rel!r}, which is outside the draft "
            f"folder; {UNCHANGED}", reason="restore_outside",
            params={"version": version, "path": rel, "kept": "unchanged"},
        )
    for part in parts:
        problem = name_problem(part)
        if problem is not None:
            words = {"reserved": "a name Windows keeps for devices",
                     "characters": "a character Windows does not allow in names",
                     "trailing": "a name ending in a dot or a space, which Windows drops"}
            raise RestoreRefused(
                f"Restore refused: version {version} has {rel!r}: {part!r} is {words[problem]}; "
                f"{UNCHANGED}", reason="restore_bad_name",
                params={"version": version, "path": rel, "name": part, "problem": problem,
                        "kept": "unchanged"},
            )
        size = name_length(part)
        if size > name_max:
            raise RestoreRefused(
                f"Restore refused: the name {part[:40]!r}... in {rel[:80]!r} is {size} bytes, "
                f"more than this file system allows ({name_max}); {UNCHANGED}",
                reason="restore_name_too_long",
                params={"path": rel, "bytes": size, "limit": name_max, "kept": "unchanged"},
            )


def known_same(before: Manifest | None, seen: FileEntry | None, entry: FileEntry) -> bool:
    """Whether the before-restore version, made under the same lock a moment ago, already
    says the working copy's file (``seen``, its entry there) is ``entry`` (same stat data
    and content) with stat data old enough to be trusted (not racy): then it need not be
    read again. A big unchanged file (media kept with ``include_media``) is not hashed
    twice by one restore."""
    return (before is not None and seen is not None and seen.kept
            and seen.stat_key() == entry.stat_key() and seen.hash == entry.hash
            and not is_racy(seen, before))


def inside(folder: Path, rel: str) -> Path:
    """``folder/rel`` after checking that every parent is a real folder (no link)."""
    current = folder
    for part in rel.split("/")[:-1]:
        current = current / part
        st = lstat_or_none(current)
        if st is None or not stat.S_ISDIR(st.st_mode):
            raise SaveFailed(f"Restore stopped: {current} is no longer a folder",
                             reason="restore_not_a_folder", params={"path": str(current)})
    return folder / rel


def make_plan(
    io: StoreIO, target: Manifest, folder: Path, before: Manifest | None, aside_dir: Path
) -> Plan:
    longest = name_max(folder)
    for entry in target.files:
        check_path(entry.path, target.version, longest)
    same = collisions(f.path for f in target.files)
    if same:
        names = ", ".join(" and ".join(group) for group in same)
        raise RestoreRefused(
            f"Restore refused: version {target.version} has files whose names this system "
            f"cannot tell apart ({names}): restoring would keep only one of each; restore "
            f"one of them with --file, or restore the version on a system that keeps them "
            f"apart; {UNCHANGED}", reason="restore_same_name",
            params={"version": target.version, "kept": "unchanged",  # words of no language
                    "paths": "; ".join(" / ".join(group) for group in same)},
        )
    held = {f.path for f in before.files if f.kept} if before else set()
    in_before = {f.path: f for f in before.files} if before else {}
    try:
        current = {rel for rel, _st in walk_files(folder)}
    except FileNotFoundError:
        current = set()
    plan = Plan(
        draft_id=target.draft_id,
        folder=str(folder),
        staging=f"{STAGE_PREFIX}{secrets.token_hex(3)}",
        version=target.version,
        before=before.version if before else None,
        aside_dir=str(aside_dir),
    )
    made: set[str] = set()
    for entry in target.files:
        if entry.hash is None:
            continue  # media not kept: left as it is
        parts = entry.path.split("/")
        clear = True  # every parent so far is a real folder
        for depth in range(1, len(parts)):
            sub = "/".join(parts[:depth])
            if clear and sub not in made:
                st = lstat_or_none(folder / sub)
                if st is not None and stat.S_ISDIR(st.st_mode):
                    continue
                if st is not None and sub not in plan.aside:  # a file or a link in the way
                    plan.aside.append(sub)
            clear = False
            if sub not in made:
                made.add(sub)
                plan.mkdirs.append(sub)
        st = lstat_or_none(folder / entry.path) if clear else None
        backup = NO_BACKUP
        if st is not None:
            if stat.S_ISDIR(st.st_mode):
                raise RestoreRefused(
                    f"Restore refused: {entry.path} is a folder in the working copy but a "
                    f"file in version {target.version}; move that folder away and restore "
                    f"again; {UNCHANGED}", reason="restore_folder_in_way",
                    params={"path": entry.path, "version": target.version, "kept": "unchanged"},
                )
            regular = stat.S_ISREG(st.st_mode)
            if (
                regular
                and (st.st_size, st.st_mtime_ns) == (entry.size, entry.mtime_ns)
                and (known_same(before, in_before.get(entry.path), entry)
                     or file_digest(io, folder / entry.path) == entry.hash)
            ):
                continue  # already the version's file
            backup = DROP if regular and entry.path in held else ASIDE
        plan.place.append(Placed(entry.path, entry.hash, entry.mtime_ns, backup, entry.chunks))
    wanted = {fold(f.path) for f in target.files}  # where names are case-insensitive,
    for rel in sorted(current):  # Cover.jpg in the draft is the version's cover.jpg
        if fold(rel) not in wanted and rel not in plan.aside:
            plan.aside.append(rel)
    return plan
