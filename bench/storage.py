"""Storage benchmark: what 100 small-edit versions of the 11 MB fixture draft cost.

    python bench/storage.py [--versions N] [--curve]

The capcut-mate fixture draft (two identical 5.5 MB JSON files and four small ones) is
saved once, then edited N times (20 bytes replaced at a random place of
``draft_content.json``, as a caption change) and saved after each edit. Printed beside it,
computed in the same run on the same edits: the whole-file baseline (format 1: every
changed file kept as one zstd-1 blob, stored once per distinct content, plus the same
manifests). Sizes are the bytes of every file in the store (apparent size) and, for Draft
Keeper, also the disk blocks it takes (``st_blocks``). ``--curve`` repeats the run for
several chunk sizes (min = avg/4, max = avg*4) to show how the size was tuned.
Target: Draft Keeper's store <= 0.1x the raw draft.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zstandard

from draftkeeper.core.blobs import chunking
from draftkeeper.core.store.snapshot import SaveOptions
from draftkeeper.core.store.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / (
    "capcut-mate-draft-2000-captions.tar.gz"
)


def sizes(folder: Path) -> tuple[int, int]:
    apparent = blocks = 0
    for p in folder.rglob("*"):
        if p.is_file():
            st = p.stat()
            apparent += st.st_size
            blocks += st.st_blocks * 512
    return apparent, blocks


def run(work: Path, versions: int, avg: int) -> dict[str, float]:
    chunking.AVG, chunking.MIN, chunking.MAX = avg, avg // 4, avg * 4
    root = work / f"drafts-{avg}"
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(root, filter="data")
    [draft_id] = [p.name for p in root.iterdir()]
    folder = root / draft_id
    raw = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    store_dir = work / f"store-{avg}"
    store = Store(store_dir)
    options = SaveOptions(keep_last=100_000)
    rng = random.Random(14)
    cctx = zstandard.ZstdCompressor(level=1)
    baseline_blobs: dict[str, int] = {}

    def baseline_add() -> None:
        for p in folder.rglob("*"):
            if p.is_file():
                data = p.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                if digest not in baseline_blobs:
                    baseline_blobs[digest] = len(cctx.compress(data))

    target = folder / "draft_content.json"
    save_s = 0.0
    stamp = time.time() - 10 * 86400
    for i in range(versions + 1):
        if i:
            data = bytearray(target.read_bytes())
            at = rng.randrange(len(data) - 20)
            data[at:at + 20] = bytes(rng.choice(b"abcdefghij") for _ in range(20))
            target.write_bytes(bytes(data))
            stamp += 60
            os.utime(target, (stamp, stamp))  # an old mtime: the save does not hash twice
        baseline_add()
        t = time.perf_counter()
        _m, unchanged = store.save(draft_id, folder, reason="autosave", options=options)
        save_s += time.perf_counter() - t
        assert not unchanged
    apparent, blocks = sizes(store_dir)
    manifests, _b = sizes(store_dir / "drafts")
    baseline = sum(baseline_blobs.values()) + manifests  # same manifests, whole blobs
    return {"raw": raw, "dk": apparent, "dk_blocks": blocks, "baseline": baseline,
            "manifests": manifests, "save_ms": save_s / (versions + 1) * 1000,
            "blobs": sum(1 for _ in store.blobs.digests())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--curve", action="store_true")
    args = parser.parse_args()
    avgs = [4096, 8192, 16384, 32768, 65536] if args.curve else [chunking.AVG]
    print(f"{args.versions} edits of 20 bytes, {args.versions + 1} versions; "
          f"chosen avg {chunking.AVG // 1024} KiB")
    print(f"{'avg KiB':>7} {'raw MB':>7} {'DK MB':>7} {'x raw':>6} {'DK disk MB':>10} "
          f"{'whole-file MB':>13} {'x raw':>6} {'manifests KB':>12} {'blobs':>6} {'save ms':>8}")
    with tempfile.TemporaryDirectory(prefix="dk-storage-", dir=os.environ.get("BENCH_DIR")) as t:
        for avg in avgs:
            r = run(Path(t), args.versions, avg)
            print(f"{avg // 1024:7d} {r['raw'] / 1e6:7.2f} {r['dk'] / 1e6:7.2f} "
                  f"{r['dk'] / r['raw']:6.3f} {r['dk_blocks'] / 1e6:10.2f} "
                  f"{r['baseline'] / 1e6:13.2f} {r['baseline'] / r['raw']:6.3f} "
                  f"{r['manifests'] / 1e3:12.1f} {r['blobs']:6.0f} {r['save_ms']:8.1f}")


if __name__ == "__main__":
    main()
