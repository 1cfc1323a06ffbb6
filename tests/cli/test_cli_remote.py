"""`draftkeeper save URL --remote`, add/remove/list/history, against a real test server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer, Fault
from tests.cli.test_cli import dk


@pytest.fixture
def server() -> Iterator[CapcutServer]:
    with CapcutServer() as s:
        yield s


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    settings_mod.save(
        Settings(max_attempts=3, backoff_base_s=0.01, backoff_cap_s=0.05),
        home / "config" / "settings.json",
    )
    return home


def test_remote_save_json_and_exit_codes(server: CapcutServer, home: Path) -> None:
    url = server.create()
    r = dk("save", url, "--remote", "--json", env_home=home)
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["draft_url"] == url and body["code"] == 0 and body["message"] == "Success"
    assert body["unchanged"] is False and body["saved_at"]

    r = dk("save", server.draft_url("missing"), "--remote", "--json", env_home=home)
    assert r.returncode == 3
    body = json.loads(r.stdout)
    assert body["status"] == 404 and body["code"] == 2001
    assert body["detail"] == "Draft does not exist on the server: draft not found"
    assert server.count() == 2  # permanent: sent once

    server.fail("save_draft", Fault(body={"code": 1001, "message": "bad draft_url"}))
    r = dk("save", url, "--remote", env_home=home)
    assert r.returncode == 2 and "bad draft_url" in r.stderr

    r = dk("save", "bare-id", "--remote", env_home=home)
    assert r.returncode == 2 and "bare draft_id" in r.stderr


def test_remote_retries_are_reported_then_succeed(server: CapcutServer, home: Path) -> None:
    url = server.create()
    server.fail("save_draft", Fault(status=503, body={"detail": "Service unavailable"}),
                Fault(body={"code": 2042, "message": "draft lock timeout"}))
    r = dk("save", url, "--remote", env_home=home)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("attempt 1 of 3 failed: The server cannot save now (HTTP 503)")
    assert "retrying in" in lines[0]
    assert lines[1].startswith("attempt 2 of 3 failed: The draft is locked on the server")
    assert r.stdout.startswith(f"saved {url} on its server")
    assert server.count() == 3


def test_remote_attempts_exhausted_exit_4(server: CapcutServer, home: Path) -> None:
    url = server.create()
    server.fail("save_draft", *[Fault(status=500, body={"detail": "Save failed"})] * 5)
    r = dk("save", url, "--remote", "--json", env_home=home)
    assert r.returncode == 4
    assert json.loads(r.stdout)["detail"] == "The server cannot save now (HTTP 500): Save failed"
    assert server.count() == 3
    assert r.stderr.strip().splitlines()[-1].startswith("attempt 3 of 3 failed")


def test_remote_base_override(server: CapcutServer, home: Path) -> None:
    server.create("abc")
    r = dk("save", "abc", "--remote", server.base, env_home=home)
    assert r.returncode == 0, r.stderr
    assert server.count() == 1


def test_add_list_history_remove(server: CapcutServer, home: Path) -> None:
    url = server.create("d1")
    r = dk("add", url, env_home=home)
    assert r.returncode == 0 and "added" in r.stdout
    r = dk("add", "not-a-url", env_home=home)
    assert r.returncode == 2
    r = dk("list", "--json", env_home=home)
    remote = [d for d in json.loads(r.stdout) if d["remote"]]
    assert remote == [{
        "draft_id": "d1", "name": "d1", "root": server.base, "path": url, "size": 0,
        "file_count": 0, "modified": 0.0, "draft_url": url, "remote": True,
        "status": "unsaved", "status_text": "Never saved", "last_saved_at": None,
        "failed_at": None, "error": None,
    }]
    assert dk("save", url, "--remote", env_home=home).returncode == 0
    r = dk("history", url, env_home=home)  # the draft's content is kept here: a version
    assert r.returncode == 0 and "manual" in r.stdout and "2 files" in r.stdout
    r = dk("remove", url, env_home=home)
    assert r.returncode == 0
    r = dk("remove", url, env_home=home)
    assert r.returncode == 3
    assert settings_mod.load(home / "config" / "settings.json").remote_drafts == []


def test_the_log_file_keeps_no_secrets(server: CapcutServer, home: Path) -> None:
    url = server.create() + "&token=SECRET-TOKEN"
    secret_url = url.replace("http://", "http://alice:PASSWORD@")
    assert dk("save", secret_url, "--remote", env_home=home).returncode == 0
    server.fail("save_draft", Fault(status=400, body={"detail": "nope"}))
    assert dk("save", url, "--remote", env_home=home).returncode == 2
    text = (home / "logs" / "draftkeeper.log").read_text()
    assert "remote save of" in text and "draft_id=" in text
    assert "SECRET-TOKEN" not in text and "PASSWORD" not in text and "alice" not in text
