"""The rules of Windows and macOS, one case each, checked on Linux under tests/fsrules.py
(each test puts its own rules in place, so these run in every run of the suite). They use
only what existed before core/platform, so that each can be run against older code: every
case here failed there, but the coarse-timestamp case, which held already and stays here
so that it keeps holding. The platform functions themselves: test_platform.py."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.errors import DraftBusy, SaveFailed
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.plan import RestoreRefused
from draftkeeper.core.store.quick import unchanged_version
from draftkeeper.core.store.store import Store
from tests.fsrules import Rules
from tests.helpers import make_draft, read_tree

Put = Callable[[str], Rules]
QUICK_RETRIES = (0.01, 0.02, 0.04)


def engine_for(root: Path, store: Path, io: StoreIO | None = None) -> LocalEngine:
    return LocalEngine(Settings(), roots=[root], store=Store(store, io=io))


def ours(folder: Path) -> list[str]:
    return [n for _d, dirs, files in os.walk(folder) for n in dirs + files
            if n.startswith(".dk-tmp")]


# -- Windows: sharing ---------------------------------------------------------------------

def test_the_editor_can_save_over_a_draft_file_while_draft_keeper_reads_it(
        tmp_path: Path, rules: Put) -> None:
    """Reading with share-delete: the editor's safe save (a temp file renamed over the
    draft file) goes through while a save reads that file; the save then sees the file
    changed and says the draft is being written, and the next save keeps the editor's."""
    win = rules("windows")
    folder = make_draft(tmp_path / "root", "d", {"draft_content.json": b"one " * 50_000})
    io = StoreIO()
    engine = engine_for(tmp_path / "root", tmp_path / "store", io)
    saved_by_editor = []

    def editor_saves_meanwhile(op: str, path: Path) -> None:
        if op == "read" and path.name == "draft_content.json" and not saved_by_editor:
            win.editor_replace(b"two " * 50_000, folder / "draft_content.json")
            saved_by_editor.append(True)

    io.hook = editor_saves_meanwhile
    with pytest.raises(DraftBusy):
        engine.save_sync("d")
    assert saved_by_editor == [True]
    io.hook = None
    version = engine.save_sync("d").version
    assert version
    assert engine.store.manifest("d", version).files[0].size == len(b"two " * 50_000)


def test_restore_waits_for_a_file_the_editor_holds_then_fails_cleanly(
        tmp_path: Path, rules: Put) -> None:
    win = rules("windows")
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"draft_content.json": b"v1", "cover.jpg": b"c1"})
    engine = engine_for(root, tmp_path / "store", StoreIO(busy_delays=QUICK_RETRIES))
    v1 = engine.save_sync("d").version
    (folder / "draft_content.json").write_bytes(b"v2, being edited")
    before = read_tree(folder)
    close = win.hold(folder / "draft_content.json")  # the editor has the file open
    with pytest.raises(SaveFailed) as caught:
        engine.restore_sync("d", v1)
    close()
    assert caught.value.reason == "file_in_use"
    assert "close CapCut / JianYing" in caught.value.message
    assert caught.value.retryable
    assert len([r for r in win.refused if r[0] == "replace"]) == len(QUICK_RETRIES) + 1
    assert read_tree(folder) == before  # every file as it was
    assert ours(folder) == []
    assert list((tmp_path / "store" / "journal").glob("*")) == []


def test_restore_goes_through_once_the_editor_lets_go(tmp_path: Path, rules: Put) -> None:
    win = rules("windows")
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"draft_content.json": b"v1"})
    engine = engine_for(root, tmp_path / "store", StoreIO(busy_delays=QUICK_RETRIES))
    v1 = engine.save_sync("d").version
    (folder / "draft_content.json").write_bytes(b"v2")
    win.hold(folder / "draft_content.json", release_after=2)  # an antivirus scan, say
    engine.restore_sync("d", v1)
    assert (folder / "draft_content.json").read_bytes() == b"v1"
    assert len(win.refused) == 2


# -- Windows: names and lengths -----------------------------------------------------------

@pytest.mark.parametrize(("name", "problem"), [
    ("CON", "reserved"), ("nul.json", "reserved"), ("COM1.txt", "reserved"),
    ("a|b.json", "characters"), ("what?.txt", "characters"), ("name.", "trailing"),
    ("name ", "trailing"),
])
def test_a_version_with_a_name_windows_refuses_is_refused_before_anything_changes(
        tmp_path: Path, rules: Put, name: str, problem: str) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"draft_content.json": b"v1", name: b"made on Linux"})
    engine = engine_for(root, tmp_path / "store")
    v1 = engine.save_sync("d").version  # saved where the name is fine (Linux, a server)
    (folder / "draft_content.json").write_bytes(b"v2")
    (folder / name).unlink()
    before = read_tree(folder)
    win = rules("windows")
    with pytest.raises(RestoreRefused) as caught:
        engine.restore_sync("d", v1)
    assert caught.value.reason == "restore_bad_name"
    assert caught.value.params["name"] == name and caught.value.params["problem"] == problem
    assert repr(name) in caught.value.message
    assert read_tree(folder) == before
    assert win.refused == []  # refused by the plan, not by the file system halfway


