"""The command line's draft-manager contract, end to end in subprocesses: `list --json`
and `history --json` fields, `diff`, `pin`, `unpin`, `restore --as-new`, `restore --file`,
and `restore DRAFT latest` bringing back a deleted draft."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.test_cli import dk
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.core.test_draftinfo import write_index
from tests.core.test_timeline import edit_caption
from tests.helpers import bump, read_tree

LIST_FIELDS = {"cover", "duration_s", "edited_at", "in_editor_index", "encrypted", "layout",
               "missing_media", "state"}
HISTORY_FIELDS = {"changes", "pinned", "label", "restored_from", "current", "summary"}


def test_list_json_fields_with_and_without_an_index(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store"), "--json"]
    r = dk("list", *common)
    assert r.returncode == 0, r.stderr
    rows = {d["draft_id"]: d for d in json.loads(r.stdout)}
    assert set(rows[CAPTIONS_ID]) >= LIST_FIELDS
    assert rows[CAPTIONS_ID]["in_editor_index"] is None  # no index in this root
    write_index(draft_root, CAPTIONS_ID)
    (draft_root / CAPTIONS_ID / "draft_cover.jpg").write_bytes(b"\xff\xd8\xff")
    rows = {d["draft_id"]: d for d in json.loads(dk("list", *common).stdout)}
    cap, tpl = rows[CAPTIONS_ID], rows[TEMPLATE_ID]
    assert cap["cover"] == str(draft_root / CAPTIONS_ID / "draft_cover.jpg")
    assert cap["duration_s"] == 1999.9 and cap["edited_at"].startswith("2026-11-")
    assert cap["in_editor_index"] is True and cap["encrypted"] is False
    assert cap["layout"] == "flat" and cap["missing_media"] == 0 and cap["state"] == "present"
    assert tpl["in_editor_index"] is False and tpl["cover"] is None
    r = dk("list", *common[:-1])
    assert "[Not in the editor's list]" in r.stdout


def test_history_diff_pin_unpin(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    v1 = json.loads(dk("save", CAPTIONS_ID, *common, "--json").stdout)["version"]
    edit_caption(draft_root / CAPTIONS_ID, 42, "Subtitle for the client")
    v2 = json.loads(dk("save", CAPTIONS_ID, *common, "--json").stdout)["version"]

    versions = json.loads(dk("history", CAPTIONS_ID, *common, "--json").stdout)
    assert set(versions[0]) >= HISTORY_FIELDS
    assert versions[0]["current"] is True and versions[1]["current"] is False
    assert versions[0]["changes"] == {"added": [], "removed": [], "bytes_delta":
                                      versions[0]["bytes"] - versions[1]["bytes"],
                                      "modified": ["draft_content.json", "draft_info.json"]}
    assert versions[0]["summary"] == {"duration_s": 1999.9, "tracks": 3, "segments": 2000,
                                      "texts": 2000}

    r = dk("diff", CAPTIONS_ID, v1, v2, *common, "--json")
    assert r.returncode == 0, r.stderr
    diff = json.loads(r.stdout)
    assert diff["texts"] == [{"kind": "modified", "old": "caption number 42 字幕",
                              "new": "Subtitle for the client"}]
    r = dk("diff", CAPTIONS_ID, v1, v2, *common)
    assert "changed: 'caption number 42 字幕' -> 'Subtitle for the client'" in r.stdout
    r = dk("diff", CAPTIONS_ID, *common, "--json")  # latest against the working copy
    assert json.loads(r.stdout)["new"] == "working copy"
    assert json.loads(r.stdout)["files"] == []

    r = dk("pin", CAPTIONS_ID, v1, "--label", "sent to client", *common, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pinned"] is True
    versions = json.loads(dk("history", CAPTIONS_ID, *common, "--json").stdout)
    assert (versions[1]["pinned"], versions[1]["label"]) == (True, "sent to client")
    r = dk("unpin", CAPTIONS_ID, v1, *common)
    assert r.returncode == 0 and "unpinned" in r.stdout
    r = dk("pin", CAPTIONS_ID, "19990101", *common)
    assert r.returncode == 3 and "does not exist" in r.stderr


def test_restore_as_new_file_and_deleted_draft(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    folder = draft_root / CAPTIONS_ID
    v1 = json.loads(dk("save", CAPTIONS_ID, *common, "--json").stdout)["version"]
    edit_caption(folder, 3, "edited")
    original = read_tree(folder)

    r = dk("restore", CAPTIONS_ID, v1, "--as-new", "Copy for client", *common)
    assert r.returncode == 0, r.stderr
    assert "root_meta_info.json" in r.stdout and "not touched" in r.stdout
    assert read_tree(folder) == original
    assert (draft_root / "Copy for client" / "draft_content.json").read_bytes() != \
        original["draft_content.json"]

    r = dk("restore", CAPTIONS_ID, v1, "--file", "draft_info.json", *common, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["written"] == ["draft_info.json"]
    after = read_tree(folder)
    assert after["draft_content.json"] == original["draft_content.json"]
    assert after["draft_info.json"] != original["draft_info.json"]

    saved = read_tree(folder)
    dk("save", CAPTIONS_ID, *common)
    shutil.rmtree(folder)
    rows = {d["draft_id"]: d for d in json.loads(dk("list", *common, "--json").stdout)}
    assert rows[CAPTIONS_ID]["state"] == "deleted"
    r = dk("restore", CAPTIONS_ID, "latest", *common)
    assert r.returncode == 0, r.stderr
    assert read_tree(folder) == saved
    rows = {d["draft_id"]: d for d in json.loads(dk("list", *common, "--json").stdout)}
    assert rows[CAPTIONS_ID]["state"] == "present"


def test_a_draft_encrypted_since_its_facts_were_kept_is_shown_encrypted(
        draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store"), "--json"]
    for _ in range(2):  # the second list answers from the facts kept in the index
        rows = {d["draft_id"]: d for d in json.loads(dk("list", *common).stdout)}
        assert rows[CAPTIONS_ID]["encrypted"] is False
        assert rows[CAPTIONS_ID]["missing_media"] is not None  # its content was read
    bump(draft_root / CAPTIONS_ID / "draft_content.json", b"\x00\x17 not JSON \xff" * 64)
    rows = {d["draft_id"]: d for d in json.loads(dk("list", *common).stdout)}
    assert rows[CAPTIONS_ID]["encrypted"] is True
    assert rows[CAPTIONS_ID]["missing_media"] is None  # nothing read of it
    assert rows[TEMPLATE_ID]["encrypted"] is False
