"""The spec's own examples against `draftkeeper serve` (a real process), as written except
for the base URL: its curl command and its Python DraftSaver. Also the CLI's remote mode
against a served Draft Keeper, and the refusal of an unsafe bind."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests

from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.cli.test_cli import REPO, dk
from tests.conftest import TEMPLATE_ID
from tests.helpers import bump, read_tree
from tests.spec_draft_saver import DraftSaver

SPEC_ID = "2025092811473036584258"  # the draft_id in every example of the spec
SPEC_URL = f"https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id={SPEC_ID}"
CURL_EXAMPLE = """curl -X POST {base}/openapi/capcut-mate/v1/save_draft \\
-H "Content-Type: application/json" \\
-d '{{
"draft_url": "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258"
}}'"""


class Served:
    def __init__(self, base: str, root: Path, store: Path) -> None:
        self.base, self.root, self.store = base, root, store

    def versions(self, draft_id: str = SPEC_ID) -> list[str]:
        return Store(self.store).version_ids(draft_id)


@contextlib.contextmanager
def serve(tmp_path: Path, fixture_root: Path, **settings: object) -> Iterator[Served]:
    """`draftkeeper serve --port 0` over a root holding the spec's draft id."""
    root, store, home = tmp_path / "drafts", tmp_path / "store", tmp_path / "server-home"
    root.mkdir()
    shutil.copytree(fixture_root / TEMPLATE_ID, root / SPEC_ID)
    settings_mod.save(Settings(**settings), home / "config" / "settings.json")  # type: ignore[arg-type]
    env = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "draftkeeper", "serve", "--port", "0", "--root", str(root),
         "--store", str(store)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, f"serve did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}"
        yield Served(found.group(0), root, store)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "stopped" in out