def test_restore_into_a_folder_deeper_than_260_characters(tmp_path: Path, rules: Put) -> None:
    # long Chinese folder names, as editors make them (each name under 255 bytes)
    root = tmp_path / ("剪映项目" * 20) / ("长名字" * 25)
    folder = make_draft(root, "d" * 60, {"Timelines/" + "时间线" * 14 + ".json": b"v1"})
    assert len(str(next(folder.rglob("*.json")))) >= 260
    engine = engine_for(root, tmp_path / "store")
    v1 = engine.save_sync("d" * 60).version
    next(folder.rglob("*.json")).write_bytes(b"v2")
    win = rules("windows")
    engine.restore_sync("d" * 60, v1)
    assert next(folder.rglob("*.json")).read_bytes() == b"v1"
    assert win.refused == []


# -- case and Unicode ---------------------------------------------------------------------

@pytest.mark.parametrize("system", ["windows", "macos"])
def test_a_version_with_cover_jpg_and_Cover_jpg_is_refused_and_loses_neither(
        tmp_path: Path, rules: Put, system: str) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"Cover.jpg": b"big cover", "cover.jpg": b"small cover",
                                    "draft_content.json": b"v1"})
    engine = engine_for(root, tmp_path / "store")
    v1 = engine.save_sync("d").version  # made where both names live side by side
    (folder / "draft_content.json").write_bytes(b"v2")
    before = read_tree(folder)
    rules(system)
    with pytest.raises(RestoreRefused) as caught:
        engine.restore_sync("d", v1)
    assert caught.value.reason == "restore_same_name"
    assert "Cover.jpg and cover.jpg" in caught.value.message
    assert read_tree(folder) == before
    assert {f.path for f in engine.store.manifest("d", v1).files} == {
        "Cover.jpg", "cover.jpg", "draft_content.json"}  # the version keeps both


@pytest.mark.parametrize("system", ["windows", "macos"])
def test_a_file_renamed_only_in_case_is_restored_as_the_same_file(
        tmp_path: Path, rules: Put, system: str) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"cover.jpg": b"the version's cover",
                                    "draft_content.json": b"v1"})
    engine = engine_for(root, tmp_path / "store")
    v1 = engine.save_sync("d").version
    (folder / "cover.jpg").rename(folder / "Cover.jpg")  # the editor renamed it in case
    (folder / "Cover.jpg").write_bytes(b"a new cover")
    (folder / "draft_content.json").write_bytes(b"v2")
    rules(system)
    engine.restore_sync("d", v1)
    files = read_tree(folder)
    assert files["draft_content.json"] == b"v1"
    covers = {k: v for k, v in files.items() if k.lower() == "cover.jpg"}
    assert list(covers.values()) == [b"the version's cover"]  # one cover, the version's


def test_a_draft_id_in_nfc_finds_its_folder_named_in_nfd(tmp_path: Path) -> None:
    """macOS lists folder names decomposed; a capcut-mate URL brings the id composed."""
    root = tmp_path / "root"
    nfd = unicodedata.normalize("NFD", "Café vlog 第一集")
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    make_draft(root, nfd)
    engine = engine_for(root, tmp_path / "store")
    first = engine.save_sync(nfc)  # by the URL's id
    second = engine.save_sync(nfd)  # by the listed folder's name
    assert first.version and second.unchanged
    assert [d.draft_id for d in engine.list_drafts_sync()] == [nfd]
    assert len(engine.store.version_ids(nfd)) == 1


# -- FAT and exFAT: coarse timestamps -----------------------------------------------------

def test_an_edit_within_the_same_two_seconds_is_not_taken_for_unchanged(
        tmp_path: Path) -> None:
    """A FAT drive keeps mtimes to 2 s: an edit of the same size in the same 2 s keeps
    the mtime. Files that close to their save are re-read (the racy rule), so neither the
    quick check nor a save takes the draft for unchanged. (This held before.)"""
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"draft_content.json": b"aaaa"})
    path = folder / "draft_content.json"
    now = (os.stat(path).st_mtime_ns // 2_000_000_000) * 2_000_000_000
    os.utime(path, ns=(now, now))
    engine = engine_for(root, tmp_path / "store")
    engine.save_sync("d")
    path.write_bytes(b"bbbb")  # the same size, and the same 2 s on FAT
    os.utime(path, ns=(now, now))
    assert unchanged_version(tmp_path / "store", "d", folder) is None  # not sure: full path
    result = engine.save_sync("d")
    assert not result.unchanged
