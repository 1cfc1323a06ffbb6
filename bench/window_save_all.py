"""The window's Save all of many new drafts beside restic's first backup of the root.

    python bench/window_save_all.py [--sizes 10000] [--runs 2] [--baseline ../main/app]

For each size N: a root of N real copies of the template fixture draft (6 files, 13.5 KB;
built as ``bench/scale.py`` builds it, in ``$BENCH_DIR`` or the system's temp folder),
none saved yet. The window (``draftkeeper`` with no command, the real entry point,
offscreen) starts on a fresh store with autosave off, so that nothing saves on its own;
bench/window_save_probe.py presses Save all once every row's state is known and waits
until every row shows "Saved". Measured: from the press to the last row saved (what the
user waits for after the click), the window process's CPU time over that span (its
children's too), and how late a 5 ms heartbeat timer fired meanwhile (p99 and max: how
long the window stopped answering). Then
``restic backup`` of the same root into a fresh repository, as a whole process. The tools
take turns, ``--runs`` times, each run after ``sync``. With ``--baseline DIR`` (another
checkout's ``app/`` folder) that code's window runs too. Prints every run with the load
average, then the medians and their ratios against restic's first backup (issue 20: the
window's Save all <= 1.0x).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "window_save_probe.py"
sys.path.insert(0, str(HERE))

from scale import build_root, run_measured  # noqa: E402  (bench/ is not a package)


def window_run(root: Path, store: Path, home: Path, count: int, code: Path | None
               ) -> tuple[float, float, float, float]:
    """Save all in a fresh window: seconds from the press to every row saved, CPU, and
    the heartbeat's p99 and max lateness meanwhile."""
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps(
        {"version": 1, "roots": [str(root)], "store_dir": str(store),
         "autosave_enabled": False}))
    out = home / "marks.json"
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    p = subprocess.Popen([sys.executable, str(PROBE), str(out), str(count)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    timeout = 120 + count * 0.05
    try:
        text, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        text, _ = p.communicate()
        raise RuntimeError(f"not every row saved in {timeout:.0f} s: {text[-2000:]}") from None
    if not out.exists():
        raise RuntimeError(f"window ended with {p.returncode} before saving: {text[-2000:]}")
    m = json.loads(out.read_text())
    if m["rows"] != count:
        raise RuntimeError(f"{m['rows']} rows of {count}")
    return (m["saved"] - m["pressed"], m["cpu_saved"] - m["cpu_pressed"], m["late_p99"],
            m["late_max"])


def measure(count: int, runs: int, baseline: Path | None) -> dict[str, list[tuple[float, ...]]]:
    with tempfile.TemporaryDirectory(prefix=f"dk-winsave-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        root, built = build_root(base, count)
        print(f"\n{count:,} drafts built in {built:.1f} s", flush=True)
        renv = dict(os.environ, RESTIC_PASSWORD="bench",
                    RESTIC_REPOSITORY=str(base / "restic"),
                    RESTIC_CACHE_DIR=str(base / "restic-cache"))
        names = ["window", "restic"] + (["baseline window"] if baseline else [])
        out: dict[str, list[tuple[float, ...]]] = {n: [] for n in names}
        for _ in range(runs):
            for name in names:
                for folder in ("store", "home", "restic", "restic-cache"):
                    shutil.rmtree(base / folder, ignore_errors=True)
                if name == "restic":
                    subprocess.run(["restic", "init", "--quiet"], env=renv, check=True,
                                   stdout=subprocess.DEVNULL)
                os.sync()
                load = os.getloadavg()[0]
                t = time.perf_counter()
                if name == "restic":
                    r = run_measured(["restic", "backup", "--quiet", "--host", "bench",
                                      str(root)], renv)
                    if r.rc != 0:
                        raise RuntimeError(f"restic failed: {r.out[-2000:]}")
                    took = (r.wall_s, r.cpu_s, 0.0, 0.0)
                else:
                    took = window_run(root, base / "store", base / "home", count,
                                      baseline if name.startswith("baseline") else None)
                out[name].append(took)
                beat = (f", heartbeat late p99 {took[2] * 1000:.0f} ms, max "
                        f"{took[3] * 1000:.0f} ms" if name != "restic" else "")
                print(f"  {name:<16} {took[0]:6.2f} s, CPU {took[1]:6.2f} s{beat}  "
                      f"(load {load:.2f}; whole run {time.perf_counter() - t:.1f} s)",
                      flush=True)
    return out


def show(count: int, runs: dict[str, list[tuple[float, ...]]]) -> None:
    restic = statistics.median(r[0] for r in runs["restic"])
    print(f"\n== {count:,} new drafts: the window's Save all (press -> every row saved) "
          f"beside restic's first backup; median of {len(runs['restic'])}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, rs in runs.items():
        wall = statistics.median(r[0] for r in rs)
        cpu = statistics.median(r[1] for r in rs)
        beat = ""
        if name != "restic":
            beat = (f"   heartbeat late p99 {statistics.median(r[2] for r in rs) * 1000:.0f} ms,"
                    f" max {statistics.median(r[3] for r in rs) * 1000:.0f} ms")
        print(f"  {name:<16} {wall:6.2f} s  CPU {cpu:6.2f} s   {wall / restic:5.2f}x restic"
              + ("   (target <= 1.0x)" if name == "window" else "") + beat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="also run another checkout's package "
                        "(its app/ folder, e.g. ../main/app), alternating with this one")
    args = parser.parse_args()
    print(f"Draft Keeper window Save all: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        show(n, measure(n, args.runs, args.baseline))


if __name__ == "__main__":
    main()
