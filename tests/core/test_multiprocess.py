"""Two processes saving into one store at the same time (the window and a script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft

REPO = Path(__file__).resolve().parents[2]
SAVES = 25

pytestmark = pytest.mark.slow


def test_two_processes_share_a_store_and_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for draft_id in ("shared", "own-a", "own-b"):
        make_draft(root, draft_id)
    store_dir = tmp_path / "store"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.save_worker", "edit-save", str(store_dir),
             str(root), tag, str(SAVES), "shared", f"own-{tag}"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in ("a", "b")
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    results = [r for out, _ in outputs for r in json.loads(out)["results"]]
    assert len(results) == 4 * SAVES  # every save of both processes succeeded

    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store_dir))
    assert engine.verify_sync().ok
    for draft_id in ("shared", "own-a", "own-b"):
        listed = {v.version for v in engine.history_sync(draft_id)}
        reported = {r["version"] for r in results if r["draft"] == draft_id}
        assert reported <= listed, f"{draft_id}: a reported version is missing"
    # each process's own draft changed before every save: one version per save
    assert len(engine.history_sync("own-a")) == SAVES
    assert len(engine.history_sync("own-b")) == SAVES
