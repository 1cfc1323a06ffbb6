"""Change detection benchmark: 10,000 drafts watched by file-system events.

    python bench/watch.py [--drafts 10000] [--idle 10]

1. watchfiles vs watchdog, each watching one root of ``--drafts`` draft folders: the time
   to set the watches up, the CPU the process uses while nothing changes (``--idle``
   seconds, process CPU time / wall time, in % of one core), and the delay from a write to
   its event (median of 10 edits).
2. Draft Keeper itself: the real ``draftkeeper watch`` process (default settings but a 1 s
   quiet period, no minimum gap and ``--scan`` as scan_interval_s), every draft saved
   first: its CPU (from /proc) over two safety sweeps and a scan interval while nothing
   changes, sweeps included as they happen (nothing added by arithmetic), and, for 5
   edits, how long after the end of the quiet period (last write + quiet_period_s) its
   "saving" line comes. Targets (issue 20): idle CPU < 0.3% of a core at 10,000 drafts;
   autosave start <= 0.5 s after the quiet period ends.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scale.py: the process helpers

from draftkeeper.core.saving.timing import sweep_every


def make_drafts(root: Path, n: int) -> None:
    for i in range(n):
        d = root / f"draft{i:05d}"
        d.mkdir(parents=True)
        (d / "draft_content.json").write_text('{"tracks": []}')
        (d / "draft_meta_info.json").write_text(f'{{"draft_name": "d{i}"}}')


def cpu_percent(seconds: float) -> float:
    c0, w0 = time.process_time(), time.perf_counter()
    time.sleep(seconds)
    return (time.process_time() - c0) / (time.perf_counter() - w0) * 100


def edit(root: Path, i: int) -> float:
    path = root / f"draft{i:05d}" / "draft_content.json"
    t = time.time()
    with open(path, "a") as f:
        f.write(" ")
    return t


def bench_watchfiles(root: Path, idle: float) -> tuple[float, float, float]:
    from watchfiles._rust_notify import RustNotify

    t = time.perf_counter()
    notify = RustNotify([str(root)], False, False, 300, True, True)
    setup = time.perf_counter() - t
    stop = threading.Event()
    seen: list[float] = []

    def run() -> None:
        while not stop.is_set():
            r = notify.watch(50, 50, 1000, stop)
            if not isinstance(r, str):
                seen.append(time.time())

    th = threading.Thread(target=run, daemon=True)
    th.start()
    time.sleep(1)
    cpu = cpu_percent(idle)
    delays = []
    for i in range(10):
        n = len(seen)
        t0 = edit(root, i)
        while len(seen) == n and time.time() - t0 < 5:
            time.sleep(0.002)
        delays.append(seen[-1] - t0)
        time.sleep(0.2)
    stop.set()
    th.join()
    notify.close()
    return setup, cpu, statistics.median(delays)


def bench_watchdog(root: Path, idle: float) -> tuple[float, float, float]:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    seen: list[float] = []

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            seen.append(time.time())

    observer = Observer()
    t = time.perf_counter()
    observer.schedule(Handler(), str(root), recursive=True)
    observer.start()
    setup = time.perf_counter() - t
    time.sleep(1)
    cpu = cpu_percent(idle)
    delays = []
    for i in range(10):
        n = len(seen)
        t0 = edit(root, i)
        while len(seen) == n and time.time() - t0 < 5:
            time.sleep(0.002)
        delays.append(seen[n] - t0 if len(seen) > n else float("inf"))
        time.sleep(0.2)
    observer.stop()
    observer.join()
    return setup, cpu, statistics.median(delays)


def bench_draftkeeper(root: Path, base: Path, scan_s: float) -> None:
    """The real ``draftkeeper watch`` process on the root, every draft saved first (``save
    --all``): its CPU from /proc over two safety sweeps (and a scan interval) while nothing
    changes, then the lag of five autosaves after their quiet periods, from its own
    status lines."""
    from scale import LINE, Watch, draftkeeper_exe, proc_cpu, run_measured

    quiet = 1.0
    home = base / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps(
        {"version": 1, "quiet_period_s": quiet, "min_autosave_gap_s": 0,
         "scan_interval_s": scan_s}))
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    dk = draftkeeper_exe()
    where = ["--root", str(root), "--store", str(base / "store")]
    first = run_measured([*dk, "save", "--all", *where], env)
    print(f"(save --all of every draft first: {first.wall_s:.1f} s, exit {first.rc})")
    n = len(list(root.iterdir()))
    every = sweep_every(scan_s, True, n)
    window = 2 * every + scan_s
    w = Watch([*dk, "watch", "--interval", "5", *where], env)
    try:
        w.wait_line(0, lambda line: line.startswith("watching "), 600)
        time.sleep(3)
        c0, t0 = proc_cpu(w.proc.pid), time.perf_counter()
        time.sleep(window)
        cpu = (proc_cpu(w.proc.pid) - c0) / (time.perf_counter() - t0) * 100
        lags = []
        for i in range(100, 105):
            name = f"draft{i:05d}"
            mark = len(w.lines)
            last = 0.0
            for _ in range(3):  # a burst of writes
                last = edit(root, i)
                time.sleep(0.2)
            k = w.wait_line(mark, lambda line, name=name: bool(
                (m := LINE.match(line)) and m["name"] == name and m["state"] == "saving"), 60)
            lags.append(w.lines[k][0] - time.perf_counter() + time.time() - (last + quiet))
    finally:
        end = w.stop()
    print(f"Draft Keeper (`draftkeeper watch`, events on, safety sweep every {every:.0f} s): "
          f"idle CPU {cpu:.2f}% of a core measured on the process over {window:.0f} s (two "
          f"sweeps and a scan interval; target < 0.3%); autosave starts "
          f"{statistics.median(lags) * 1000:.0f} ms (median; max {max(lags) * 1000:.0f} ms) "
          f"after the quiet period ends (target <= 500 ms); peak RSS {end.rss_mib:.0f} MiB; "
          f"exit {end.rc}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--scan", type=float, default=5.0,
                        help="scan_interval_s of the measured watch (default: the setting's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dk-watch-", dir=os.environ.get("BENCH_DIR")) as t:
        root = Path(t) / "drafts"
        make_drafts(root, args.drafts)
        print(f"{args.drafts} drafts; idle measured over {args.idle:.0f} s")
        for name, fn in (("watchfiles", bench_watchfiles), ("watchdog", bench_watchdog)):
            if name == "watchdog" and importlib.util.find_spec("watchdog") is None:
                print("watchdog   (not installed here: .venv/bin/pip install watchdog to "
                      "compare; not one of Draft Keeper's dependencies)")
                continue
            setup, cpu, delay = fn(root, args.idle)
            print(f"{name:10} setup {setup * 1000:7.0f} ms  idle CPU {cpu:5.2f}% of a core  "
                  f"write->event {delay * 1000:6.1f} ms (median of 10)")
        bench_draftkeeper(root, Path(t), args.scan)


if __name__ == "__main__":
    main()
