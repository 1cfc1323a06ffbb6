"""Retention (which versions to thin) and garbage collection (blobs nothing refers to:
whole-file blobs, chunk lists, and the pieces no remaining chunk list names).

Both run only with the store's lock held, after a save or a restore has finished, never
in the middle of one. Damaged manifests are skipped by retention and, for garbage
collection, every hash-like string in them still counts as a reference: a blob is never
deleted while something that might be a version could need it.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from draftkeeper.core.blobs.blobs import BlobDamaged, Blobs
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.records import Record
from draftkeeper.core.store.manifests import DamagedManifest
from draftkeeper.core.store.versions import Manifests

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    class Thinnable(Protocol):  # a Manifest, Facts
        @property
        def version(self) -> str: ...

        @property
        def time(self) -> float: ...

        @property
        def protected(self) -> bool: ...

    T = TypeVar("T", bound=Thinnable)

HOUR = 3600.0
DAY = 86400.0
GC_EVERY_S = HOUR
# what a damaged manifest may still name (compiled at first use: garbage collection only)
_HASH = rb"[0-9a-f]{64}"
_CHUNKS = rb'"chunks"\s*:\s*"([0-9a-f]{64})"'


def retention_victims(manifests: list[T], now: float, keep_last: int) -> list[T]:
    """Which versions to delete: keep the newest ``keep_last``; older ones are thinned to
    one per hour for a day and one per day for 30 days. Manual saves (and versions a
    manual save answered with) are never thinned."""
    ordered = sorted(manifests, key=lambda m: (m.time, m.version), reverse=True)
    victims: list[T] = []
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


class Facts(Record):
    """What retention needs of a version (``Manifests.facts``)."""

    __match_args__ = ("version", "time", "protected")
    __slots__ = __match_args__

    def __init__(self, version: str, time: float, protected: bool) -> None:
        self.version = version
        self.time = time
        self.protected = protected


def apply_retention(
    io: StoreIO,
    manifests: Manifests,
    draft_id: str,
    keep_last: int,
    now: float,
    spare: Collection[str] = (),
) -> int:
    """Thin one draft's versions (never those in ``spare``); returns how many went.

    One query of the versions' time and protection; a manifest is read only where they
    are not known yet (a row of an earlier release), and they are then written in, with
    the deletions: so a draft's older versions are not read again at every save."""
    rows = manifests.facts(draft_id)
    if len(rows) <= keep_last:
        return 0
    older: list[Facts] = []
    fill: list[tuple[str, float, bool]] = []
    for version, stamp, protected in rows[: len(rows) - keep_last]:
        if stamp is None or protected is None:
            try:
                m = manifests.read(draft_id, version)
            except (DamagedManifest, DraftNotFound):
                continue  # skipped, as ever
            stamp, protected = m.time, m.protected
            fill.append((version, stamp, protected))
        older.append(Facts(version, stamp, protected))
    victims = [f.version for f in retention_victims(older, now, keep_last=0)
               if f.version not in spare]
    manifests.delete(draft_id, victims, fill)
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
            import re  # (a damaged manifest only)

            refs.update(m.decode() for m in re.findall(_HASH, raw))
            lists.update(m.decode() for m in re.findall(_CHUNKS, raw))
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
