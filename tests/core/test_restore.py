"""Restore is all or nothing per draft and never writes outside the draft.

Every failure here must leave the working copy exactly as it was, name the file and say
why, and leave no file of ours behind.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.helpers import StoredObject, bump, make_draft, read_tree, tmpfs


def engine_for(root: Path, store: Path, **settings: object) -> LocalEngine:
    return LocalEngine(Settings(**settings), roots=[root], store=Store(store))  # type: ignore[arg-type]


def ours(folder: Path) -> list[str]:
    """Names of ours (temp files, staging folders) anywhere under ``folder``."""
    return [
        str(Path(d) / n)
        for d, dirs, files in os.walk(folder)
        for n in dirs + files
        if n.startswith(TMP_PREFIX)
    ]


def blob_of(store: Path, engine: LocalEngine, draft_id: str, version: str, rel: str
            ) -> StoredObject:
    [entry] = [f for f in engine.store.manifest(draft_id, version).files if f.path == rel]
    return StoredObject(store, entry.hash)


def two_versions(tmp_path: Path) -> tuple[LocalEngine, Path, Path, str, dict[str, bytes]]:
    """A draft saved as v1, then changed in every file (and saved): the restore of v1 has
    healthy files to write before ``z.json``, the one the tests damage."""
    root = tmp_path / "root"
    folder = make_draft(root, "d", {
        "a.json": b"a one " * 500,
        "sub/b.json": b"b one " * 500,
        "z.json": os.urandom(20_000).hex().encode(),
    })
    store = tmp_path / "store"
    engine = engine_for(root, store)
    v1 = engine.save_sync("d").version
    assert v1
    for rel in ("a.json", "sub/b.json", "z.json"):
        bump(folder / rel, f"{rel} two".encode())
    (folder / "new.txt").write_bytes(b"only in the working copy")
    engine.save_sync("d")
    return engine, store, folder, v1, read_tree(folder)


@pytest.mark.parametrize("where", ["first", "middle", "last", "missing", "truncated"])
def test_damaged_or_missing_blob_refuses_before_the_working_copy_changes(
    tmp_path: Path, where: str
) -> None:
    engine, store, folder, v1, before = two_versions(tmp_path)
    blob = blob_of(store, engine, "d", v1, "z.json")
    data = bytearray(blob.read_bytes())
    if where == "missing":
        blob.unlink()
    elif where == "truncated":
        blob.write_bytes(bytes(data[: len(data) // 2]))
    else:
        at = {"first": 0, "middle": len(data) // 2, "last": len(data) - 1}[where]
        data[at] ^= 0xFF
        blob.write_bytes(bytes(data))

    with pytest.raises(SaveFailed) as info:
        engine.restore_sync("d", v1)
    message = str(info.value)
    assert "z.json" in message and "the working copy was not changed" in message
    assert ("missing" if where == "missing" else "stored copy") in message
    assert read_tree(folder) == before
    assert ours(folder) == []
    assert not list((store / "journal").glob("*"))
    # verify names it too, and a healthy version still restores
    assert [d.version for d in engine.verify_sync().damaged] == [v1]
    latest = engine.history_sync("d")[0].version
    engine.restore_sync("d", latest)
    assert read_tree(folder) == before


def test_a_folder_where_the_version_has_a_file_is_refused_up_front(tmp_path: Path) -> None:
    engine, _store, folder, v1, _before = two_versions(tmp_path)
    (folder / "z.json").unlink()
    (folder / "z.json").mkdir()
    (folder / "z.json" / "inner.txt").write_bytes(b"user data")
    before = read_tree(folder)
    with pytest.raises(SaveFailed, match=r"z\.json is a folder in the working copy") as info:
        engine.restore_sync("d", v1)
    assert "the working copy was not changed" in str(info.value)
    assert read_tree(folder) == before
    assert ours(folder) == []


def test_a_255_byte_file_name_restores(tmp_path: Path) -> None:
    long_name = "长" * 80 + "x" * 10 + ".json"  # 80 * 3 + 10 + 5 = 255 bytes
    assert len(long_name.encode()) == 255
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"one", long_name: b"long one"})
    engine = engine_for(root, tmp_path / "store")
    v1 = engine.save_sync("d").version
    assert v1
    original = read_tree(folder)
    bump(folder / "a.json", b"two")
    bump(folder / long_name, b"long two")
    engine.restore_sync("d", v1)
    assert read_tree(folder) == original
    assert ours(folder) == []


@pytest.mark.parametrize(("path", "words"), [
    ("../escaped.json", "outside the draft folder"),
    ("sub/../../escaped.json", "outside the draft folder"),
    ("/tmp/escaped.json", "outside the draft folder"),
    ("x" * 300 + ".json", "305 bytes, more than this file system allows (255)"),
])
def test_a_version_path_that_leaves_the_draft_or_is_too_long_is_refused(
    tmp_path: Path, path: str, words: str
) -> None:
    """Manifests from a tampered store, or from a file system that takes longer names."""
    engine, _store, folder, v1, before = two_versions(tmp_path)
    manifest = engine.store.manifest("d", v1)
    from draftkeeper.core.store.manifests import FileEntry

    evil = FileEntry(path, 3, 0, manifest.files[0].hash)
    engine.store.manifests.write(manifest.replace(files=(evil, *manifest.files)))
    with pytest.raises(SaveFailed, match="Restore refused") as info:
        engine.restore_sync("d", v1)
    assert words in str(info.value) and "the working copy was not changed" in str(info.value)
    assert not (folder.parent / "escaped.json").exists()
    assert not Path("/tmp/escaped.json").exists()
    assert read_tree(folder) == before


def test_a_symlinked_folder_is_not_written_through(tmp_path: Path) -> None:
    engine, store, folder, v1, _before = two_versions(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.json").write_bytes(b"not the draft's")
    for p in (folder / "sub").iterdir():
        p.unlink()
    (folder / "sub").rmdir()
    os.symlink(outside, folder / "sub")
    engine.restore_sync("d", v1)
    assert read_tree(outside) == {"b.json": b"not the draft's"}  # nothing written outside
    assert not (folder / "sub").is_symlink()
    assert (folder / "sub" / "b.json").read_bytes() == b"b one " * 500
    # the link itself was moved aside, as a link
    [aside_link] = [p for p in (store / "aside").rglob("sub") if p.is_symlink()]
    assert os.readlink(aside_link) == str(outside)
    assert ours(folder) == []


def test_a_symlinked_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    engine, _store, folder, v1, _before = two_versions(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"outside the draft")
    (folder / "a.json").unlink()
    os.symlink(secret, folder / "a.json")
    engine.restore_sync("d", v1)
    assert secret.read_bytes() == b"outside the draft"
    assert not (folder / "a.json").is_symlink()
    assert (folder / "a.json").read_bytes() == b"a one " * 500


def test_full_disk_through_the_seam_leaves_the_working_copy(tmp_path: Path) -> None:
    engine, _store, folder, v1, before = two_versions(tmp_path)
    writes = [0]
    failed: list[Path] = []
    lock = threading.Lock()  # files are staged several at once

    def full(op: str, path: Path) -> None:
        if op == "write" and folder in path.parents:
            with lock:
                writes[0] += 1
                if writes[0] != 2:
                    return
                failed.append(path)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    engine.store.io.hook = full
    with pytest.raises(SaveFailed, match="no space left on device while staging") as info:
        engine.restore_sync("d", v1)
    # the message names the version's file whose write failed (files are staged several
    # at once: any of them may meet the full disk first), and where
    staged_as = {"n0": "a.json", "n1": "sub/b.json", "n2": "z.json"}[failed[0].name]
    assert f"while staging {staged_as} ({failed[0]})" in str(info.value)
    engine.store.io.hook = None
    assert read_tree(folder) == before
    assert ours(folder) == []


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB file system (needs root and mount); skipped where there is none."""
    with tmpfs(tmp_path / "tmpfs", "1m") as mnt:
        yield mnt


