"""Pull: a remote draft (its latest mirrored version, or a chosen one) written into a local
drafts folder as a draft the editor can open.

The files of the version are restored into a hidden staging folder beside the target, the
``path`` of each material under ``materials`` is pointed at the local copy (files of the
draft at their relative paths, other http(s) media downloaded into ``assets/``),
``draft_info.json`` is made from ``draft_content.json`` when missing, and only then the
staging folder takes the draft's place in one rename. A draft already there is saved as a
version first and swapped out, never overwritten blindly. A pull that is killed leaves only
a hidden staging folder, removed by the next pull of that draft.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from draftkeeper.core.errors import BadRequest, DraftNotFound, Unavailable, disk_error
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform.files import fsync_dir
from draftkeeper.core.remote.download import Progress, file_rel, inside, safe_segment
from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.remote.mirror import mirror_id
from draftkeeper.core.store import actions
from draftkeeper.core.urls import parse_draft_id, validate_draft_id

log = logging.getLogger(__name__)
JSON_FILES = ("draft_content.json", "draft_info.json")


@dataclass(frozen=True)
class PullResult:
    draft_url: str
    draft_id: str
    folder: str
    version: str
    files: int
    rewritten: int  # material paths pointed at local copies
    media: list[str]  # remote media downloaded into assets/
    before_pull_version: str | None  # the local draft that was there, saved first
    offline: str | None  # why the server was not asked (the kept version was used)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


async def pull(engine: RemoteEngine, draft_url: str, root: Path, version: str | None = None,
               progress: Progress | None = None) -> PullResult:
    mirror = engine.mirror
    if mirror is None:
        raise BadRequest("Pull needs the version store")
    url = engine.draft_url_for(draft_url)
    draft_id = parse_draft_id(url)
    validate_draft_id(draft_id)
    if not root.is_dir():
        raise BadRequest(f"Drafts folder {root} does not exist", reason="folder_not_found",
                         params={"path": str(root)})
    offline = None
    if version is None:
        try:
            await mirror.sync(draft_id, await engine.get_draft(url), "manual", progress)
        except (DraftNotFound, Unavailable) as exc:
            if not mirror.versions(draft_id):
                raise
            offline = exc.message  # the server lost it or is away: the kept copy serves
    store = mirror.store()
    mid = mirror_id(draft_id)
    if not store.version_ids(mid):
        raise DraftNotFound(f"No version of {draft_id} is kept here", reason="no_versions",
                            params={"draft_id": draft_id})
    chosen = store.resolve_version(mid, version) if version else store.version_ids(mid)[-1]
    _sweep(root, draft_id)
    staging = root / f"{TMP_PREFIX}pull-{draft_id}-{os.getpid()}-{secrets.token_hex(3)}"
    target = root / draft_id
    try:
        restored = await asyncio.to_thread(actions.restore_version, store, mid, chosen, staging,
                                           draft_url=url)
        # media files are not kept in versions (unless include_media): from the server
        known = mirror.state(draft_id).get("files") or {}
        for rel in restored.not_kept:
            where = known.get(rel) if isinstance(known, dict) else None
            if isinstance(where, dict) and isinstance(where.get("url"), str):
                await mirror.downloader.fetch(where["url"], inside(staging, rel),
                                              progress=progress)
        plan = await asyncio.to_thread(_plan_rewrite, staging, target, draft_id)
        for media_url, rel in plan.downloads:
            await mirror.downloader.fetch(media_url, inside(staging, rel), progress=progress)
        await asyncio.to_thread(_finish, staging, plan)
        before = None
        if target.exists():
            before, _ = await asyncio.to_thread(
                store.save, draft_id, target, reason="before-restore",
                options=mirror.save_options())
        await asyncio.to_thread(_place, staging, target)
    except OSError as exc:
        raise disk_error(exc, f"pulling {draft_id} into {root}", what="Pull") from exc
    finally:
        await asyncio.to_thread(shutil.rmtree, staging, True)
    count = sum(1 for p in target.rglob("*") if p.is_file())
    return PullResult(url, draft_id, str(target), chosen, count, plan.rewritten,
                      [u for u, _ in plan.downloads],
                      before.version if before else None, offline)


@dataclass
class _Plan:
    docs: dict[str, Any]  # rel -> JSON document with rewritten paths
    rewritten: int
    downloads: list[tuple[str, str]]  # (url, rel)


def _plan_rewrite(staging: Path, target: Path, draft_id: str) -> _Plan:
    plan = _Plan({}, 0, [])
    for name in JSON_FILES:
        path = staging / name
        if not path.is_file():
            continue
        try:
            doc = json.loads(path.read_bytes())
        except ValueError:
            continue  # not JSON: kept as it is
        materials = doc.get("materials") if isinstance(doc, dict) else None
        changed = False
        for group in materials.values() if isinstance(materials, dict) else []:
            for item in group if isinstance(group, list) else []:
                if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                    continue
                local = _local_path(item["path"], staging, target, draft_id, plan)
                if local is not None and local != item["path"]:
                    item["path"] = local
                    changed = True
                    plan.rewritten += 1
        if changed:
            plan.docs[name] = doc
    return plan


def _local_path(path: str, staging: Path, target: Path, draft_id: str,
                plan: _Plan) -> str | None:
    """Where a material's file is in the pulled draft (None: leave the path alone)."""
    if not path:
        return None
    if path.lower().startswith(("http://", "https://")):
        with contextlib.suppress(BadRequest):
            rel = file_rel(draft_id, path)
            if (staging / rel).is_file():
                return str(target / rel)
        try:
            name = safe_segment(urlsplit(path).path.rsplit("/", 1)[-1], path)
        except BadRequest:
            return None
        rel = f"assets/{name}"
        if (url_rel := (path, rel)) not in plan.downloads:
            if any(r == rel for _, r in plan.downloads):
                rel = f"assets/{secrets.token_hex(3)}-{name}"
                url_rel = (path, rel)
            plan.downloads.append(url_rel)
        return str(target / rel)
    parts = [p for p in path.replace("\\", "/").split("/")]
    if draft_id not in parts:
        return None
    rest = parts[parts.index(draft_id) + 1:]
    if not rest or any(p in ("", ".", "..") for p in rest):
        return None
    rel = "/".join(rest)
    return str(target / rel) if (staging / rel).is_file() else None


