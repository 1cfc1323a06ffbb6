"""`draftkeeper save --all`, end to end in a subprocess: every draft of the roots saved in
batches, the output, --json, exit codes, and a draft that cannot be saved named while the
others are saved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from draftkeeper.core.store.store import Store
from tests.cli.test_cli import dk
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, make_draft, stored_versions


def test_save_all_saves_every_draft_then_answers_unchanged(draft_root: Path,
                                                          tmp_path: Path) -> None:
    make_draft(draft_root, "third")
    store = tmp_path / "store"
    common = ["--root", str(draft_root), "--store", str(store)]

    r = dk("save", "--all", *common)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    saved = [line for line in lines if line.startswith("saved ")]
    assert len(saved) == 3
    assert any(line.startswith(f"saved {TEMPLATE_ID} as version") for line in saved)
    assert lines[-1].startswith(f"3 draft(s) in {draft_root}: 3 saved as new versions, "
                                "0 unchanged")
    versions = {d: Store(store).version_ids(d) for d in (TEMPLATE_ID, CAPTIONS_ID, "third")}
    assert all(len(v) == 1 for v in versions.values())

    bump(draft_root / "third" / "draft_content.json", b'{"tracks": [1]}')
    r = dk("save", "--all", *common, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["saved"], out["unchanged"], out["failed"], out["code"]) == (1, 2, 0, 0)
    rows = {row["name"]: row for row in out["drafts"]}
    assert rows["third"]["unchanged"] is False and rows["third"]["version"]
    assert rows[TEMPLATE_ID]["unchanged"] is True
    assert rows[TEMPLATE_ID]["version"] == versions[TEMPLATE_ID][0]
    assert len(Store(store).version_ids("third")) == 2

    # what save --all saved, `list` shows as saved
    r = dk("list", *common, "--json")
    assert {d["draft_id"]: d["status"] for d in json.loads(r.stdout)} == {
        TEMPLATE_ID: "clean", CAPTIONS_ID: "clean", "third": "clean"}


def test_save_all_with_no_drafts(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = dk("save", "--all", "--root", str(tmp_path / "empty"), "--store",
           str(tmp_path / "store"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("No drafts in")


def test_save_needs_a_draft_or_all_but_not_both(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    r = dk("save", *common)
    assert r.returncode == 2 and "--all" in r.stderr
    r = dk("save", TEMPLATE_ID, "--all", *common)
    assert r.returncode == 2 and "name no draft" in r.stderr
    assert stored_versions(tmp_path / "store") == []


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="a file name that is not UTF-8 needs Linux")
def test_a_draft_that_cannot_be_saved_is_named_and_the_others_are_saved(
        draft_root: Path, tmp_path: Path) -> None:
    """A file name that is not UTF-8 cannot go into a version (today: an unexpected
    error, permanent); it stands for any draft whose save fails."""
    bad = make_draft(draft_root, "bad")
    with open(bytes(bad) + b"/x\xff.json", "wb") as f:
        f.write(b"1")
    store = tmp_path / "store"
    common = ["--root", str(draft_root), "--store", str(store)]

    r = dk("save", "--all", *common)
    assert r.returncode == 4
    assert any(line.startswith("not saved: bad (bad): ") for line in r.stdout.splitlines())
    assert "error: 1 draft(s) not saved: bad" in r.stderr
    assert r.stdout.splitlines()[-1].endswith(", 1 not saved")
    assert Store(store).version_ids("bad") == []
    assert len(Store(store).version_ids(TEMPLATE_ID)) == 1
    assert len(Store(store).version_ids(CAPTIONS_ID)) == 1

    r = dk("save", "--all", *common, "--json")
    assert r.returncode == 4
    out = json.loads(r.stdout)
    assert (out["saved"], out["unchanged"], out["failed"]) == (0, 2, 1)
    [row] = [row for row in out["drafts"] if row["name"] == "bad"]
    assert row["draft_url"] == "bad" and row["detail"] and row["reason"] == "unexpected"


def test_an_unchanged_save_all_adds_no_state_lines_to_the_log(draft_root: Path,
                                                              tmp_path: Path) -> None:
    home = tmp_path / "home"
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    assert dk("save", "--all", *common, env_home=home).returncode == 0
    log = home / "logs" / "draftkeeper.log"
    first = log.read_text()
    assert f"{TEMPLATE_ID}: unsaved -> saving" in first
    assert f"{TEMPLATE_ID}: saving -> clean" in first  # a new version: logged
    r = dk("save", "--all", *common, env_home=home)
    assert r.stdout.splitlines()[-1].endswith("0 saved as new versions, 2 unchanged (0 B stored)")
    assert " -> " not in log.read_text()[len(first):]  # routine: 10,000 drafts, no lines
    bump(draft_root / TEMPLATE_ID / "draft_content.json", b'{"tracks": [1]}')
    before = log.read_text()
    assert dk("save", "--all", *common, env_home=home).returncode == 0
    added = log.read_text()[len(before):]
    assert f"{TEMPLATE_ID}: saving -> clean" in added and CAPTIONS_ID not in added


def test_list_after_save_all_equals_a_fresh_read_of_every_folder(tmp_path: Path) -> None:
    """What `list` shows of each draft (size, files, times, duration, status) after
    unchanged `save --all` runs (which take the sweep's walk of each draft as the save's
    own) is what reading every folder afresh gives; an edit shows as unsaved."""
    import os
    from datetime import datetime

    root = tmp_path / "root"
    for i in range(12):
        folder = make_draft(root, f"d{i:02d}", {
            "draft_content.json": b'{"duration": %d000000, "tracks": []}' % (i + 1),
            "draft_meta_info.json": b"{}", f"extra/{i}.bin": b"x" * i})
        for n, f in enumerate(sorted(p for p in folder.rglob("*") if p.is_file())):
            when = 1_700_000_000 + i * 86_400 * 40 + n  # across the year's DST changes
            os.utime(f, (when, when))
    common = ["--root", str(root), "--store", str(tmp_path / "store")]
    assert dk("save", "--all", *common).returncode == 0
    for _ in range(2):
        r = dk("save", "--all", *common)
        assert r.returncode == 0 and ": 0 saved as new versions, 12 unchanged" in r.stdout
    bump(root / "d03" / "draft_content.json", b'{"duration": 1, "tracks": [1]}')

    rows = {d["draft_id"]: d for d in json.loads(dk("list", *common, "--json").stdout)}
    assert sorted(rows) == sorted(p.name for p in root.iterdir())
    for draft_id, row in rows.items():
        files = [p for p in (root / draft_id).rglob("*") if p.is_file()]
        newest = max(p.stat().st_mtime for p in files)
        assert row["size"] == sum(p.stat().st_size for p in files)
        assert row["file_count"] == len(files)
        assert row["modified"] == newest
        assert row["edited_at"] == datetime.fromtimestamp(
            int(newest * 1_000_000) / 1_000_000).astimezone().isoformat(timespec="seconds")
        assert row["status"] == ("unsaved" if draft_id == "d03" else "clean")
        if draft_id != "d03":
            assert row["duration_s"] == int(draft_id[1:]) + 1
