"""The first commands after a fresh `save --all`: the first `list` and the first unchanged
`save --all`, beside a baseline checkout, taking turns.

    python bench/first_runs.py [--sizes 10000] [--runs 3] [--baseline ../main/app]
                               [--keep DIR]

For each size N, a root of N copies of the template fixture draft (``scale.build_root``)
is built once (kept under ``--keep`` when given). Each tool (the baseline first) saves it
once into a store of its own with `save --all`, and that store, as the save left it, is
copied aside. Then, ``--runs`` times, for each tool in turn: the store is put back as
the save left it and `list` runs (the first list after the save), then `list` again
(steady); the store is put back again and `save --all` runs (the first unchanged save
after the save). Each figure is the median of the runs: wall time, CPU time (the child's
rusage) and peak RSS; the ratio is this tool's against the baseline's. The load average
is printed before and after (the machine is shared: read the figures with it). The first
save --all itself is shown too (once per tool: it is not repeated).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import Run, build_root, median_run, run_measured  # bench/ is not a package
from unchanged import checked, load


def measure(count: int, runs: int, baseline: Path | None, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix=f"dk-first-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = keep / str(count) if keep else Path(tmp)
        root = base / "root"
        if not root.is_dir():
            base.mkdir(parents=True, exist_ok=True)
            build_root(base, count)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        env.pop("PYTHONPATH", None)
        tools: dict[str, dict[str, str]] = {}
        if baseline is not None:
            tools["baseline"] = dict(env, PYTHONPATH=str(baseline))
        tools["this"] = env
        dk = [sys.executable, "-m", "draftkeeper"]
        saved: dict[str, Path] = {}
        got: dict[str, list[Run]] = {}
        for name, tenv in tools.items():
            store, fresh = base / f"first-{name}", base / f"first-{name}.saved"
            shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(fresh, ignore_errors=True)
            r = run_measured([*dk, "save", "--all", "--root", str(root), "--store",
                              str(store)], tenv)
            if r.rc != 0 or f": {count} saved" not in r.out:
                raise RuntimeError(f"first save --all ({name}): {r.out[-2000:]}")
            got[f"{name} first save --all (once)"] = [r]
            shutil.copytree(store, fresh, symlinks=True)
            saved[name] = fresh
        print(f"\n{count:,} drafts; load {load()}", flush=True)

        def fresh_store(name: str) -> list[str]:
            store = base / f"first-{name}"
            shutil.rmtree(store)
            shutil.copytree(saved[name], store, symlinks=True)
            os.sync()
            return ["--root", str(root), "--store", str(store)]

        for _i in range(runs):
            for name, tenv in tools.items():
                args = fresh_store(name)
                for what in ("first list", "second list"):
                    r = checked(run_measured([*dk, "list", *args], tenv), "list", count)
                    got.setdefault(f"{name} {what}", []).append(r)
                args = fresh_store(name)
                r = checked(run_measured([*dk, "save", "--all", *args], tenv), "save", count)
                got.setdefault(f"{name} first unchanged save", []).append(r)
        med = {k: median_run(v) for k, v in got.items()}
        print(f"== {count:,} drafts, medians of {runs}; load {load()} after")
        print(f"  {'figure':<34}{'wall s':>8}{'CPU s':>8}{'RSS MiB':>9}   vs baseline (wall, CPU)")
        for k, r in med.items():
            ref = med.get(k.replace("this ", "baseline ", 1)) if k.startswith("this ") else None
            ratio = (f"   {r.wall_s / ref.wall_s:6.2f}x {r.cpu_s / ref.cpu_s:6.2f}x"
                     if ref is not None else "")
            print(f"  {k:<34}{r.wall_s:8.2f}{r.cpu_s:8.2f}{r.rss_mib:9.0f}{ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's app/ folder (e.g. ../main/app), taking turns")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the roots here")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load {load()}")
    for n in (int(s) for s in args.sizes.split(",") if s):
        measure(n, args.runs, args.baseline.resolve() if args.baseline else None, args.keep)


if __name__ == "__main__":
    main()
