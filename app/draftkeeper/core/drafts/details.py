"""What a user sees of a draft beyond its files: the editor's index (name, cover,
duration, last edit), badges (not in the editor's list, encrypted, Timelines layout, media
offline) and a content summary (parsed by content.py: big files in a process pool).

Draft files stay opaque bytes for saving; these facts are only shown.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Final

from draftkeeper.core.backend import Summary
from draftkeeper.core.drafts.content import IN_PROCESS_BYTES, ContentFacts, ContentParser, Seen
from draftkeeper.core.drafts.roots import (
    CONTENT_FILES,
    COVER,
    ROOT_INDEX,
    TIMELINES,
    content_rel,
)
from draftkeeper.core.records import Record

_PLACEHOLDER = "##_draftpath_placeholder_"


# --- the editor's index ------------------------------------------------------------------


class IndexEntry(Record):
    __match_args__ = ("folder", "name", "duration_us", "modified_us", "cover")
    __slots__ = __match_args__
    folder: Final[str]  # the draft folder's name
    name: Final[str]
    duration_us: Final[int | None]
    modified_us: Final[int | None]
    cover: Final[str | None]

    def __init__(self, folder: str, name: str, duration_us: int | None,
                 modified_us: int | None, cover: str | None) -> None:
        self.folder = folder
        self.name = name
        self.duration_us = duration_us
        self.modified_us = modified_us
        self.cover = cover


class RootIndex(Record):
    """``root_meta_info.json`` of one root. ``entries`` is None when the root has no index;
    ``stale`` when the file could not be read this time (half-written) and the last good
    reading (or nothing) is used."""

    __match_args__ = ("entries", "stale")
    __slots__ = __match_args__
    entries: Final[dict[str, IndexEntry] | None]
    stale: Final[bool]

    def __init__(self, entries: dict[str, IndexEntry] | None, stale: bool = False) -> None:
        self.entries = entries
        self.stale = stale

    def has(self, folder: str) -> bool | None:
        """Whether the editor lists the folder (None: unknown)."""
        if self.entries is None:
            return None
        return folder in self.entries


_LAST_GOOD: dict[str, RootIndex] = {}
_LAST_GOOD_LOCK = threading.Lock()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_index(raw: bytes) -> dict[str, IndexEntry]:
    """Entries by folder name; ValueError for anything that is not a whole index."""
    data = json.loads(raw)  # small (a few KB per hundred drafts): fine in a thread
    if not isinstance(data, dict) or not isinstance(data.get("all_draft_store"), list):
        raise ValueError("no all_draft_store list")
    out: dict[str, IndexEntry] = {}
    for entry in data["all_draft_store"]:
        if not isinstance(entry, dict):
            continue
        fold = entry.get("draft_fold_path")
        if not isinstance(fold, str) or not fold:
            continue
        folder = fold.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        name = entry.get("draft_name")
        cover = entry.get("draft_cover")
        out[folder] = IndexEntry(
            folder=folder,
            name=name if isinstance(name, str) and name else folder,
            duration_us=_int(entry.get("tm_duration")),
            modified_us=_int(entry.get("tm_draft_modified")),
            cover=cover if isinstance(cover, str) and cover else None,
        )
    return out


def read_index(root: Path) -> RootIndex:
    """The root's index, never failing: a half-written file gives the last good reading
    (marked stale), or "unknown" when there was none."""
    key = os.fspath(root)
    try:
        raw = (root / ROOT_INDEX).read_bytes()
    except FileNotFoundError:
        return RootIndex(None)
    except OSError:
        raw = b""
    try:
        index = RootIndex(parse_index(raw))
    except (ValueError, RecursionError):
        with _LAST_GOOD_LOCK:
            last = _LAST_GOOD.get(key)
        return RootIndex(last.entries if last else {}, stale=True) if last else RootIndex(
            None, stale=True)
    with _LAST_GOOD_LOCK:
        _LAST_GOOD[key] = index
    return index


# --- the facts of one draft --------------------------------------------------------------


class DraftDetails(Record):
    __match_args__ = ("cover", "duration_s", "edited_us", "in_editor_index", "encrypted",
                      "layout", "missing_media", "summary", "state")
    __slots__ = __match_args__
    cover: Final[str | None]  # a path, or None
    duration_s: Final[float | None]
    edited_us: Final[int | None]  # the last edit, in microseconds since the epoch
    in_editor_index: Final[bool | None]  # None: the root has no index (or it is unreadable)
    encrypted: Final[bool]
    layout: Final[str]  # "flat" or "timelines"
    missing_media: Final[int | None]  # None: not readable
    summary: Final[Summary | None]
    state: Final[str]  # "present" or "deleted"

    def __init__(self, cover: str | None, duration_s: float | None, edited_us: int | None,
                 in_editor_index: bool | None, encrypted: bool, layout: str,
                 missing_media: int | None, summary: Summary | None,
                 state: str = "present") -> None:
        self.cover = cover
        self.duration_s = duration_s
        self.edited_us = edited_us
        self.in_editor_index = in_editor_index
        self.encrypted = encrypted
        self.layout = layout
        self.missing_media = missing_media
        self.summary = summary
        self.state = state

    @property
    def edited_at(self) -> str | None:
        """The last edit, ISO 8601 in local time with the offset (made when asked: a
        list of 10,000 drafts shows none of them)."""
        return _iso_us(self.edited_us)

    def to_json(self) -> dict[str, Any]:
        return {
            "cover": self.cover,
            "duration_s": self.duration_s,
            "edited_at": self.edited_at,
            "in_editor_index": self.in_editor_index,
            "encrypted": self.encrypted,
            "layout": self.layout,
            "missing_media": self.missing_media,
            "state": self.state,
        }

    @property
    def badges(self) -> list[str]:
        """Badge kinds, in the order they are shown (the UI and CLI name them)."""
        out = []
        if self.state == "deleted":
            out.append("deleted")
        if self.in_editor_index is False:
            out.append("not-in-index")
        if self.encrypted:
            out.append("encrypted")
        if self.layout == "timelines":
            out.append("timelines")
        if self.missing_media:
            out.append("media-offline")
        return out


DELETED = DraftDetails(None, None, None, None, False, "flat", None, None, "deleted")


def content_file(folder: Path) -> Path | None:
    """The file that holds the draft's timeline: draft_content.json, draft_info.json or
    (newer CapCut) the first Timelines/<id>/draft_info.json."""
    for name in CONTENT_FILES:
        if (folder / name).is_file():
            return folder / name
    timelines = folder / TIMELINES
    if timelines.is_dir():
        for sub in sorted(timelines.iterdir()):
            if (sub / "draft_info.json").is_file():
                return sub / "draft_info.json"
    return None


def looks_encrypted(path: str | Path) -> bool:
    """Not plain JSON: the first byte that is not blank is not ``{``. A file that starts
    with ``{`` but does not parse is half-written, not encrypted."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return bool(head) and not head.startswith(b"{")


def _iso_us(us: int | None) -> str | None:
    """Local ISO 8601 with the offset, to the second (what ``datetime.fromtimestamp(...)
    .astimezone().isoformat(timespec="seconds")`` gives, in less than half its time: a
    list of 10,000 drafts makes one each)."""
    if not us:
        return None
    local = time.localtime(us // 1_000_000)
    offset = local.tm_gmtoff
    hours, rest = divmod(abs(offset), 3600)
    minutes, seconds = divmod(rest, 60)
    zone = f"{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}"
    return time.strftime("%Y-%m-%dT%H:%M:%S", local) + zone + (f":{seconds:02d}" if seconds
                                                                else "")


def media_path(folder: Path, raw: str) -> Path:
    if raw.startswith(_PLACEHOLDER):
        rest = raw.split("_##", 1)[1] if "_##" in raw else ""
        return folder / rest.lstrip("/\\")
    path = Path(raw)
    return path if path.is_absolute() else folder / raw


def count_missing(folder: Path, paths: tuple[str, ...]) -> int:
    return sum(1 for raw in set(paths) if not media_path(folder, raw).exists())


class _Folder:
    """What one directory read tells of a draft folder."""

    __slots__ = ("content", "cover", "timelines")

    def __init__(self, content: str | None, cover: bool, timelines: bool) -> None:
        self.content = content  # the content file (see content_file)
        self.cover = cover  # draft_cover.jpg is a file
        self.timelines = timelines  # Timelines/ is a folder


def _look(folder: str) -> _Folder:
    """One directory read (no stat per name: 10,000 drafts are listed at a window's start)."""
    found: set[str] = set()
    timelines = False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name in CONTENT_FILES or name == COVER:
                    if entry.is_file():
                        found.add(name)
                elif name == TIMELINES and entry.is_dir():
                    timelines = True
    except OSError:
        return _Folder(None, False, False)
    content = next((os.path.join(folder, n) for n in CONTENT_FILES if n in found), None)
    if content is None and timelines:
        inner = content_file(Path(folder))
        content = os.fspath(inner) if inner is not None else None
    return _Folder(content, COVER in found, timelines)


def _look_listed(folder: str, files: tuple[str, ...]) -> _Folder:
    """What a sweep's listing of the folder's files (roots.listing: sorted relative paths)
    tells, with no directory read: the sweep has just read every draft's folder."""
    rel = content_rel(files)
    content = None if rel is None else (
        folder + os.sep + rel if "/" not in rel else os.path.join(folder, *rel.split("/")))
    inner = TIMELINES + "/"
    timelines = False
    for r in files:  # (a plain loop: 10,000 drafts)
        if r.startswith(inner):
            timelines = True
            break
    return _Folder(content, COVER in files, timelines)


def details(
    folder: str, index: RootIndex, facts: ContentFacts | None, modified: float,
    look: _Folder, encrypted: bool, name: str | None = None,
) -> DraftDetails:
    """Blocking (a worker thread): combine the index, the folder's listing and facts
    (``name``: the folder's, when the caller has it)."""
    name = os.path.basename(folder) if name is None else name
    entry = index.entries.get(name) if index.entries else None
    cover: str | None = os.path.join(folder, COVER) if look.cover else None
    if cover is None and entry and entry.cover:
        candidate = media_path(Path(folder), entry.cover)
        if candidate.is_file():
            cover = os.fspath(candidate)
    duration: float | None = None
    if entry and entry.duration_us is not None:
        duration = round(entry.duration_us / 1_000_000, 3)
    elif facts is not None:
        duration = facts.summary.duration_s
    edited = entry.modified_us if entry and entry.modified_us else None
    if edited is None and modified:
        edited = int(modified * 1_000_000)
    return DraftDetails(
        cover=cover,
        duration_s=duration,
        edited_us=edited,
        in_editor_index=index.has(name),
        encrypted=encrypted,
        layout="timelines" if look.timelines else "flat",
        missing_media=(count_missing(Path(folder), facts.media_paths) if facts.media_paths
                       else 0) if facts else None,
        summary=facts.summary if facts else None,
    )


Listed = tuple[tuple[str, ...], Seen]  # roots.listing: the names, the content file's stat


def details_many(
    parser: ContentParser, folders: list[tuple[str, float]],
    listed: list[Listed | None] | None = None,
) -> list[DraftDetails]:
    """Details of many drafts (folder, newest mtime): their JSON parsed by ``parser``
    (big files in parallel in its pool); one index read per root. ``listed``: each
    folder's files as a sweep has just listed them, where known (its folder is not read
    again, nor its content file's stat data)."""
    indexes: dict[str, RootIndex] = {}
    looks: list[_Folder] = []
    index_of: list[RootIndex] = []
    names: list[str] = []
    seen: list[Seen] = []
    for i, (folder, _m) in enumerate(folders):
        root, name = os.path.split(folder)
        names.append(name)
        if root not in indexes:
            indexes[root] = read_index(Path(root))
        index_of.append(indexes[root])
        files = listed[i] if listed is not None else None
        look = _look(folder) if files is None else _look_listed(folder, files[0])
        looks.append(look)
        if look.content is not None:
            seen.append(None if files is None else files[1])
    contents = [look.content for look in looks if look.content is not None]
    # facts kept of unchanged files: those parsed as JSON, so not encrypted (not opened)
    parsed: dict[str, ContentFacts | None] = {
        c: f for c, f in zip(contents, parser.known_facts(contents, seen), strict=True)
              if f is not None}
    # the others are parsed; a big file's head is looked at first (an encrypted one never
    # goes to the process pool), a small one's only when it gave no facts (one opening
    # less per draft: a first list after a save parses every draft's JSON)
    size_of = dict(zip(contents, seen, strict=True))
    readable: list[str] = []
    for content in contents:
        stat = size_of[content]
        if content not in parsed and ((stat is not None and stat[0] <= IN_PROCESS_BYTES)
                                      or not looks_encrypted(content)):
            readable.append(content)
    parsed.update(zip(readable, parser.many_file_facts(readable), strict=True))
    secret = [look.content is not None and parsed.get(look.content) is None
              and looks_encrypted(look.content) for look in looks]
    return [
        details(folder, index, parsed.get(look.content) if look.content else None, modified,
                look, encrypted, name)
        for (folder, modified), index, look, encrypted, name
        in zip(folders, index_of, looks, secret, names, strict=True)
    ]
