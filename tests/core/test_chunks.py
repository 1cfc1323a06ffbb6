"""Chunked versions (format 2): small edits of a big draft cost little, stores of format 1
keep working, verify checks every piece, prune collects the pieces nobody needs."""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import zstandard

from draftkeeper.core.blobs.wholehash import HashMemo, WholeHash
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.plan import RestoreRefused
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID
from tests.helpers import StoredManifest, StoredObject, bump, make_draft, read_tree


def store_bytes(store: Path) -> int:
    return sum(p.stat().st_size for p in store.rglob("*") if p.is_file())


def edit(path: Path, i: int) -> None:
    """A 20-byte edit in the middle of a big file (same length, as a caption change)."""
    data = bytearray(path.read_bytes())
    mid = len(data) // 2 + i * 997
    data[mid:mid + 20] = f"edit-{i:015d}".encode()
    bump(path, bytes(data))


def test_small_edits_of_a_big_draft_cost_a_fraction_of_whole_copies(
    draft_root: Path, tmp_path: Path
) -> None:
    engine = LocalEngine(Settings(keep_last=1000), roots=[draft_root],
                         store=Store(tmp_path / "store"))
    folder = draft_root / CAPTIONS_ID
    first = engine.save_sync(CAPTIONS_ID)
    after_first = store_bytes(tmp_path / "store")
    for i in range(10):
        edit(folder / "draft_content.json", i)
        result = engine.save_sync(CAPTIONS_ID)
        assert not result.unchanged
        # a whole compressed copy of the 5.5 MB file is ~157 KB; one edit stores a piece
        assert result.bytes_stored < 40_000, (i, result.bytes_stored)
    growth = store_bytes(tmp_path / "store") - after_first
    assert growth < after_first / 2, (growth, after_first)
    # every version still comes back exactly
    working = read_tree(folder)
    engine.restore_sync(CAPTIONS_ID, first.version)
    assert (folder / "draft_content.json").read_bytes() == (
        folder / "draft_info.json").read_bytes()
    engine.restore_sync(CAPTIONS_ID, result.version)
    assert read_tree(folder) == working
    assert engine.verify_sync().ok


