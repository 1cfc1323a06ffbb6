"""The command line, end to end in a subprocess: output, --json shapes and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, make_draft, read_tree, stored_objects

REPO = Path(__file__).resolve().parents[2]


def dk(*args: str, env_home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if env_home is not None:
        env["DRAFTKEEPER_HOME"] = str(env_home)
    return subprocess.run(
        [sys.executable, "-m", "draftkeeper", *args], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=120,
    )


def test_save_history_restore_verify(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    url = f"https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id={CAPTIONS_ID}"

    r = dk("save", url, *common, "--json")
    assert r.returncode == 0, r.stderr
    saved = json.loads(r.stdout)
    assert saved["draft_url"] == url and saved["code"] == 0 and saved["message"] == "Success"
    assert saved["unchanged"] is False and saved["version"] and saved["saved_at"]

    r = dk("save", CAPTIONS_ID, *common, "--json")
    assert json.loads(r.stdout)["unchanged"] is True

    folder = draft_root / CAPTIONS_ID
    original = read_tree(folder)
    bump(folder / "draft_info.json", b"garbled")
    r = dk("save", CAPTIONS_ID, *common)
    assert r.returncode == 0 and r.stdout.startswith(f"saved {CAPTIONS_ID} as version")

    r = dk("history", CAPTIONS_ID, *common, "--json")
    versions = json.loads(r.stdout)
    assert len(versions) == 2 and versions[1]["version"] == saved["version"]
    assert {"version", "time", "reason", "file_count", "bytes", "not_kept"} <= set(versions[0])

    r = dk("restore", CAPTIONS_ID, saved["version"], *common)
    assert r.returncode == 0, r.stderr
    assert "restored" in r.stdout
    assert read_tree(folder) == original

    r = dk("verify", *common)
    assert r.returncode == 0 and "ok: every version is intact" in r.stdout

    r = dk("list", *common, "--json")
    assert {d["draft_id"] for d in json.loads(r.stdout)} == {CAPTIONS_ID, TEMPLATE_ID}


def test_exit_codes_and_error_shapes(draft_root: Path, tmp_path: Path) -> None:
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]

    r = dk("save", "https://h/openapi/capcut-mate/v1/get_draft?x=1", *common)
    assert r.returncode == 2
    assert r.stderr.strip() == "error: Invalid draft_url format: no draft_id parameter"

    r = dk("save", "no-such-draft", *common, "--json")
    assert r.returncode == 3
    body = json.loads(r.stdout)
    assert body["status"] == 404 and body["code"] == 2001
    assert body["detail"] == body["message"] == "Draft does not exist: no-such-draft"

    r = dk("restore", TEMPLATE_ID, "19990101", *common)
    assert r.returncode == 3 and "does not exist" in r.stderr

    r = dk("list", "--root", str(tmp_path / "missing"))
    assert r.returncode == 2 and "Folder does not exist" in r.stderr

    r = dk("save")  # argparse: missing argument
    assert r.returncode == 2


def test_verify_reports_damage_with_exit_4(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "d").mkdir(parents=True)
    (root / "d" / "a.json").write_text("hello")
    common = ["--root", str(root), "--store", str(tmp_path / "store")]
    assert dk("save", "d", *common).returncode == 0
    for blob in stored_objects(tmp_path / "store"):
        blob.write_bytes(b"not zstd at all")
    r = dk("verify", *common)
    assert r.returncode == 4
    assert "DAMAGED d version" in r.stdout and "corrupt" in r.stdout


def test_default_run_opens_the_window_and_saves_on_close(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_draft(home / "data" / "drafts", "d1")  # the default draft folder
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["DRAFTKEEPER_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO)
    r = subprocess.run([sys.executable, "-m", "draftkeeper", "--smoke", "2"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Draft Keeper window open: 1 draft(s)" in r.stdout
    # autosave had not fired yet: closing the window saved the unsaved draft
    h = dk("history", "d1", "--json", env_home=home)
    assert len(json.loads(h.stdout)) == 1


def test_version_and_help_with_examples() -> None:
    r = dk("--version")
    assert r.returncode == 0 and r.stdout.startswith("draftkeeper ")
    for command in ("save", "list", "history", "restore", "verify", "prune", "add", "remove",
                    "watch"):
        r = dk(command, "--help")
        assert r.returncode == 0 and "example:" in r.stdout, command


def test_corrupt_settings_file_is_kept_aside_with_a_notice(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text("{not json")
    r = dk("list", env_home=home)
    assert r.returncode == 0
    assert "warning: The settings file could not be read" in r.stderr
    assert [p.name[:18] for p in (home / "config").iterdir()] == ["settings.json.bad-"]


def test_settings_from_an_unknown_version_are_kept_aside(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text('{"version": 99, "roots": []}')
    r = dk("list", env_home=home)
    assert r.returncode == 0
    assert "unknown settings version 99" in r.stderr
    backups = [p for p in (home / "config").iterdir() if p.name.startswith("settings.json.bad-")]
    assert len(backups) == 1 and '"version": 99' in backups[0].read_text()
