"""SIGKILL a saving process at random moments; nothing saved may ever be lost or mixed."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import read_tree

REPO = Path(__file__).resolve().parents[2]
KILLS = 200

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]


def digest_tree(folder: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in read_tree(folder).items()}


def write_state(root: Path, i: int, big: dict[str, bytes]) -> None:
    """State i of both drafts: every small file and both 5.5 MB files change."""
    small = root / TEMPLATE_ID
    for name in ("draft_info.json", "draft_content.json", "template.tmp"):
        (small / name).write_bytes(f'{{"state": {i}, "pad": "{"s" * (i % 50)}"}}'.encode())
    (small / "state.txt").write_text(str(i))
    large = root / CAPTIONS_ID
    for name, data in big.items():
        (large / name).write_bytes(data + f"\n#state {i}".encode())
    (large / "state.txt").write_text(str(i))


def test_sigkill_during_saves_never_loses_or_mixes_versions(
    draft_root: Path, tmp_path: Path
) -> None:
    rng = random.Random(1234)
    store_dir = tmp_path / "store"
    big = {n: (draft_root / CAPTIONS_ID / n).read_bytes()
           for n in ("draft_info.json", "draft_content.json")}
    expected: dict[str, dict[int, dict[str, str]]] = {TEMPLATE_ID: {}, CAPTIONS_ID: {}}
    env = dict(os.environ, PYTHONPATH=str(REPO))

    for i in range(KILLS):
        write_state(draft_root, i, big)
        for draft_id in expected:
            expected[draft_id][i] = digest_tree(draft_root / draft_id)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.core.save_worker", "loop", str(store_dir),
             str(draft_root), TEMPLATE_ID, CAPTIONS_ID],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready", child.stderr.read()  # type: ignore[union-attr]
        time.sleep(rng.uniform(0, 0.12))
        child.send_signal(signal.SIGKILL)
        child.wait()
        for draft_id in expected:  # the working copy is never modified by a save
            assert digest_tree(draft_root / draft_id) == expected[draft_id][i], i

    engine = LocalEngine(Settings(keep_last=10_000), roots=[draft_root], store=Store(store_dir))
    report = engine.verify_sync()
    assert report.ok, report.damaged
    restored = 0
    for draft_id, states in expected.items():
        versions = [v.version for v in engine.history_sync(draft_id) if v.reason == "manual"]
        print(draft_id, "versions", len(versions))
        assert len(versions) > 20, f"too few saves completed for {draft_id}: kills too early"
        for version in versions:
            engine.restore_sync(draft_id, version)
            folder = draft_root / draft_id
            state = int((folder / "state.txt").read_text())
            assert digest_tree(folder) == states[state], (draft_id, version, state)
            restored += 1
    print(f"kills={KILLS} restored={restored} "
          + " ".join(f"{d}:{len(s)}" for d, s in expected.items()))
    assert restored > 40