def write_v1_version(store_dir: Path, draft_id: str, folder: Path, stamp: float) -> str:
    """A version as format 1 wrote it: every kept file one whole zstd blob."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        blob = store_dir / "blobs" / digest[:2] / f"{digest}.zst"
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(zstandard.ZstdCompressor(level=1).compress(data))
        st = path.stat()
        files.append({"path": path.relative_to(folder).as_posix(), "size": st.st_size,
                      "mtime_ns": st.st_mtime_ns, "hash": digest})
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime(stamp)) + ".000000Z"
    manifest = {"format": 1, "draft_id": draft_id, "version": version, "time": stamp,
                "saved_at": "", "reason": "manual", "stored_bytes": 0, "files": files}
    target = store_dir / "drafts" / draft_key(draft_id) / "versions" / f"{version}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(manifest))
    return version


def test_a_format_1_store_keeps_working_and_new_saves_write_format_2(
    draft_root: Path, tmp_path: Path
) -> None:
    store_dir = tmp_path / "store"
    folder = draft_root / CAPTIONS_ID
    original = read_tree(folder)
    old = write_v1_version(store_dir, CAPTIONS_ID, folder, time.time() - 3600)

    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(store_dir))
    assert engine.save_sync(CAPTIONS_ID).unchanged  # the format 1 version is the latest
    edit(folder / "draft_info.json", 1)
    new = engine.save_sync(CAPTIONS_ID)
    assert not new.unchanged
    assert not (store_dir / "drafts").exists()  # the old manifest file became a row
    raw = json.loads(StoredManifest(store_dir, CAPTIONS_ID, new.version).read_bytes())
    assert raw["format"] == 2
    info = next(f for f in raw["files"] if f["path"] == "draft_info.json")
    assert {"path", "size", "mtime_ns", "hash", "chunks"} <= set(info)
    assert info["hash"] == hashlib.sha256((folder / "draft_info.json").read_bytes()).hexdigest()

    report = engine.verify_sync()
    assert report.ok and report.versions == 2
    # prune keeps what both formats need; the old version restores exactly
    assert engine.store.prune(keep_last=50) == 0
    engine.restore_sync(CAPTIONS_ID, old)
    assert read_tree(folder) == original
    assert engine.verify_sync().ok


def test_verify_names_the_file_whose_piece_is_damaged(draft_root: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[draft_root], store=store)
    version = engine.save_sync(CAPTIONS_ID).version
    entry = next(f for f in store.manifest(CAPTIONS_ID, version).files
                 if f.path == "draft_content.json")
    assert entry.chunks is not None
    piece, _size = store.blobs.chunk_list(entry.chunks)[3]
    StoredObject(store.root, piece).write_bytes(zstandard.ZstdCompressor().compress(b"not it"))
    report = engine.verify_sync()
    assert not report.ok
    [damaged] = report.damaged
    assert any(p.startswith("draft_content.json:") and "damaged" in p for p in damaged.problems)
    assert any(p.startswith("draft_info.json:") for p in damaged.problems)  # same pieces


def test_prune_removes_pieces_only_thinned_versions_used(
    draft_root: Path, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(keep_last=1000), roots=[draft_root], store=store)
    folder = draft_root / CAPTIONS_ID
    engine.save_sync(CAPTIONS_ID, reason="autosave")
    for i in range(3):
        edit(folder / "draft_content.json", i)
        engine.save_sync(CAPTIONS_ID, reason="autosave")
    before = set(store.blobs.digests())
    # thin everything but the newest version (autosaves older than 30 days go)
    removed = store.prune(keep_last=1, now=time.time() + 40 * 86400)
    assert removed > 0
    after = set(store.blobs.digests())
    assert after < before
    [latest] = store.history(CAPTIONS_ID)
    manifest = store.manifest(CAPTIONS_ID, latest.version)
    needed = set()
    for f in manifest.files:
        if f.hash:
            needed |= set(store.blobs.file_blobs(f.hash, f.chunks))
    assert after == needed
    assert engine.verify_sync().ok


def test_restore_refuses_a_version_with_a_damaged_piece_and_changes_nothing(
    draft_root: Path, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[draft_root], store=store)
    folder = draft_root / CAPTIONS_ID
    first = engine.save_sync(CAPTIONS_ID).version
    edit(folder / "draft_content.json", 5)
    engine.save_sync(CAPTIONS_ID)
    working = read_tree(folder)
    entry = next(f for f in store.manifest(CAPTIONS_ID, first).files
                 if f.path == "draft_content.json")
    assert entry.chunks is not None
    # a piece the edit replaced: the working copy's draft_content.json no longer has it
    now = next(f for f in store.manifest(CAPTIONS_ID, store.version_ids(CAPTIONS_ID)[-1]).files
               if f.path == "draft_content.json")
    assert now.chunks is not None
    newer = {d for d, _s in store.blobs.chunk_list(now.chunks)}
    only_old = next(d for d, _s in store.blobs.chunk_list(entry.chunks) if d not in newer)
    StoredObject(store.root, only_old).write_bytes(b"\x28\xb5\x2f\xfd garbage")
    with pytest.raises(RestoreRefused, match=r"draft_content\.json is damaged"):
        engine.restore_sync(CAPTIONS_ID, first)
    assert read_tree(folder) == working


class MemoryBacking:
    """Another place to keep objects, behind the same four calls (and sync)."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put_if_absent(self, key: str, data: Iterable[bytes]) -> int:
        if key in self.objects:
            return 0
        self.objects[key] = b"".join(data)
        return len(self.objects[key])

    def get(self, key: str) -> Iterator[bytes]:
        if key not in self.objects:
            raise FileNotFoundError(key)
        yield self.objects[key]

    def exists(self, key: str) -> bool:
        return key in self.objects

    def list(self, prefix: str) -> Iterator[str]:
        yield from [k for k in self.objects if k.startswith(prefix)]

    def delete(self, key: str) -> None:
        del self.objects[key]

    def sync(self) -> None:
        pass


