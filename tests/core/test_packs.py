"""Small objects packed in the object database, incompressible ones stored raw: what a
user keeps is unchanged (every version restores byte for byte, verify finds damage,
prune frees disk space), kills included, and stores of earlier releases still read."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.form import RAW
from draftkeeper.core.blobs.packs import SMALL_OBJECT
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.store import Store
from draftkeeper.core.store.verify import version_blobs
from tests.core.pack_worker import state_files, write_state
from tests.helpers import StoredObject, bump, make_draft, read_tree, stored_objects

REPO = Path(__file__).resolve().parents[2]


def disk_bytes(path: Path) -> int:
    return os.stat(path).st_blocks * 512


def test_small_objects_share_the_database_and_large_ones_stay_files(tmp_path: Path) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", {
        "draft_content.json": random.Random(1).randbytes(400_000).hex().encode(),  # pieces
        "cover.jpg": os.urandom(20_000),  # small, incompressible
        "assets/video.mp4": os.urandom(70 * 1024 * 1024),  # ~1 MiB pieces: files
    })
    engine = LocalEngine(Settings(include_media=True), roots=[root], store=Store(store_dir))
    version = engine.save_sync("d").version
    assert version
    manifest = engine.store.manifest("d", version)
    files = {f.path: f for f in manifest.files}
    json_blobs = engine.store.blobs.file_blobs(files["draft_content.json"].hash or "",
                                               files["draft_content.json"].chunks)
    assert all(StoredObject(store_dir, d).in_db() for d in json_blobs)
    assert StoredObject(store_dir, files["cover.jpg"].hash).in_db()
    video = files["assets/video.mp4"]
    pieces = engine.store.blobs.chunk_list(video.chunks or "")
    big = {d for d, size in pieces if size > SMALL_OBJECT}  # (the smallest may be a row)
    assert len(big) > len(pieces) / 2
    assert all(StoredObject(store_dir, d).file.exists() for d in big)
    # no file for any small object
    assert {p.name[:-4] for p in (store_dir / "blobs").rglob("*.zst")} == big

    bump(folder / "cover.jpg", b"x")
    (folder / "assets" / "video.mp4").unlink()
    (folder / "draft_content.json").write_bytes(b"gone")
    engine.restore_sync("d", version)
    assert hashlib.sha256((folder / "assets" / "video.mp4").read_bytes()).hexdigest() == video.hash
    assert engine.verify_sync().ok

    # a damaged piece in the middle of the media (made on the restore's reader thread):
    # refused before the draft changes
    middle = StoredObject(store_dir, pieces[len(pieces) // 2][0])
    data = bytearray(middle.read_bytes())
    data[-1] ^= 1
    middle.write_bytes(bytes(data))
    (folder / "assets" / "video.mp4").write_bytes(b"edited")
    before = read_tree(folder)
    with pytest.raises(SaveFailed, match=r"assets/video\.mp4"):
        engine.restore_sync("d", version)
    assert read_tree(folder) == before


def test_incompressible_pieces_are_stored_raw_and_come_back_byte_for_byte(
    tmp_path: Path
) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    noise = os.urandom(3 * 1024 * 1024)
    text = random.Random(2).randbytes(200_000).hex().encode() * 3
    folder = make_draft(root, "d", {"noise.bin": noise, "text.json": text,
                                    "small-noise.bin": os.urandom(5000)})
    engine = LocalEngine(Settings(), roots=[root], store=Store(store_dir))
    version = engine.save_sync("d").version
    assert version
    files = {f.path: f for f in engine.store.manifest("d", version).files}
    for rel, raw in (("noise.bin", True), ("text.json", False), ("small-noise.bin", True)):
        entry = files[rel]
        pieces = ([d for d, _s in engine.store.blobs.chunk_list(entry.chunks)]
                  if entry.chunks else [entry.hash or ""])  # (chunk lists are text: zstd)
        data = [StoredObject(store_dir, d).read_bytes() for d in pieces]
        assert all(s.startswith(RAW) for s in data) is raw, rel
        assert all(not s.startswith(RAW) for s in data) is not raw, rel
    working = read_tree(folder)
    for rel in working:
        (folder / rel).write_bytes(b"changed")
    engine.restore_sync("d", version)
    assert read_tree(folder) == working
    assert engine.verify_sync().ok

    # a raw piece damaged by one bit: verify names the file, restore refuses
    [piece, *_rest] = engine.store.blobs.chunk_list(files["noise.bin"].chunks or "")
    blob = StoredObject(store_dir, piece[0])
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 1
    blob.write_bytes(bytes(data))
    report = engine.verify_sync()
    # (in the version and in the "restored" one that shares its contents)
    assert {p.split(":")[0] for d in report.damaged for p in d.problems} == {"noise.bin"}


def test_prune_deletes_rows_and_gives_their_blocks_back(tmp_path: Path) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", {"a.bin": b"", "b.json": b"{}"})
    engine = LocalEngine(Settings(keep_last=1000), roots=[root], store=Store(store_dir))
    for i in range(60):  # 60 versions of 40 KB that nothing else shares
        bump(folder / "a.bin", random.Random(i).randbytes(40_000))
        engine.save_sync("d", reason="autosave")
    db = store_dir / "objects.db"
    before = disk_bytes(db)
    assert before > 60 * 40_000
    removed = engine.store.prune(keep_last=1, now=time.time() + 40 * 86400)
    assert removed >= 59
    after = disk_bytes(db)
    assert after < before / 10, (before, after)
    assert len(stored_objects(store_dir)) == 2  # the latest a.bin and b.json
    working = read_tree(folder)
    [latest] = engine.history_sync("d")
    (folder / "a.bin").write_bytes(b"changed")
    engine.restore_sync("d", latest.version)
    assert read_tree(folder) == working
    assert engine.verify_sync().ok


def write_release_1_store(store_dir: Path, draft_id: str, folder: Path) -> str:
    """A version as the previous release wrote it: every object a zstd file under
    ``blobs/``, big files as flat chunk lists of 32 KiB pieces, no object database."""
    import pyfastcdc

    def put(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = store_dir / "blobs" / digest[:2] / f"{digest}.zst"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zstandard.ZstdCompressor(level=1).compress(data))
        return digest

    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data, st = path.read_bytes(), path.stat()
        entry = {"path": path.relative_to(folder).as_posix(), "size": st.st_size,
                 "mtime_ns": st.st_mtime_ns, "hash": hashlib.sha256(data).hexdigest()}
        if len(data) >= chunking.SMALL:
            cdc = pyfastcdc.FastCDC(32 * 1024, min_size=8 * 1024, max_size=128 * 1024)
            lines = [f"{put(bytes(c.data))} {len(c.data)}\n" for c in cdc.cut_buf(data)]
            entry["chunks"] = put("".join(lines).encode("ascii"))
        else:
            put(data)
        files.append(entry)
    stamp = time.time() - 3600
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime(stamp)) + ".000000Z"
    manifest = {"format": 2, "draft_id": draft_id, "version": version, "time": stamp,
                "saved_at": "", "reason": "manual", "stored_bytes": 0, "files": files}
    target = store_dir / "drafts" / draft_key(draft_id) / "versions" / f"{version}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(manifest))
    return version


def test_a_store_of_the_previous_release_reads_restores_verifies_and_prunes(
    tmp_path: Path
) -> None:
    root, store_dir = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d", {
        "draft_content.json": random.Random(3).randbytes(500_000).hex().encode(),
        "meta.json": b'{"name": "old"}',
    })
    old_files = read_tree(folder)
    old = write_release_1_store(store_dir, "d", folder)
    assert not (store_dir / "objects.db").exists()
    engine = LocalEngine(Settings(keep_last=1000), roots=[root], store=Store(store_dir))
    assert engine.verify_sync().ok
    data = bytearray(old_files["draft_content.json"])
    data[1000:1020] = b"x" * 20
    bump(folder / "draft_content.json", bytes(data))
    new = engine.save_sync("d").version
    assert new and (store_dir / "objects.db").exists()
    new_files = read_tree(folder)
    engine.restore_sync("d", old)
    assert read_tree(folder) == old_files
    engine.restore_sync("d", new)
    assert read_tree(folder) == new_files
    assert engine.store.prune(keep_last=1000) == 0  # every old file is still needed
    assert engine.verify_sync().ok
    # what a replica copies: every blob of a version, by id, as stored (old and new kinds)
    for version in (old, new):
        manifest = engine.store.manifest("d", version)
        for digest in version_blobs(manifest, engine.store.blobs):
            stored = engine.store.blobs.stored(digest)
            assert stored.startswith((RAW, b"\x28\xb5\x2f\xfd"))
            assert hashlib.sha256(b"".join(engine.store.blobs.content(digest))).hexdigest() == digest


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_saves_and_prunes_of_the_pack_loses_no_version(tmp_path: Path) -> None:
    rng = random.Random(99)
    root, store_dir = tmp_path / "root", tmp_path / "store"
    folder = make_draft(root, "d")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start, kills = 0, 40
    for _kill in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.core.pack_worker", str(store_dir), str(root), "d",
             str(start)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready", child.stderr.read()  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.02, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        done = [int(line) for line in out.split()]
        start = (done[-1] if done else start) + 1
        write_state(folder, start)  # what the next worker begins from (never saved half)

    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store_dir))
    report = engine.verify_sync()
    assert report.ok, report.damaged
    versions = engine.history_sync("d")
    assert sum(v.reason == "manual" for v in versions) > 10, "kills too early"
    for v in versions:
        engine.restore_sync("d", v.version)
        state = int((folder / "state.txt").read_text()) if (folder / "state.txt").exists() else -1
        expected = state_files(state) if state >= 0 else {}
        assert {rel: read_tree(folder)[rel] for rel in expected} == expected, v.version
    assert engine.store.prune(keep_last=2, now=4_000_000_000.0) >= 0
    assert engine.verify_sync().ok


def test_a_blob_found_missing_while_the_lock_is_held_is_found_once_stored(
        tmp_path: Path) -> None:
    """While a save holds the store's lock, what it found missing is remembered (a batch
    asks about a group's files at once); a blob stored meanwhile, as a row or as a file of
    its own, is found once it is."""
    store = Store(tmp_path / "store")
    small, large = b"small" * 10, random.Random(5).randbytes(400_000)  # (a file of its own)
    digests = [hashlib.sha256(data).hexdigest() for data in (small, large)]
    with store.locked():
        assert store.blobs.present(digests) == set()
        assert not any(store.blobs.exists(d) for d in digests)
        for data in (small, large):
            store.blobs.put_content(hashlib.sha256(data).hexdigest(), data)
        store.blobs.sync()
        assert all(store.blobs.exists(d) for d in digests)
        assert store.blobs.present(digests) == set(digests)
    again = Store(tmp_path / "store")
    assert all(again.blobs.exists(d) for d in digests)
    assert b"".join(again.blobs.file_content(digests[1], None)) == large
