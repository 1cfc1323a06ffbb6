"""Two Draft Keepers joined by a token: `draftkeeper serve` with an API token (a real process
on 127.0.0.1), driven by another's remote mode (real CLI processes). The right token saves,
mirrors, lists history and pulls; a wrong one or none is one clear permanent error; the token
never shows in the output, the --json output or either log file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import REPO
from tests.cli.test_serve_spec import SPEC_ID, serve

TOKEN = "lan-4c0ffee-9d2b-secret"


def dk(*args: str, home: Path, env: dict[str, str] | None = None
       ) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(home))
    full.pop("DRAFTKEEPER_REMOTE_TOKEN", None)  # only the token a test gives
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "draftkeeper", *args], cwd=REPO, env=full,
                          capture_output=True, text=True, timeout=120)


def logs_text(*homes: Path) -> str:
    found = [p for home in homes for p in home.rglob("*.log*") if p.is_file()]
    assert found, "no log file was written"
    return "".join(p.read_text(errors="replace") for p in found)


def test_two_draft_keepers_with_a_token(tmp_path: Path, fixture_root: Path) -> None:
    client = tmp_path / "client-home"
    with serve(tmp_path, fixture_root, api_token=TOKEN) as served:
        url = f"{served.base}/openapi/capcut-mate/v1/get_draft?draft_id={SPEC_ID}"
        outputs: list[str] = []

        def run(*args: str, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
            r = dk(*args, home=client, env=env)
            outputs.extend([r.stdout, r.stderr])
            return r

        # the right token: saved there, its content mirrored here, history, pull
        r = run("save", url, "--remote", "--token", TOKEN, "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["draft_url"] == url
        assert len(served.versions()) == 1
        r = run("history", url, "--remote", "--token", TOKEN, "--json")
        assert r.returncode == 0, r.stderr
        kept = json.loads(r.stdout)
        assert kept and kept[0]["reason"] == "manual" and kept[0]["file_count"] > 0
        local = tmp_path / "local-drafts"
        local.mkdir()
        r = run("pull", url, "--root", str(local), "--token", TOKEN, "--json")
        assert r.returncode == 0, r.stderr
        pulled = local / SPEC_ID
        assert (pulled / "draft_meta_info.json").read_bytes() == (
            served.root / SPEC_ID / "draft_meta_info.json").read_bytes()

        # the environment's token goes to the remote base server
        r = run("save", url, "--remote", served.base, "--json",
                env={"DRAFTKEEPER_REMOTE_TOKEN": TOKEN})
        assert r.returncode == 0, r.stderr

        # a wrong token: one request, a clear permanent error naming the problem
        r = run("save", url, "--remote", "--token", "not-the-token", "--json")
        assert r.returncode == 2, r.stderr
        body = json.loads(r.stdout)
        assert body["status"] == 401 and body["retryable"] is False
        assert body["reason"] == "token_refused"
        assert "The server refused the token (HTTP 401)" in body["detail"]
        assert "retrying" not in r.stderr and r.stderr.count("attempt 1 of") == 1
        r = run("save", url, "--remote", "--token", "not-the-token")
        assert r.returncode == 2
        assert "error: The server refused the token" in r.stderr

        # no token: the server needs one
        r = run("save", url, "--remote")
        assert r.returncode == 2 and "The server needs a token (HTTP 401)" in r.stderr
        r = run("save", url, "--remote", "--json")
        assert json.loads(r.stdout)["reason"] == "token_needed"
        # the environment's token is not sent to a server named only by the draft_url
        r = run("save", url, "--remote", env={"DRAFTKEEPER_REMOTE_TOKEN": TOKEN})
        assert r.returncode == 2 and "The server needs a token" in r.stderr

        # --token needs to know its server
        r = run("watch", "--remote", "--token", TOKEN)
        assert r.returncode == 2 and "--token needs the server" in r.stderr

    assert all(TOKEN not in text for text in outputs)
    assert TOKEN not in logs_text(client, tmp_path / "server-home")
    assert "remote save" in logs_text(client)  # the client's log holds the saves


def test_plain_http_to_another_machine_warns_that_the_token_is_readable(
        tmp_path: Path) -> None:
    # history of a remote draft reads only what is kept here: no request is sent anywhere
    base = "http://team-box.invalid:30000"
    r = dk("history", SPEC_ID, "--remote", base, "--token", TOKEN, home=tmp_path / "home")
    assert f"warning: the remote token goes to {base} over plain http" in r.stderr
    assert TOKEN not in r.stderr + r.stdout
    r = dk("history", SPEC_ID, "--remote", "http://localhost:30000", "--token", TOKEN,
           home=tmp_path / "home")
    assert "warning" not in r.stderr  # this machine: nothing crosses the network
