"""A draft manager, not a file backup: the editor's index, covers, durations, badges,
content summaries parsed in a process pool, and deleted drafts (real fixture drafts)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.drafts.content import ContentParser
from draftkeeper.core.drafts.details import read_index
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import read_tree

DURATION_US = 1_999_900_000
EDITED_US = 1_795_700_000_123_456


def write_index(root: Path, *folders: str, cover: bool = True) -> None:
    """A root_meta_info.json as CapCut writes it (Windows paths, microseconds)."""
    entries = [
        {
            "draft_fold_path": f"C:/Users/me/AppData/Local/CapCut/User Data/Projects/"
                               f"com.lveditor.draft/{folder}",
            "draft_name": f"Film {folder[:6]}",
            "tm_draft_modified": EDITED_US,
            "tm_duration": DURATION_US,
            "draft_cover": "draft_cover.jpg" if cover else "",
        }
        for folder in folders
    ]
    (root / "root_meta_info.json").write_text(
        json.dumps({"all_draft_store": entries, "draft_ids": len(entries)}), "utf-8")


@pytest.fixture(scope="module")
def parser() -> Iterator[ContentParser]:
    p = ContentParser()
    yield p
    p.close()


@pytest.fixture
def engine(draft_root: Path, tmp_path: Path, parser: ContentParser) -> LocalEngine:
    e = LocalEngine(Settings(roots=[str(draft_root)], store_dir=str(tmp_path / "store")))
    e.set_parser(parser)
    return e


def details_of(engine: LocalEngine) -> dict[str, object]:
    infos = engine.list_drafts_sync() + engine.deleted_drafts_sync()
    return dict(engine.details_sync(infos))


def test_index_fields_cover_duration_summary(engine: LocalEngine, draft_root: Path) -> None:
    write_index(draft_root, CAPTIONS_ID)  # the template draft is missing from the index
    (draft_root / CAPTIONS_ID / "draft_cover.jpg").write_bytes(b"\xff\xd8\xff\xe0jpeg")
    names = {d.draft_id: d.name for d in engine.list_drafts_sync()}
    assert names[CAPTIONS_ID] == f"Film {CAPTIONS_ID[:6]}"
    found = engine.details_sync(engine.list_drafts_sync())
    cap, tpl = found[CAPTIONS_ID], found[TEMPLATE_ID]
    assert cap.cover == str(draft_root / CAPTIONS_ID / "draft_cover.jpg")
    assert cap.duration_s == pytest.approx(1999.9)
    assert cap.edited_at is not None and cap.edited_at.startswith("2026-11-")
    assert cap.in_editor_index is True and cap.badges == []
    assert cap.encrypted is False and cap.layout == "flat" and cap.missing_media == 0
    assert cap.summary is not None
    assert (cap.summary.tracks, cap.summary.segments, cap.summary.texts) == (3, 2000, 2000)
    # folder present, index entry missing: the editor will not show it
    assert tpl.in_editor_index is False and tpl.badges == ["not-in-index"]
    assert tpl.cover is None and tpl.summary is not None and tpl.summary.segments == 0


def test_without_an_index_nothing_is_claimed(engine: LocalEngine) -> None:
    found = engine.details_sync(engine.list_drafts_sync())
    assert found[CAPTIONS_ID].in_editor_index is None
    assert found[CAPTIONS_ID].duration_s == pytest.approx(1999.9)  # from the content
    assert "not-in-index" not in found[TEMPLATE_ID].badges


def test_half_written_index_never_fails(engine: LocalEngine, draft_root: Path) -> None:
    write_index(draft_root, CAPTIONS_ID, TEMPLATE_ID)
    assert engine.details_sync(engine.list_drafts_sync())[TEMPLATE_ID].in_editor_index is True
    full = (draft_root / "root_meta_info.json").read_bytes()
    (draft_root / "root_meta_info.json").write_bytes(full[: len(full) // 2])
    infos = engine.list_drafts_sync()  # the editor is rewriting it: no failure
    found = engine.details_sync(infos)
    assert found[TEMPLATE_ID].in_editor_index is True  # the last good reading
    assert read_index(draft_root).stale
    other = draft_root.parent / "other"
    other.mkdir()
    (other / "root_meta_info.json").write_bytes(full[:100])
    assert read_index(other).entries is None  # never read whole: unknown, not "missing"


def test_encrypted_draft_is_badged_and_still_saved(engine: LocalEngine, draft_root: Path,
                                                   parser: ContentParser) -> None:
    folder = draft_root / TEMPLATE_ID
    for name in ("draft_content.json", "draft_info.json"):
        (folder / name).write_bytes(b"\x8f" + os.urandom(3000))  # JianYing 6+: not JSON
    before = parser.parsed
    det = engine.details_sync(engine.list_drafts_sync())[TEMPLATE_ID]
    assert det.encrypted and "encrypted" in det.badges and det.summary is None
    assert det.missing_media is None
    assert parser.parsed - before <= 1  # the other draft only: ciphertext is never parsed
    result = engine.save_sync(TEMPLATE_ID)
    assert not result.unchanged and result.version
    versions = engine.timeline_sync(TEMPLATE_ID)
    assert versions[0].summary is None and versions[0].current


def test_media_offline_counts_missing_material_paths(engine: LocalEngine,
                                                     draft_root: Path) -> None:
    folder = draft_root / TEMPLATE_ID
    present = folder / "assets" / "clip.mp4"
    present.parent.mkdir()
    present.write_bytes(b"video")
    data = json.loads((folder / "draft_content.json").read_bytes())
    data["materials"]["videos"] = [
        {"id": "a", "path": str(present), "type": "video"},
        {"id": "b", "path": str(draft_root / "moved" / "gone.mp4"), "type": "video"},
    ]
    data["materials"]["audios"] = [{"id": "c", "path": "/nowhere/voice.mp3"}]
    (folder / "draft_content.json").write_text(json.dumps(data), "utf-8")
    det = engine.details_sync(engine.list_drafts_sync())[TEMPLATE_ID]
    assert det.missing_media == 2 and "media-offline" in det.badges


def test_timelines_layout(engine: LocalEngine, draft_root: Path) -> None:
    folder = draft_root / TEMPLATE_ID
    inner = folder / "Timelines" / "6A1B"
    inner.mkdir(parents=True)
    shutil.move(folder / "draft_content.json", inner / "draft_info.json")
    (folder / "draft_info.json").unlink()
    det = engine.details_sync(engine.list_drafts_sync())[TEMPLATE_ID]
    assert det.layout == "timelines" and "timelines" in det.badges
    assert det.summary is not None and det.summary.tracks == 1


def test_parses_are_cached_by_size_and_mtime(engine: LocalEngine, draft_root: Path,
                                             parser: ContentParser) -> None:
    infos = engine.list_drafts_sync()
    engine.details_sync(infos)
    before = parser.parsed
    engine.details_sync(infos)
    assert parser.parsed == before  # nothing changed: nothing parsed again
    path = draft_root / CAPTIONS_ID / "draft_content.json"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    assert engine.details_sync(infos)[CAPTIONS_ID].summary is not None
    assert parser.parsed == before + 1  # only the draft whose file moved


def test_deleted_draft_is_listed_and_restored(engine: LocalEngine, draft_root: Path) -> None:
    engine.save_sync(CAPTIONS_ID)
    original = read_tree(draft_root / CAPTIONS_ID)
    shutil.rmtree(draft_root / CAPTIONS_ID)  # the editor deleted it
    deleted = engine.deleted_drafts_sync()
    assert [d.draft_id for d in deleted] == [CAPTIONS_ID]
    assert deleted[0].file_count == len(original)
    assert details_of(engine)[CAPTIONS_ID].state == "deleted"  # type: ignore[attr-defined]
    result = engine.restore_sync(CAPTIONS_ID, "latest")
    assert result.before_restore_version is None
    assert read_tree(draft_root / CAPTIONS_ID) == original
    assert engine.deleted_drafts_sync() == []
    assert engine.save_sync(CAPTIONS_ID, "autosave").unchanged


def test_removed_or_foreign_drafts_are_not_called_deleted(engine: LocalEngine,
                                                          draft_root: Path,
                                                          tmp_path: Path) -> None:
    engine.save_sync(CAPTIONS_ID)
    elsewhere = tmp_path / "other-root"
    shutil.copytree(draft_root / TEMPLATE_ID, elsewhere / "foreign")
    other = LocalEngine(engine.settings, roots=[elsewhere], store=engine.store)
    other.save_sync("foreign")  # a draft of a root that is not one of ours
    shutil.rmtree(elsewhere / "foreign")
    shutil.rmtree(draft_root / CAPTIONS_ID)
    engine.settings.ignored_drafts.append(CAPTIONS_ID)  # removed from the list
    assert engine.deleted_drafts_sync() == []


def test_remote_mirrors_in_the_store_are_not_deleted_drafts(engine: LocalEngine,
                                                           draft_root: Path) -> None:
    from draftkeeper.core.local import manager as engine_drafts
    from draftkeeper.core.remote import mirror

    assert engine_drafts.MIRRORS == mirror.PREFIX
    work = draft_root / "mirror-work"
    shutil.copytree(draft_root / TEMPLATE_ID, work)
    engine.store.save(mirror.mirror_id("on-a-server"), work)
    shutil.rmtree(work)  # a folder that is gone, in one of our roots: only the id tells
    assert engine.deleted_drafts_sync() == []


def test_details_from_the_sweeps_listing_are_those_the_folders_give(
        engine: LocalEngine, draft_root: Path, tmp_path: Path, parser: ContentParser) -> None:
    """The window asks for the details of drafts the sweep has just listed: their files are
    not listed again, and the details are the same as from reading each folder."""
    write_index(draft_root, TEMPLATE_ID, cover=False)
    (draft_root / TEMPLATE_ID / "draft_cover.jpg").write_bytes(b"\xff\xd8 cover")
    folder = draft_root / CAPTIONS_ID
    inner = folder / "Timelines" / "6A1B"
    inner.mkdir(parents=True)
    for name in ("draft_content.json", "draft_info.json"):
        if (folder / name).exists():
            shutil.move(folder / name, inner / "draft_info.json")
    swept = [scan.info for scan in engine.scan_sync()]
    reader = LocalEngine(Settings(roots=[str(draft_root)], store_dir=str(tmp_path / "other")))
    reader.set_parser(parser)  # (no sweep: it reads every folder)
    assert sorted(i.key for i in swept) == sorted(i.key for i in reader.list_drafts_sync())
    listed, read = engine.details_sync(swept), reader.details_sync(reader.list_drafts_sync())
    assert listed == read
    assert listed[TEMPLATE_ID].cover is not None and "timelines" in listed[CAPTIONS_ID].badges
    # a cover added after the sweep: the draft is no longer as the sweep saw it, and its
    # folder is read again
    (folder / "draft_cover.jpg").write_bytes(b"\xff\xd8 cover")
    assert engine.details_sync(reader.list_drafts_sync())[CAPTIONS_ID].cover is not None
