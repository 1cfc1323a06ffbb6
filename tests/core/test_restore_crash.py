"""SIGKILL restoring processes at random moments (staging, the swap, the journal) while
another process saves: after each restart every draft is byte for byte its state before
the restore or the version, nothing of ours is left in a draft, and verify passes."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft, write_tree

REPO = Path(__file__).resolve().parents[2]
KILLS_IN_RESTORE = 300  # kills that land after a restore wrote its journal
MAX_ROUNDS = 900

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX"),
]

Tree = dict[str, str]  # relative path -> sha256


def tree(folder: Path) -> Tree:
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def ours(folder: Path) -> list[str]:
    return [n for _d, dirs, files in os.walk(folder) for n in dirs + files
            if n.startswith(TMP_PREFIX)]


def state(k: int, rng: random.Random) -> dict[str, bytes]:
    """State k of a draft: every file differs between states, and the file set too."""
    files = {f"f{i:02d}.json": f"state {k} file {i} ".encode() * rng.randint(50, 400)
             for i in range(24)}
    files["big.bin"] = rng.randbytes(300_000)
    files[f"only-{k}/x.json"] = f"only in state {k}".encode()
    files["sub/deep/y.json"] = f"deep {k}".encode() * 100
    if k % 2:
        files["sometimes.json"] = b"odd states"
    return files


def test_sigkill_during_restores_leaves_old_or_restored_never_a_mix(tmp_path: Path) -> None:
    rng = random.Random(4321)
    root, store_dir = tmp_path / "root", tmp_path / "store"
    drafts = ["alpha", "beta"]
    engine = LocalEngine(Settings(), roots=[root], store=Store(store_dir))
    targets: dict[str, list[str]] = {}
    for draft_id in drafts:
        targets[draft_id] = []
        for k in range(4):
            folder = root / draft_id
            if folder.exists():
                shutil.rmtree(folder)
            make_draft(root, draft_id, {})
            write_tree(folder, state(k, rng))
            version = engine.save_sync(draft_id).version
            assert version
            targets[draft_id].append(version)
    version_tree = {
        (d, v): {f.path: f.hash for f in engine.store.manifest(d, v).files}
        for d in drafts for v in targets[d]
    }
    expected = {d: tree(root / d) for d in drafts}
    (tmp_path / "targets.json").write_text(json.dumps(targets))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    saver = subprocess.Popen(
        [sys.executable, "-m", "tests.core.save_worker", "loop", str(store_dir), str(root),
         *drafts], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    zygote = subprocess.Popen(
        [sys.executable, "-m", "tests.core.restore_worker", str(store_dir), str(root),
         str(tmp_path / "targets.json"), str(tmp_path / "log")],
        cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert zygote.stdin and zygote.stdout and saver.stdout
    assert saver.stdout.readline().strip() == b"ready"
    assert zygote.stdout.readline().strip() == "ready"
    checker = Store(store_dir)
    phases: dict[str, int] = {}
    in_restore = rounds = completed = 0
    try:
        while in_restore < KILLS_IN_RESTORE and rounds < MAX_ROUNDS:
            rounds += 1
            zygote.stdin.write(f"fork {rounds}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.01, 0.25))
            os.kill(pid, signal.SIGKILL)
            zygote.stdin.write(f"reap {pid}\n")
            zygote.stdin.flush()
            assert zygote.stdout.readline().strip() == "reaped"
            assert saver.poll() is None, saver.stderr.read() if saver.stderr else ""

            log_file = tmp_path / f"log.{rounds}"
            lines = log_file.read_text().splitlines() if log_file.exists() else []
            pending: dict[str, str] = {}
            for line in lines:
                word, draft_id, version = line.split(" ", 3)[:3]
                if word == "begin":
                    pending[draft_id] = version
                    continue
                pending.pop(draft_id, None)
                if word == "end":
                    expected[draft_id] = version_tree[(draft_id, version)]
                    completed += 1
            with checker.locked():  # no saver may recover or read a draft meanwhile
                journals = sorted((store_dir / "journal").glob("*.json"))
                for path in journals:
                    phase = json.loads(path.read_text())["phase"]
                    phases[phase] = phases.get(phase, 0) + 1
                if journals:
                    in_restore += 1
                for path in journals:
                    checker._recover_locked(path)
                for draft_id in drafts:
                    folder = root / draft_id
                    now = tree(folder)
                    allowed = [expected[draft_id]]
                    if draft_id in pending:
                        allowed.append(version_tree[(draft_id, pending[draft_id])])
                    assert now in allowed, (rounds, draft_id, pending, lines[-3:])
                    expected[draft_id] = now
                    assert ours(folder) == [], (rounds, ours(folder))
            if rounds % 100 == 0:
                assert checker.verify().ok
    finally:
        saver.kill()
        saver.wait()
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    print(f"rounds={rounds} kills_inside_restores={in_restore} phases={phases} "
          f"restores_completed={completed}")
    assert in_restore >= KILLS_IN_RESTORE
    assert phases.get("staging", 0) > 20 and phases.get("swap", 0) > 5, phases
    report = Store(store_dir).verify()
    assert report.ok, report.damaged
    assert completed > 50
