"""`save --all` sweeps its drafts, then saves them in batches. While it sweeps, the second
process walks the new drafts and hashes their small files (core/local/ahead.py), and the
batch takes those walks instead of asking again (core/store/batch.py); the window's Save
all asks for that as it is pressed (core/saving/batches.py). Every version is
the one the saving thread alone makes, drafts that have versions are not walked ahead, an
edit made after the walk is saved by the next save, and a second process that dies
leaves every save correct. Real files, a real second process."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from pathlib import Path

from draftkeeper.core.backend import SaveResult
from draftkeeper.core.blobs.hashers import AHEAD_S, Hasher
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store import batch
from draftkeeper.core.store.store import Store
from tests.core.test_batch_spread import kill_once_asked, many_drafts, saved_files


def sweep_and_save(root: Path, store: Store) -> dict[str, object]:
    """What `save --all` does: the saves asked for, the sweep, then one batch save."""
    engine = LocalEngine(Settings(), roots=[root], store=store)
    engine.walks_count_from = time.monotonic()
    engine.ahead = True
    keys = [s.info.key for s in engine.scan_sync()]
    return dict(engine.save_many_sync(keys))


def spy(store: Store) -> tuple[list[str], list[str]]:
    """The folders walked ahead, and the folders the batch then asked for again."""
    ahead: list[str] = []
    again: list[str] = []
    real_ahead, real_walk = store.hasher.ahead, store.hasher.walk_and_hash

    def asked_ahead(folders, skip, small, began):  # type: ignore[no-untyped-def]
        ahead.extend(folders)
        store.hasher.walk_and_hash = real_walk  # type: ignore[method-assign]
        try:
            return real_ahead(folders, skip, small, began)
        finally:
            store.hasher.walk_and_hash = asked_again  # type: ignore[method-assign]

    def asked_again(folders, skip, small):  # type: ignore[no-untyped-def]
        again.extend(folders)
        return real_walk(folders, skip, small)

    store.hasher.ahead = asked_ahead  # type: ignore[method-assign]
    store.hasher.walk_and_hash = asked_again  # type: ignore[method-assign]
    return ahead, again


def test_new_drafts_walked_ahead_while_swept_are_saved_as_one_thread_saves_them(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS + 40)
    store, alone = Store(tmp_path / "store"), Store(tmp_path / "alone")
    alone.hasher.broken = True  # (this one reads every draft in its saving thread)
    ahead, again = spy(store)
    outcomes = sweep_and_save(root, store)
    assert sorted(ahead) == sorted(os.fspath(root / i) for i in ids)  # each walked ahead
    assert again == []  # and not asked for again
    assert all(isinstance(o, tuple) and not o[0].unchanged for o in outcomes.values())
    sweep_and_save(root, alone)
    for i in ids:
        assert saved_files(store, i) == saved_files(alone, i)
        for path, _size, _mtime, digest, chunks in saved_files(store, i):
            if chunks is None:
                assert digest == hashlib.sha256((root / i / path).read_bytes()).hexdigest()
    assert store.verify().ok
    again_outcomes = sweep_and_save(root, store)  # unchanged: nothing walked ahead
    assert all(isinstance(o, tuple) and o[0].unchanged for o in again_outcomes.values())
    assert len(ahead) == len(ids)
    store.hasher.close()


def test_only_drafts_without_versions_are_walked_ahead(tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS + 40)
    store = Store(tmp_path / "store")
    saved = ids[::2]
    for i in saved:
        store.save(i, root / i)
        (root / i / "draft_meta_info.json").write_bytes(b'{"edited": 1}')
    ahead, _again = spy(store)
    outcomes = sweep_and_save(root, store)
    assert sorted(ahead) == sorted(os.fspath(root / i) for i in ids[1::2])
    assert all(isinstance(o, tuple) and not o[0].unchanged for o in outcomes.values())
    for i in saved:  # the edit made after their first version is their second
        assert len(store.version_ids(i)) == 2
        files = {f.path: f.hash for f in store.latest(i).files}  # type: ignore[union-attr]
        assert files["draft_meta_info.json"] == hashlib.sha256(b'{"edited": 1}').hexdigest()
    store.hasher.close()


def test_an_edit_after_the_walk_ahead_is_saved_by_the_next_save(tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS)
    store = Store(tmp_path / "store")
    first = ids[-1]  # (its content is stored by then: named from the walk's digest)
    target = root / first / "draft_content.json"
    before = target.read_bytes()
    real = store.hasher.walk_and_hash
    edited: list[float] = []

    def edit_once_read(folders, skip, small):  # type: ignore[no-untyped-def]
        future = real(folders, skip, small)
        if future is not None and os.fspath(root / first) in folders and not edited:
            future.result()  # walked and hashed: now the editor writes it
            edited.append(time.time())
            target.write_bytes(b'{"edited": true}')
        return future

    store.hasher.walk_and_hash = edit_once_read  # type: ignore[method-assign]
    began = time.time()
    outcome = sweep_and_save(root, store)[first]
    store.hasher.walk_and_hash = real  # type: ignore[method-assign]
    assert edited
    assert isinstance(outcome, tuple)  # the draft as it was walked: size and content
    latest = store.latest(first)
    assert latest is not None and latest.version == outcome[0].version
    kept = {f.path: (f.size, f.hash) for f in latest.files}["draft_content.json"]
    assert kept == (len(before), hashlib.sha256(before).hexdigest())
    # the version's time is from before the walk: the edit is newer than it
    assert began <= latest.time <= edited[0]
    manifest, _unchanged = store.save(first, root / first)  # the edit is never lost
    files = {f.path: f.hash for f in manifest.files}
    assert files["draft_content.json"] == hashlib.sha256(b'{"edited": true}').hexdigest()
    assert store.verify().ok
    store.hasher.close()


def test_a_second_process_killed_while_walking_ahead_leaves_every_save_correct(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 3 * batch.SPREAD_DRAFTS)
    store, alone = Store(tmp_path / "store"), Store(tmp_path / "alone")
    alone.hasher.broken = True
    killed = kill_once_asked(store)  # (while it walks the drafts asked for ahead)
    outcomes = sweep_and_save(root, store)
    assert killed and store.hasher.broken  # (the drafts were walked and read here)
    assert all(isinstance(o, tuple) and not o[0].unchanged for o in outcomes.values())
    sweep_and_save(root, alone)
    for i in ids:
        assert saved_files(store, i) == saved_files(alone, i)
    assert store.verify().ok
    store.hasher.close()


def test_a_walk_made_ahead_is_not_used_once_it_is_old(tmp_path: Path) -> None:
    root = tmp_path / "root"
    ids = many_drafts(root, 4)
    now = [100.0]
    hasher = Hasher(clock=lambda: now[0])
    folders = [os.fspath(root / i) for i in ids]
    assert hasher.ahead(folders, "~", 1 << 20, time.time())
    fresh = hasher.taken(folders[0])
    assert fresh is not None and fresh[0].result(timeout=60)[fresh[1]] is not None
    assert hasher.taken(folders[0]) is None  # taken once
    now[0] += AHEAD_S + 1
    assert hasher.taken(folders[1]) is None  # too old: the save walks it itself
    now[0] -= AHEAD_S + 1
    assert hasher.taken(folders[2]) is None  # and the others made with it are forgotten
    hasher.close()


def test_only_the_sweep_after_the_request_walks_ahead(tmp_path: Path) -> None:
    """A window or `watch` sweeps again and again: only `save --all`'s sweep, the one its
    request precedes, asks for walks ahead (they wait in memory for the save)."""
    root = tmp_path / "root"
    ids = many_drafts(root, 2 * batch.SPREAD_DRAFTS)
    store = Store(tmp_path / "store")
    ahead, _again = spy(store)
    engine = LocalEngine(Settings(), roots=[root], store=store)
    engine.scan_sync()
    assert ahead == []  # (nothing asked for it)
    engine.ahead = True
    engine.scan_sync()
    assert len(ahead) == len(ids)
    engine.scan_sync()  # the drafts are still new: no walk asked for again
    assert len(ahead) == len(ids) and not engine.ahead
    store.hasher.close()


def test_a_save_all_of_many_drafts_walks_them_ahead_and_autosave_does_not(
        tmp_path: Path) -> None:
    """The window's Save all asks for every draft at once: the second process walks the
    new ones as soon as it is pressed, not a group at a time (saving/batches.py). An
    autosave batch (drafts that became quiet) goes a group at a time, as before."""
    root = tmp_path / "root"
    ids = many_drafts(root, 3 * batch.SPREAD_DRAFTS)

    async def save_all(store: Store, reason: str) -> list[object]:
        engine = LocalEngine(Settings(autosave_enabled=False), roots=[root], store=store)
        sched = SaveScheduler(engine, engine.settings)  # type: ignore[arg-type]
        await sched.start()
        try:
            if reason == "manual":  # (Save all)
                return list((await sched.save_all(ids)).values())
            return await sched._runner.save_many(ids, reason)
        finally:
            await sched.stop()

    store, alone = Store(tmp_path / "store"), Store(tmp_path / "alone")
    alone.hasher.broken = True
    ahead, again = spy(store)
    results = asyncio.run(save_all(store, "manual"))
    assert all(isinstance(r, SaveResult) and not r.unchanged for r in results)
    assert sorted(ahead) == sorted(os.fspath(root / i) for i in ids)
    assert again == []  # (each walked once, ahead)
    asyncio.run(save_all(alone, "manual"))
    for i in ids:
        assert saved_files(store, i) == saved_files(alone, i)
    assert store.verify().ok
    store.hasher.close()
    autosaved = Store(tmp_path / "autosaved")
    ahead, again = spy(autosaved)
    results = asyncio.run(save_all(autosaved, "autosave"))
    assert all(isinstance(r, SaveResult) and not r.unchanged for r in results)
    assert ahead == [] and again  # group by group
    autosaved.hasher.close()
