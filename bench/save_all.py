"""A first `draftkeeper save --all` of many drafts beside restic's first backup of the root.

    python bench/save_all.py [--sizes 1000,10000] [--runs 3] [--baseline ../main/app]
                             [--watch] [--after] [--tiny]

For each size N, a root of N real copies of the template fixture draft (6 files, 13.5 KB;
built as ``bench/scale.py`` builds it, in ``$BENCH_DIR`` or the system's temp folder) is
saved by ``draftkeeper save --all`` into a fresh store (and a fresh DRAFTKEEPER_HOME), then
backed up by ``restic backup`` into a fresh repository; with ``--baseline DIR`` (another
checkout's ``app/`` folder: the code before) that code's ``save --all`` runs too. The tools
take turns, ``--runs`` times, each run after ``sync``; wall time, CPU time and peak RSS of
each whole process (its own rusage). Prints every run with the load average, then the
medians and their ratios against restic's. This is (f) of ``bench/scale.py`` alone, for
the write side: quicker to repeat, and side by side with the code before.

``--watch`` also takes turns with ``draftkeeper watch`` (and the baseline's) saving every
draft of the same root into a fresh store: (a) of ``bench/scale.py``, from its first
``saving`` line to the line that makes every draft ``clean``; CPU time of that span, and
the peak RSS of the whole process.

Each run also gives the peak of the whole process tree's memory: the PSS (proportional
set size, /proc/PID/smaps_rollup) of the command and of every process below it (a batch
save's helper process included), summed, sampled every ~10 ms, and its peak
(``scale.TreePeak``; restic's beside it). PSS splits each page among the processes that
map it, so the pages the command and its helper share (the interpreter, libcrypto) count
once in the sum: it is what the tree costs the machine. The summed RSS is printed beside
it ("RSS sum") for comparison: it counts every shared page once per process, so it
overstates a tree of two processes by their shared pages (a few MB). Pages shared with
processes outside the tree (another Python program running the same interpreter) lower
the PSS: ``--pages`` (root only) also samples, every ~50 ms, the tree's distinct physical
pages (``scale.tree_pages_kib``: /proc/PID/pagemap's frame numbers, each page once,
however many processes map it), what the tree would hold alone on the machine; the
sampling costs the bench process CPU. ``--after`` then runs, after
each first ``save --all`` (this code's and the baseline's), an unchanged ``save --all`` and
a ``list`` on the store it made, with the same figures. ``--tiny``: the root's drafts are
tiny ones instead (two files of a few bytes each, as ``bench/scale.py --tiny`` builds
them): e.g. ``--sizes 100000 --tiny --runs 1`` for the first ``save --all`` of 100,000
tiny drafts side by side with the code before.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
from scale import Run, build_root, build_tiny, draftkeeper_exe, run_measured, watch_save_all


def watched(dk: list[str], root: Path, store: Path, env: dict[str, str], count: int) -> Run:
    """(a) of bench/scale.py: every draft saved by a fresh ``watch``."""
    w = watch_save_all(dk, root, store, env, count)
    return Run(w["save_all_s"], w["save_all_cpu_s"], w["peak_rss_mib"], 0,
               tree_mib=w["tree_pss_mib"], tree_rss_mib=w["tree_rss_mib"],
               tree_pages_mib=w["tree_pages_mib"])


def line(name: str, r: Run, load: float) -> None:
    print(f"  {name:16s} {r.wall_s:7.2f} s wall {r.cpu_s:7.2f} s CPU {r.rss_mib:5.0f} MiB, "
          f"tree PSS {r.tree_mib:5.1f} MiB (RSS sum {r.tree_rss_mib:5.1f}{pages(r)})  "
          f"(load {load:.1f})", flush=True)


def pages(r: Run) -> str:
    return f", distinct pages {r.tree_pages_mib:5.1f}" if scale.PAGES else ""


def measure(count: int, runs: int, baseline: Path | None, watch: bool, after: bool = False,
            tiny: bool = False) -> dict[str, list[Run]]:
    with tempfile.TemporaryDirectory(prefix=f"dk-saveall-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        root, built = (build_tiny if tiny else build_root)(base, count)
        print(f"\n{count:,} {'tiny ' if tiny else ''}drafts built in {built:.1f} s", flush=True)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        tools: dict[str, tuple[list[str], dict[str, str]]] = {
            "draftkeeper": ([*draftkeeper_exe(), "save", "--all", "--root", str(root),
                             "--store", str(base / "store")], env)}
        if baseline is not None:
            tools["baseline"] = ([sys.executable, "-m", "draftkeeper", "save", "--all",
                                  "--root", str(root), "--store", str(base / "store")],
                                 dict(env, PYTHONPATH=str(baseline)))
        renv = dict(os.environ, RESTIC_PASSWORD="bench",
                    RESTIC_REPOSITORY=str(base / "restic"),
                    RESTIC_CACHE_DIR=str(base / "restic-cache"))
        tools["restic"] = (["restic", "backup", "--quiet", "--host", "bench", str(root)], renv)
        if watch:
            tools["watch"] = (draftkeeper_exe(), env)
            if baseline is not None:
                tools["baseline watch"] = ([sys.executable, "-m", "draftkeeper"],
                                           dict(env, PYTHONPATH=str(baseline)))
        out: dict[str, list[Run]] = {name: [] for name in tools}
        if after:
            for name in ("draftkeeper", "baseline"):
                if name in tools:
                    out[f"{name} unchanged"] = []
                    out[f"{name} list"] = []
        for _ in range(runs):
            for name, (cmd, tool_env) in tools.items():
                for folder in ("store", "home", "restic", "restic-cache"):
                    shutil.rmtree(base / folder, ignore_errors=True)
                if name == "restic":
                    subprocess.run(["restic", "init", "--quiet"], env=renv, check=True,
                                   stdout=subprocess.DEVNULL)
                os.sync()
                load = os.getloadavg()[0]
                if name.endswith("watch"):
                    r = watched(cmd, root, base / "store", tool_env, count)
                    out[name].append(r)
                    line(name, r, load)
                    continue
                r = run_measured(cmd, tool_env)
                last = r.out.strip().splitlines()[-1] if r.out.strip() else ""
                if r.rc != 0 or (name != "restic" and f": {count} saved" not in last):
                    raise RuntimeError(f"{name}: rc {r.rc}: {r.out[-2000:]}")
                out[name].append(r)
                line(name, r, load)
                if after and f"{name} list" in out:
                    for what, args in (("unchanged", ["save", "--all"]), ("list", ["list"])):
                        again = [*cmd[:cmd.index("save")], *args, *cmd[cmd.index("--root"):]]
                        r = run_measured(again, tool_env)
                        if r.rc != 0:
                            raise RuntimeError(f"{name} {what}: rc {r.rc}: {r.out[-2000:]}")
                        out[f"{name} {what}"].append(r)
                        line(f"{name} {what}", r, os.getloadavg()[0])
    return out


def show(count: int, runs: dict[str, list[Run]]) -> None:
    restic = statistics.median(r.wall_s for r in runs["restic"])
    print(f"{count:,} drafts, medians of {len(runs['restic'])}:")
    for name, rs in runs.items():
        wall = statistics.median(r.wall_s for r in rs)
        cpu = statistics.median(r.cpu_s for r in rs)
        print(f"  {name:22s} {wall:7.2f} s wall ({wall / restic:.2f}x restic), "
              f"{cpu:.2f} s CPU, {max(r.rss_mib for r in rs):.0f} MiB at most, "
              f"tree PSS {max(r.tree_mib for r in rs):.1f} MiB at most "
              f"(RSS sum {max(r.tree_rss_mib for r in rs):.1f}"
              + (f", distinct pages {max(r.tree_pages_mib for r in rs):.1f}" if scale.PAGES
                 else "") + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="also run another checkout's package "
                        "(its app/ folder), alternating")
    parser.add_argument("--watch", action="store_true",
                        help="also `watch` saving every draft (and the baseline's), alternating")
    parser.add_argument("--after", action="store_true", help="after each first `save --all`, "
                        "an unchanged `save --all` and a `list` of its store")
    parser.add_argument("--pages", action="store_true", help="also the peak of the tree's "
                        "distinct physical pages (root only; sampled every ~50 ms)")
    parser.add_argument("--tiny", action="store_true", help="tiny drafts (two files of a "
                        "few bytes each) instead of copies of the template")
    args = parser.parse_args()
    scale.PAGES = args.pages
    if shutil.which("restic") is None:
        sys.exit("restic is missing: sudo apt-get install restic")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for count in (int(s) for s in args.sizes.split(",")):
        show(count, measure(count, args.runs, args.baseline, args.watch, args.after,
                            args.tiny))
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
