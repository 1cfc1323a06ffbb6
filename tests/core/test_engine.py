from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from draftkeeper.core.errors import BadRequest, DraftBusy, DraftNotFound, SaveFailed, StoreLocked
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.retention import retention_victims
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import (
    StoredObject,
    bump,
    make_draft,
    read_tree,
    stored_objects,
    stored_versions,
)


def engine_for(root: Path, store: Path, **settings: object) -> LocalEngine:
    return LocalEngine(Settings(**settings), roots=[root], store=Store(store))  # type: ignore[arg-type]


@pytest.mark.parametrize("draft_id", [TEMPLATE_ID, CAPTIONS_ID])
def test_save_unchanged_modify_restore_byte_for_byte(
    draft_root: Path, tmp_path: Path, draft_id: str
) -> None:
    engine = engine_for(draft_root, tmp_path / "store")
    folder = draft_root / draft_id
    original = read_tree(folder)

    first = engine.save_sync(draft_id)
    assert not first.unchanged and first.version
    assert first.bytes_stored > 0
    assert read_tree(folder) == original  # save never touches the working copy

    again = engine.save_sync(draft_id)
    assert again.unchanged and again.version == first.version and again.bytes_stored == 0

    bump(folder / "draft_info.json", b"\x00encrypted-looking bytes, not JSON\xff")
    (folder / "new_file.bak").write_bytes(b"backup")
    modified = read_tree(folder)
    second = engine.save_sync(draft_id)
    assert not second.unchanged and second.version > first.version

    history = engine.history_sync(draft_id)
    assert [v.version for v in history] == [second.version, first.version]
    assert history[0].file_count == len(modified)

    result = engine.restore_sync(draft_id, first.version)
    assert read_tree(folder) == original
    assert result.moved_aside == ["new_file.bak"]
    assert result.aside_dir and (Path(result.aside_dir) / "new_file.bak").read_bytes() == b"backup"
    assert "draft_info.json" in result.written

    # the restore saved the state before it, so the restore can be undone
    assert result.before_restore_version == second.version
    engine.restore_sync(draft_id, second.version)
    assert read_tree(folder) == modified


def test_identical_content_is_stored_once(draft_root: Path, tmp_path: Path) -> None:
    engine = engine_for(draft_root, tmp_path / "store")
    result = engine.save_sync(CAPTIONS_ID)
    blobs = stored_objects(tmp_path / "store")
    # draft_content.json and draft_info.json are identical: stored once, as the same
    # content-defined pieces and chunk list; the 4 small files are one blob each
    store = Store(tmp_path / "store")
    files = {f.path: f for f in store.manifest(CAPTIONS_ID, result.version).files}
    big = files["draft_content.json"]
    assert big.chunks is not None and files["draft_info.json"].chunks == big.chunks
    pieces = store.blobs.chunk_list(big.chunks)
    assert len(pieces) > 10 and sum(size for _d, size in pieces) == big.size
    assert len(blobs) == 4 + len(store.blobs.file_blobs(big.hash or "", big.chunks))
    # 11 MB of captions compress far below their size
    assert result.bytes_stored < 1_000_000


def test_unknown_draft_is_404_and_bad_url_is_400(draft_root: Path, tmp_path: Path) -> None:
    engine = engine_for(draft_root, tmp_path / "store")
    with pytest.raises(DraftNotFound, match="Draft does not exist"):
        engine.save_sync("https://h/openapi/capcut-mate/v1/get_draft?draft_id=nope")
    with pytest.raises(BadRequest, match="no draft_id"):
        engine.save_sync("https://h/openapi/capcut-mate/v1/get_draft?id=x")
    assert stored_versions(tmp_path / "store") == []


def test_file_changing_during_snapshot_is_retryable(draft_root: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[draft_root], store=store)
    target = draft_root / CAPTIONS_ID / "draft_info.json"
    original = read_tree(draft_root / CAPTIONS_ID)
    writes = []

    def editor_writes_meanwhile(op: str, path: Path) -> None:
        if op == "read" and path == target and not writes:
            writes.append(path)
            with open(target, "ab") as f:  # the editor appends while we read
                f.write(b" ")

    store.io.hook = editor_writes_meanwhile
    with pytest.raises(DraftBusy) as info:
        engine.save_sync(CAPTIONS_ID)
    assert info.value.retryable
    assert "being written" in str(info.value)
    assert engine.history_sync(CAPTIONS_ID) == []
    store.io.hook = None
    assert read_tree(draft_root / CAPTIONS_ID) != original  # the editor's change is there
    assert not engine.save_sync(CAPTIONS_ID).unchanged  # and the retry saves it


