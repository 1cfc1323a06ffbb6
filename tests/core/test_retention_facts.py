"""Retention reads the versions' time and protection from columns of their rows, not every
older manifest at every save: a store of an earlier release (rows without those columns)
opens, keeps every version and is thinned as before; a manifest that an earlier release
rewrites (a pin) is read again, so a version it pinned is never thinned. Real stores."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.actions import set_pin
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.retention import retention_victims
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft

# objects.db's schema as the releases before these columns made it (main at 8ef24fb), and
# the statement with which they wrote a version's row (a save, a pin, a label)
EARLIER_SCHEMA = """
CREATE TABLE objects (id INTEGER PRIMARY KEY, key NOT NULL UNIQUE, data BLOB NOT NULL);
CREATE TABLE versions (id INTEGER PRIMARY KEY, key TEXT NOT NULL, version TEXT NOT NULL,
                       manifest BLOB NOT NULL, UNIQUE (key, version));
CREATE TABLE drafts (key TEXT PRIMARY KEY, draft_id TEXT NOT NULL, changes INTEGER NOT NULL);
"""
EARLIER_PUT = ("INSERT INTO versions (key, version, manifest) VALUES (?, ?, ?) "
               "ON CONFLICT(key, version) DO UPDATE SET manifest = excluded.manifest")
KEEP = 5


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def saved(root: Path, store_dir: Path, clock: Clock, count: int) -> list[str]:
    """``count`` versions of draft "d", ten minutes apart, retention off; a few manual."""
    folder = make_draft(root, "d", {"b.json": b"b" * 100})
    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store_dir),
                         clock=clock)
    ids = []
    for i in range(count):
        clock.now += 600
        (folder / "a.json").write_bytes(f"state {i}".encode() * 20)
        os.utime(folder / "a.json", (clock.now - 100, clock.now - 100))
        ids.append(engine.save_sync("d", "manual" if i % 7 == 3 else "autosave").version)
    return ids


def to_earlier_release(store_dir: Path) -> None:
    """The store's objects.db as an earlier release has it: the same rows, no columns of
    retention, no index or trigger of them."""
    path = store_dir / "objects.db"
    os.replace(path, store_dir / "new.db")
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(EARLIER_SCHEMA)
    db.execute("ATTACH ? AS new", (str(store_dir / "new.db"),))
    db.executescript("""
        INSERT INTO objects SELECT id, key, data FROM new.objects;
        INSERT INTO versions SELECT id, key, version, manifest FROM new.versions;
        INSERT INTO drafts SELECT * FROM new.drafts;
    """)
    db.execute("DETACH new")
    db.close()
    (store_dir / "new.db").unlink()


def columns(store_dir: Path) -> dict[str, tuple[float | None, int | None]]:
    db = sqlite3.connect(store_dir / "objects.db")
    try:
        return {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT version, time, protected FROM versions WHERE key=?", (draft_key("d"),))}
    finally:
        db.close()


def test_an_earlier_release_store_keeps_every_version_and_is_thinned_as_before(
        tmp_path: Path) -> None:
    root, store_dir, clock = tmp_path / "root", tmp_path / "store", Clock(1_700_000_000.0)
    ids = saved(root, store_dir, clock, 30)
    set_pin(Store(store_dir), "d", ids[4], True)
    to_earlier_release(store_dir)

    store = Store(store_dir)  # opens it: every version there, their facts not known yet
    assert store.version_ids("d") == ids
    assert set(columns(store_dir).values()) == {(None, None)}
    # what reading every older manifest (the way retention worked) would thin, once the
    # next save is there
    clock.now += 3 * 86400
    older = store.manifests.readable("d")[: len(ids) + 1 - KEEP]
    expected = {m.version for m in retention_victims(older, clock.now, keep_last=0)}
    assert expected and ids[4] not in expected

    engine = LocalEngine(Settings(keep_last=KEEP), roots=[root], store=store, clock=clock)
    (root / "d" / "a.json").write_bytes(b"one more")
    new = engine.save_sync("d", "autosave").version
    left = store.version_ids("d")
    assert set(ids) - set(left) == expected
    assert new in left and ids[4] in left
    facts = columns(store_dir)
    older_left = [v for v in left if v in ids[: len(ids) + 1 - KEEP]]
    assert all(facts[v][0] is not None for v in older_left)  # known from now on
    assert facts[ids[4]][1] == 1
    assert facts[new][0] is not None and facts[new][1] == 0
    assert engine.verify_sync().ok


def test_a_version_an_earlier_release_pins_afterwards_is_never_thinned(tmp_path: Path) -> None:
    root, store_dir, clock = tmp_path / "root", tmp_path / "store", Clock(1_700_000_000.0)
    saved(root, store_dir, clock, 12)
    store = Store(store_dir)
    engine = LocalEngine(Settings(keep_last=KEEP), roots=[root], store=store, clock=clock)
    (root / "d" / "a.json").write_bytes(b"a save with retention")
    engine.save_sync("d", "autosave")  # every older version's facts known now
    left = store.version_ids("d")
    autosaved = [v for v in left[: len(left) - KEEP] if columns(store_dir)[v][1] == 0]
    assert autosaved
    target = autosaved[0]

    # an earlier release (the window of the version before, still running) pins it
    pinned = store.manifests.read("d", target).pin().to_bytes()
    db = sqlite3.connect(store_dir / "objects.db", isolation_level=None)
    db.execute(EARLIER_PUT, (draft_key("d"), target, pinned))
    db.close()
    assert columns(store_dir)[target] == (None, None)  # forgotten by the trigger

    clock.now += 45 * 86400  # every unprotected older version is past every bucket
    (root / "d" / "a.json").write_bytes(b"much later")
    engine.save_sync("d", "autosave")
    left = store.version_ids("d")
    assert target in left
    assert columns(store_dir)[target][1] == 1
    assert not [v for v in left[: len(left) - KEEP] if columns(store_dir)[v][1] == 0]


def test_a_pin_label_or_check_rewritten_by_this_release_keeps_the_facts(
        tmp_path: Path) -> None:
    root, store_dir, clock = tmp_path / "root", tmp_path / "store", Clock(1_700_000_000.0)
    ids = saved(root, store_dir, clock, 3)
    store = Store(store_dir)
    before = columns(store_dir)[ids[0]]
    set_pin(store, "d", ids[0], True, label="sent to client")
    assert columns(store_dir)[ids[0]] == (before[0], 1)
    set_pin(store, "d", ids[0], True, label="sent again")  # the same facts, a new label
    assert columns(store_dir)[ids[0]] == (before[0], 1)
    set_pin(store, "d", ids[0], False)
    assert columns(store_dir)[ids[0]] == (before[0], 0)
