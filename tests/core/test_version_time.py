"""A version's time is when the reads of its files began, not when the save ended: a file
written again in the timestamp tick of its read (the same size, the same mtime) stays
"racy" to every later check, and is seen as changed, however long the save went on after
that read (a ``save --all`` group of hundreds of big drafts takes tens of seconds)."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from draftkeeper.core.store import batch
from draftkeeper.core.store.snapshot import SaveOptions
from draftkeeper.core.store.store import Store

LONG_S = 30.0  # what the save goes on for after it read the draft's content


def long_save(store: Store) -> SaveOptions:
    """The store's clock jumps LONG_S ahead once the draft's content has been opened (the
    other drafts of a group, or big files, read after it), through the store's I/O seam."""
    jump = [0.0]

    def hook(op: str, path: Path) -> None:
        if op == "read_open" and path.name == "draft_content.json":
            jump[0] = LONG_S

    store.io.hook = hook
    return SaveOptions(now=lambda: time.time() + jump[0])


@pytest.mark.parametrize("many", [False, True], ids=["save", "save --all"])
def test_a_file_written_again_in_the_tick_of_its_read_is_seen_after_a_long_save(
        tmp_path: Path, many: bool) -> None:
    folder = tmp_path / "root" / "d"
    folder.mkdir(parents=True)
    content = folder / "draft_content.json"
    content.write_bytes(b'{"tracks": ["first"]}')
    (folder / "draft_meta_info.json").write_bytes(b'{"draft_name": "d"}')
    store = Store(tmp_path / "store")
    options = long_save(store)
    if many:
        [outcome] = batch.save_many(store, [("d", folder)], options=options)
        assert isinstance(outcome, tuple), outcome
        first, unchanged = outcome
    else:
        first, unchanged = store.save("d", folder, options=options)
    assert not unchanged
    # the editor writes the file again within the tick of that read: stat data as before
    st = content.stat()
    content.write_bytes(b'{"tracks": ["later"]}')
    os.utime(content, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert content.stat().st_size == st.st_size

    later = Store(tmp_path / "store")  # the next command
    assert later.is_unchanged("d", folder) is None, "the rewrite must not pass as saved"
    again, unchanged = later.save("d", folder)
    assert not unchanged and again.version > first.version
    assert [f.hash for f in again.files] != [f.hash for f in first.files]


def test_version_times_and_iso_read_as_datetime_reads_them() -> None:
    """manifests.py counts UTC seconds by hand (no datetime on a save's path): the same
    answers as datetime, including rounding to the microsecond and impossible dates."""
    from datetime import UTC, datetime

    from draftkeeper.core.store.manifests import iso, new_version_id, version_us

    rng = random.Random(20)
    stamps = [rng.uniform(0, 4e9) for _ in range(20_000)]
    stamps += [k + f for k in range(0, 4_000_000_000, 97_000_003)
               for f in (0.0, 0.4999995, 0.9999994, 0.9999995, 0.9999996)]
    for ts in stamps:
        assert iso(ts) == datetime.fromtimestamp(ts, UTC).isoformat(
            timespec="seconds").replace("+00:00", "Z"), ts
        version = new_version_id(ts, None)
        when = datetime.strptime(version, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
        assert version_us(version) == int(when.timestamp()) * 1_000_000 + when.microsecond
    for impossible in ("20230230T000000.0Z", "20231301T000000.0Z", "20230101T240000.0Z",
                       "20230101T000060.0Z", "00000101T000000.0Z"):
        with pytest.raises(ValueError):
            version_us(impossible)
