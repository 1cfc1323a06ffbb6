"""An unchanged ``save --all`` and ``list`` beside restic's unchanged backup, taking turns.

    python bench/unchanged.py [--sizes 100,1000,10000] [--runs 3] [--baseline ../main/app]
                              [--keep DIR]

For each size N, a root of N copies of the template fixture draft (``scale.build_root``)
is built once and saved once by ``draftkeeper save --all`` (and by the baseline into a
store of its own), and backed up once by restic. Then, ``--runs`` times after one warm-up
round (which lets each store's index settle), in turn: restic's unchanged backup, then for
each tool (the baseline first) ``list`` and an unchanged ``save --all``. Each figure is
the median of the runs: wall time, CPU time (the child's rusage) and peak RSS; ratios are
wall and CPU against restic's unchanged backup. The load average is printed before and
after each size (the machine is shared: read the figures with it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import Run, build_root, median_run, run_measured  # bench/ is not a package


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def checked(r: Run, what: str, count: int) -> Run:
    text = r.out.strip().splitlines()
    ok = r.rc == 0 and bool(text)
    if what == "save":
        ok = ok and text[-1].startswith(f"{count} draft(s)") and ": 0 saved" in text[-1]
    elif what == "list":
        ok = ok and text[0].startswith(f"{count} draft(s)") and r.out.count("  Saved ") == count
    if not ok:
        raise RuntimeError(f"{what}: rc {r.rc}: {r.out[-2000:]}")
    return r


def measure(count: int, runs: int, baseline: Path | None, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix=f"dk-unchanged-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = keep / str(count) if keep else Path(tmp)
        root = base / "root"
        if not root.is_dir():
            base.mkdir(parents=True, exist_ok=True)
            build_root(base, count)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        env.pop("PYTHONPATH", None)
        tools: dict[str, tuple[list[str], dict[str, str]]] = {}
        if baseline is not None:
            tools["baseline"] = ([sys.executable, "-m", "draftkeeper"],
                                 dict(env, PYTHONPATH=str(baseline)))
        tools["this"] = ([sys.executable, "-m", "draftkeeper"], env)
        renv = dict(os.environ, RESTIC_PASSWORD="bench", RESTIC_REPOSITORY=str(base / "restic"),
                    RESTIC_CACHE_DIR=str(base / "restic-cache"))
        backup = ["restic", "backup", "--quiet", "--host", "bench", str(root)]
        if not (base / "restic").is_dir():
            subprocess.run(["restic", "init", "--quiet"], env=renv, check=True,
                           stdout=subprocess.DEVNULL)
            run_measured(backup, renv)
        cmds = {}
        for name, (dk, tenv) in tools.items():
            store = base / f"store-{name}"
            args = ["--root", str(root), "--store", str(store)]
            cmds[name] = ([*dk, "list", *args], [*dk, "save", "--all", *args], tenv)
            if not store.is_dir():
                r = run_measured(cmds[name][1], tenv)
                if r.rc != 0:
                    raise RuntimeError(f"first save --all ({name}): {r.out[-2000:]}")
        print(f"\n{count:,} drafts; load {load()}", flush=True)
        got: dict[str, list[Run]] = {"restic": []}
        for i in range(runs + 1):  # the first round warms up (indexes settle)
            rounds = {"restic": run_measured(backup, renv)}
            for name, (lst, save, tenv) in cmds.items():
                rounds[f"{name} list"] = checked(run_measured(lst, tenv), "list", count)
                rounds[f"{name} save --all"] = checked(run_measured(save, tenv), "save", count)
            if i:
                for k, r in rounds.items():
                    got.setdefault(k, []).append(r)
        med = {k: median_run(v) for k, v in got.items()}
        ref = med["restic"]
        print(f"== {count:,} drafts, medians of {runs}; load {load()} after")
        print(f"  {'figure':<24}{'wall s':>8}{'CPU s':>8}{'RSS MiB':>9}"
              "   vs restic unchanged (wall, CPU)")
        for k, r in med.items():
            print(f"  {k:<24}{r.wall_s:8.2f}{r.cpu_s:8.2f}{r.rss_mib:9.0f}"
                  f"   {r.wall_s / ref.wall_s:6.2f}x {r.cpu_s / ref.cpu_s:6.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's app/ folder (e.g. ../main/app), taking turns")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the roots and stores here")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load {load()}")
    for n in (int(s) for s in args.sizes.split(",") if s):
        measure(n, args.runs, args.baseline.resolve() if args.baseline else None, args.keep)


if __name__ == "__main__":
    main()
