"""The index of latest versions and content facts (core/local/index.py) is a cache: what it
answers is what the store says, whatever happened to the index file or the store meanwhile
(another process saved, an older release wrote, the file was deleted, damaged, or the
writer was killed). Real files, real processes."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from draftkeeper.core.drafts.content import ContentParser
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.local.facts import IndexedParser
from draftkeeper.core.local.index import NAME, WAL_MAX, DraftIndex
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.cli.test_cli import REPO
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, make_draft


def engine_for(root: Path, store: Path) -> LocalEngine:
    """An engine that reads saved states from the index, as the window's and watch's do
    (they list the drafts first; a one-draft command asks the store of its draft)."""
    settings = Settings()
    settings.store_dir = str(store)
    engine = LocalEngine(settings, roots=[root])
    assert engine.index.store is engine.store
    return engine


def truth(store: Path, draft_id: str) -> tuple[str, int] | None:
    """(latest version, number of versions) read from the store itself."""
    s = Store(store)
    latest = s.latest(draft_id)
    return None if latest is None else (latest.version, len(s.version_ids(draft_id)))


def answer(engine: LocalEngine, draft_id: str) -> tuple[str, int] | None:
    state = engine.saved_state_sync(draft_id)
    return None if state.last_version is None else (state.last_version, state.versions)


def test_an_entry_is_reused_until_another_process_saves(draft_root: Path,
                                                        tmp_path: Path) -> None:
    store = tmp_path / "store"
    Store(store).save(TEMPLATE_ID, draft_root / TEMPLATE_ID)
    engine = engine_for(draft_root, store)
    assert answer(engine, TEMPLATE_ID) == truth(store, TEMPLATE_ID)
    assert (store / NAME).is_file()
    rows = sqlite3.connect(store / NAME).execute("SELECT draft_id FROM latest").fetchall()
    assert rows == [(TEMPLATE_ID,)]

    # another process (or an older Draft Keeper, which knows nothing of the index) saves
    bump(draft_root / TEMPLATE_ID / "draft_content.json", b'{"changed": 1}')
    r = subprocess.run([sys.executable, "-c", (
        "import sys; from pathlib import Path; "
        "from draftkeeper.core.store.store import Store; "
        "Store(Path(sys.argv[1])).save(sys.argv[2], Path(sys.argv[3]))"),
        str(store), TEMPLATE_ID, str(draft_root / TEMPLATE_ID)],
        env=dict(os.environ, PYTHONPATH=str(REPO / "app")), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert answer(engine, TEMPLATE_ID) == truth(store, TEMPLATE_ID)
    assert truth(store, TEMPLATE_ID) is not None and truth(store, TEMPLATE_ID)[1] == 2

    # a version thinned or pinned elsewhere moves the draft's counter too
    assert answer(engine, TEMPLATE_ID) == truth(store, TEMPLATE_ID)
    elsewhere = Store(store)
    oldest = elsewhere.version_ids(TEMPLATE_ID)[0]
    with elsewhere.locked():
        elsewhere.manifests.delete(TEMPLATE_ID, [oldest])
    assert answer(engine, TEMPLATE_ID) == truth(store, TEMPLATE_ID)
    assert truth(store, TEMPLATE_ID) is not None and truth(store, TEMPLATE_ID)[1] == 1


@pytest.mark.parametrize("harm", ["deleted", "damaged", "other schema", "other file"])
def test_a_missing_or_damaged_index_is_rebuilt(draft_root: Path, tmp_path: Path,
                                               harm: str) -> None:
    store = tmp_path / "store"
    for d in (TEMPLATE_ID, CAPTIONS_ID):
        Store(store).save(d, draft_root / d)
    first = engine_for(draft_root, store)
    expected = {d: truth(store, d) for d in (TEMPLATE_ID, CAPTIONS_ID, "never-saved")}
    assert {d: answer(first, d) for d in expected} == expected
    first.index.close()
    path = store / NAME
    if harm == "deleted":
        path.unlink()
    elif harm == "damaged":
        data = bytearray(path.read_bytes())
        data[:100] = b"\xff" * 100  # the header: not a database any more
        path.write_bytes(bytes(data))
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif harm == "other schema":
        db = sqlite3.connect(path)
        db.execute("PRAGMA user_version=99")
        db.execute("DELETE FROM latest")
        db.commit()
        db.close()
    else:
        path.write_bytes(b"not a database at all")
    again = engine_for(draft_root, store)
    assert {d: answer(again, d) for d in expected} == expected
    assert [d.draft_id for d in again.deleted_drafts_sync()] == []
    rows = sqlite3.connect(path).execute("SELECT draft_id FROM latest").fetchall()
    assert sorted(rows) == sorted([(CAPTIONS_ID,), (TEMPLATE_ID,)])


def test_deleted_drafts_and_list_follow_the_store(draft_root: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    make_draft(draft_root, "gone")
    for d in (TEMPLATE_ID, "gone"):
        Store(store).save(d, draft_root / d)
    engine = engine_for(draft_root, store)
    assert engine.deleted_drafts_sync() == []
    for path in sorted((draft_root / "gone").iterdir()):
        path.unlink()
    (draft_root / "gone").rmdir()
    [deleted] = engine.deleted_drafts_sync()
    assert deleted.draft_id == "gone" and deleted.file_count == 2
    # a restore elsewhere brings it back: no longer deleted
    Store(store).save(TEMPLATE_ID, draft_root / TEMPLATE_ID)
    make_draft(draft_root, "gone")
    assert engine.deleted_drafts_sync() == []


def test_content_facts_are_kept_until_the_file_changes(draft_root: Path,
                                                       tmp_path: Path) -> None:
    store = tmp_path / "store"
    content = draft_root / CAPTIONS_ID / "draft_info.json"
    old = time.time() - 60
    os.utime(content, (old, old))
    plain = ContentParser()
    try:
        expected = plain.many_file_facts([content])
    finally:
        plain.close()
    parser = IndexedParser(DraftIndex(Store(store)))
    try:
        assert parser.many_file_facts([content]) == expected
        assert parser.parsed == 1
        again = IndexedParser(DraftIndex(Store(store)))  # another process, later
        assert again.many_file_facts([content]) == expected
        assert again.parsed == 0  # from the index
        content.write_bytes(b'{"tracks": []}')
        changed = again.many_file_facts([content])
        assert again.parsed == 1 and changed != expected
        again.close()
    finally:
        parser.close()


def saved_unchanged(engine: LocalEngine, root: Path, store: Path, ids: list[str]) -> bool:
    """A save of every draft answers "unchanged", with the version, exactly where the
    store itself finds the working copy equal to its latest version."""
    expected = {}
    for i in ids:
        latest = Store(store).is_unchanged(i, root / i)
        expected[i] = None if latest is None else latest.version
    got = {}
    for i, outcome in engine.save_many_sync(ids, "autosave").items():
        assert isinstance(outcome, tuple), outcome
        result, state = outcome
        got[i] = result.version if result.unchanged else None
        assert state.last_version == result.version
    assert got == expected
    return True


def test_an_unchanged_save_is_answered_as_the_store_would(draft_root: Path,
                                                          tmp_path: Path) -> None:
    store = tmp_path / "store"
    make_draft(draft_root, "fresh")  # files written just now: racy, only content tells
    make_draft(draft_root, "auto")
    ids = [TEMPLATE_ID, CAPTIONS_ID, "fresh", "auto"]
    for d in ids:
        Store(store).save(d, draft_root / d, reason="autosave" if d == "auto" else "manual")
    engine = engine_for(draft_root, store)
    assert saved_unchanged(engine, draft_root, store, ids)

    # another process saves a change (the index's entry was trusted until then), and a
    # file changes here with its size kept: both seen, and saved as new versions
    before = {d: truth(store, d) for d in ids}
    bump(draft_root / TEMPLATE_ID / "draft_content.json", b'{"changed": 1}')
    Store(store).save(TEMPLATE_ID, draft_root / TEMPLATE_ID)
    content = draft_root / CAPTIONS_ID / "draft_info.json"
    data = bytearray(content.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")  # same size
    bump(content, bytes(data))
    results = engine.save_many_sync(ids, "manual")
    after = {d: truth(store, d) for d in ids}
    outcomes = {d: o[0] for d, o in results.items() if isinstance(o, tuple)}
    assert set(outcomes) == set(ids)
    assert outcomes[TEMPLATE_ID].unchanged and after[TEMPLATE_ID] != before[TEMPLATE_ID]
    assert outcomes[TEMPLATE_ID].version == after[TEMPLATE_ID][0]  # the other's version
    assert not outcomes[CAPTIONS_ID].unchanged
    assert outcomes[CAPTIONS_ID].version == after[CAPTIONS_ID][0] != before[CAPTIONS_ID][0]
    # a manual save of an autosaved version keeps it (pinned): answered as unchanged
    assert outcomes["auto"].unchanged and after["auto"] == before["auto"]
    assert Store(store).latest("auto").pinned
    assert saved_unchanged(engine, draft_root, store, ids)


WORKER = """
import sys, time
from pathlib import Path
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.batch import save_many
root, store = Path(sys.argv[1]), Path(sys.argv[2])
s = Settings(); s.store_dir = str(store)
engine = LocalEngine(s, roots=[root])
ids = sorted(p.name for p in root.iterdir())
n = 0
while True:
    n += 1
    for i in ids[n % 3::3]:
        (root / i / "draft_content.json").write_bytes(b'{"n": %d}' % n)
    if n % 2:
        save_many(engine.store, [(i, root / i) for i in ids], reason="autosave")
    else:
        engine.save_many_sync(ids, "autosave")  # unchanged ones answered by the index
    engine.saved_states_sync(ids)
    engine.deleted_drafts_sync()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_at_any_moment_never_makes_the_index_lie(tmp_path: Path) -> None:
    root, store = tmp_path / "drafts", tmp_path / "store"
    ids = [f"d{i:02d}" for i in range(30)]
    for i in ids:
        make_draft(root, i)
    rng = random.Random(20)
    for _round in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(store)],
                                env=dict(os.environ, PYTHONPATH=str(REPO / "app")))
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        engine = engine_for(root, store)
        assert {i: answer(engine, i) for i in ids} == {i: truth(store, i) for i in ids}
        assert saved_unchanged(engine, root, store, ids)
        engine.index.close()


def test_the_index_log_stays_short_when_processes_end_without_closing(tmp_path: Path) -> None:
    """Every command ends its process without closing the index (as the CLI does): the
    write-ahead log is trimmed at a later opening instead of growing by every command."""
    store = tmp_path / "store"
    Store(store)
    script = (
        "import os, sys; from pathlib import Path; "
        "from draftkeeper.core.local.index import DraftIndex; "
        "from draftkeeper.core.store.store import Store; "
        "ix = DraftIndex(Store(Path(sys.argv[1]))); ix.latest_many(['d']); "
        "ix.put_facts([(f'/draft{i}/{sys.argv[2]}', 1, 1, 1, None, None, None, None, '') for i in range(40)]); "
        "os._exit(0)")
    env = dict(os.environ, PYTHONPATH=str(REPO / "app"))
    for n in range(60):
        subprocess.run([sys.executable, "-c", script, str(store), str(n)], env=env, check=True)
    assert (store / f"{NAME}-wal").stat().st_size <= WAL_MAX + 64 * 1024
    index = DraftIndex(Store(store))
    assert len(index.facts_rows([f"/draft{i}/{n}" for i in range(40) for n in range(60)])) == 2400
    index.close()
