"""The CLI on the window's Session: one router for local vs remote, the scheduler's
retries, and the status `list` shows (against the real test server, in subprocesses)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer, Fault
from tests.cli.test_cli import dk
from tests.helpers import make_draft


@pytest.fixture
def server() -> Iterator[CapcutServer]:
    with CapcutServer() as s:
        yield s


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    settings_mod.save(
        Settings(roots=[str(tmp_path / "root")], max_attempts=3, backoff_base_s=0.01,
                 backoff_cap_s=0.05),
        home / "config" / "settings.json",
    )
    make_draft(tmp_path / "root", "local1")
    return home


def test_a_remote_draft_not_added_goes_to_its_server(server: CapcutServer, home: Path) -> None:
    url = server.create("notadded")
    r = dk("save", url, env_home=home)  # no --remote, not in the list: not a local draft
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"saved {url} on its server")
    assert server.count() == 1

    r = dk("history", url, env_home=home)
    assert r.returncode == 0, r.stderr
    assert "2 files" in r.stdout and "does not exist" not in r.stderr  # its content, kept

    r = dk("restore", url, "20261127T000000", env_home=home)
    assert r.returncode == 2
    assert "cannot be restored on its server: pull it" in r.stderr

    # a draft_url whose draft is in a local root stays local
    local_url = server.draft_url("local1")
    r = dk("save", local_url, env_home=home)
    assert r.returncode == 0 and r.stdout.startswith(f"saved {local_url} as version")
    assert server.count() == 1
    # ...and so does one the editor deleted: its versions are here, to be restored
    folder = home.parent / "root" / "local1"
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    r = dk("history", local_url, "--json", env_home=home)
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 1
    version = json.loads(r.stdout)[0]["version"]
    r = dk("restore", local_url, version, env_home=home)
    assert r.returncode == 0 and (folder / "draft_content.json").is_file()


def test_list_shows_at_risk_after_failed_saves(server: CapcutServer, home: Path) -> None:
    url = server.create("d1")
    assert dk("add", url, env_home=home).returncode == 0
    assert dk("save", url, "--remote", env_home=home).returncode == 0
    r = dk("list", env_home=home)
    assert "d1  on " in r.stdout and "Saved" in r.stdout.split("d1  on ")[1]

    server.fail("save_draft", *[Fault(status=503, body={"detail": "Service unavailable"})] * 6)
    for _ in range(2):  # the last two saves failed
        r = dk("save", url, "--remote", env_home=home)
        assert r.returncode == 4
        assert r.stderr.splitlines()[-2].startswith("attempt 3 of 3 failed")

    r = dk("list", env_home=home)
    assert r.returncode == 0
    [line] = [x for x in r.stdout.splitlines() if "d1  on " in x]
    assert "At risk: last save failed" in line and "HTTP 503" in line
    assert "Saved" not in line
    [entry] = [d for d in json.loads(dk("list", "--json", env_home=home).stdout) if d["remote"]]
    assert entry["status"] == "at_risk" and entry["failed_at"] > entry["last_saved_at"]
    assert "Service unavailable" in entry["error"]
    local = [d for d in json.loads(dk("list", "--json", env_home=home).stdout)
             if not d["remote"]]
    assert [(d["draft_id"], d["status"]) for d in local] == [("local1", "unsaved")]


def test_add_with_store_option_does_not_save_the_option(server: CapcutServer, home: Path,
                                                        tmp_path: Path) -> None:
    url = server.create("d1")
    r = dk("add", url, "--store", str(tmp_path / "elsewhere"), env_home=home)
    assert r.returncode == 0
    on_disk = settings_mod.load(home / "config" / "settings.json")
    assert on_disk.remote_drafts == [url] and on_disk.store_dir is None