def test_full_disk_for_real_leaves_the_working_copy(tmp_path: Path, small_tmpfs: Path) -> None:
    root = small_tmpfs / "root"
    folder = make_draft(root, "d", {f"f{i}.bin": os.urandom(200_000) for i in range(4)})
    engine = engine_for(root, tmp_path / "store")  # the store is on another file system
    v1 = engine.save_sync("d").version
    assert v1
    original = read_tree(folder)
    for i in range(4):
        bump(folder / f"f{i}.bin", os.urandom(150_000))
    before = read_tree(folder)
    with pytest.raises(SaveFailed, match="no space left on device while staging"):
        engine.restore_sync("d", v1)
    assert read_tree(folder) == before
    assert ours(folder) == []
    if subprocess.run(["mount", "-o", "remount,size=4m", str(small_tmpfs)],
                      capture_output=True).returncode == 0:  # room again: it goes through
        engine.restore_sync("d", v1)
        assert read_tree(folder) == original


RESTORE_OPS = {"open", "write", "fsync", "rename", "fsync_dir", "mkdir", "unlink"}


def test_every_restore_write_failing_once_leaves_one_state_or_the_other(tmp_path: Path) -> None:
    """A disk error at each step of a restore: the working copy is the old state or the
    version, never a mix; after the next opening of the store nothing of ours is left."""
    engine, store, folder, v1, before = two_versions(tmp_path)
    v2 = engine.history_sync("d")[0].version  # the state `before`
    journal = store / "journal"

    def restore_op(op: str, path: Path) -> bool:
        return op in RESTORE_OPS and (folder in path.parents or journal in path.parents
                                      or path in (folder, journal))

    ops: list[str] = []
    engine.store.io.hook = lambda op, path: ops.append(op) if restore_op(op, path) else None
    engine.restore_sync("d", v1)
    engine.store.io.hook = None
    version_state = read_tree(folder)
    assert version_state["a.json"] == b"a one " * 500 and "new.txt" not in version_state
    assert len(ops) > 20, ops

    for k in range(len(ops)):
        engine.restore_sync("d", v2)
        assert read_tree(folder) == before
        seen = [0]

        def fail_kth(op: str, path: Path, k: int = k, seen: list[int] = seen) -> None:
            if restore_op(op, path):
                seen[0] += 1
                if seen[0] == k + 1:
                    raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))

        engine.store.io.hook = fail_kth
        try:
            engine.restore_sync("d", v1)
            outcome = "restored"
        except SaveFailed as exc:
            outcome = str(exc)
        engine.store.io.hook = None
        state = read_tree(folder)
        assert state in (before, version_state), (k, ops[k], outcome)
        reopened = Store(store)  # the next start finishes or undoes whatever was left
        assert ours(folder) == [], (k, ops[k])
        assert read_tree(folder) in (before, version_state)
        assert reopened.verify().ok


