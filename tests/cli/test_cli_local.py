"""`save` of a local draft runs without the Session (cli/local.py, core/saving/once.py) and
behaves as the scheduler's save: retries with the same policy and the same stderr lines,
every attempt recorded, the same log lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from draftkeeper.core.blobs.lock import FileLock
from draftkeeper.core.store.attempts import AttemptLog
from tests.helpers import bump, make_draft


def test_a_busy_store_is_retried_with_one_stderr_line_per_failed_attempt(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({
        "version": 1, "lock_timeout_s": 0.1, "backoff_base_s": 0.01, "backoff_cap_s": 0.05,
        "max_attempts": 100}))
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    folder = make_draft(tmp_path / "drafts", "d")
    store = tmp_path / "store"
    argv = [sys.executable, "-m", "draftkeeper", "save", "d",
            "--root", str(tmp_path / "drafts"), "--store", str(store)]
    first = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert first.stdout.startswith("saved d as version"), first.stderr
    bump(folder / "draft_content.json", b'{"tracks": [1]}')

    held = FileLock(store / "lock", 0)  # another writer holds the store
    assert held.try_acquire()
    record = AttemptLog(store / "attempts")
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(a.failed for a in record.read("d")):  # its first attempt failed
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        held.release()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.startswith("saved d as version")
    lines = err.splitlines()
    assert lines and all(line.startswith("attempt ") for line in lines), err
    assert lines[0].startswith("attempt 1 of 100 failed: The version store is busy")
    assert "; retrying in " in lines[0] and lines[0].endswith(" s")
    outcomes = [a.outcome for a in record.read("d")]
    assert outcomes[0] == "saved" and outcomes[-1] == "saved"
    assert outcomes[1:-1] == ["failed"] * len(lines)
    log = (home / "logs" / "draftkeeper.log").read_text()
    assert "d: unsaved -> saving" in log
    assert "d: saving -> retrying The version store is busy" in log
    assert log.rstrip().endswith("d: saving -> clean")


def test_a_failed_local_save_names_each_attempt_and_exits_4(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({
        "version": 1, "lock_timeout_s": 0.1, "backoff_base_s": 0.01, "backoff_cap_s": 0.01,
        "max_attempts": 2}))
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    make_draft(tmp_path / "drafts", "d")
    store = tmp_path / "store"
    store.mkdir()
    held = FileLock(store / "lock", 0)
    assert held.try_acquire()
    try:
        proc = subprocess.run([sys.executable, "-m", "draftkeeper", "save", "d", "--root",
                               str(tmp_path / "drafts"), "--store", str(store)],
                              env=env, capture_output=True, text=True, timeout=60)
    finally:
        held.release()
    assert proc.returncode == 4 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("attempt 1 of 2 failed: The version store is busy")
    assert "; retrying in " in lines[0]
    assert lines[1].startswith("attempt 2 of 2 failed: The version store is busy")
    assert "retrying" not in lines[1]
    assert lines[2].startswith("error: The version store is busy")
    assert [a.outcome for a in AttemptLog(store / "attempts").read("d")] == ["failed"] * 2


def test_a_save_of_one_draft_reads_its_state_from_the_store_and_leaves_the_index_alone(
    tmp_path: Path,
) -> None:
    """The index of latest versions serves processes that list many drafts; a `save` of one
    draft asks the store (its statuses and log lines are the same), and the next `list`
    still says what the store says."""
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    folder = make_draft(tmp_path / "drafts", "d")
    store = tmp_path / "store"
    opts = ["--root", str(tmp_path / "drafts"), "--store", str(store)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "draftkeeper", *args, *opts], env=env,
                              capture_output=True, text=True, timeout=60)

    assert run("save", "d").stdout.startswith("saved d as version")
    bump(folder / "draft_content.json", b'{"tracks": [1]}')
    second = run("save", "d")
    assert second.stdout.startswith("saved d as version"), second.stderr
    assert not (store / "index.sqlite3").exists()
    log = (tmp_path / "home" / "logs" / "draftkeeper.log").read_text()
    assert "d: unsaved -> saving" in log and "d: saving -> clean" in log
    [row] = [r for r in json.loads(run("list", "--json").stdout) if r["draft_id"] == "d"]
    assert row["status"] == "clean"
    bump(folder / "draft_content.json", b'{"tracks": [2]}')
    [row] = [r for r in json.loads(run("list", "--json").stdout) if r["draft_id"] == "d"]
    assert row["status"] == "unsaved"
