"""`draftkeeper watch` end to end: edit a draft file, see a new version, stop cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.cli.test_cli import REPO, dk
from tests.helpers import bump, make_draft

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")


class Lines:
    """Lines of a process's stdout, read in a thread, waited for with a limit."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.q: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stdout is not None
        stdout = proc.stdout
        threading.Thread(target=lambda: [self.q.put(line) for line in stdout], daemon=True).start()

    def wait_for(self, text: str, limit: float = 30) -> str:
        while True:
            line = self.q.get(timeout=limit)
            self.seen.append(line)
            if text in line:
                return line


def test_watch_saves_an_edited_draft_and_stops_on_sigterm(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = tmp_path / "root"
    folder = make_draft(root, "d1")
    settings_mod.save(
        Settings(roots=[str(root)], quiet_period_s=0, min_autosave_gap_s=0, scan_interval_s=0.5),
        home / "config" / "settings.json",
    )
    assert dk("save", "d1", env_home=home).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "draftkeeper", "watch", "--interval", "5"], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = Lines(proc)
    try:
        lines.wait_for("watching 1 draft(s)")
        bump(folder / "draft_content.json", b'{"tracks": ["edited"]}')
        lines.wait_for("d1  unsaved: Unsaved changes")
        lines.wait_for("d1  saving")
        saved = lines.wait_for("d1  clean: Saved")
        assert "(version " in saved
        proc.send_signal(signal.SIGTERM)
        lines.wait_for("stopped; everything is saved")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    engine = LocalEngine(Settings(), roots=[root], store=Store(home / "data" / "store"))
    assert [v.reason for v in engine.history_sync("d1")] == ["autosave", "manual"]


def test_watch_flushes_unsaved_drafts_on_stop(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = tmp_path / "root"
    make_draft(root, "d1")
    settings_mod.save(Settings(roots=[str(root)]), home / "config" / "settings.json")
    env = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "draftkeeper", "watch", "--interval", "3600"], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = Lines(proc)
    try:
        lines.wait_for("watching 1 draft(s)")
        proc.send_signal(signal.SIGINT)  # Ctrl+C long before the first autosave
        lines.wait_for("stopped; everything is saved")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "d1  clean: Saved" in "".join(lines.seen)
    r = dk("history", "d1", env_home=home)
    assert r.stdout.count("autosave") == 1


def test_watch_interval_out_of_range_is_refused(tmp_path: Path) -> None:
    r = dk("watch", "--interval", "1", env_home=tmp_path)
    assert r.returncode == 2
    assert "autosave_interval_s must be between 5 and 3600" in r.stderr
