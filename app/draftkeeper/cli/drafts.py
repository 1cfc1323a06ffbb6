"""Command line, draft-manager part: `diff`, `pin`, `unpin`, `restore --as-new` /
`--file`, and the extra fields of `list` and `history` (cover, duration, badges, deleted
drafts; changes, pins, labels, the current version, content summaries).

Their options are in parser.py; main.py dispatches to them; every command runs on the
Session, as the window does.
"""

from __future__ import annotations

from collections.abc import Callable

from draftkeeper.cli.common import EXIT_OK, in_session, local_time, print_json, size_text
from draftkeeper.core.backend import DraftInfo, RestoreResult, VersionInfo
from draftkeeper.core.settings.table import Settings

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # loaded by the commands that use them
    import argparse

    from draftkeeper.core.drafts.details import DraftDetails
    from draftkeeper.core.local.compare import Comparison
    from draftkeeper.core.session.session import Session

BADGE_WORDS = {
    "deleted": "Deleted",
    "not-in-index": "Not in the editor's list",
    "encrypted": "Encrypted",
    "timelines": "Timelines layout",
}
REASON_WORDS = {"manual": "manual save", "autosave": "autosave",
                "before-restore": "before restore", "restored": "restored"}
EDITOR_PICKUP = (
    "CapCut / JianYing list a draft from their own index (root_meta_info.json), which "
    "Draft Keeper never writes. Close the editor and open it again so that it looks at "
    "its drafts folder; until it lists the new draft, Draft Keeper shows it as "
    "\"Not in the editor's list\"."
)


# --- list ----------------------------------------------------------------------------


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def badge_words(details: DraftDetails) -> list[str]:
    words = [BADGE_WORDS[b] for b in details.badges if b in BADGE_WORDS]
    if details.missing_media:
        words.append(f"Media offline: {details.missing_media}")
    return words


def with_details(rows: list[dict[str, Any]], details: dict[str, DraftDetails]
                 ) -> list[dict[str, Any]]:
    """`list --json` rows gain cover, duration_s, edited_at, in_editor_index, encrypted,
    layout, missing_media, state and summary (local drafts)."""
    for row in rows:
        det = details.get(row["draft_url"] or row["draft_id"])
        if det is not None and not row["remote"]:
            row.update(det.to_json())
            row["summary"] = None if det.summary is None else det.summary.as_dict()
    return rows


def deleted_rows(deleted: list[DraftInfo]) -> list[dict[str, Any]]:
    return [
        {"draft_id": d.draft_id, "name": d.name, "root": d.root, "path": d.path,
         "size": d.size, "file_count": d.file_count, "modified": d.modified,
         "draft_url": d.draft_url, "remote": False, "status": "missing",
         "status_text": "Deleted (its versions are kept)", "last_saved_at": d.modified,
         "failed_at": None, "error": None}
        for d in deleted
    ]


def list_lines(items: list[tuple[DraftInfo, str]], details: dict[str, DraftDetails]
               ) -> list[str]:
    """The lines of local drafts (with their status text) and deleted drafts."""
    lines = []
    when: dict[float, str] = {}  # local_time of each mtime met (copies share theirs)
    sizes: dict[int, str] = {}
    for d, status in items:
        det = details.get(d.key)
        name = d.name if d.name == d.draft_id else f"{d.name} ({d.draft_id})"
        modified = when.get(d.modified)
        if modified is None:
            modified = when[d.modified] = local_time(d.modified)
        if det is None or det.state == "deleted":
            lines.append(f"  {name}  deleted; {d.file_count} files in its latest version "
                         f"({modified}); bring it back with "
                         f"`draftkeeper restore {d.draft_id} latest`")
            continue
        size = sizes.get(d.size)
        if size is None:
            size = sizes[d.size] = size_text(d.size)
        badges = "".join(f"  [{w}]" for w in badge_words(det))
        lines.append(f"  {name}  {_duration(det.duration_s)}  {d.file_count} files  "
                     f"{size}  modified {modified}  {status}{badges}")
    return lines


# --- history -------------------------------------------------------------------------


def _when(version: str | None, versions: list[VersionInfo]) -> str:
    for v in versions:
        if v.version == version:
            return local_time(v.time)
    return version or "?"


