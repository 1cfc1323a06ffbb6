"""Draft roots: discovery, detection of CapCut/JianYing roots, names, sizes."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core import paths
from app.core.errors import BadRequest, DraftNotFound
from app.core.fsutil import TMP_PREFIX
from app.core.urls import draft_path_in_root, validate_draft_id

ROOT_INDEX = "root_meta_info.json"
RECYCLE_BIN = ".recycle_bin"
MEDIA_DIRS = ("assets", "Resources")
DRAFT_FILES = ("draft_content.json", "draft_info.json", "draft_meta_info.json")


@dataclass(frozen=True)
class DraftInfo:
    draft_id: str
    name: str
    root: str
    path: str
    size: int
    file_count: int
    modified: float  # epoch seconds of the newest file, 0.0 for an empty draft
    draft_url: str = ""  # the draft's address: the id for local drafts, the URL for remote ones
    remote: bool = False

    @property
    def key(self) -> str:
        return self.draft_url or self.draft_id


def is_capcut_root(path: Path) -> bool:
    return (path / ROOT_INDEX).is_file() or (path / RECYCLE_BIN).is_dir()


def platform_default_roots() -> list[Path]:
    """Where CapCut and JianYing keep drafts on this OS (whether or not they exist)."""
    tail = Path("User Data") / "Projects" / "com.lveditor.draft"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if not local:
            return []
        return [Path(local) / "JianyingPro" / tail, Path(local) / "CapCut" / tail]
    if sys.platform == "darwin":
        movies = Path.home() / "Movies"
        return [movies / "JianyingPro" / tail, movies / "CapCut" / tail]
    return []


def detect_roots() -> list[Path]:
    return [p for p in platform_default_roots() if p.is_dir()]


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


def read_root_index(root: Path) -> dict[str, str]:
    """folder name -> draft_name from ``root_meta_info.json``; {} when absent or unreadable.

    The editor rewrites this file itself and it may be half-written when read: any problem
    means "no names", never a failure.
    """
    try:
        data = json.loads((root / ROOT_INDEX).read_bytes())
        entries = data.get("all_draft_store", []) if isinstance(data, dict) else []
    except (OSError, ValueError):
        return {}
    names: dict[str, str] = {}
    if not isinstance(entries, list):
        return {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        fold, name = entry.get("draft_fold_path"), entry.get("draft_name")
        if isinstance(fold, str) and isinstance(name, str) and name:
            folder = fold.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            names[folder] = name
    return names


def is_media(rel_path: str, size: int, threshold: int) -> bool:
    top = rel_path.split("/", 1)[0]
    return top in MEDIA_DIRS or size > threshold


def walk_files(folder: Path | str) -> list[tuple[str, os.stat_result]]:
    """(relative posix path, stat) of every regular file under ``folder``, sorted.

    Symlinks are not followed (they could point outside the root) and Draft Keeper's own
    temp files are skipped. Plain strings, not Paths: this runs for every draft on every
    sweep.
    """
    out: list[tuple[str, os.stat_result]] = []
    stack = [("", os.fspath(folder))]
    while stack:
        prefix, current = stack.pop()
        with os.scandir(current) as it:
            for entry in it:
                name = entry.name
                if name.startswith(TMP_PREFIX):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((f"{prefix}{name}/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    out.append((prefix + name, entry.stat(follow_symlinks=False)))
    out.sort()  # paths are unique, so the stat results are never compared
    return out


def draft_info(
    root: Path,
    draft_id: str,
    names: dict[str, str] | None = None,
    files: list[tuple[str, os.stat_result]] | None = None,
) -> DraftInfo:
    root_str = os.fspath(root)
    folder = os.path.join(root_str, draft_id)
    files = walk_files(folder) if files is None else files
    names = read_root_index(root) if names is None else names
    size, newest = 0, 0.0
    for _rel, st in files:
        size += st.st_size
        if st.st_mtime > newest:
            newest = st.st_mtime
    return DraftInfo(
        draft_id=draft_id,
        name=names.get(draft_id, draft_id),
        root=root_str,
        path=folder,
        size=size,
        file_count=len(files),
        modified=newest,
        draft_url=draft_id,
    )


def draft_ids(root: Path) -> list[str]:
    """Folder names in ``root`` that are valid draft ids (hidden folders are not drafts)."""
    ids: list[str] = []
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        return []
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        try:
            validate_draft_id(entry.name)
        except BadRequest:
            continue
        ids.append(entry.name)
    return sorted(ids)


def list_drafts(root: Path) -> list[DraftInfo]:
    names = read_root_index(root)
    infos = []
    for draft_id in draft_ids(root):
        try:
            infos.append(draft_info(root, draft_id, names))
        except FileNotFoundError:  # deleted while we looked
            continue
    return infos


def find_draft(roots: list[Path], draft_id: str) -> tuple[Path, Path]:
    """(root, folder) of the draft; BadRequest for ids escaping a root, 404 when absent."""
    for root in roots:
        folder = draft_path_in_root(root, draft_id)
        if folder.is_dir() and not folder.is_symlink():
            return root, folder
    raise DraftNotFound(f"Draft does not exist: {draft_id}", reason="draft_not_found",
                        params={"draft_id": draft_id})


SAMPLE_NAME = "Draft Keeper sample"


def create_sample_draft(root: Path) -> str:
    """A small, valid CapCut-format draft (capcut-mate's template) in ``root``; its id."""
    import time
    import uuid
    from importlib import resources

    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d%H%M%S")
    draft_id = f"{stamp}{uuid.uuid4().hex[:8]}"
    folder = root / draft_id
    folder.mkdir()
    template = resources.files("app.core") / "sample_draft"
    now_us = int(time.time() * 1_000_000)
    for entry in template.iterdir():
        if not entry.name.endswith((".json", ".tmp")):
            continue
        data = entry.read_bytes()
        if entry.name == "draft_meta_info.json":
            meta = json.loads(data)
            meta.update(
                draft_fold_path=str(folder).replace("\\", "/"),
                draft_root_path=str(root),
                draft_name=SAMPLE_NAME,
                draft_id=str(uuid.uuid4()).upper(),
                tm_draft_create=now_us,
                tm_draft_modified=now_us,
            )
            data = json.dumps(meta, ensure_ascii=False, indent=4).encode("utf-8")
        (folder / entry.name).write_bytes(data)
    return draft_id
