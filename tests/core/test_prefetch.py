"""A big changed file read and hashed ahead on a thread (core/blobs/prefetch.py): stored
from that copy only when it is the very file the store opens, unchanged since; anything
else is read by the store as always, and the version is the same either way."""

from __future__ import annotations

import os
from pathlib import Path

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.hashing import hexdigest
from draftkeeper.core.blobs.prefetch import FRESH_S, Prefetch, chosen
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.platform.system import LINUX, WINDOWS
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID
from tests.helpers import bump

BIG = chunking.SMALL * 4


def edited(folder: Path) -> Path:
    """The draft's 5.5 MB JSON, with a 20-byte edit in the middle (an editor's save)."""
    content = folder / "draft_content.json"
    data = bytearray(content.read_bytes())
    data[len(data) // 2:len(data) // 2 + 20] = b"an edit of 20 bytes!"
    bump(content, bytes(data))
    return content


def saved_with(engine: LocalEngine, prefetched: Prefetch | None) -> tuple[list[str], str]:
    """Save the draft with ``prefetched`` handed to the store: (the I/O seam's reads of
    the draft's JSON, its (hash, chunk list) in the new version)."""
    reads: list[str] = []
    engine.store.io.hook = lambda op, path: (
        reads.append(op) if path.name == "draft_content.json" else None)
    engine.store.blobs.prefetched = prefetched
    try:
        version = engine.save_sync(CAPTIONS_ID).version
    finally:
        engine.store.io.hook = None
        engine.store.blobs.prefetched = None
    manifest = engine.store.manifest(CAPTIONS_ID, version)
    [entry] = [f for f in manifest.files if f.path == "draft_content.json"]
    return reads, f"{entry.hash} {entry.chunks}"


def later_change(path: Path) -> None:
    """Until a file changed now gets a later ctime than ``path`` has (timestamps move by
    clock ticks): a write after this is told from ``path``'s last one."""
    probe = path.with_name(".probe")
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > path.stat().st_ctime_ns:
            probe.unlink()
            return


def test_a_prefetched_file_is_cut_from_memory_into_the_same_version(
    draft_root: Path, tmp_path: Path
) -> None:
    stores = {name: LocalEngine(Settings(), roots=[draft_root], store=Store(tmp_path / name))
              for name in ("read", "prefetched")}
    for engine in stores.values():
        engine.save_sync(CAPTIONS_ID)
    content = edited(draft_root / CAPTIONS_ID)
    reads, plain = saved_with(stores["read"], None)
    assert reads.count("read") > 1  # (the measurement works: read window by window)
    prefetch = Prefetch([(str(content), content.stat().st_size)], system=LINUX)
    assert prefetch.started
    reads, ahead = saved_with(stores["prefetched"], prefetch)
    assert reads == ["read_open", "read"]  # opened to compare, not read again
    assert ahead == plain  # the same hash and the same pieces
    assert stores["prefetched"].verify_sync().ok
    version = stores["prefetched"].history_sync(CAPTIONS_ID)[0].version
    wanted = content.read_bytes()
    content.write_bytes(b"lost")
    stores["prefetched"].restore_sync(CAPTIONS_ID, version)
    assert content.read_bytes() == wanted


def test_a_copy_is_given_once_and_only_for_the_file_it_was_read_from(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(os.urandom(BIG))
    b.write_bytes(a.read_bytes())  # the same bytes, another file
    prefetch = Prefetch([(str(a), BIG)], system=LINUX)
    with open(b, "rb") as f:
        assert prefetch.take(f) is None
    with open(a, "rb") as f:
        assert prefetch.take(f) == (a.read_bytes(), hexdigest(a.read_bytes()))
        assert prefetch.take(f) is None  # (its memory is the store's now)


def test_a_copy_read_too_long_before_the_store_asks_is_not_taken(tmp_path: Path) -> None:
    """A store that waited for its lock meanwhile reads the file itself: a write in the
    tick of the early read would go unseen, and the version would call the file racy only
    while its time is within 2 s of that write."""
    a = tmp_path / "a.json"
    a.write_bytes(os.urandom(BIG))
    # the clock as the read sees it, then as the store's take sees it
    fresh = Prefetch([(str(a), BIG)], system=LINUX, clock=iter([1000.0, 1000.2]).__next__)
    stale = Prefetch([(str(a), BIG)], system=LINUX,
                     clock=iter([1000.0, 1000.0 + FRESH_S + 0.5]).__next__)
    with open(a, "rb") as f:
        assert fresh.take(f) == (a.read_bytes(), hexdigest(a.read_bytes()))
        assert stale.take(f) is None


def test_a_file_rewritten_after_the_prefetch_read_is_read_again(
    draft_root: Path, tmp_path: Path
) -> None:
    """Rewritten in place after the thread read it, size and mtime kept: its ctime moved,
    so the store reads what is there now (the prefetch case of test_faults' rewrite)."""
    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(tmp_path / "store"))
    engine.save_sync(CAPTIONS_ID)
    content = edited(draft_root / CAPTIONS_ID)
    st = content.stat()
    prefetch = Prefetch([(str(content), st.st_size)], system=LINUX)
    with open(os.devnull, "rb") as f:
        assert prefetch.take(f) is None  # (waits for the thread: it read the edit)
    later_change(content)
    with open(content, "r+b") as f:  # another 20 bytes, in place
        f.seek(st.st_size // 3)
        f.write(b"written meanwhile...")
    os.utime(content, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (content.stat().st_size, content.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    reads, _entry = saved_with(engine, prefetch)
    assert reads.count("read") > 1  # read again, window by window
    version = engine.history_sync(CAPTIONS_ID)[0].version
    wanted = content.read_bytes()
    content.write_bytes(b"lost")
    engine.restore_sync(CAPTIONS_ID, version)
    assert content.read_bytes() == wanted


def test_a_failed_read_means_no_copy_and_the_usual_save(draft_root: Path, tmp_path: Path
                                                         ) -> None:
    engine = LocalEngine(Settings(), roots=[draft_root], store=Store(tmp_path / "store"))
    engine.save_sync(CAPTIONS_ID)
    content = edited(draft_root / CAPTIONS_ID)
    size = content.stat().st_size
    # the first file is gone: the thread stops there, the second is not read either
    prefetch = Prefetch([(str(tmp_path / "gone.json"), size), (str(content), size)],
                        system=LINUX)
    assert prefetch.started
    reads, _entry = saved_with(engine, prefetch)
    assert reads.count("read") > 1
    assert engine.verify_sync().ok


def test_what_is_read_ahead_is_bounded(tmp_path: Path) -> None:
    small, big, huge = chunking.SMALL - 1, chunking.SMALL, chunking.BIG
    files = [("small", small), ("a", big), ("huge", huge), ("b", big), ("c", big)]
    assert chosen(files, cap=2 * big) == ["a", "b"]  # (kept whole, or in 1 MiB pieces: not)
    assert chosen(files, cap=3 * big) == ["a", "b", "c"]
    a = tmp_path / "a.json"
    a.write_bytes(os.urandom(BIG))
    over = Prefetch([(str(a), BIG)], cap=BIG - 1, system=LINUX)
    assert not over.started  # nothing read, no thread
    with open(a, "rb") as f:
        assert over.take(f) is None
    # listed smaller than it has grown to: read only as far as the cap allows
    grown = Prefetch([(str(a), chunking.SMALL)], cap=chunking.SMALL, system=LINUX)
    with open(a, "rb") as f:
        assert grown.take(f) is None


def test_no_prefetch_where_ctime_is_the_creation_time(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    a.write_bytes(os.urandom(BIG))
    prefetch = Prefetch([(str(a), BIG)], system=WINDOWS)
    assert not prefetch.started
    with open(a, "rb") as f:
        assert prefetch.take(f) is None
