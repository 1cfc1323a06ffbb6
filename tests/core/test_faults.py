"""Disk errors injected through the store's one I/O seam at every write-side operation."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path

import pytest

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID
from tests.helpers import bump, read_tree

WRITE_OPS = {"open", "write", "fsync", "rename", "fsync_dir", "mkdir"}
ERRORS = [
    (errno.ENOSPC, "no space left on device"),
    (errno.EIO, "input/output error"),
    (errno.EACCES, "permission denied"),
    (errno.EROFS, "read-only file system"),
]


def temp_files(store: Path) -> list[str]:
    return [
        str(p) for p in store.rglob("*") if p.name.startswith(TMP_PREFIX)
    ]


def test_every_write_fsync_and_rename_failing_once(draft_root: Path, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(pristine))
    folder = draft_root / CAPTIONS_ID
    v1 = engine.save_sync(CAPTIONS_ID).version

    # a new state: one file changes, one new file in a new folder
    bump(folder / "draft_info.json", (folder / "draft_info.json").read_bytes() + b" ")
    (folder / "extra").mkdir()
    (folder / "extra" / "note.txt").write_bytes(os.urandom(3000))
    working = read_tree(folder)

    def fresh_store(name: str) -> tuple[Path, Store, LocalEngine]:
        path = tmp_path / name
        shutil.copytree(pristine, path)
        store = Store(path)
        return path, store, LocalEngine(Settings(), roots=[draft_root], store=store)

    _path, probe, probe_engine = fresh_store("probe")
    ops: list[str] = []
    probe.io.hook = lambda op, path: ops.append(op) if op in WRITE_OPS else None
    probe_engine.save_sync(CAPTIONS_ID)
    # the changed last piece(s) of draft_info.json, its chunk list, note.txt and the
    # version's manifest go into the object database in one commit (its write and fsync)
    assert ops == ["write", "fsync"], ops

    for k in range(len(ops)):
        code, text = ERRORS[k % len(ERRORS)]
        store_dir, store, engine = fresh_store(f"store{k}")
        seen = [0]
        counting = threading.Lock()  # blobs are prepared in worker threads

        def fail_kth(
            op: str, path: Path, k: int = k, code: int = code, seen: list[int] = seen,
            counting: threading.Lock = counting,
        ) -> None:
            if op in WRITE_OPS:
                with counting:
                    seen[0] += 1
                    fail = seen[0] == k + 1
                if fail:
                    raise OSError(code, os.strerror(code), str(path))

        store.io.hook = fail_kth
        with pytest.raises(SaveFailed) as info:
            engine.save_sync(CAPTIONS_ID)
        assert info.value.status == 500
        assert text in str(info.value), (k, ops[k], str(info.value))
        store.io.hook = None
        # nothing visible changed, nothing stray left, the working copy untouched
        assert [v.version for v in engine.history_sync(CAPTIONS_ID)] == [v1], (k, ops[k])
        assert temp_files(store_dir) == [], (k, ops[k])
        assert read_tree(folder) == working

        # the next start finds a clean store, and the next save succeeds
        restarted = LocalEngine(Settings(), roots=[draft_root], store=Store(store_dir))
        assert restarted.store.prune(keep_last=50) == 0  # no unreferenced blob was left
        result = restarted.save_sync(CAPTIONS_ID)
        assert not result.unchanged
        assert restarted.verify_sync().ok
        assert len(restarted.history_sync(CAPTIONS_ID)) == 2


def test_temp_files_of_a_crashed_writer_are_removed_at_next_start(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    Store(store_dir)
    stray = store_dir / "blobs" / f"{TMP_PREFIX}deadbeef.zst"
    stray.write_bytes(b"half a blob")
    Store(store_dir)
    assert not stray.exists()


def test_a_piece_read_again_that_is_no_longer_what_was_cut_fails_the_save_as_busy(
    draft_root: Path, tmp_path: Path
) -> None:
    """A piece not stored yet is read again once its batch is asked about (the chunker
    reused its bytes): rewritten meanwhile, size and mtime kept, the save is refused as
    "being written" (retryable) and the versions stay as they were."""
    from draftkeeper.core.errors import DraftBusy

    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(tmp_path / "store"))
    v1 = engine.save_sync(CAPTIONS_ID).version
    content = draft_root / CAPTIONS_ID / "draft_content.json"
    data = bytearray(content.read_bytes())
    data[len(data) // 2:len(data) // 2 + 20] = b"an edit of 20 bytes!"
    bump(content, bytes(data))
    st = content.stat()

    def rewrite(op: str, path: Path) -> None:
        if op == "read_again" and path.name == content.name:
            with open(content, "r+b") as f:  # another 20 bytes, in place
                f.seek(len(data) // 2)
                f.write(b"written meanwhile...")
            os.utime(content, ns=(st.st_atime_ns, st.st_mtime_ns))

    engine.store.io.hook = rewrite
    with pytest.raises(DraftBusy):
        engine.save_sync(CAPTIONS_ID)
    engine.store.io.hook = None
    assert [v.version for v in engine.history_sync(CAPTIONS_ID)] == [v1]
    assert not engine.save_sync(CAPTIONS_ID).unchanged  # the next save takes what is there
    assert engine.verify_sync().ok


def test_a_blob_folder_is_not_read_at_opening_but_prune_sweeps_it(tmp_path: Path) -> None:
    """Writers make temp files in blobs/ and the journal's folder only; a blob's
    sub-folder gets finished files, renamed in. So an opening (every command) reads those
    two folders, not the store's hundreds of blob folders; ``prune`` sweeps those too,
    for a temp file that got there some other way."""
    store_dir = tmp_path / "store"
    Store(store_dir)
    (store_dir / "blobs" / "ab").mkdir()
    stray = store_dir / "blobs" / "ab" / f"{TMP_PREFIX}0123abcd"
    stray.write_bytes(b"half a blob")
    kept = store_dir / "blobs" / "ab" / "not-a-temp-file"
    kept.write_bytes(b"x")
    store = Store(store_dir)
    assert stray.exists()
    store.prune(keep_last=50)
    assert not stray.exists()
    assert kept.exists()
