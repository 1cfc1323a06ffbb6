"""`watch` replicates too: each version it saves is uploaded in the background, with one
line per change ("share: on the shared store"); without a shared store it loads nothing
of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import make_draft
from tests.seaweed import Seaweed
from tests.shared.machines import Machine

LINE_LIMIT = 120  # lines read before giving up (a hang guard, not a timing)


def lines_until(proc: subprocess.Popen[str], needle: str) -> list[str]:
    """stdout lines up to the first that holds ``needle``."""
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line)
        if needle in line:
            return seen
        assert len(seen) < LINE_LIMIT, seen
    raise AssertionError(f"{needle!r} never came: {seen}")


def test_watch_uploads_each_saved_version_and_says_so(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    a = Machine(tmp_path, "alpha", seaweed, seaweed.url(prefix))
    make_draft(a.root, "d1", {"draft_info.json": b'{"one": 1}'})
    proc = a.popen("watch", "--interval", "5")
    try:
        lines_until(proc, "d1  share: on the shared store")
        make_draft(a.root, "d2", {"draft_info.json": os.urandom(300_000)})
        seen = lines_until(proc, "d2  share: on the shared store")
        assert any("d2  share: uploading" in line for line in seen), seen
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, (out, err)
    assert "not yet on the shared store" not in out
    b = Machine(tmp_path, "beta", seaweed, seaweed.url(prefix))
    assert {d["draft_id"] for d in b.json("list", "--shared")} == {"d1", "d2"}


def test_watch_without_a_shared_store_loads_nothing_of_it(tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1", {"draft_info.json": b"{}"})
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "draftkeeper", "watch", "--root", str(root),
         "--store", str(tmp_path / "store"), "--interval", "5"],
        env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lines_until(proc, "d1  clean")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, (out, err[-2000:])
    names = {line.rsplit("|", 1)[1].strip() for line in err.splitlines()
             if line.startswith("import time:") and "|" in line}
    assert "draftkeeper.core.session.session" in names  # the measurement works
    assert not {n for n in names if n == "obstore" or n.startswith(
        ("obstore.", "draftkeeper.core.shared"))}