def _finish(staging: Path, plan: _Plan) -> None:
    for name, doc in plan.docs.items():
        (staging / name).write_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    content, info = staging / "draft_content.json", staging / "draft_info.json"
    if content.is_file() and not info.exists():
        shutil.copy2(content, info)
    for path in staging.rglob("*"):
        if path.is_file():
            with path.open("rb+") as f:
                os.fsync(f.fileno())
    fsync_dir(staging)


def _place(staging: Path, target: Path) -> None:
    """``staging`` becomes ``target`` in one rename; a draft there is swapped out (and
    removed: it was saved as a version first)."""
    if not target.exists():
        os.rename(staging, target)
    elif not _exchange(staging, target):
        old = target.with_name(f"{TMP_PREFIX}old-{target.name}-{secrets.token_hex(3)}")
        os.rename(target, old)
        os.rename(staging, target)
        staging = old
    shutil.rmtree(staging, ignore_errors=True)
    fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2: Callable[..., int] = libc.renameat2
    except (OSError, AttributeError, TypeError):  # not Linux (Windows: no CDLL(None))
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)


def _sweep(root: Path, draft_id: str) -> None:
    """Remove staging folders of this draft that a killed pull left behind."""
    prefix = f"{TMP_PREFIX}pull-{draft_id}-"
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if not entry.name.startswith(prefix):
                continue
            pid = entry.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True

