"""`draftkeeper watch` end to end with a capcut-mate-like server that goes down and comes
back: nothing is given up, nothing is claimed saved that is not (issue 10)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer
from tests.cli.test_cli import REPO, dk
from tests.cli.test_watch import Lines
from tests.helpers import make_draft

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")


def test_watch_outlasts_a_server_outage_and_names_what_is_not_saved(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = tmp_path / "root"
    make_draft(root, "local1")
    server = CapcutServer().start()
    url = server.create("d1")
    settings_mod.save(
        Settings(roots=[str(root)], remote_drafts=[url], max_attempts=3, backoff_base_s=0.05,
                 backoff_cap_s=0.5, quiet_period_s=0, min_autosave_gap_s=0,
                 scan_interval_s=0.5),
        home / "config" / "settings.json",
    )
    assert dk("save", url, env_home=home).returncode == 0
    server.stop()
    assert dk("save", url, env_home=home).returncode == 4  # the last save failed

    env = dict(os.environ, PYTHONPATH=str(REPO), DRAFTKEEPER_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "draftkeeper", "watch", "--interval", "5"], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = Lines(proc)
    try:
        # started after failed saves: not "clean"
        line = lines.wait_for("d1  ")
        assert "d1  at_risk: At risk: last save failed" in line, line
        assert "connection refused" in line
        banner = lines.wait_for("watching 2 draft(s)")
        assert f"in {root} and 1 remote draft(s)" in banner
        assert "autosave every 5 s" in banner and "failed drafts tried again every 0.5 s" in banner
        lines.wait_for("d1  failed: Failed: Cannot reach the server")

        server.start()  # back: saved again without anyone asking
        lines.wait_for("d1  clean: Saved")
        lines.wait_for("local1  clean: Saved")  # local roots are watched alongside

        server.stop()  # down for longer than all attempts (the next autosave in 5 s)
        lines.wait_for("d1  retrying")
        lines.wait_for("d1  failed: Failed: Cannot reach the server")
        server.start()
        lines.wait_for("d1  clean: Saved")

        server.stop()
        lines.wait_for("d1  failed")
        proc.send_signal(signal.SIGTERM)
        not_saved = lines.wait_for("not saved: d1")
        assert url in not_saved and "Failed: Cannot reach the server" in not_saved
        assert proc.wait(timeout=30) == 4
        assert proc.stderr is not None
        assert "stopped; 1 draft(s) not saved: d1" in proc.stderr.read()
        assert not any("everything is saved" in x for x in lines.seen)
        assert not any("local1" in x for x in lines.seen if x.startswith("not saved"))
    finally:
        if proc.poll() is None:
            proc.kill()
        server.stop()