def test_the_store_keeps_its_contents_through_the_backing_interface(
    draft_root: Path, tmp_path: Path
) -> None:
    backing = MemoryBacking()
    store = Store(tmp_path / "store", backing=backing)
    engine = LocalEngine(Settings(keep_last=1000), roots=[draft_root], store=store)
    folder = draft_root / CAPTIONS_ID
    original = read_tree(folder)
    first = engine.save_sync(CAPTIONS_ID, reason="autosave").version
    for i in range(2):
        edit(folder / "draft_content.json", i)
        engine.save_sync(CAPTIONS_ID, reason="autosave")
    assert not list((tmp_path / "store" / "blobs").rglob("*.zst"))  # nothing went to disk
    assert all(k.startswith("blobs/") for k in backing.objects)
    assert engine.verify_sync().ok
    engine.restore_sync(CAPTIONS_ID, first)
    assert read_tree(folder) == original
    before = len(backing.objects)
    assert store.prune(keep_last=1, now=time.time() + 40 * 86400) > 0
    assert len(backing.objects) < before
    assert engine.verify_sync().ok


def test_a_piece_that_decompresses_to_other_bytes_is_refused_in_the_same_pass(
    draft_root: Path, tmp_path: Path
) -> None:
    """A restore writes each piece as it decompresses it and hashes the same bytes on the
    way: a piece that is valid zstd of the right size but other content is caught before
    the swap, and neither the draft nor the store's trash keeps anything of it."""
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[draft_root], store=store)
    folder = draft_root / CAPTIONS_ID
    first = engine.save_sync(CAPTIONS_ID).version
    edit(folder / "draft_content.json", 7)
    engine.save_sync(CAPTIONS_ID)
    working = read_tree(folder)
    entry = next(f for f in store.manifest(CAPTIONS_ID, first).files
                 if f.path == "draft_content.json")
    assert entry.chunks is not None
    pieces = store.blobs.chunk_list(entry.chunks)
    piece, size = pieces[len(pieces) // 2]
    original = zstandard.ZstdDecompressor().decompress(StoredObject(store.root, piece).read_bytes())
    assert len(original) == size
    forged = bytes([original[0] ^ 1]) + original[1:]  # one bit off, same length
    StoredObject(store.root, piece).write_bytes(zstandard.ZstdCompressor().compress(forged))
    with pytest.raises(RestoreRefused, match=r"draft_content\.json is damaged \(.*hash"):
        engine.restore_sync(CAPTIONS_ID, first)
    assert read_tree(folder) == working
    assert [p for p in folder.rglob("*") if p.name.startswith(".dk-tmp-")] == []
    assert not list((tmp_path / "store" / "trash").glob("*"))


def test_what_a_restore_replaced_leaves_through_the_trash(
    draft_root: Path, tmp_path: Path
) -> None:
    """The files a restore replaced go to the store's trash in one rename and are deleted
    after the restore returned; what a kill left in the trash goes at the next opening."""
    store_dir = tmp_path / "store"
    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(store_dir))
    folder = draft_root / CAPTIONS_ID
    original = read_tree(folder)
    first = engine.save_sync(CAPTIONS_ID).version
    edit(folder / "draft_content.json", 3)
    engine.save_sync(CAPTIONS_ID)
    engine.restore_sync(CAPTIONS_ID, first)
    assert read_tree(folder) == original
    assert [p for p in folder.rglob("*") if p.name.startswith(".dk-tmp-")] == []
    trash = store_dir / "trash"
    assert trash.is_dir()  # the draft and the store share a file system here

    def emptied() -> bool:  # deleted on a background thread: wait for it (at most 10 s)
        deadline = time.monotonic() + 10
        while list(trash.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(trash.iterdir()) == []

    assert emptied()
    (trash / ".dk-tmp-sdead00-1234").mkdir()
    (trash / ".dk-tmp-sdead00-1234" / "o0").write_bytes(b"x" * 1000)
    Store(store_dir)
    assert emptied()


def test_whole_file_hashes_stay_exact_whatever_the_edit(tmp_path: Path) -> None:
    """Saves in one process hash again only the bytes after the pieces a file shares with
    its previous save: every version still names each file by the SHA-256 of its bytes,
    whether the edit is at the end, in the middle, at the start, shortens or lengthens the
    file, or makes it another file's twin; and every version restores exactly."""
    rng = random.Random(11)
    words = [f'"w{i}": {rng.random():.9f}' for i in range(5000)]

    def text(n: int) -> bytes:
        return (", ".join(rng.choice(words) for _ in range(n))).encode()

    start, twin = text(60_000), text(50_000)  # ~1.1 MB and ~0.9 MB: many pieces each
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"big.json": start, "twin.json": twin})
    engine = LocalEngine(Settings(keep_last=1000), roots=[root], store=Store(tmp_path / "s"))
    mid = len(start) // 2
    states = [
        start,
        start,  # the same bytes written again: every piece is the previous save's
        start + b" appended",
        start[:mid] + b"EDIT" + start[mid + 4:] + b" appended",
        b"{" + start[1:],
        start[: len(start) // 3],
        start + text(20_000),
        twin,
        start,
    ]
    versions = []
    for data in states:
        bump(folder / "big.json", data)
        result = engine.save_sync("d", reason="autosave")
        assert result.version
        manifest = engine.store.manifest("d", result.version)
        entry = next(f for f in manifest.files if f.path == "big.json")
        assert entry.chunks is not None
        assert entry.hash == hashlib.sha256(data).hexdigest()
        versions.append((result.version, data))
    assert engine.verify_sync().ok
    for version, data in versions[3:6]:
        engine.restore_sync("d", version)
        assert (folder / "big.json").read_bytes() == data


def test_the_whole_hash_memo_stays_within_its_bound_and_stays_exact() -> None:
    """A file of more pieces than the memo keeps is hashed in full and not remembered; a
    file that fits is remembered, and older files give way to newer ones."""
    rng = random.Random(3)
    memo = HashMemo(max_states=6)

    def whole(key: str, pieces: list[bytes]) -> str:
        h = WholeHash(memo, key)
        for piece in pieces:
            h.add(hashlib.sha256(piece).hexdigest(), piece)
        h.remember()
        return h.hexdigest()

    long = [rng.randbytes(1000) for _ in range(10)]
    assert whole("long", long) == hashlib.sha256(b"".join(long)).hexdigest()
    assert memo.get("long") is None  # 10 states would pass the bound of 6
    short = long[:5]
    assert whole("a", short) == hashlib.sha256(b"".join(short)).hexdigest()
    kept = memo.get("a")
    assert kept is not None and len(kept) == 5
    edited = [*short[:4], b"other end"]
    assert whole("a", edited) == hashlib.sha256(b"".join(edited)).hexdigest()
    again = memo.get("a")  # the states of the four shared pieces were reused, not redone
    assert again is not None and [x is y for x, y in zip(again, kept, strict=True)] == [
        True, True, True, True, False]
    assert whole("b", short[:3]) == hashlib.sha256(b"".join(short[:3])).hexdigest()
    assert memo.get("a") is None and memo.get("b") is not None  # 5 + 3 > 6: "a" gave way


def test_the_chunker_loaded_beside_a_stand_in_for_typing_cuts_as_pyfastcdc_does(
    tmp_path: Path
) -> None:
    """A process that has not imported ``typing`` (a changed ``draftkeeper save``) loads
    pyfastcdc's compiled chunker beside a stand-in for it (blobs/chunking.py): the same
    chunker, the same cut points, and ``typing`` is the real module afterwards."""
    import subprocess
    import sys

    import pyfastcdc

    from draftkeeper.core.blobs import chunking

    data = random.Random(7).randbytes(3 * 1024 * 1024)
    path = tmp_path / "data"
    path.write_bytes(data)
    script = (
        "import sys\n"
        "from draftkeeper.core.blobs import chunking\n"
        "from draftkeeper.core.blobs.io import StoreIO\n"
        "assert 'typing' not in sys.modules\n"
        "p = chunking._chunker()\n"
        "assert p.FastCDC.__module__ == 'pyfastcdc.cy.fastcdc', p.FastCDC.__module__\n"
        "assert 'typing' not in sys.modules\n"
        "with open(sys.argv[1], 'rb') as f:\n"
        "    sizes = [len(c) for c in chunking.pieces(StoreIO(), f, sys.argv[1], 3 << 20)]\n"
        "import typing\n"
        "print(typing.Optional[int], *sizes)\n")
    # (without ``--fs-rules``' file rules, which import typing into every process: the
    # chunker's loading is what is tested, and it reads no file)
    env = {k: v for k, v in os.environ.items() if k != "DK_FS_RULES"}
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=60, check=False, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    shown, *sizes = proc.stdout.split()
    assert shown == "typing.Optional[int]"
    cdc = pyfastcdc.FastCDC(chunking.AVG, min_size=chunking.MIN, max_size=chunking.MAX)
    assert [int(s) for s in sizes] == [c.length for c in cdc.cut_buf(data)]
