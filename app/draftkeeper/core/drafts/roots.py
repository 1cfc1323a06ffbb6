"""Draft roots and the drafts in them, as folders: which roots are used, whether a folder
can be one, where a draft's folder is and what files it holds.

Light on purpose (no dataclasses, no typing at run time): the CLI's quick save answers an
unchanged save with these before anything heavy is imported. ``drafts`` builds the
draft manager's listings on top of them.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from draftkeeper.core import paths
from draftkeeper.core.errors import BadRequest, DraftNotFound
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform import system
from draftkeeper.core.platform.files import walk_tree
from draftkeeper.core.platform.folders import editor_draft_roots
from draftkeeper.core.platform.names import composed
from draftkeeper.core.urls import draft_path_in_root, validate_draft_id

ROOT_INDEX = "root_meta_info.json"
RECYCLE_BIN = ".recycle_bin"
DRAFT_FILES = ("draft_content.json", "draft_info.json", "draft_meta_info.json")
CONTENT_FILES = ("draft_content.json", "draft_info.json")  # the timeline (and Timelines/)
COVER = "draft_cover.jpg"
TIMELINES = "Timelines"
_LOOKED_AT = frozenset((*CONTENT_FILES, COVER))  # (roots.listing)


def is_capcut_root(path: Path) -> bool:
    return (path / ROOT_INDEX).is_file() or (path / RECYCLE_BIN).is_dir()


def detect_roots() -> list[Path]:
    """The editors' draft folders on this system that exist."""
    return [Path(p) for p in editor_draft_roots() if Path(p).is_dir()]


def effective_roots(configured: list[str]) -> list[Path]:
    """Configured roots, else detected CapCut/JianYing roots, else the default folder."""
    if configured:
        return [Path(r).expanduser() for r in configured]
    detected = detect_roots()
    if detected:
        return detected
    default = paths.default_draft_root()
    default.mkdir(parents=True, exist_ok=True)
    return [default]


def check_root(path: Path) -> None:
    """Refuse a folder that cannot be used as a draft root, naming the reason."""
    if not path.exists():
        raise BadRequest(f"Folder does not exist: {path}", reason="folder_not_found",
                         params={"path": str(path)})
    if not path.is_dir():
        raise BadRequest(f"Not a folder: {path}", reason="not_a_folder",
                         params={"path": str(path)})
    try:
        with os.scandir(path):
            pass
    except PermissionError:
        raise BadRequest(f"Folder cannot be read (permission denied): {path}",
                         reason="folder_unreadable", params={"path": str(path)}) from None
    if not is_capcut_root(path) and any((path / name).is_file() for name in DRAFT_FILES):
        raise BadRequest(
            f"This folder is a draft itself, not a folder of drafts: choose the folder that "
            f"holds it ({path.parent})", reason="folder_is_a_draft",
            params={"path": str(path), "parent": str(path.parent)},
        )


def walk_files(folder: Path | str, dirs: list[tuple[str, os.stat_result]] | None = None
               ) -> list[tuple[str, os.stat_result]]:
    """(relative posix path, stat) of every regular file under ``folder``, sorted.

    Symlinks are not followed (they could point outside the root) and Draft Keeper's own
    temp files are skipped. Plain strings, not Paths: this runs for every draft on every
    sweep. ``dirs``: gets each folder's (relative path, "" for ``folder``; stat), each
    stat taken before the folder is read (``local/walks.py``).
    """
    return walk_tree(folder, TMP_PREFIX, dirs)


def listing(files: list[tuple[str, os.stat_result]]
            ) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """Of a draft's files (walk_files), those its details look at: the content files, the
    cover, what is under Timelines/ (a sweep keeps them: the window's details then need
    no directory read), and the (size, mtime_ns) of its content file (``content_rel``;
    None: it has none): its facts are then looked up without a stat. The same names
    are one string for every draft (memory)."""
    inner = TIMELINES + "/"
    kept = [(rel, st) for rel, st in files  # (10,000 drafts at every sweep)
            if rel in _LOOKED_AT or rel.startswith(inner)]
    names = tuple([sys.intern(rel) for rel, _st in kept])
    content = content_rel(names)
    if content is None:
        return names, None
    st = kept[names.index(content)][1]
    return names, (st.st_size, st.st_mtime_ns)


def content_rel(names: tuple[str, ...]) -> str | None:
    """Of a listing's names, the file that holds the draft's timeline: draft_content.json,
    draft_info.json or (newer CapCut) the first Timelines/<id>/draft_info.json."""
    for name in CONTENT_FILES:  # a plain loop: 10,000 drafts at a window's start
        if name in names:
            return name
    inner = TIMELINES + "/"
    return next((rel for rel in names if rel.startswith(inner) and rel.count("/") == 2
                 and rel.endswith("/draft_info.json")), None)


def find_draft(roots: list[Path], draft_id: str) -> tuple[Path, Path]:
    """(root, folder) of the draft; BadRequest for ids escaping a root, 404 when absent."""
    # A non-ASCII id may name its folder in another Unicode form: macOS keeps names
    # decomposed (NFD) and URLs bring them composed (NFC). macOS finds the folder either
    # way, so there the folder's own name is looked up (the id a draft is kept under is
    # its name as listed); elsewhere only when the id as given finds nothing.
    scan_first = not draft_id.isascii() and system.SYSTEM == system.MACOS
    if not scan_first:
        for root in roots:
            validate_draft_id(draft_id)
            # a folder that is no link (one lstat) is in its root: the common case, without
            # resolving the root's path per draft (`save --all` locates 10,000 drafts)
            try:
                is_folder = stat.S_ISDIR(os.lstat(os.path.join(root, draft_id)).st_mode)
            except OSError:
                is_folder = False
            if is_folder:
                return root, root / draft_id
            folder = draft_path_in_root(root, draft_id)
            if folder.is_dir() and not folder.is_symlink():
                return root, folder
    if not draft_id.isascii():
        wanted = composed(draft_id)
        for root in roots:
            try:
                with os.scandir(root) as it:
                    names = [e.name for e in it if e.is_dir(follow_symlinks=False)]
            except OSError:
                continue
            for name in names:
                if composed(name) == wanted:
                    return root, draft_path_in_root(root, name)
    raise DraftNotFound(f"Draft does not exist: {draft_id}", reason="draft_not_found",
                        params={"draft_id": draft_id})
