"""Compare: what changed between two versions, or between a version and the working copy.

Files are compared by content hash (media not kept: by size). The working copy's files
are hashed only where their size and mtime differ from the version's entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from draftkeeper.core.backend import Changes
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.drafts.roots import walk_files
from draftkeeper.core.store.manifests import FileEntry, Manifest
from draftkeeper.core.store.snapshot import file_digest

ADDED, REMOVED, MODIFIED = "added", "removed", "modified"


@dataclass(frozen=True)
class FileChange:
    path: str
    kind: str  # added, removed, modified
    old_size: int | None
    new_size: int | None


@dataclass(frozen=True)
class TextChange:
    kind: str  # added, removed, modified
    old: str | None
    new: str | None


@dataclass
class Comparison:
    """``old`` (a version) against ``new`` (a version, or "working copy")."""

    old: str
    new: str
    files: list[FileChange] = field(default_factory=list)
    texts: list[TextChange] | None = None  # None: the draft's content is not readable

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "files": [vars(f) for f in self.files],
            "texts": None if self.texts is None else [vars(t) for t in self.texts],
            "code": 0,
            "message": "Success",
        }


def _same(a: FileEntry, b: FileEntry) -> bool:
    if a.hash is not None and b.hash is not None:
        return a.hash == b.hash
    return a.size == b.size and (a.hash is None) == (b.hash is None)


def file_changes(old: tuple[FileEntry, ...], new: tuple[FileEntry, ...]) -> list[FileChange]:
    before = {f.path: f for f in old}
    after = {f.path: f for f in new}
    out: list[FileChange] = []
    for path in sorted(before.keys() | after.keys()):
        a, b = before.get(path), after.get(path)
        if a is None and b is not None:
            out.append(FileChange(path, ADDED, None, b.size))
        elif b is None and a is not None:
            out.append(FileChange(path, REMOVED, a.size, None))
        elif a is not None and b is not None and not _same(a, b):
            out.append(FileChange(path, MODIFIED, a.size, b.size))
    return out


def changes(previous: Manifest | None, manifest: Manifest) -> Changes:
    """``history --json``'s ``changes``: against the version before (or nothing)."""
    found = file_changes(previous.files if previous else (), manifest.files)
    delta = manifest.total_bytes - (previous.total_bytes if previous else 0)
    return Changes(
        added=[c.path for c in found if c.kind == ADDED],
        removed=[c.path for c in found if c.kind == REMOVED],
        modified=[c.path for c in found if c.kind == MODIFIED],
        bytes_delta=delta,
    )


def working_entries(io: StoreIO, folder: Path, like: Manifest | None) -> tuple[FileEntry, ...]:
    """The working copy as file entries; files whose size and mtime match ``like``'s
    entry take its hash, others are hashed now."""
    known = {f.stat_key(): f.hash for f in like.files} if like else {}
    out = []
    for rel, st in walk_files(folder):
        key = (rel, st.st_size, st.st_mtime_ns)
        digest = known.get(key)
        if digest is None and key not in known:
            try:
                digest = file_digest(io, folder / rel)
            except OSError:
                digest = None
        out.append(FileEntry(rel, st.st_size, st.st_mtime_ns, digest))
    return tuple(out)


def text_changes(old: dict[str, str], new: dict[str, str]) -> list[TextChange]:
    """Texts / captions by material id: added, removed, or with a changed text."""
    out: list[TextChange] = []
    for key in old.keys() - new.keys():
        out.append(TextChange(REMOVED, old[key], None))
    for key in new.keys() - old.keys():
        out.append(TextChange(ADDED, None, new[key]))
    for key in old.keys() & new.keys():
        if old[key] != new[key]:
            out.append(TextChange(MODIFIED, old[key], new[key]))
    order = {REMOVED: 0, MODIFIED: 1, ADDED: 2}
    out.sort(key=lambda t: (order[t.kind], t.old or t.new or ""))
    return out
