"""A big first save of many drafts hands part of each group to a second process, which
walks the drafts and hashes their small files (core/store/batch.py, blobs/hashers.py):
the versions are the ones the saving thread alone makes, every file's content is kept,
and an edit made after that process read a draft is saved by the next save. Real files,
a real process."""

from __future__ import annotations

import hashlib
import os
import random
import signal
from pathlib import Path

from draftkeeper.core import collector
from draftkeeper.core.errors import DraftBusy
from draftkeeper.core.store import batch
from draftkeeper.core.store.batch import save_many
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft


def many_drafts(root: Path, count: int) -> list[str]:
    rng = random.Random(11)
    template = {"draft_content.json": b'{"tracks": []}' * 200, "draft_meta_info.json": b"{}",
                "empty.tmp": b""}
    ids = [f"d{i:04d}" for i in range(count)]
    for n, i in enumerate(ids):
        files = dict(template)
        if n % 3 == 0:  # a content of its own (a blob no other draft has)
            files["draft_info.json"] = f'{{"draft": "{i}"}}'.encode() * rng.randint(1, 99)
        if n % 50 == 0:  # cut into pieces by the saving thread
            files["Timelines/t1/big.json"] = rng.randbytes(300_000)
        make_draft(root, i, files)
    return ids


def saved_files(store: Store, draft_id: str) -> list[tuple[str, int, int, str | None, str | None]]:
    latest = store.latest(draft_id)
    assert latest is not None
    return [(f.path, f.size, f.mtime_ns, f.hash, f.chunks) for f in latest.files]


def kill_once_asked(store: Store) -> list[int]:
    """The store's second process killed as soon as it is first asked to walk drafts
    (while it walks them); the pid killed goes into the list returned."""
    real = store.hasher.walk_and_hash
    killed: list[int] = []

    def asked(folders, skip, small):  # type: ignore[no-untyped-def]
        future = real(folders, skip, small)
        pid = store.hasher.worker.pid
        if future is not None and pid is not None and not killed:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return future

    store.hasher.walk_and_hash = asked  # type: ignore[method-assign]
    return killed


def test_a_big_first_save_read_by_a_second_process_keeps_what_one_thread_keeps(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS + 40)
    spread, alone = Store(tmp_path / "spread"), Store(tmp_path / "alone")
    alone.hasher.broken = True  # (this one reads every draft in its saving thread)
    drafts = [(i, root / i) for i in ids]
    assert all(isinstance(o, tuple) and not o[1] for o in save_many(spread, drafts))
    assert spread.hasher.worker.pid is not None  # the second process did read drafts
    assert all(isinstance(o, tuple) and not o[1] for o in save_many(alone, drafts))
    for i in ids:
        assert saved_files(spread, i) == saved_files(alone, i)
        for path, _size, _mtime, digest, chunks in saved_files(spread, i):
            if chunks is None:
                assert digest == hashlib.sha256((root / i / path).read_bytes()).hexdigest()
    assert spread.verify().ok
    again = save_many(spread, drafts)  # unchanged: answered from the versions just made
    assert all(isinstance(o, tuple) and o[1] for o in again)
    spread.hasher.close()


def test_an_edit_after_the_second_process_read_a_draft_is_saved_by_the_next_save(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS)
    store = Store(tmp_path / "store")
    last = ids[-1]  # handed over: the second process reads the group's last new drafts
    target = root / last / "draft_content.json"
    before = target.read_bytes()
    real = store.hasher.walk_and_hash

    def edit_once_read(folders, skip, small):  # type: ignore[no-untyped-def]
        future = real(folders, skip, small)
        if future is not None and os.fspath(root / last) in folders:
            future.result()  # read and hashed: now the editor writes it
            target.write_bytes(b'{"edited": true}')
        return future

    store.hasher.walk_and_hash = edit_once_read  # type: ignore[method-assign]
    outcomes = dict(zip(ids, save_many(store, [(i, root / i) for i in ids]), strict=True))
    store.hasher.walk_and_hash = real  # type: ignore[method-assign]
    assert store.hasher.worker.pid is not None
    outcome = outcomes[last]
    if isinstance(outcome, tuple):  # the draft as it was read, whole: size and content
        kept = {f.path: (f.size, f.hash) for f in outcome[0].files}["draft_content.json"]
        assert kept in ((len(before), hashlib.sha256(before).hexdigest()),
                        (16, hashlib.sha256(b'{"edited": true}').hexdigest()))
    else:
        assert isinstance(outcome, DraftBusy)
    again = save_many(store, [(last, root / last)])[0]  # the edit is never lost
    assert isinstance(again, tuple)
    files = {f.path: f.hash for f in again[0].files}
    assert files["draft_content.json"] == hashlib.sha256(b'{"edited": true}').hexdigest()
    assert store.verify().ok
    store.hasher.close()


def test_a_second_process_killed_mid_batch_leaves_every_save_correct(tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 3 * batch.SPREAD_DRAFTS)
    drafts = [(i, root / i) for i in ids]
    store, alone = Store(tmp_path / "store"), Store(tmp_path / "alone")
    alone.hasher.broken = True
    real = store.hasher.walk_and_hash
    killed = kill_once_asked(store)
    outcomes = save_many(store, drafts)
    store.hasher.walk_and_hash = real  # type: ignore[method-assign]
    assert killed and store.hasher.broken  # (the rest were walked and read here)
    assert all(isinstance(o, tuple) and not o[1] for o in outcomes)
    assert all(isinstance(o, tuple) for o in save_many(alone, drafts))
    for i in ids:
        assert saved_files(store, i) == saved_files(alone, i)
    assert store.verify().ok
    assert all(isinstance(o, tuple) and o[1] for o in save_many(store, drafts))
    store.hasher.close()


def test_the_collector_is_as_it_was_after_batches_that_overlap(tmp_path: Path) -> None:
    """A batch saves with a larger youngest generation (the process's setting): two at
    once, in two threads on two stores, have it while either runs and leave it as it was
    once both are done."""
    import gc
    import threading

    root = tmp_path / "root"
    ids = many_drafts(root, 20)
    before = gc.get_threshold()
    seen: list[int] = []
    both = threading.Barrier(2)

    waited: set[str] = set()

    def saving(op: str, path: Path) -> None:  # (the store's I/O seam: each of its writes)
        name = threading.current_thread().name
        if op == "write" and name not in waited:
            waited.add(name)
            both.wait(10)  # (the other batch is saving too)
            seen.append(gc.get_threshold()[0])

    threads = []
    for n, part in enumerate((ids[:10], ids[10:])):
        store = Store(tmp_path / f"store{n}")
        store.io.hook = saving
        threads.append(threading.Thread(target=save_many,
                                        args=(store, [(i, root / i) for i in part])))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [max(collector.GC_YOUNG, before[0])] * 2  # (both met: neither timed out)
    assert gc.get_threshold() == before