def test_the_spec_curl_example(tmp_path: Path, fixture_root: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed on this machine")
    with serve(tmp_path, fixture_root) as served:
        command = CURL_EXAMPLE.format(base=served.base)
        out = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                             timeout=60, check=True).stdout
        body = json.loads(out)
        assert body["draft_url"] == SPEC_URL and body["code"] == 0
        assert served.versions() == [body["version"]]
        # and an error row, through the same command with a broken body
        bad = command.replace('"draft_url"', '"draft"')
        out = subprocess.run(["bash", "-c", bad + " -w '\\n%{http_code}'"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        text, status = out.rsplit("\n", 1)
        assert status == "400"
        assert json.loads(text)["detail"] == "draft_url is required"


def test_the_spec_python_example_as_written(tmp_path: Path, fixture_root: Path) -> None:
    """The usage example of DraftSaver: save_draft, save_with_retry, auto_save, stop."""
    with serve(tmp_path, fixture_root) as served:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        run = subprocess.run(
            [sys.executable, str(REPO / "tests" / "spec_draft_saver.py"), served.base, "0.2",
             "1.5"], capture_output=True, text=True, timeout=120, env=env, cwd=REPO)
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert lines[0] == f"Draft saved successfully: {SPEC_URL}"
        assert lines[1] == "Save successful (with retry mechanism)"
        assert lines[2].startswith("Auto-save started, ID: auto_save_")
        autosaves = [x for x in lines if x.startswith("Auto-save successful: ")]
        assert len(autosaves) >= 2, run.stdout  # every 0.2 s for 1.5 s
        assert "Auto-save failed" not in run.stdout
        assert lines[-1].endswith("marked to stop")
        assert len(served.versions()) == 1  # unchanged saves add no version


def test_the_spec_save_with_retry_rides_out_a_busy_store(
        tmp_path: Path, fixture_root: Path) -> None:
    """503 with Retry-After while another writer holds the store; the example's retry
    (after 1 s) then saves."""
    with serve(tmp_path, fixture_root, lock_timeout_s=0.2) as served:
        saver = DraftSaver(served.base)
        first = saver.save_draft(SPEC_URL)
        draft_file = served.root / SPEC_ID / "draft_content.json"
        bump(draft_file, draft_file.read_bytes() + b" ")
        lock = Store(served.store).locked()
        lock.__enter__()
        released = threading.Event()

        class ReleaseOnFirstFailure(io.StringIO):
            def write(self, text: str) -> int:
                if text.startswith("Save failed") and not released.is_set():
                    lock.__exit__(None, None, None)  # the other writer finishes
                    released.set()
                return super().write(text)

        printed = ReleaseOnFirstFailure()
        try:
            with contextlib.redirect_stdout(printed):
                result = saver.save_with_retry(SPEC_URL, max_retries=3)
        finally:
            if not released.is_set():
                lock.__exit__(None, None, None)
        assert "Save failed, attempt 1 retry: 503 Server Error" in printed.getvalue()
        assert result["draft_url"] == SPEC_URL and result["code"] == 0
        assert result["version"] != first["version"]
        assert len(served.versions()) == 2
        # the 503 itself, as a script sees it
        with Store(served.store).locked():
            bump(draft_file, draft_file.read_bytes() + b" ")
            busy = requests.post(f"{served.base}/openapi/capcut-mate/v1/save_draft",
                                 json={"draft_url": SPEC_URL}, timeout=60)
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
        assert busy.json()["detail"] == "Service unavailable"
        assert busy.json()["code"] == 2042


def test_every_error_row_through_requests(tmp_path: Path, fixture_root: Path) -> None:
    with serve(tmp_path, fixture_root) as served:
        saver = DraftSaver(served.base)
        for draft_url, status, detail in (
                ("", 400, "draft_url is required"),
                ("https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft", 400,
                 "Invalid draft_url format"),
                (SPEC_URL.replace(SPEC_ID, "2025092811473036584259"), 404,
                 "Draft does not exist")):
            with pytest.raises(requests.HTTPError) as info:
                saver.save_draft(draft_url)
            assert info.value.response.status_code == status
            assert info.value.response.json()["detail"] == detail


def test_cli_remote_mode_round_trip_against_serve(tmp_path: Path, fixture_root: Path) -> None:
    """`draftkeeper save URL --remote` (another Draft Keeper's remote mode) saves into the
    served store; get_draft's download URLs give the draft's bytes."""
    with serve(tmp_path, fixture_root) as served:
        url = f"{served.base}/openapi/capcut-mate/v1/get_draft?draft_id={SPEC_ID}"
        client_home = tmp_path / "client-home"
        r = dk("save", url, "--remote", "--json", env_home=client_home)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["draft_url"] == url
        assert len(served.versions()) == 1
        missing = url.replace(SPEC_ID, "2025092811473036584259")
        r = dk("save", missing, "--remote", "--json", env_home=client_home)
        assert r.returncode == 3 and json.loads(r.stdout)["code"] == 2001  # permanent

        async def download() -> dict[str, bytes]:
            remote = RemoteEngine(Settings(store_dir=str(client_home / "store")))
            try:
                files = await remote.get_draft(url)
                async with httpx.AsyncClient() as http:
                    prefix = f"{served.base}/output/draft/{SPEC_ID}/"
                    return {f[len(prefix):]: (await http.get(f)).content for f in files}
            finally:
                await remote.aclose()

        assert asyncio.run(download()) == read_tree(served.root / SPEC_ID)


def test_serve_refuses_a_non_loopback_address_without_a_token(tmp_path: Path) -> None:
    r = dk("serve", "--host", "0.0.0.0", "--port", "0", "--root", str(tmp_path),
           env_home=tmp_path / "home")
    assert r.returncode == 2
    assert "token" in r.stderr and "0.0.0.0" in r.stderr
    r = dk("serve", "--port", "70000", "--root", str(tmp_path), env_home=tmp_path / "home")
    assert r.returncode == 2 and "between 1 and 65535" in r.stderr


def test_the_spec_javascript_examples(tmp_path: Path, fixture_root: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed on this machine")
    with serve(tmp_path, fixture_root) as served:
        run = subprocess.run(
            [node, str(REPO / "tests" / "spec_draft_manager.mjs"), served.base, "200", "1000"],
            capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert lines[0] == f"Draft saved successfully: {SPEC_URL}"
        batch = json.loads(next(x for x in lines if x.startswith("{")))
        assert batch["project1"]["draft_url"] == SPEC_URL and batch["project2"]["code"] == 0
        assert "Failed to save draft: Not Found" in lines
        assert sum(x.startswith("Auto-save successful: ") for x in lines) >= 2, run.stdout
        assert "Auto-save stopped" in lines and "Auto-save failed" not in run.stderr
        assert len(served.versions()) == 1
