"""Versions as rows of the store's database (core/store/versions.py): stores of earlier
releases (one manifest file per version) keep every version, read where they cannot be
written and moved into rows once where they can; a first save of many drafts killed at any
moment leaves only complete versions. Real files, real processes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from draftkeeper.core.blobs.lock import FileLock
from draftkeeper.core.errors import SaveFailed, StoreLocked
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.actions import restore_as_new
from draftkeeper.core.store.batch import save_many
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.snapshot import DEFAULT_OPTIONS
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft, read_tree, stored_versions

REPO = Path(__file__).resolve().parents[2]


def to_files(store_dir: Path) -> dict[str, list[str]]:
    """Turn a store into one of an earlier release: every version's row becomes the file
    ``drafts/<key>/versions/<id>.json`` that release wrote (the rows are dropped)."""
    store = Store(store_dir)
    out: dict[str, list[str]] = {}
    for draft_id in store.draft_ids():
        out[draft_id] = store.version_ids(draft_id)
        for version in out[draft_id]:
            raw, _where = store.manifests.raw(draft_key(draft_id), version)
            path = store_dir / "drafts" / draft_key(draft_id) / "versions" / f"{version}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
    store.db.write(lambda db: db.executescript("DELETE FROM versions; DELETE FROM drafts;"),
                   transaction=False)
    store.db.close()
    return out


def saved_store(root: Path, store_dir: Path, drafts: int = 3, edits: int = 2) -> None:
    engine = LocalEngine(Settings(), roots=[root], store=Store(store_dir))
    for i in range(drafts):
        make_draft(root, f"d{i}", {"a.json": b"first", "b.bin": os.urandom(300_000)})
    for n in range(edits):
        for i in range(drafts):
            (root / f"d{i}" / "a.json").write_bytes(f"edit {n}".encode() * 100)
            os.utime(root / f"d{i}" / "a.json", ns=(1_000_000_000 * (n + 1),) * 2)
            engine.save_sync(f"d{i}")


def history(store: Store, draft_id: str) -> list[tuple[str, str | None]]:
    return [(v.version, v.damaged) for v in store.history(draft_id)]


def test_an_earlier_release_store_is_read_as_it_is_then_moved_into_rows_once(
        tmp_path: Path) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    saved_store(root, store_dir)
    before = {d: history(Store(store_dir), d) for d in ("d0", "d1", "d2")}
    ids = to_files(store_dir)
    damaged = store_dir / "drafts" / draft_key("d1") / "versions" / f"{ids['d1'][0]}.json"
    damaged.write_bytes(b'{"format": 2, "draft_id": "d1", "ver')  # half-written by a crash

    # a process that cannot take the lock (another writer holds it) reads the files
    held = FileLock(store_dir / "lock", 0)
    assert held.try_acquire()
    try:
        reader = Store(store_dir, lock_timeout=0)
        assert reader.manifests.legacy and (store_dir / "drafts").is_dir()
        assert history(reader, "d0") == before["d0"]
        got = history(reader, "d1")
        assert [v for v, _d in got] == [v for v, _d in before["d1"]]
        assert got[-1][1] and "not JSON" in got[-1][1]  # the damaged one, listed and marked
        assert reader.draft_ids() == ["d0", "d1", "d2"]
        assert not reader.verify().ok
        with pytest.raises(StoreLocked), reader.locked():
            pass
    finally:
        held.release()
    assert (store_dir / "drafts").is_dir()  # nothing moved by the reader

    # the first process that may write moves them into rows, damaged one included
    writer = Store(store_dir)
    assert not (store_dir / "drafts").exists()
    assert len(stored_versions(store_dir)) == sum(len(v) for v in ids.values())
    assert history(writer, "d0") == before["d0"]
    assert history(writer, "d1") == history(reader, "d1")
    assert writer.damage_seen() and "#" in writer.damage_seen()[0].path
    report = writer.verify()
    assert [(d.draft_id, d.version) for d in report.damaged] == [("d1", ids["d1"][0])]
    engine = LocalEngine(Settings(), roots=[root], store=writer)
    assert engine.save_sync("d0").unchanged  # the migrated latest version is the latest
    (root / "d0" / "a.json").write_bytes(b"after the move")
    assert not engine.save_sync("d0").unchanged
    assert len(writer.version_ids("d0")) == len(ids["d0"]) + 1


def test_a_move_into_rows_killed_before_the_files_went_is_finished_next_time(
        tmp_path: Path) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    saved_store(root, store_dir, drafts=2)
    ids = to_files(store_dir)
    shutil.copytree(store_dir / "drafts", tmp_path / "files")
    Store(store_dir)  # moved into rows
    shutil.copytree(tmp_path / "files", store_dir / "drafts")  # as if killed before unlinks
    held = FileLock(store_dir / "lock", 0)
    assert held.try_acquire()
    try:
        reader = Store(store_dir, lock_timeout=0)
        assert reader.manifests.legacy
        for draft_id, versions in ids.items():
            assert reader.version_ids(draft_id) == versions  # each once: rows and files
        assert reader.verify().ok and reader.verify().versions == sum(map(len, ids.values()))
    finally:
        held.release()
    again = Store(store_dir)
    assert not (store_dir / "drafts").exists()
    assert {d: again.version_ids(d) for d in ids} == ids
    assert again.verify().ok


WORKER = """
import sys
from pathlib import Path
from draftkeeper.core.store.batch import save_many
from draftkeeper.core.store.store import Store
root, store = Path(sys.argv[1]), Path(sys.argv[2])
ids = sorted(p.name for p in root.iterdir())
print("ready", flush=True)
while True:
    save_many(Store(store), [(i, root / i) for i in ids], reason="autosave")
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_first_save_of_many_drafts_killed_at_any_moment_leaves_complete_versions(
        tmp_path: Path) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    rng = random.Random(7)
    ids = [f"d{i:04d}" for i in range(1000)]  # several groups (batch.GROUP_DRAFTS)
    env = dict(os.environ, PYTHONPATH=str(REPO / "app"))
    states: dict[str, list[dict[str, bytes]]] = {i: [] for i in ids}
    saved = 0
    for round_ in range(6):
        for i in ids:  # every draft changes: each round is a first save of all of them
            make_draft(root, i, {"draft_content.json": f'{{"round": {round_}, "d": "{i}"}}'
                                 .encode() * rng.randint(1, 50),
                                 "cover.jpg": rng.randbytes(rng.choice((100, 70_000)))})
            states[i].append(read_tree(root / i))
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(store_dir)],
                                env=env, stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = Store(store_dir)
        report = store.verify()
        assert report.ok, report.damaged
        assert not store.damage_seen()
        for i in ids:  # every version that exists is complete: a state the draft had
            for version in store.version_ids(i):
                m = store.manifest(i, version)
                files = {f.path: b"".join(store.blobs.file_content(f.hash or "", f.chunks))
                         for f in m.files}
                assert files in states[i], (i, version)
            saved += files == states[i][-1] if store.version_ids(i) else 0
        store.db.close()
    assert saved > 0, "every kill came before the first commit: kills too early"


