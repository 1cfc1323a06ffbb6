"""History as a timeline on the real 2,000-caption draft: changes against the version
before, summaries, the current version after a restore, pins that retention keeps,
compare naming the changed caption, restore as a new draft, restore one file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.drafts.content import ContentParser
from draftkeeper.core.errors import BadRequest, DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.retention import DAY
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, read_tree


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def parser() -> Iterator[ContentParser]:
    p = ContentParser()
    yield p
    p.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(1_795_000_000.0)


@pytest.fixture
def engine(draft_root: Path, tmp_path: Path, parser: ContentParser,
           clock: Clock) -> LocalEngine:
    e = LocalEngine(Settings(roots=[str(draft_root)], keep_last=2),
                    store=Store(tmp_path / "store"), clock=clock)
    e.set_parser(parser)
    return e


def edit_caption(folder: Path, index: int, text: str) -> None:
    """Change one caption's text as the editor would (both JSON files, mtime moves)."""
    path = folder / "draft_content.json"
    data = json.loads(path.read_bytes())
    material = data["materials"]["texts"][index]
    content = json.loads(material["content"])
    content["text"] = text
    material["content"] = json.dumps(content, ensure_ascii=False)
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    bump(path, raw)
    bump(folder / "draft_info.json", raw)


def drop_caption(folder: Path) -> None:
    path = folder / "draft_content.json"
    data = json.loads(path.read_bytes())
    data["materials"]["texts"].pop()
    data["tracks"][-1]["segments"].pop()
    bump(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def test_timeline_changes_summary_and_current(engine: LocalEngine, draft_root: Path,
                                              clock: Clock) -> None:
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version
    clock.now += 60
    drop_caption(folder)
    (folder / "notes.txt").write_bytes(b"for the client")
    v2 = engine.save_sync(CAPTIONS_ID, "autosave").version
    versions = engine.timeline_sync(CAPTIONS_ID)
    assert [v.version for v in versions] == [v2, v1]
    newest, oldest = versions
    assert newest.changes is not None and oldest.changes is not None
    assert newest.changes.added == ["notes.txt"] and newest.changes.removed == []
    assert newest.changes.modified == ["draft_content.json"]
    assert newest.changes.bytes_delta == newest.bytes - oldest.bytes < 0
    assert len(oldest.changes.added) == oldest.file_count  # the first version adds all
    assert oldest.summary is not None and newest.summary is not None
    assert (oldest.summary.segments, oldest.summary.texts) == (2000, 2000)
    assert (newest.summary.segments, newest.summary.texts) == (1999, 1999)
    assert newest.summary.duration_s == pytest.approx(1999.9) and newest.summary.tracks == 3
    assert [v.current for v in versions] == [True, False]
    bump(folder / "notes.txt", b"edited since")
    assert not any(v.current for v in engine.timeline_sync(CAPTIONS_ID))
    data = versions[0].to_json()
    assert {"changes", "pinned", "label", "restored_from", "current", "summary"} <= set(data)
    assert set(data["changes"]) == {"added", "removed", "modified", "bytes_delta"}
    assert set(data["summary"]) == {"duration_s", "tracks", "segments", "texts"}


def test_restore_marks_the_current_version_and_no_duplicate_autosave_follows(
        engine: LocalEngine, draft_root: Path, clock: Clock) -> None:
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version
    clock.now += 60
    edit_caption(folder, 5, "a new line")
    v2 = engine.save_sync(CAPTIONS_ID).version
    clock.now += 60
    engine.restore_sync(CAPTIONS_ID, v1)
    versions = engine.timeline_sync(CAPTIONS_ID)
    restored = versions[0]
    assert restored.reason == "restored" and restored.restored_from == v1
    assert restored.current and restored.changes is not None
    assert restored.changes.modified == ["draft_content.json", "draft_info.json"]
    assert {v.version for v in versions if v.current} == {restored.version, v1}
    assert not next(v for v in versions if v.version == v2).current
    count = len(versions)
    clock.now += 60
    again = engine.save_sync(CAPTIONS_ID, "autosave")
    assert again.unchanged and again.version == restored.version
    assert len(engine.store.version_ids(CAPTIONS_ID)) == count


def test_pin_and_label_survive_retention_unpin_lets_it_go(engine: LocalEngine,
                                                          draft_root: Path,
                                                          clock: Clock) -> None:
    folder = draft_root / TEMPLATE_ID
    first = engine.save_sync(TEMPLATE_ID, "autosave").version
    assert first is not None
    info = engine.pin_sync(TEMPLATE_ID, first[:12], True, "  sent   to client ")
    assert info.pinned and info.label == "sent to client"
    second = engine.save_sync(TEMPLATE_ID, "autosave").version  # unchanged: same version
    assert second == first
    for i in range(4):
        clock.now += 40 * DAY
        bump(folder / "draft_content.json", f'{{"tracks": [], "n": {i}}}'.encode())
        engine.save_sync(TEMPLATE_ID, "autosave")
    engine.store.prune(keep_last=2, now=clock.now)
    kept = engine.timeline_sync(TEMPLATE_ID)
    assert first in [v.version for v in kept]
    pinned = next(v for v in kept if v.version == first)
    assert pinned.pinned and pinned.label == "sent to client"
    assert len(kept) == 3  # the last two and the pinned one
    engine.pin_sync(TEMPLATE_ID, first, False)
    engine.store.prune(keep_last=2, now=clock.now)
    assert first not in engine.store.version_ids(TEMPLATE_ID)
    with pytest.raises(BadRequest, match="too long"):
        engine.pin_sync(TEMPLATE_ID, "latest", True, "x" * 300)


def test_compare_names_the_changed_caption(engine: LocalEngine, draft_root: Path,
                                           clock: Clock) -> None:
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version
    assert v1 is not None
    clock.now += 60
    edit_caption(folder, 1234, "The client's new caption")
    v2 = engine.save_sync(CAPTIONS_ID).version
    assert v2 is not None
    result = engine.compare_sync(CAPTIONS_ID, v1, v2)
    assert {(f.path, f.kind) for f in result.files} == {
        ("draft_content.json", "modified"), ("draft_info.json", "modified")}
    assert result.texts is not None and len(result.texts) == 1
    change = result.texts[0]
    assert change.kind == "modified"
    assert change.old == "caption number 1234 字幕" and change.new == "The client's new caption"
    # defaults: the latest version against the working copy
    drop_caption(folder)
    now = engine.compare_sync(CAPTIONS_ID)
    assert now.old == v2 and now.new == "working copy"
    assert [(f.path, f.kind) for f in now.files] == [("draft_content.json", "modified")]
    assert now.texts is not None
    assert [(t.kind, t.old) for t in now.texts] == [("removed", "caption number 1999 字幕")]
    assert engine.compare_sync(CAPTIONS_ID, v2, v2).files == []


def test_restore_as_new_draft_leaves_the_original_byte_identical(
        engine: LocalEngine, draft_root: Path, clock: Clock) -> None:
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version
    assert v1 is not None
    clock.now += 60
    edit_caption(folder, 0, "changed after v1")
    original = read_tree(folder)
    stats = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = engine.restore_as_new_sync(CAPTIONS_ID, v1, "Film (restored 2026-11-27 08.15)")
    assert read_tree(folder) == original
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stats
    new = draft_root / "Film (restored 2026-11-27 08.15)"
    assert result.folder == str(new)
    assert read_tree(new) == engine_version_tree(engine, CAPTIONS_ID, v1)
    assert not (draft_root / "root_meta_info.json").exists()  # the editor's: never written
    history = engine.timeline_sync("Film (restored 2026-11-27 08.15)")
    assert len(history) == 1 and history[0].restored_from == v1 and history[0].current
    with pytest.raises(BadRequest, match="exists already"):
        engine.restore_as_new_sync(CAPTIONS_ID, v1, "Film (restored 2026-11-27 08.15)")
    with pytest.raises(BadRequest, match="folder name"):
        engine.restore_as_new_sync(CAPTIONS_ID, v1, "../escape")


def engine_version_tree(engine: LocalEngine, draft_id: str, version: str) -> dict[str, bytes]:
    manifest = engine.store.manifest(draft_id, version)
    return {f.path: b"".join(engine.store.blobs.file_content(f.hash or "", f.chunks))
            for f in manifest.files}


def test_restore_one_file_leaves_the_rest(engine: LocalEngine, draft_root: Path,
                                          clock: Clock) -> None:
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version
    assert v1 is not None
    old_meta = (folder / "draft_meta_info.json").read_bytes()
    clock.now += 60
    edit_caption(folder, 7, "keep this edit")
    bump(folder / "draft_meta_info.json", b"{}")
    edited = read_tree(folder)
    result = engine.restore_file_sync(CAPTIONS_ID, v1, "draft_meta_info.json")
    assert result.written == ["draft_meta_info.json"] and result.before_restore_version
    after = read_tree(folder)
    assert after["draft_meta_info.json"] == old_meta
    assert {k: v for k, v in after.items() if k != "draft_meta_info.json"} == {
        k: v for k, v in edited.items() if k != "draft_meta_info.json"}
    with pytest.raises(DraftNotFound, match="has no file"):
        engine.restore_file_sync(CAPTIONS_ID, v1, "nope.json")