def test_media_listed_but_not_kept_unless_enabled(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d")
    (folder / "assets").mkdir()
    (folder / "assets" / "clip.mp4").write_bytes(b"v" * 1000)
    (folder / "big.bin").write_bytes(b"b" * (2 * 1024 * 1024))
    engine = engine_for(root, tmp_path / "store", media_threshold_mib=1)
    engine.save_sync("d")
    [version] = engine.history_sync("d")
    assert sorted(version.not_kept) == ["assets/clip.mp4", "big.bin"]
    assert version.file_count == 4

    # restore leaves media that was not kept alone and says so
    (folder / "draft_content.json").write_bytes(b"changed")
    result = engine.restore_sync("d", version.version)
    assert sorted(result.not_kept) == ["assets/clip.mp4", "big.bin"]
    assert (folder / "assets" / "clip.mp4").read_bytes() == b"v" * 1000

    with_media = engine_for(root, tmp_path / "store2", include_media=True, media_threshold_mib=1)
    with_media.save_sync("d")
    assert with_media.history_sync("d")[0].not_kept == []


def test_restore_recreates_a_deleted_draft(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "草稿 一")  # Chinese folder names are common in JianYing
    original = read_tree(folder)
    engine = engine_for(root, tmp_path / "store")
    version = engine.save_sync("草稿 一").version
    assert version
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    with pytest.raises(DraftNotFound):
        engine.save_sync("草稿 一")
    assert [v.version for v in engine.history_sync("草稿 一")] == [version]
    result = engine.restore_sync("草稿 一", version[:12])  # a unique prefix is enough
    assert result.before_restore_version is None
    assert read_tree(folder) == original


def test_restore_refuses_damaged_blob_and_keeps_working_copy(tmp_path: Path) -> None:
    import zstandard

    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"version one"})
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[root], store=store)
    v1 = engine.save_sync("d").version
    assert v1
    bump(folder / "a.json", b"version two")
    engine.save_sync("d")
    digest = store.manifest("d", v1).files[0].hash
    assert digest
    blob = StoredObject(tmp_path / "store", digest)
    blob.write_bytes(zstandard.ZstdCompressor().compress(b"tampered"))

    report = engine.verify_sync()
    assert [(d.version, d.problems) for d in report.damaged] == [
        (v1, ["a.json: stored copy is damaged (hash mismatch)"])
    ]
    before = read_tree(folder)
    with pytest.raises(SaveFailed, match="damaged"):
        engine.restore_sync("d", v1)
    assert read_tree(folder) == before


def test_retention_keeps_last_and_thins_older() -> None:
    from draftkeeper.core.store.manifests import Manifest

    now = 100 * 86400.0
    hour = 3600.0

    def m(i: int, t: float, reason: str = "autosave") -> Manifest:
        return Manifest("d", f"v{i:05d}", t, reason, (), 0)

    manifests = [m(i, now - i * 60) for i in range(60)]  # one a minute for an hour
    manifests += [m(100 + i, now - 2 * hour - i * 600) for i in range(12)]  # 2 hours, 10 min
    manifests += [m(200 + i, now - 3 * 86400 - i * hour) for i in range(48)]  # 2 days hourly
    manifests += [m(300, now - 40 * 86400), m(301, now - 41 * 86400, "manual")]
    victims = {v.version for v in retention_victims(manifests, now, keep_last=50)}
    kept = [x for x in manifests if x.version not in victims]
    assert all(f"v{i:05d}" not in victims for i in range(50))  # newest 50 kept
    assert "v00301" not in victims  # manual never thinned
    assert "v00300" in victims  # older than 30 days
    old_autosaves = [x for x in kept if x.reason == "autosave" and x.time < now - 86400]
    days = [int(x.time // 86400) for x in old_autosaves]
    assert len(days) == len(set(days))  # one per day
    recent_old = [x for x in kept[50:] if now - x.time < 86400 and x.reason == "autosave"]
    hours = [int(x.time // hour) for x in recent_old]
    assert len(hours) == len(set(hours))  # one per hour


def test_retention_applied_after_save(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d")
    clock = [1_000_000.0]
    engine = LocalEngine(
        Settings(keep_last=3), roots=[root], store=Store(tmp_path / "store"),
        clock=lambda: clock[0],
    )
    for i in range(6):
        bump(folder / "draft_content.json", f"state {i}".encode())
        engine.save_sync("d", reason="autosave")
        clock[0] += 60
    # 3 newest kept; the 3 older ones fall in one hour bucket: one survives
    assert len(engine.history_sync("d")) == 4
    assert engine.verify_sync().ok


def test_store_lock_timeout_is_clear_and_retryable(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_draft(root, "d")
    store = Store(tmp_path / "store", lock_timeout=0.2)
    engine = LocalEngine(Settings(), roots=[root], store=store)
    with store.locked(), pytest.raises(StoreLocked, match="busy") as info:
        engine.save_sync("d")
    assert info.value.retryable
    assert engine.save_sync("d").version


def test_symlinks_inside_a_draft_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"do not copy")
    root = tmp_path / "root"
    folder = make_draft(root, "d")
    os.symlink(secret, folder / "link.txt")
    engine = engine_for(root, tmp_path / "store")
    engine.save_sync("d")
    assert engine.history_sync("d")[0].file_count == 2


def test_async_facade_runs_in_threads(draft_root: Path, tmp_path: Path) -> None:
    engine = engine_for(draft_root, tmp_path / "store")

    async def both() -> list[object]:
        return list(await asyncio.gather(engine.save(TEMPLATE_ID), engine.save(CAPTIONS_ID)))

    results = asyncio.run(both())
    assert len(results) == 2
    drafts = asyncio.run(engine.list_drafts())
    assert {d.draft_id for d in drafts} == {TEMPLATE_ID, CAPTIONS_ID}


def test_rewrite_in_the_same_timestamp_tick_is_not_missed(tmp_path: Path) -> None:
    """Same size, same mtime (a coarse clock tick), different bytes: still a change."""
    root = tmp_path / "root"
    folder = make_draft(root, "d", {"a.json": b"AAAA"})
    engine = engine_for(root, tmp_path / "store")
    first = engine.save_sync("d")
    st = (folder / "a.json").stat()
    (folder / "a.json").write_bytes(b"BBBB")
    os.utime(folder / "a.json", ns=(st.st_atime_ns, st.st_mtime_ns))
    second = engine.save_sync("d")
    assert not second.unchanged and second.version != first.version
    assert engine.save_sync("d").unchanged
