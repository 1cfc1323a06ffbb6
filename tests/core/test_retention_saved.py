"""Retention never removes what a save reported as saved, nor a version being restored."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.helpers import StoredObject, bump, make_draft, read_tree

DAY = 86400.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def digest(tree: dict[str, bytes]) -> str:
    return hashlib.sha256(repr(sorted(tree.items())).encode()).hexdigest()


def test_restoring_the_oldest_thinnable_version_with_gc_due_keeps_it(tmp_path: Path) -> None:
    """The save of the state before a restore used to run retention, which thinned the very
    version being restored and collected its blobs: the restore then failed half-done."""
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"state 0", "b.json": b"b 0"})
    clock = Clock(1_700_000_000.0)
    store_dir = tmp_path / "store"
    engine = LocalEngine(Settings(keep_last=3), roots=[root], store=Store(store_dir), clock=clock)
    old = engine.save_sync("d", "autosave").version
    assert old
    wanted = read_tree(folder)
    for i in range(1, 4):  # newer autosaves, all within the last hour of "now"
        clock.now += 60
        bump(folder / "a.json", f"state {i}".encode())
        bump(folder / "b.json", f"b {i}".encode())
        engine.save_sync("d", "autosave")
    clock.now += 40 * DAY  # the oldest is now past every bucket: thinnable at once
    (store_dir / "gc-stamp").unlink(missing_ok=True)  # garbage collection is due
    bump(folder / "a.json", b"unsaved edit")  # so the restore saves the state before it

    result = engine.restore_sync("d", old)
    assert read_tree(folder) == wanted
    assert old in [v.version for v in engine.history_sync("d")]
    assert engine.verify_sync().ok
    assert result.before_restore_version in [v.version for v in engine.history_sync("d")]


def test_an_unchanged_manual_save_protects_the_version_it_answers_with(tmp_path: Path) -> None:
    """`save` answering "unchanged" with a before-restore version: that version was thinnable
    and a later prune removed a state the user had been told was saved."""
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"one"})
    clock = Clock(1_700_000_000.0)
    engine = LocalEngine(Settings(keep_last=1), roots=[root], store=Store(tmp_path / "store"),
                         clock=clock)
    v1 = engine.save_sync("d").version
    assert v1
    clock.now += 60
    bump(folder / "a.json", b"two")  # not saved yet
    digest_v1 = engine.store.manifest("d", v1).files[0].hash
    assert digest_v1
    StoredObject(tmp_path / "store", digest_v1).unlink()
    with pytest.raises(SaveFailed, match="missing"):
        engine.restore_sync("d", v1)  # refused, after saving "two" as a before-restore version
    [before] = [v for v in engine.history_sync("d") if v.reason == "before-restore"]
    clock.now += 60
    answer = engine.save_sync("d")  # manual: "unchanged", already saved as that version
    assert answer.unchanged and answer.version == before.version
    told = answer.version
    for _ in range(3):
        clock.now += 40 * DAY
        engine.store.prune(keep_last=1, now=clock.now)
        bump(folder / "a.json", f"later {clock.now}".encode())
        engine.save_sync("d", "autosave")
    assert told in [v.version for v in engine.history_sync("d")]
    engine.restore_sync("d", told)
    assert (folder / "a.json").read_bytes() == b"two"


def test_no_state_any_save_reported_is_ever_removed_by_retention(tmp_path: Path) -> None:
    """A random life of a draft: edits, autosaves, manual saves (some "unchanged"),
    restores, prunes, days passing. Every state a manual save reported stays restorable;
    autosaves are thinned as designed."""
    rng = random.Random(9)
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"start", "sub/b.json": b"start"})
    clock = Clock(1_700_000_000.0)
    engine = LocalEngine(Settings(keep_last=2), roots=[root], store=Store(tmp_path / "store"),
                         clock=clock)
    reported: dict[str, str] = {}  # version a manual save answered with -> state digest
    thinned_some = False
    for step in range(160):
        clock.now += rng.choice([5, 60, 3600, 5 * 3600, DAY, 3 * DAY, 35 * DAY])
        action = rng.random()
        if action < 0.3:
            bump(folder / rng.choice(["a.json", "sub/b.json"]), f"edit {step}".encode())
        elif action < 0.5:
            engine.save_sync("d", "autosave")
        elif action < 0.7:
            result = engine.save_sync("d")
            assert result.version
            reported[result.version] = digest(read_tree(folder))
        elif action < 0.85:
            history = [v.version for v in engine.history_sync("d")]
            engine.restore_sync("d", rng.choice(history))
        else:
            before = len(engine.history_sync("d"))
            engine.store.prune(keep_last=2, now=clock.now)
            thinned_some |= len(engine.history_sync("d")) < before
        alive = {v.version for v in engine.history_sync("d")}
        assert set(reported) <= alive, (step, set(reported) - alive)
    assert thinned_some and len(reported) > 10
    for version, state in reported.items():
        engine.restore_sync("d", version)
        assert digest(read_tree(folder)) == state, version
    assert engine.verify_sync().ok
