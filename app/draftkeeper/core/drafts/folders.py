"""Draft roots: discovery, detection of CapCut/JianYing roots, names, sizes."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from draftkeeper.core import plainjson
from draftkeeper.core.backend import DraftInfo
from draftkeeper.core.drafts.roots import (
    ROOT_INDEX,
    walk_files,
)
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.urls import validate_draft_id

MEDIA_DIRS = ("assets", "Resources")


def read_root_index(root: Path) -> dict[str, str]:
    """folder name -> draft_name from ``root_meta_info.json``; {} when absent or unreadable.

    The editor rewrites this file itself and it may be half-written when read: any problem
    means "no names", never a failure.
    """
    try:
        data = plainjson.loads((root / ROOT_INDEX).read_bytes())
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


def draft_info(
    root: Path | str,
    draft_id: str,
    names: dict[str, str] | None = None,
    files: list[tuple[str, os.stat_result]] | None = None,
    folder: str | None = None,
) -> DraftInfo:
    """(``folder``: the draft's path, when the caller has made it already.)"""
    root_str = os.fspath(root)
    folder = os.path.join(root_str, draft_id) if folder is None else folder
    files = walk_files(folder) if files is None else files
    names = read_root_index(Path(root)) if names is None else names
    # (comprehensions, arguments in order: every draft at every sweep)
    newest = max([st.st_mtime for _rel, st in files], default=0.0)
    return DraftInfo(draft_id, names.get(draft_id, draft_id), root_str, folder,
                     sum([st.st_size for _rel, st in files]), len(files),
                     newest if newest > 0.0 else 0.0, draft_id)


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


SAMPLE_NAME = "Draft Keeper sample"


def create_sample_draft(root: Path, taken: Collection[str] = ()) -> str:
    """A small, valid CapCut-format draft (capcut-mate's template) in ``root``; its id.

    The folder (the draft id, and the name the list shows: the sample is not in the
    editor's index) is named after ``SAMPLE_NAME``: "Draft Keeper sample", else "Draft
    Keeper sample 2", 3, … : never a folder that exists nor one of ``taken`` (ids that
    another root or the version store holds, whose versions the sample must not join)."""
    import time
    import uuid
    from importlib import resources

    root.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        draft_id = SAMPLE_NAME if number == 1 else f"{SAMPLE_NAME} {number}"
        folder = root / draft_id
        number += 1
        if draft_id in taken:
            continue
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        break
    template = resources.files("draftkeeper.core.drafts") / "sample_draft"
    now_us = int(time.time() * 1_000_000)
    for entry in template.iterdir():
        if not entry.name.endswith((".json", ".tmp")):
            continue
        data = entry.read_bytes()
        if entry.name == "draft_meta_info.json":
            import json  # (indented, as the editor writes it: json itself)

            meta = json.loads(data)
            meta.update(
                draft_fold_path=str(folder).replace("\\", "/"),
                draft_root_path=str(root),
                draft_name=draft_id,
                draft_id=str(uuid.uuid4()).upper(),
                tm_draft_create=now_us,
                tm_draft_modified=now_us,
            )
            data = json.dumps(meta, ensure_ascii=False, indent=4).encode("utf-8")
        (folder / entry.name).write_bytes(data)
    return draft_id
