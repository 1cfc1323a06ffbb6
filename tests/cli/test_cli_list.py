"""`draftkeeper list` without the Session, end to end in subprocesses: the status it prints
is the window's, and a draft folder whose listing is known (``local/walks.py``: its
folders' stat data unchanged, so its entries are not read again) still shows every
change: an edit in place, a file added in a subfolder, a file removed or renamed, an edit
just after the save, a folder changed in the tick of its listing."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from draftkeeper.cli.words import describe
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.platform.files import folder_times_tell_entries
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from tests.cli.test_cli import dk
from tests.helpers import bump, make_draft

OLD_NS = time.time_ns() - 3600 * 10**9  # far older than the 2 s racy window
FILES = {"draft_content.json": b'{"tracks": [1, 2, 3]}',
         "draft_meta_info.json": b'{"draft_name": "x"}',
         "sub/a.json": b'{"a": 1}'}


def aged(folder: Path) -> None:
    """Every file's and folder's mtime an hour back (folders last: a change inside moves
    its folder's times)."""
    for dirpath, _dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.utime(Path(dirpath) / name, ns=(OLD_NS, OLD_NS))
        os.utime(dirpath, ns=(OLD_NS, OLD_NS))


def listed(common: list[str]) -> dict[str, str]:
    r = dk("list", *common, "--json")
    assert r.returncode == 0, r.stderr
    return {d["draft_id"]: d["status_text"] for d in json.loads(r.stdout)}


def known_folders(store: Path) -> set[str]:
    """The draft folders whose listing the index keeps."""
    with sqlite3.connect(store / "index.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT folder FROM walks")}


def edit_in_place(folder: Path) -> None:  # same size, new mtime, the folder untouched
    with open(folder / "draft_content.json", "r+b") as f:
        f.write(b'{"tracks": [4, 5, 6]}')


def add_in_subfolder(folder: Path) -> None:  # only sub/'s times move, not the draft's
    (folder / "sub" / "b.json").write_bytes(b'{"b": 2}')


def remove(folder: Path) -> None:
    (folder / "sub" / "a.json").unlink()


def rename(folder: Path) -> None:
    (folder / "draft_meta_info.json").rename(folder / "draft_meta_info.json.bak")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit in place": edit_in_place, "new file in a subfolder": add_in_subfolder,
    "removed file": remove, "renamed file": rename}


@pytest.mark.skipif(not folder_times_tell_entries(), reason="no known listings here")
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_known_listing_still_shows_every_change(tmp_path: Path, change: str) -> None:
    root, store = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", FILES)
    make_draft(root, "other", FILES)
    aged(root)
    common = ["--root", str(root), "--store", str(store)]
    assert dk("save", "--all", *common).returncode == 0
    before = listed(common)
    assert before["d"].startswith("Saved") and before["other"].startswith("Saved")
    assert known_folders(store) == {str(folder), str(root / "other")}  # listings kept
    assert listed(common)["d"].startswith("Saved")  # (from the kept listing)
    CHANGES[change](folder)
    after = listed(common)
    assert after["d"] == "Unsaved changes" and after["other"].startswith("Saved")
    assert "Unsaved changes" in dk("list", *common).stdout  # the words, too


@pytest.mark.skipif(not folder_times_tell_entries(), reason="no known listings here")
def test_an_edit_just_after_the_save_is_seen(tmp_path: Path) -> None:
    """Files written just before their save are racy (their mtime within 2 s of the
    version's time); an edit right after it, keeping the size, still shows."""
    root, store = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", FILES)
    for dirpath, _dirs, _files in os.walk(folder, topdown=False):
        os.utime(dirpath, ns=(OLD_NS, OLD_NS))  # folders old, files just written
    common = ["--root", str(root), "--store", str(store)]
    assert dk("save", "d", *common).returncode == 0
    assert listed(common)["d"].startswith("Saved")
    assert str(folder) in known_folders(store)
    st = (folder / "draft_content.json").stat()
    edit_in_place(folder)
    assert (folder / "draft_content.json").stat().st_size == st.st_size
    assert listed(common)["d"] == "Unsaved changes"


@pytest.mark.skipif(not folder_times_tell_entries(), reason="no known listings here")
def test_a_folder_changed_in_the_tick_of_its_listing_is_read_again(tmp_path: Path) -> None:
    """A folder whose mtime is within 2 s of the walk's start is not kept: a change in
    that same timestamp tick would not move it. Here a file is added and the folder's
    mtime put back, as such a change would leave it."""
    root, store = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", {"draft_content.json": b"{}"})
    common = ["--root", str(root), "--store", str(store)]
    assert dk("save", "d", *common).returncode == 0
    assert listed(common)["d"].startswith("Saved")
    assert known_folders(store) == set()  # a fresh folder: its listing is not kept
    st = folder.stat()
    (folder / "draft_meta_info.json").write_bytes(b"{}")
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert listed(common)["d"] == "Unsaved changes"


def test_list_shows_the_window_s_statuses(tmp_path: Path) -> None:
    """The same root and store: `list` (no Session) and the window's Session give every
    draft the same status: saved, edited, never saved, at risk, deleted."""
    root, store = tmp_path / "root", tmp_path / "store"
    for name in ("saved", "edited", "at-risk", "gone"):
        make_draft(root, name, FILES)
    aged(root)
    common = ["--root", str(root), "--store", str(store)]
    assert dk("save", "--all", *common).returncode == 0
    make_draft(root, "new", FILES)
    bump(root / "edited" / "draft_content.json", b'{"tracks": ["edited"]}')
    bump(root / "at-risk" / "draft_content.json", b'{"tracks": ["not saved"]}')
    AttemptLog(store / "attempts", legacy=store / "remote").append(Attempt.failure(
        "at-risk", time.time(), "autosave", SaveFailed("disk full", reason="disk_full")))
    for path in sorted((root / "gone").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (root / "gone").rmdir()
    for _run in range(2):  # the second from the listings the first kept
        r = dk("list", *common, "--json")
        assert r.returncode == 0, r.stderr
        cli = {d["draft_id"]: (d["status"], _timeless(d["status_text"]))
               for d in json.loads(r.stdout)}

        async def window() -> dict[str, tuple[str, str]]:
            settings = Settings(store_dir=str(store), roots=[str(root)],
                                autosave_enabled=False)
            session = Session(settings, settings_path=tmp_path / "settings.json")
            await session.start()
            try:
                now = time.time()
                return {s.key: (s.state.value, _timeless(describe(s, now)))
                        for s in session.scheduler.statuses()}
            finally:
                await session.stop()

        shown = asyncio.run(window())
        assert cli.pop("gone") == ("missing", "Deleted (its versions are kept)")
        assert cli == shown
        assert shown["saved"] == ("clean", "Saved")
        assert shown["edited"] == ("unsaved", "Unsaved changes")
        assert shown["new"] == ("unsaved", "Never saved")
        assert shown["at-risk"][0] == "at_risk" and "disk full" in shown["at-risk"][1]


def _timeless(text: str) -> str:
    return re.sub(r" \d+ (s|min|h|d) ago", "", text)
