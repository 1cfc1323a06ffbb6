"""Saves write the index's rows of the versions they commit (``DraftIndex.record``, told by
``Manifests.committed`` under the store's lock). A wrong row would give a wrong
"unchanged" answer or a wrong `list`: a `save --all` killed at random moments must leave
every answer what the store itself says. Real files, real processes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.local.index import NAME
from draftkeeper.core.store.store import Store
from tests.cli.test_cli import REPO
from tests.conftest import TEMPLATE_ID
from tests.core.test_index import answer, engine_for, saved_unchanged, truth
from tests.helpers import bump, make_draft


def test_a_save_writes_the_rows_its_next_command_reads(draft_root: Path,
                                                       tmp_path: Path) -> None:
    """After a save --all, the next command reads no manifest: every row is there and
    is what the store says (and a single save writes its draft's row too)."""
    store = tmp_path / "store"
    ids = [f"d{i:02d}" for i in range(12)]
    for i in ids:
        make_draft(draft_root, i)
    engine = engine_for(draft_root, store)
    results = engine.save_many_sync(ids, "manual")
    assert all(isinstance(r, tuple) and not r[0].unchanged for r in results.values())
    bump(draft_root / "d00" / "draft_content.json", b'{"tracks": [1]}')
    engine.save_sync("d00")
    engine.index.close()
    rows = dict(sqlite3.connect(store / NAME).execute(
        "SELECT draft_id, version FROM latest").fetchall())
    assert rows == {i: truth(store, i)[0] for i in ids}

    fresh = engine_for(draft_root, store)  # another process, later: the rows are trusted
    reads: list[str] = []
    real = fresh.store.latest
    fresh.store.latest = lambda d, ids=None: reads.append(d) or real(d, ids)  # type: ignore[method-assign]
    assert {i: answer(fresh, i) for i in ids} == {i: truth(store, i) for i in ids}
    assert reads == []
    fresh.index.close()


def test_rows_are_written_after_the_retention_of_a_save(draft_root: Path,
                                                        tmp_path: Path) -> None:
    """Retention thins a draft's older autosaves after a save (its counter moves again):
    the row is written after it, so the next command still reads no manifest."""
    store = tmp_path / "store"
    make_draft(draft_root, "auto")
    engine = engine_for(draft_root, store)
    engine.settings.keep_last = 1
    for n in range(4):
        bump(draft_root / "auto" / "draft_content.json", b'{"tracks": [], "n": %d}' % n)
        if n % 2:
            engine.save_sync("auto", "autosave")
        else:
            engine.save_many_sync(["auto"], "autosave")
    assert truth(store, "auto")[1] == 2  # thinned: the newest, and one for its hour
    fresh = engine_for(draft_root, store)
    reads: list[str] = []
    real = fresh.store.latest
    fresh.store.latest = lambda d, ids=None: reads.append(d) or real(d, ids)  # type: ignore[method-assign]
    assert answer(fresh, "auto") == truth(store, "auto") and reads == []
    for e in (engine, fresh):
        e.index.close()


def listed(home: Path, root: Path, store: Path) -> dict[str, tuple[str, float | None]]:
    """`draftkeeper list --json`: each draft's status and when its latest version was
    saved."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "app"), DRAFTKEEPER_HOME=str(home))
    r = subprocess.run([sys.executable, "-m", "draftkeeper", "list", "--json", "--root",
                        str(root), "--store", str(store)], env=env, capture_output=True,
                       text=True, timeout=120, check=True)
    return {row["draft_id"]: (row["status"], row["last_saved_at"])
            for row in json.loads(r.stdout)}


def expected_list(root: Path, store: Path, ids: list[str]
                  ) -> dict[str, tuple[bool, float | None]]:
    """What the store says of each draft: whether its working copy is its latest version,
    and that version's time."""
    s = Store(store)
    out = {}
    for i in ids:
        latest = s.latest(i)
        out[i] = (s.is_unchanged(i, root / i) is not None,
                  None if latest is None else latest.time)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_save_all_killed_at_any_moment_leaves_no_wrong_answer(tmp_path: Path) -> None:
    root, store, home = tmp_path / "drafts", tmp_path / "store", tmp_path / "home"
    ids = [f"d{i:03d}" for i in range(600)]
    for i in ids:
        make_draft(root, i)
    rng = random.Random(21)
    env = dict(os.environ, PYTHONPATH=str(REPO / "app"), DRAFTKEEPER_HOME=str(home))
    took = 0.0  # how long a whole save --all of this kind took here (the first round's)
    for n in range(10):
        for i in rng.sample(ids, 600 if n == 0 else 300):  # a new version due for some
            bump(root / i / "draft_content.json", b'{"tracks": [], "n": %d}' % n)
        began = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "draftkeeper", "save", "--all",
                                 "--root", str(root), "--store", str(store)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if n == 0:
            assert proc.wait() == 0
            took = time.monotonic() - began
        else:  # killed at a random moment of a save like the first
            time.sleep(rng.uniform(0.3 * took, took))  # (its start: no save yet)
            proc.send_signal(signal.SIGKILL)
            proc.wait()

        expected = expected_list(root, store, ids)
        got = listed(home, root, store)
        assert {i: (got[i][0] == "clean", got[i][1]) for i in ids} == expected
        engine = engine_for(root, store)
        assert {i: answer(engine, i) for i in ids} == {i: truth(store, i) for i in ids}
        assert saved_unchanged(engine, root, store, ids)
        engine.index.close()


def test_details_from_a_sweep_follow_an_edit(draft_root: Path, tmp_path: Path) -> None:
    """A sweep's stat data stands for the content file's (no stat of its own): an edit
    the sweep saw gives new facts, in this process and in the next one, and an
    encrypted file is still told apart without being parsed as a draft."""
    store = tmp_path / "store"
    content = draft_root / TEMPLATE_ID / "draft_content.json"
    old = time.time() - 60  # older than RACY_NS: its facts are kept
    os.utime(content, (old, old))

    def duration(engine: LocalEngine) -> object:
        scans = {s.info.draft_id: s for s in engine.scan_sync()}
        det = engine.details_sync([scans[TEMPLATE_ID].info])[TEMPLATE_ID]
        return det.summary.duration_s if det.summary is not None else det.badges

    first = engine_for(draft_root, store)
    before = duration(first)
    assert before == 0.0 and first.parser.parsed == 1
    later = engine_for(draft_root, store)  # another process: from the index
    assert duration(later) == before and later.parser.parsed == 0
    data = json.loads(content.read_bytes())
    data["duration"] = 12_000_000
    bump(content, json.dumps(data).encode())
    os.utime(content, (old + 1, old + 1))  # an edit whose mtime is old, not racy
    assert duration(first) == 12.0 and duration(later) == 12.0
    third = engine_for(draft_root, store)
    assert duration(third) == 12.0 and third.parser.parsed == 0
    content.write_bytes(b"\x8f" + os.urandom(3000))  # encrypted now
    os.utime(content, (old + 2, old + 2))
    assert duration(third) == ["encrypted"]
    for e in (first, later, third):
        e.index.close()
