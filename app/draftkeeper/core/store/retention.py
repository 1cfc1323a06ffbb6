"""Retention (which versions to thin) and garbage collection (blobs nothing refers to:
whole-file blobs, chunk lists, and the pieces no remaining chunk list names).

Both run only with the store's lock held, after a save or a restore has finished, never
in the middle of one. Damaged manifests are skipped by retention and, for garbage
collection, every hash-like string in them still counts as a reference: a blob is never
deleted while something that might be a version could need it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from draftkeeper.core.blobs.blobs import BlobDamaged, Blobs
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.store.manifests import DamagedManifest, Manifest
from draftkeeper.core.store.versions import Manifests

HOUR = 3600.0
DAY = 86400.0
GC_EVERY_S = HOUR
_HASH = re.compile(rb"[0-9a-f]{64}")
_CHUNKS = re.compile(rb'"chunks"\s*:\s*"([0-9a-f]{64})"')


def retention_victims(
    manifests: list[Manifest], now: float, keep_last: int
) -> list[Manifest]:
    """Which versions to delete: keep the newest ``keep_last``; older ones are thinned to
    one per hour for a day and one per day for 30 days. Manual saves (and versions a
    manual save answered with) are never thinned."""
    ordered = sorted(manifests, key=lambda m: (m.time, m.version), reverse=True)
    victims: list[Manifest] = []
    seen: set[tuple[str, int]] = set()
    for m in ordered[keep_last:]:
        if m.protected:
            continue
        age = now - m.time
        if age < DAY:
            bucket = ("hour", int(m.time // HOUR))
        elif age < 30 * DAY:
            bucket = ("day", int(m.time // DAY))
        else:
            victims.append(m)
            continue
        if bucket in seen:
            victims.append(m)
        else:
            seen.add(bucket)
    return victims


def apply_retention(
    io: StoreIO,
    manifests: Manifests,
    draft_id: str,
    keep_last: int,
    now: float,
    spare: Collection[str] = (),
) -> int:
    """Thin one draft's versions (never those in ``spare``); returns how many went."""
    ids = manifests.version_ids(draft_id)
    if len(ids) <= keep_last:
        return 0
    older = manifests.readable(draft_id, ids[: len(ids) - keep_last])
    victims = [m for m in retention_victims(older, now, keep_last=0) if m.version not in spare]
    if not victims:
        return 0
    manifests.delete(draft_id, [m.version for m in victims])
    return len(victims)


def gc_due(root: Path, now: float) -> bool:
    try:
        return now - (root / "gc-stamp").stat().st_mtime >= GC_EVERY_S
    except FileNotFoundError:
        return True


def referenced(manifests: Manifests, blobs: Blobs) -> set[str] | None:
    """Every blob a manifest refers to (its files' blobs, chunk lists and the pieces they
    name); None when some manifest or chunk list cannot be read at all."""
    refs: set[str] = set()
    lists: set[str] = set()
    for key, version in manifests.all_ids():
        try:
            manifest = manifests.read_key(key, version)
        except DraftNotFound:
            continue  # (the lock is held: only a file that vanished)
        except DamagedManifest:
            try:
                raw, _where = manifests.raw(key, version)
            except (DamagedManifest, DraftNotFound):
                return None
            refs.update(m.decode() for m in _HASH.findall(raw))
            lists.update(m.decode() for m in _CHUNKS.findall(raw))
            continue
        refs.update(f.hash for f in manifest.files if f.hash)
        lists.update(f.chunks for f in manifest.files if f.chunks)
    refs |= lists
    for digest in lists:
        try:
            pieces, sublists = blobs.chunk_tree(digest)
            refs.update(piece for piece, _size in pieces)
            refs.update(sublists)
        except BlobDamaged:
            if blobs.exists(digest):
                return None  # cannot tell which pieces it names: delete nothing
    return refs


def collect_garbage(manifests: Manifests, blobs: Blobs) -> int:
    """Delete blobs no manifest refers to (the caller holds the lock). Nothing is deleted
    when a manifest cannot be read at all."""
    refs = referenced(manifests, blobs)
    if refs is None:
        return 0
    unused = [digest for digest in dict.fromkeys(blobs.digests()) if digest not in refs]
    if unused:
        blobs.remove_many(unused)  # and the space they took goes back to the file system
    return len(unused)
