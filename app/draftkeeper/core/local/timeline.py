"""History as a timeline: each version with what it changed against the one before, a
content summary, and which version equals the working copy; and Compare (a version with
the working copy or with another version, files and texts)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.drafts.content import ContentParser
from draftkeeper.core.drafts.details import looks_encrypted
from draftkeeper.core.drafts.roots import CONTENT_FILES, TIMELINES
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.local.compare import (
    Comparison,
    changes,
    file_changes,
    text_changes,
    working_entries,
)
from draftkeeper.core.store.manifests import DamagedManifest, FileEntry, Manifest
from draftkeeper.core.store.store import Store

WORKING_COPY = "working copy"


def content_entry(files: tuple[FileEntry, ...]) -> FileEntry | None:
    """The entry of the file that holds the draft's timeline (see draftinfo.content_file)."""
    by_path = {f.path: f for f in files}
    for name in CONTENT_FILES:
        if name in by_path:
            return by_path[name]
    timelines = sorted(f.path for f in files
                       if f.path.startswith(f"{TIMELINES}/") and f.path.endswith("/draft_info.json")
                       and f.path.count("/") == 2)
    return by_path[timelines[0]] if timelines else None


def _content_key(m: Manifest) -> tuple[tuple[str, str | int], ...]:
    return tuple((f.path, f.hash if f.hash is not None else f.size) for f in m.files)


def _blob_reader(store: Store, entry: FileEntry) -> bytes:
    """A kept file's stored content (whole blob or chunks), hash-checked."""
    return b"".join(store.blobs.file_content(entry.hash or "", entry.chunks))


def timeline(store: Store, parser: ContentParser | None, draft_id: str,
             folder: Path | None) -> list[VersionInfo]:
    """Versions newest first with ``changes``, ``current`` and (with a parser)
    ``summary`` filled in. Blocking: call from a worker thread."""
    history = store.history(draft_id)
    manifests: dict[str, Manifest] = {}
    for info in history:
        if info.damaged is None:
            try:
                manifests[info.version] = store.manifest(draft_id, info.version)
            except (DamagedManifest, DraftNotFound):
                continue
    current_key = None
    if folder is not None and folder.is_dir():
        latest = store.latest(draft_id)
        if latest is not None and store.is_unchanged(draft_id, folder) is not None:
            current_key = _content_key(latest)
    ordered = [manifests.get(v.version) for v in reversed(history)]  # oldest first
    previous: dict[str, Manifest | None] = {}
    last: Manifest | None = None
    for m in ordered:
        if m is not None:
            previous[m.version] = last
            last = m
    out = []
    for info in history:
        m = manifests.get(info.version)
        if m is None:
            out.append(info)
            continue
        summary = None
        entry = content_entry(m.files)
        if parser is not None and entry is not None and entry.hash is not None:
            summary = parser.blob_facts(entry.hash, partial(_blob_reader, store, entry))
        out.append(info.replace(
            changes=changes(previous.get(m.version), m),
            current=current_key is not None and _content_key(m) == current_key,
            summary=summary.summary if summary else None,
        ))
    return out


def compare(store: Store, parser: ContentParser, draft_id: str, old: str,
            new: str | None, folder: Path | None) -> Comparison:
    """``old`` against ``new`` (a version; None: the working copy in ``folder``)."""
    old_id = store.resolve_version(draft_id, old)
    a = store.manifest(draft_id, old_id)
    if new is None:
        if folder is None or not folder.is_dir():
            raise DraftNotFound(f"Draft {draft_id} has no working copy to compare with")
        b_files = working_entries(store.io, folder, store.latest(draft_id) or a)
        new_name = WORKING_COPY
    else:
        new_name = store.resolve_version(draft_id, new)
        b_files = store.manifest(draft_id, new_name).files
    result = Comparison(old=old_id, new=new_name, files=file_changes(a.files, b_files))
    ea, eb = content_entry(a.files), content_entry(b_files)
    if ea is None or eb is None or ea.hash is None:
        return result
    old_texts = parser.texts(ea.hash, partial(_blob_reader, store, ea))
    if new is None:
        assert folder is not None
        path = folder / eb.path
        if looks_encrypted(path):
            return result
        new_texts = parser.texts(eb.hash, path.read_bytes)
    elif eb.hash is not None:
        new_texts = parser.texts(eb.hash, partial(_blob_reader, store, eb))
    else:
        return result
    if old_texts is not None and new_texts is not None:
        result.texts = text_changes(old_texts, new_texts)
    return result