def print_history(versions: list[VersionInfo]) -> None:
    for v in versions:
        if v.damaged is not None:
            print(f"{v.version}  {local_time(v.time)}  DAMAGED: {v.damaged}")
            continue
        why = REASON_WORDS.get(v.reason, v.reason)
        if v.restored_from:
            why = f"restored from {_when(v.restored_from, versions)}"
        marks = ("  * current" if v.current else "") + ("  [pinned]" if v.pinned else "")
        if v.label:
            marks += f"  \"{v.label}\""
        print(f"{v.version}  {local_time(v.time)}  {why}  {v.file_count} files  "
              f"{size_text(v.bytes)}{marks}")
        c = v.changes
        if c is not None and (c.added or c.removed or c.modified):
            parts = [f"{len(c.added)} added" if c.added else "",
                     f"{len(c.removed)} removed" if c.removed else "",
                     f"changed: {', '.join(c.modified)}" if c.modified else ""]
            sign = "+" if c.bytes_delta >= 0 else "-"
            size = size_text(abs(c.bytes_delta))
            print(f"    {'; '.join(p for p in parts if p)} ({sign}{size})")
        if v.summary is not None:
            s = v.summary
            print(f"    {_duration(s.duration_s)}, {s.tracks} tracks, {s.segments} segments, "
                  f"{s.texts} texts")
        if v.not_kept:
            print(f"    {len(v.not_kept)} media files not kept")


# --- diff, pin, unpin, restore variants ------------------------------------------------


def print_comparison(c: Comparison) -> None:
    print(f"comparing version {c.old} with {c.new}")
    if not c.files:
        print("  no file changed")
    for f in c.files:
        sizes = {"added": f"{size_text(f.new_size or 0)}",
                 "removed": f"{size_text(f.old_size or 0)}",
                 "modified": f"{size_text(f.old_size or 0)} -> {size_text(f.new_size or 0)}"}
        print(f"  {f.kind:<9} {f.path}  {sizes[f.kind]}")
    if c.texts is None:
        print("texts: not compared (the draft's content is not readable)")
        return
    print(f"texts: {len(c.texts)} changed" if c.texts else "texts: none changed")
    for t in c.texts:
        if t.kind == "modified":
            print(f"  changed: {t.old!r} -> {t.new!r}")
        elif t.kind == "added":
            print(f"  added:   {t.new!r}")
        else:
            print(f"  removed: {t.old!r}")


def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    async def body(session: Session) -> int:
        result = await session.compare(args.draft, args.v1, args.v2)
        if args.json:
            print_json(result.to_json())
        else:
            print_comparison(result)
        return EXIT_OK

    return in_session(args, settings, body)


def _pin(args: argparse.Namespace, settings: Settings, pinned: bool) -> int:
    label = getattr(args, "label", None)

    async def body(session: Session) -> int:
        info = await session.pin(args.draft, args.version, pinned, label)
        if args.json:
            print_json(info.to_json() | {"code": 0, "message": "Success"})
        elif pinned:
            named = f" as \"{info.label}\"" if info.label else ""
            print(f"pinned version {info.version}{named}: retention keeps it")
        else:
            print(f"unpinned version {info.version}")
        return EXIT_OK

    return in_session(args, settings, body)


def cmd_pin(args: argparse.Namespace, settings: Settings) -> int:
    return _pin(args, settings, True)


def cmd_unpin(args: argparse.Namespace, settings: Settings) -> int:
    return _pin(args, settings, False)


async def restore_variant(args: argparse.Namespace, session: Session) -> RestoreResult | None:
    """`restore --as-new` / `--file`; None for a plain restore."""
    if getattr(args, "as_new", None):
        return await session.restore_as_new(args.draft, args.version, args.as_new)
    if getattr(args, "file", None):
        return await session.restore_file(args.draft, args.version, args.file)
    return None


def print_restore_variant(args: argparse.Namespace, result: RestoreResult) -> None:
    if result.folder is not None:
        print(f"restored version {result.version} of {args.draft} as a new draft in "
              f"{result.folder}; the original was not touched")
        print(f"  note: {EDITOR_PICKUP}")
        return
    print(f"restored {', '.join(result.written) or args.file} from version {result.version} "
          "(nothing else changed)")
    if result.before_restore_version:
        print(f"  the state before is version {result.before_restore_version}")


HANDLERS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "diff": cmd_diff,
    "pin": cmd_pin,
    "unpin": cmd_unpin,
}


async def extras(session: Session, infos: list[DraftInfo]
                 ) -> tuple[list[DraftInfo], dict[str, DraftDetails]]:
    """Drafts the editor deleted (their versions kept; listed too) and the details of
    every local draft."""
    deleted = await session.deleted_drafts()
    return deleted, await session.draft_details(infos + deleted)
