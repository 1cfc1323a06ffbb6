"""Change-detection benchmark: a sweep over 10,000 drafts of 5 files each.

    python bench/scan.py [--drafts N] [--runs N]

Measures LocalEngine.scan (one stat per file) and the scheduler's whole refresh (scan plus
comparing fingerprints and updating states), unchanged and with 1% of drafts changed.
Target: a sweep of 10,000 unchanged drafts under 0.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store

FILES = ("draft_content.json", "draft_info.json", "draft_meta_info.json", "draft_cover.jpg",
         "draft_settings")


def make_root(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"draft{i:05d}"
        folder.mkdir(parents=True)
        for name in FILES:
            (folder / name).write_bytes(b"x" * 64)


def touch_some(root: Path, count: int, every: int, generation: int) -> int:
    changed = 0
    for i in range(0, count, every):
        path = root / f"draft{i:05d}" / "draft_content.json"
        path.write_bytes(b"y" * (64 + generation))
        changed += 1
    return changed


async def run(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="dk-scan-", dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp) / "root"
        t = time.perf_counter()
        make_root(root, count)
        print(f"{count} drafts x {len(FILES)} files created in {time.perf_counter() - t:.1f} s")
        settings = Settings(autosave_enabled=False)
        engine = LocalEngine(settings, roots=[root], store=Store(Path(tmp) / "store"))
        t = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(engine.save_sync, [f"draft{i:05d}" for i in range(count)]))
        print(f"every draft saved once in {time.perf_counter() - t:.1f} s")
        sched = SaveScheduler(engine, settings)
        t = time.perf_counter()
        await sched.refresh()
        print(f"first sweep (reads saved state of every draft): {time.perf_counter() - t:.2f} s")

        scan_times, refresh_unchanged, refresh_changed = [], [], []
        for _ in range(runs):
            t = time.perf_counter()
            engine.scan_sync()
            scan_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            await sched.refresh()
            refresh_unchanged.append(time.perf_counter() - t)
        for g in range(runs):
            changed = touch_some(root, count, 100, g)
            t = time.perf_counter()
            await sched.refresh()
            refresh_changed.append(time.perf_counter() - t)
            unsaved = sum(s.state is State.UNSAVED for s in sched.statuses())
            assert unsaved == changed, (unsaved, changed)
            await sched.save_all()  # back to clean for the next round

        def show(label: str, samples: list[float]) -> None:
            m = statistics.median(samples)
            print(f"  {label:<38} median {m * 1000:8.1f} ms   {m / count * 1e6:6.1f} us/draft")

        show("scan, unchanged (engine only)", scan_times)
        show("sweep, unchanged (scan + scheduler)", refresh_unchanged)
        show("sweep, 1% changed (scan + scheduler)", refresh_changed)
        ok = statistics.median(refresh_unchanged) < 0.5
        print(f"  target: unchanged sweep under 500 ms: {'met' if ok else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.drafts, args.runs))


if __name__ == "__main__":
    main()
