"""Memory of a save of a huge draft: peak resident memory stays bounded for any file size.

    python bench/memory.py [--mb 1024]

Makes a draft with one file of ``--mb`` MiB (JSON-like text, compressible like a draft),
then saves it in a fresh process and prints that process's peak resident set size
(``ru_maxrss``) beside the same process's size after its imports, the time taken and the
number of pieces. Target (issue 14): about 38 MiB of peak for a 1 GB draft, as before.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from draftkeeper.core.store.store import Store
from draftkeeper.core.store.snapshot import SaveOptions
import pyfastcdc, zstandard  # imported before the first figure: only the save is measured
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
store = Store(Path(sys.argv[2]))
t = time.perf_counter()
m, _ = store.save("huge", Path(sys.argv[1]), options=SaveOptions(include_media=True))
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
[entry] = [f for f in m.files]
pieces = len(store.blobs.chunk_list(entry.chunks)) if entry.chunks else 1
print(f"{base / 1024:.1f} {peak / 1024:.1f} {took:.2f} {pieces}")
"""


def make(path: Path, mb: int) -> None:
    rng = random.Random(3)
    words = [f'"text_{i}": "{rng.random():.12f}", "start": {i * 1000}, ' for i in range(4096)]
    block = "".join(rng.choice(words) for _ in range(30000)).encode()
    with open(path, "wb") as f:
        written = 0
        while written < mb * 1024 * 1024:
            f.write(block)
            f.write(os.urandom(64))  # so that blocks are not all the same piece
            written += len(block) + 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1024)
    args = parser.parse_args()
    repo = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory(prefix="dk-mem-", dir=os.environ.get("BENCH_DIR")) as t:
        draft = Path(t) / "huge"
        draft.mkdir()
        make(draft / "draft_content.json", args.mb)
        size = (draft / "draft_content.json").stat().st_size
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(draft), str(Path(t) / "store"), repo],
            capture_output=True, text=True, check=True,
        ).stdout.split()
        base, peak, took, pieces = float(out[0]), float(out[1]), float(out[2]), int(out[3])
        print(f"file {size / 2**20:.0f} MiB: peak RSS {peak:.1f} MiB (after imports "
              f"{base:.1f} MiB, the save added {peak - base:.1f} MiB), {took:.1f} s, "
              f"{pieces} pieces")


if __name__ == "__main__":
    main()
