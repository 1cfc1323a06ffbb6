"""A damaged store never hides its healthy versions, and reading needs no write access."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.cli.test_cli import dk
from tests.helpers import StoredManifest, StoredObject, bump, make_draft, read_tree, tmpfs


def blob(store: Path, digest: str | None) -> StoredObject:
    return StoredObject(store, digest)


def five_versions(root: Path, store: Path) -> tuple[Path, list[str], dict[str, bytes]]:
    folder = make_draft(root, "d", {"a.json": b"a 0", "b.json": os.urandom(5000).hex().encode()})
    engine = LocalEngine(Settings(), roots=[root], store=Store(store))
    versions, first = [], read_tree(folder)
    for i in range(5):
        if i:
            bump(folder / "b.json", os.urandom(5000).hex().encode())
        v = engine.save_sync("d").version
        assert v
        versions.append(v)
    return folder, versions, first


def test_damaged_store_history_prune_save_restore_verify(tmp_path: Path) -> None:
    root, store = tmp_path / "root", tmp_path / "store"
    folder, (v1, v2, v3, v4, v5), first = five_versions(root, store)
    engine = LocalEngine(Settings(), roots=[root], store=Store(store))

    def b_hash(version: str) -> str | None:
        return next(f.hash for f in engine.store.manifest("d", version).files if f.path == "b.json")

    flipped = blob(store, b_hash(v2))
    data = bytearray(flipped.read_bytes())
    data[0] ^= 0x01
    flipped.write_bytes(bytes(data))
    blob(store, b_hash(v4)).unlink()
    raw = StoredManifest(store, "d", v3).read_bytes()
    StoredManifest(store, "d", v3).write_bytes(raw[: len(raw) // 2])
    StoredManifest(store, "d", v5).write_bytes(b"\x00 not a manifest at all")
    common = ["--root", str(root), "--store", str(store)]

    r = dk("history", "d", *common, "--json")
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    assert [v["version"] for v in listed] == [v5, v4, v3, v2, v1]
    damaged = {v["version"]: v.get("damaged") for v in listed}
    assert damaged[v5] and damaged[v3] and "not JSON" in damaged[v3]
    assert damaged[v1] is None and damaged[v2] is None and damaged[v4] is None
    r = dk("history", "d", *common)
    assert r.returncode == 0 and r.stdout.count("DAMAGED") == 2, r.stdout

    r = dk("prune", *common)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "warning: skipped damaged version" in r.stderr
    assert blob(store, b_hash(v2)).exists()  # nothing a version might need was collected

    bump(folder / "a.json", b"a new")
    r = dk("save", "d", *common)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("saved d as version") and "warning" in r.stderr
    assert "Traceback" not in r.stderr

    r = dk("restore", "d", v1, *common)
    assert r.returncode == 0, r.stderr
    assert read_tree(folder) == first

    for bad, words in ((v2, "stored copy is corrupt"), (v4, "stored copy is missing"),
                       (v3, "is damaged"), (v5, "is damaged")):
        r = dk("restore", "d", bad, *common)
        assert r.returncode == 4 and words in r.stderr, (bad, r.stderr)
        assert "Traceback" not in r.stderr
        assert read_tree(folder) == first

    r = dk("verify", *common, "--json")
    assert r.returncode == 4
    named = {(d["draft_id"], d["version"]) for d in json.loads(r.stdout)["damaged"]}
    assert named == {("d", v2), ("d", v3), ("d", v4), ("d", v5)}


@pytest.fixture
def ro_mount(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "ro", "16m") as mnt:
        yield mnt


def test_a_store_on_a_read_only_file_system_can_be_read(tmp_path: Path, ro_mount: Path) -> None:
    root, store = tmp_path / "root", ro_mount / "store"
    _folder, versions, _first = five_versions(root, store)
    if subprocess.run(["mount", "-o", "remount,ro", str(ro_mount)], capture_output=True
                      ).returncode != 0:
        pytest.skip("cannot remount read-only here")
    with pytest.raises(OSError):
        (ro_mount / "probe").write_bytes(b"x")  # really read-only
    common = ["--root", str(root), "--store", str(store)]
    r = dk("history", "d", *common, "--json")
    assert r.returncode == 0, r.stderr
    assert [v["version"] for v in json.loads(r.stdout)] == versions[::-1]
    r = dk("list", *common)
    assert r.returncode == 0 and "1 draft(s)" in r.stdout, r.stderr
    r = dk("verify", *common)
    assert r.returncode == 0 and "ok: every version is intact" in r.stdout, r.stderr


def test_readers_never_write_through_the_seam(tmp_path: Path) -> None:
    """Every write the store could make fails (EROFS), yet list, history and verify work."""
    root, store_dir = tmp_path / "root", tmp_path / "store"
    _folder, versions, _first = five_versions(root, store_dir)
    writes: list[str] = []

    def read_only(op: str, path: Path) -> None:
        if op not in ("read_open", "read"):
            writes.append(op)
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    from draftkeeper.core.blobs.io import StoreIO

    io = StoreIO()
    io.hook = read_only
    engine = LocalEngine(Settings(), roots=[root], store=Store(store_dir, io=io))
    assert [v.version for v in engine.history_sync("d")] == versions[::-1]
    assert [d.draft_id for d in engine.list_drafts_sync()] == ["d"]
    assert engine.verify_sync().ok
    assert engine.saved_state_sync("d").last_version == versions[-1]
    assert set(writes) <= {"lock"}  # tried once at opening (temp clean-up), then skipped