DIE_AT = """
import json, os, sys
from pathlib import Path
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
root, store, version, when = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
s = Store(store)
seen = []
def die(op, path):
    journal = store / "journal"
    if when == "swap" and op == "rename" and root in path.parents:
        seen.append(path)
        if len(seen) == 3:
            os._exit(9)  # as a SIGKILL would: no clean-up runs
    if when == "done" and op == "fsync_dir" and path == journal:
        for f in journal.glob("*.json"):
            if json.loads(f.read_text())["phase"] == "done":
                os._exit(9)
s.io.hook = die
LocalEngine(Settings(), roots=[root], store=s).restore_sync("d", version)
"""


@pytest.mark.parametrize(("when", "outcome"), [("swap", "rolled back"), ("done", "completed")])
def test_any_command_finishes_or_undoes_a_killed_restore(
    tmp_path: Path, when: str, outcome: str
) -> None:
    from tests.cli.test_cli import REPO, dk

    engine, store, folder, v1, before = two_versions(tmp_path)
    v2 = engine.history_sync("d")[0].version
    engine.restore_sync("d", v1)
    restored = read_tree(folder)
    engine.restore_sync("d", v2)
    assert read_tree(folder) == before
    env = dict(os.environ, PYTHONPATH=str(REPO))
    died = subprocess.run(
        [sys.executable, "-c", DIE_AT, str(folder.parent), str(store), v1, when],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert died.returncode == 9, died.stderr
    assert list((store / "journal").glob("*.json"))  # the crash left its journal
    assert ours(folder)  # and its staging folder
    r = dk("list", "--root", str(folder.parent), "--store", str(store))
    assert r.returncode == 0, r.stderr
    assert f"note: an interrupted restore of d was {outcome}" in r.stderr
    assert read_tree(folder) == (before if outcome == "rolled back" else restored)
    assert ours(folder) == [] and not list((store / "journal").glob("*.json"))


def test_a_journal_waits_for_a_missing_drive_but_not_for_a_deleted_draft(tmp_path: Path) -> None:
    from draftkeeper.core.store.journal import SWAP, Plan

    store = Store(tmp_path / "store")
    gone_root = Plan("a", str(tmp_path / "unmounted" / "a"), ".dk-tmp-s000001", "v", None,
                     str(tmp_path / "aside"), phase=SWAP)
    (tmp_path / "root").mkdir()
    deleted = Plan("b", str(tmp_path / "root" / "b"), ".dk-tmp-s000002", "v", None,
                   str(tmp_path / "aside"), phase=SWAP)
    store.journal.write(gone_root)
    store.journal.write(deleted)
    reopened = Store(tmp_path / "store")
    assert reopened.journal.pending() == [store.journal.path("a")]
    assert reopened.recovered == [("b", "rolled back")]


def test_a_restore_reads_an_unchanged_file_once_at_most(tmp_path: Path) -> None:
    """The before-restore save already knows an unchanged file by its stat data: the plan
    does not hash it again (a 1 GB draft's media, kept with include_media, were read twice);
    a file written too close to a save (racy) is still checked by its content."""
    root = tmp_path / "root"
    big = os.urandom(3 * 1024 * 1024)
    folder = make_draft(root, "d", {"media.bin": big, "draft_content.json": b"v1"})
    hour_ago = time.time_ns() - 3600 * 10**9  # written long before: its stat data is trusted
    os.utime(folder / "media.bin", ns=(hour_ago, hour_ago))
    io = StoreIO()
    engine = LocalEngine(Settings(), roots=[root], store=Store(tmp_path / "store", io=io))
    v1 = engine.save_sync("d").version
    assert v1
    bump(folder / "draft_content.json", b"v2")
    reads: list[str] = []
    io.hook = lambda op, path: reads.append(path.name) if op == "read_open" else None
    engine.restore_sync("d", v1)
    assert reads.count("media.bin") == 0  # neither the before-restore save nor the plan
    assert (folder / "draft_content.json").read_bytes() == b"v1"
    assert (folder / "media.bin").read_bytes() == big

    # the same with the big file written just now (racy): it is read, and found the same
    os.utime(folder / "media.bin", ns=(time.time_ns(), time.time_ns()))
    v3 = engine.save_sync("d").version
    assert v3
    bump(folder / "draft_content.json", b"v4")
    reads.clear()
    engine.restore_sync("d", v3)
    assert reads.count("media.bin") >= 1
    assert (folder / "draft_content.json").read_bytes() == b"v1"
