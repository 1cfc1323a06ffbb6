"""Drafts edited one after the other while ``draftkeeper watch`` runs over a saved root
(an automation flow rewriting hundreds of drafts), beside the code before.

    python bench/watch_edits.py [--drafts 10000] [--edits 1000] [--runs 3]
                                [--baseline ../main/app]

A root of ``--drafts`` real copies of the template fixture draft (built as
``bench/scale.py`` builds it, in ``$BENCH_DIR`` or the system's temp folder) is saved once
by ``draftkeeper save --all``. Then, in turns (``--baseline DIR``: another checkout's
``app/`` folder runs too), a fresh ``watch`` of the root starts over that store; once its
first autosave tick has passed, ``--edits`` drafts spread over the root get one byte
appended to their ``draft_content.json``, as fast as Python writes them. Figures: the
seconds from the first edit to the line that shows the last of them ``clean`` (the quiet
period, 2 s by default, is part of it) and the ``watch`` process's CPU time over that
span; each edited draft's state lines are counted (each must go unsaved, saving, clean).
Prints every run with the load average, then the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import LINE, Watch, build_root, draftkeeper_exe, proc_cpu, watching_line

FIRST_TICK_S = 8.0  # watch --interval 5: its first tick (the drafts all clean) has passed


def edited(dk: list[str], root: Path, store: Path, env: dict[str, str], names: list[str]
           ) -> dict[str, float]:
    """One ``watch``: the edits, and the span until the last edited draft is clean."""
    wanted = set(names)
    clean: set[str] = set()
    lines: dict[str, int] = {}
    done = threading.Event()
    end = {"t": 0.0, "cpu": 0.0}
    w: Watch

    def on_line(t: float, line: str) -> None:
        m = LINE.match(line)
        if not m or m["name"] not in wanted or not started.is_set():
            return
        lines[m["state"]] = lines.get(m["state"], 0) + 1
        if m["state"] == "clean":
            clean.add(m["name"])
        if len(clean) == len(wanted) and not done.is_set():
            end["t"], end["cpu"] = t, proc_cpu(w.proc.pid)
            done.set()

    started = threading.Event()
    cmd = [*dk, "watch", "--interval", "5", "--root", str(root), "--store", str(store)]
    w = Watch(cmd, env, hooks=(on_line,))
    try:
        w.wait_line(0, watching_line, 600)
        time.sleep(FIRST_TICK_S)
        cpu0 = proc_cpu(w.proc.pid)
        started.set()
        t0 = time.perf_counter()
        for name in names:
            with open(root / name / "draft_content.json", "ab") as f:
                f.write(b" ")
        if not done.wait(300):
            raise TimeoutError(f"{len(clean)} of {len(names)} edited drafts clean")
    finally:
        stop = w.stop()
    if stop.rc != 0:
        raise RuntimeError(f"watch stopped with {stop.rc}: {stop.out}")
    return {"wall_s": end["t"] - t0, "cpu_s": end["cpu"] - cpu0, **lines}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drafts", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another checkout's app/ folder")
    args = ap.parse_args()
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    with tempfile.TemporaryDirectory(prefix=f"dk-edits-{args.drafts}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        root, built = build_root(base, args.drafts)
        print(f"{args.drafts:,} drafts built in {built:.1f} s", flush=True)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([*draftkeeper_exe(), "save", "--all", "--root", str(root),
                        "--store", str(base / "store")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        step = max(1, args.drafts // args.edits)
        names = [f"draft{i:05d}" for i in range(0, args.drafts, step)][:args.edits]
        tools = {"watch": (draftkeeper_exe(), env)}
        if args.baseline is not None:
            tools["baseline watch"] = ([sys.executable, "-m", "draftkeeper"],
                                       dict(env, PYTHONPATH=str(args.baseline)))
        out: dict[str, list[dict[str, float]]] = {name: [] for name in tools}
        for _ in range(args.runs):
            for name, (cmd, tool_env) in tools.items():
                shutil.rmtree(base / "home" / "logs", ignore_errors=True)
                os.sync()
                load = os.getloadavg()[0]
                r = edited(cmd, root, base / "store", tool_env, names)
                out[name].append(r)
                states = ", ".join(f"{k} {int(v)}" for k, v in r.items() if not k.endswith("_s"))
                print(f"  {name:15} {r['wall_s']:6.2f} s to all clean  {r['cpu_s']:5.2f} s CPU"
                      f"  ({states}; load {load:.1f})", flush=True)
        print(f"{args.edits:,} of {args.drafts:,} drafts edited, medians of {args.runs}:")
        for name, runs in out.items():
            print(f"  {name:15} {statistics.median(r['wall_s'] for r in runs):6.2f} s, "
                  f"{statistics.median(r['cpu_s'] for r in runs):5.2f} s CPU")
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)


if __name__ == "__main__":
    main()