@pytest.mark.parametrize("op", ["write", "fsync"])
def test_a_group_commit_that_fails_leaves_no_version_and_the_next_one_saves_all(
        tmp_path: Path, op: str) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    ids = [f"d{i}" for i in range(5)]
    for i in ids:
        make_draft(root, i, {"a.json": os.urandom(2000), "big.json": os.urandom(400_000)})
    store = Store(store_dir)
    failed: list[Path] = []

    def fail_commit(what: str, path: Path) -> None:
        if what == op and path.name == "objects.db" and not failed:
            failed.append(path)
            raise OSError(28, "No space left on device", str(path))

    store.io.hook = fail_commit
    outcomes = save_many(store, [(i, root / i) for i in ids])
    store.io.hook = None
    assert failed and all(isinstance(o, SaveFailed) for o in outcomes), outcomes
    assert "no space left" in str(outcomes[0]).lower()
    assert stored_versions(store_dir) == [] and store.draft_ids() == []
    assert Store(store_dir).prune(keep_last=10) == 0  # no piece was left behind
    again = save_many(Store(store_dir), [(i, root / i) for i in ids])
    assert all(isinstance(o, tuple) and not o[1] for o in again), again
    assert Store(store_dir).verify().ok and len(stored_versions(store_dir)) == len(ids)


def test_a_commit_never_replaces_a_version_already_there(tmp_path: Path) -> None:
    """A new version's row is a plain insert: a manifest that names a version already in
    the store (the same id made twice: a bug) fails its commit, and the version stays as
    it was saved, its files restorable."""
    root, store_dir = tmp_path / "root", tmp_path / "store"
    saved_store(root, store_dir, drafts=1, edits=2)
    store = Store(store_dir)
    versions = [v.version for v in store.history("d0")]
    was = store.latest("d0")
    assert was is not None and len(versions) == 2 and was.version == max(versions)
    other = was.replace(files=(), time=was.time + 1)
    with store.locked(), pytest.raises(OSError, match="UNIQUE constraint failed"):
        store.commit([other])
    again = Store(store_dir)
    assert [v.version for v in again.history("d0")] == versions
    kept = again.latest("d0")
    assert kept is not None and kept.files == was.files and kept.time == was.time
    restore_as_new(again, "d0", was.version, root / "copy", DEFAULT_OPTIONS)
    assert read_tree(root / "copy") == read_tree(root / "d0")
