"""Storage benchmark: what 100 small-edit versions of the 11 MB fixture draft cost on disk.

    python bench/storage.py [--versions N] [--curve]

The capcut-mate fixture draft (two identical 5.5 MB JSON files and four small ones) is
saved once, then edited N times (20 bytes replaced at a random place of
``draft_content.json``, as a caption change) and saved after each edit. Two real stores
take the same edits side by side, saving in turn: Draft Keeper as it is, and the
whole-file baseline as earlier releases stored it (format 1: every file one zstd-1 blob,
one file per blob under ``blobs/``, stored once per distinct content; made by a real
``Store`` whose files are all "small" and whose backing is the plain folder). Sizes are
every file of each store, in apparent bytes and in disk blocks (``st_blocks`` x 512: what
the store really takes, a small file a whole block), beside the raw draft. ``--curve``
repeats the run for several piece sizes (min = avg/4, max = avg*2) to show how the size
was tuned. Target: Draft Keeper's store <= 0.1x the raw draft in disk blocks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sqlite3
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.backing import LocalFolder
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.store.snapshot import SaveOptions
from draftkeeper.core.store.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / (
    "capcut-mate-draft-2000-captions.tar.gz"
)
WHOLE = 1 << 62  # chunking.SMALL for the baseline: every file is kept whole


def sizes(folder: Path) -> tuple[int, int]:
    """(apparent bytes, disk bytes) of every file below ``folder``."""
    apparent = blocks = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            st = os.lstat(os.path.join(base, name))
            apparent += st.st_size
            blocks += st.st_blocks * 512
    return apparent, blocks


def run(work: Path, versions: int, avg: int) -> dict[str, float]:
    chunking.AVG, chunking.MIN, chunking.MAX = avg, avg // 4, avg * 2
    small = chunking.SMALL
    root = work / f"drafts-{avg}"
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(root, filter="data")
    [draft_id] = [p.name for p in root.iterdir()]
    folder = root / draft_id
    raw = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    store_dir, whole_dir = work / f"store-{avg}", work / f"whole-{avg}"
    store = Store(store_dir)
    io = StoreIO()
    whole = Store(whole_dir, io=io, backing=LocalFolder(whole_dir, io, whole_dir / "blobs"))
    options = SaveOptions(keep_last=100_000)
    rng = random.Random(14)
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
        for kind in (("dk", "whole") if i % 2 else ("whole", "dk")):  # in turn
            chunking.SMALL = small if kind == "dk" else WHOLE
            try:
                t = time.perf_counter()
                _m, unchanged = (store if kind == "dk" else whole).save(
                    draft_id, folder, reason="autosave", options=options)
                if kind == "dk":
                    save_s += time.perf_counter() - t
            finally:
                chunking.SMALL = small
            assert not unchanged
    dk, dk_blocks = sizes(store_dir)
    base, base_blocks = sizes(whole_dir)
    # manifests are rows of objects.db (in its pages: counted in its blocks already)
    with contextlib.closing(sqlite3.connect(store_dir / "objects.db")) as db:
        manifests = manifests_blocks = db.execute(
            "SELECT coalesce(sum(length(manifest)), 0) FROM versions").fetchone()[0]
    return {"raw": raw, "dk": dk, "dk_blocks": dk_blocks, "whole": base,
            "whole_blocks": base_blocks, "manifests": manifests,
            "manifests_blocks": manifests_blocks,
            "save_ms": save_s / (versions + 1) * 1000,
            "blobs": len(set(store.blobs.digests()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--curve", action="store_true")
    args = parser.parse_args()
    avgs = [4096, 8192, 16384, 32768, 65536] if args.curve else [chunking.AVG]
    print(f"{args.versions} edits of 20 bytes, {args.versions + 1} versions; "
          f"chosen avg {chunking.AVG // 1024} KiB; load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("sizes in MB, apparent / disk blocks (x raw draft)")
    print("| avg KiB | raw | Draft Keeper | x raw | whole-file (format 1) | x raw | "
          "of which manifests | objects | save ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="dk-storage-", dir=os.environ.get("BENCH_DIR")) as t:
        for avg in avgs:
            r = run(Path(t), args.versions, avg)
            raw = r["raw"]
            print(f"| {avg // 1024} | {raw / 1e6:.2f} | {r['dk'] / 1e6:.2f} / {r['dk_blocks'] / 1e6:.2f}"
                  f" | {r['dk'] / raw:.3f} / **{r['dk_blocks'] / raw:.3f}** | "
                  f"{r['whole'] / 1e6:.2f} / {r['whole_blocks'] / 1e6:.2f} | "
                  f"{r['whole'] / raw:.3f} / {r['whole_blocks'] / raw:.3f} | "
                  f"{r['manifests'] / 1e6:.2f} / {r['manifests_blocks'] / 1e6:.2f} | "
                  f"{r['blobs']:.0f} | {r['save_ms']:.1f} |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
