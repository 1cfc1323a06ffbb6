"""The window's start with many drafts, through the real entry point, offscreen.

    python bench/window_start.py [--sizes 20,10000] [--runs 3] [--keep DIR]

For each size N: a root of N real copies of the template fixture draft (6 files, 13.5 KB;
built as bench/scale.py builds it), every draft saved into a store, then ``draftkeeper``
(no command: the window) started ``--runs`` times as a whole process, each on a fresh
settings home, by bench/window_probe.py: it runs the real entry point in its own process
and watches the window through Qt's public API. From the process's start:

  first paint   the table's first paint with rows in it
  visible       covers, durations and badges of the rows visible then
  all           the same for every row
  states        every row's save state known (until then a row says "Checking…")

Prints the medians (and each run) with the load average; ``--baseline DIR`` also runs
another checkout's package (DIR = its app/ folder), alternating, and prints the ratios. ``--keep DIR`` keeps the built
and saved drafts in DIR/N (saving 10,000 drafts takes about a minute) for later runs.
bench/scale.py --window runs the same measure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROBE = HERE / "window_probe.py"
sys.path.insert(0, str(HERE))

from scale import build_root  # noqa: E402  (bench/ is not a package)

SAVE_ALL = """
import sys
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
root, store = sys.argv[1], sys.argv[2]
engine = LocalEngine(Settings(roots=[root], store_dir=store))
for d in engine.list_drafts_sync():
    engine.save_sync(d.draft_id)
"""


def prepare(base: Path, count: int) -> tuple[Path, Path]:
    """The root (built) and the store (every draft saved), made once."""
    root, store = base / "root", base / "store"
    if (base / "ready").exists():
        return root, store
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    t = time.perf_counter()
    build_root(base, count)
    subprocess.run([sys.executable, "-c", SAVE_ALL, str(root), str(store)], check=True)
    (base / "ready").touch()
    print(f"  {count:,} drafts built and saved in {time.perf_counter() - t:.1f} s", flush=True)
    return root, store


def one_run(root: Path, store: Path, home: Path, count: int, timeout: float,
            code: Path | None = None) -> dict:
    if home.exists():
        shutil.rmtree(home)
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps(
        {"version": 1, "roots": [str(root)], "store_dir": str(store)}))
    out = home / "marks.json"
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if code is not None:  # another checkout's package (its app/ folder)
        env["PYTHONPATH"] = str(code)
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, str(PROBE), str(out)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        text, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        text, _ = p.communicate()
        raise RuntimeError(f"window did not show every row's details in {timeout:.0f} s: "
                           f"{text[-2000:]}") from None
    if not out.exists():
        raise RuntimeError(f"window ended with {p.returncode} before its details: {text[-2000:]}")
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    marks = json.loads(out.read_text())
    if marks["rows"] != count:
        raise RuntimeError(f"{marks['rows']} rows of {count}")
    return {
        "python_and_imports_s": marks["imported"] - t0,
        "window_made_s": marks["window_made"] - t0,
        "first_paint_s": marks["first_paint_with_rows"] - t0,
        "rows_at_first_paint": marks["rows_at_first_paint"],
        "visible_rows": marks["visible_rows"],
        "visible_details_s": marks["visible_details"] - t0,
        "all_details_s": marks["all_details"] - t0,
        "states_known_s": marks["states_known"] - t0,
        "exit": p.returncode,
        "cpu_s": cpu,  # the whole process, to its end (just after the last mark)
    }


def medians(results: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in results)
            for k in ("window_made_s", "first_paint_s", "visible_details_s", "all_details_s",
                      "states_known_s", "python_and_imports_s", "cpu_s")}


def measure(count: int, runs: int, keep: Path | None, baseline: Path | None) -> dict:
    """The window's start with ``count`` saved drafts: the median of ``runs`` (alternating
    with the baseline's runs when there is one)."""
    with tempfile.TemporaryDirectory(prefix=f"dk-window-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = (keep / str(count)) if keep else Path(tmp) / "drafts"
        root, store = prepare(base, count)
        load0 = os.getloadavg()
        results, base = [], []
        for _ in range(runs):
            results.append(one_run(root, store, Path(tmp) / "home", count, 120 + count * 0.05))
            if baseline is not None:
                base.append(one_run(root, store, Path(tmp) / "home", count,
                                    120 + count * 0.1, baseline))
        load1 = os.getloadavg()
    out = {"drafts": count, "runs": results, "median": medians(results),
           "loadavg_before": load0, "loadavg_after": load1}
    if base:
        out["baseline"] = {"code": str(baseline), "runs": base, "median": medians(base)}
    return out


def show(r: dict) -> None:
    m = r["median"]
    la, lb = r["loadavg_before"], r["loadavg_after"]
    print(f"\n== window start, {r['drafts']:,} saved drafts (median of {len(r['runs'])}); "
          f"load average {la[0]:.2f}/{la[1]:.2f}/{la[2]:.2f} before, "
          f"{lb[0]:.2f}/{lb[1]:.2f}/{lb[2]:.2f} after")
    print(f"  python start + imports of the probe      {m['python_and_imports_s']:7.2f} s")
    print(f"  window made                              {m['window_made_s']:7.2f} s")
    print(f"  first paint of the table with rows       {m['first_paint_s']:7.2f} s   "
          "(target <= 1 s)")
    print(f"  details of the visible rows              {m['visible_details_s']:7.2f} s   "
          f"(+{m['visible_details_s'] - m['first_paint_s']:.2f} s; target <= +0.5 s)")
    print(f"  details of every row                     {m['all_details_s']:7.2f} s   "
          f"(target <= 3 s; 20 drafts: <= 1 s)")
    print(f"  every row's save state known             {m['states_known_s']:7.2f} s   "
          "(rows until then: \"Checking…\")")
    if "baseline" in r:
        b = r["baseline"]["median"]
        print(f"  baseline {r['baseline']['code']} (alternating runs), median; this / baseline:")
        for k, name in (("first_paint_s", "first paint"), ("visible_details_s", "visible"),
                        ("all_details_s", "all details"), ("states_known_s", "states known"),
                        ("cpu_s", "CPU")):
            print(f"    {name:<14}{b[k]:7.2f} s  ->  {m[k]:7.2f} s   {m[k] / b[k]:5.2f}x")
    for i, run in enumerate(r["runs"], 1):
        print(f"    run {i}: paint {run['first_paint_s']:.2f} s with "
              f"{run['rows_at_first_paint']} rows ({run['visible_rows']} visible), "
              f"visible {run['visible_details_s']:.2f} s, all {run['all_details_s']:.2f} s, "
              f"states {run['states_known_s']:.2f} s, CPU {run['cpu_s']:.2f} s, "
              f"exit {run['exit']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the saved drafts in this folder")
    parser.add_argument("--baseline", type=Path, help="also run another checkout's package "
                        "(its app/ folder, e.g. ../main/app), alternating with this one")
    args = parser.parse_args()
    print(f"Draft Keeper window start: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        show(measure(n, args.runs, args.keep, args.baseline))


if __name__ == "__main__":
    main()
