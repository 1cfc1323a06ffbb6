"""Whole-process command line, each measure beside its baseline in the same run.

    .venv/bin/python bench/cli.py [--runs N] [--json]

Every figure is one whole process as a user starts it (the installed ``draftkeeper``
console script), timed wall-clock from here, with its CPU time (user + system, from the
kernel's accounting of the child):

| measure | Draft Keeper | baseline | target (issue 20) |
| --- | --- | --- | --- |
| version | ``draftkeeper --version`` | ``python -c "import json"`` (the same venv python) | <= 1.5x |
| help | ``draftkeeper --help`` | the same | <= 1.5x |
| changed save | ``draftkeeper save DRAFT`` after a 20-byte edit | ``git add -A && git commit -q`` of the same edit | <= 1.0x |
| unchanged save | ``draftkeeper save DRAFT`` again (the quick answer, cli/front.py) | ``python -c "import json"`` | as fast as before (about 1.0-1.2x) |
| restore | ``draftkeeper restore DRAFT VERSION`` of the latest version, after a 20-byte edit left unsaved (so it first saves that state, as every restore does) | ``git checkout -- .`` after the same edit | <= 1.5x |

git makes nothing durable by default (no fsync), while a Draft Keeper version exists only
once its manifest and every blob it names are on disk, and a restore returns once the
restored files are. So each git baseline is also run as durable as git can be made, in its
own repository with the same edits, and printed beside the issue's ratio (which stays the
headline): ``git -c core.fsync=all -c core.fsyncMethod=fsync`` (objects, index and refs
fsynced) for the commit, and the same checkout followed by ``sync`` of the file it wrote
and of the draft folder (git never fsyncs the working tree) for the restore.

The draft is the 11 MB capcut-mate fixture; Draft Keeper and git each keep their own
copy, and both get the same edits (20 bytes at a random offset of the largest JSON file,
as bench/peers.py makes them; each edit's mtime a minute after the one before, starting
ten days back, so that no tool sees a file written within its timestamp granularity).
git's repository is outside the draft folder (GIT_DIR), gc off. Each round runs every
measure once, Draft Keeper and its baseline side by side, in an order that rotates from
round to round, so a busy moment of the shared machine falls on both. Medians of
``--runs`` rounds, and the load average before and after. ``--dk CMD`` measures another
Draft Keeper command line (e.g. a script that runs an earlier checkout) against the same
baselines.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "capcut-mate-draft-2000-captions.tar.gz"
CLOCK = time.time() - 10 * 86400  # the mtime of the draft's files; each edit adds a minute
# (name, Draft Keeper's measure, its baseline, target ratio or None)
PAIRS = (
    ("version", "dk --version", "python -c 'import json'", 1.5),
    ("help", "dk --help", "python -c 'import json'", 1.5),
    ("changed save", "dk save (changed)", "git add -A && git commit", 1.0),
    ("unchanged save", "dk save (unchanged)", "python -c 'import json'", None),
    ("restore", "dk restore latest", "git checkout -- .", 1.5),
    ("changed save, durable git", "dk save (changed)", "git add && commit, core.fsync=all",
     None),
    ("restore, durable git", "dk restore latest", "git checkout, core.fsync=all + sync", None),
)
# git as durable as it can be made: objects, index and refs fsynced (git >= 2.36)
GIT_FSYNC = ["-c", "core.fsync=all", "-c", "core.fsyncMethod=fsync"]


def run(cmd: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)
        ) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, p.stdout


def edit(path: Path, seed: str, step: int) -> None:
    """20 bytes replaced at a random offset, in place; the mtime ``step`` minutes on."""
    rng = random.Random(seed)
    at = rng.randrange(path.stat().st_size - 20)
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(bytes(rng.choice(b"abcdefghij") for _ in range(20)))
    stamp = CLOCK + 60 * step
    os.utime(path, (stamp, stamp))


def largest_json(folder: Path) -> Path:
    files = [p for p in folder.rglob("*.json") if p.is_file()]
    return max(files, key=lambda p: (p.stat().st_size, p.name == "draft_content.json"))


class Bench:
    def __init__(self, work: Path, dk: str | None = None) -> None:
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(work / "fixture", filter="data")
        [source] = (work / "fixture").iterdir()
        self.draft = source.name
        self.dk_folder = work / "dk" / "drafts" / source.name
        self.git_folder = work / "git" / "drafts" / source.name
        self.gits_folder = work / "git-fsync" / "drafts" / source.name
        for folder in (self.dk_folder, self.git_folder, self.gits_folder):
            shutil.copytree(source, folder)
            for p in folder.rglob("*"):
                if p.is_file():
                    os.utime(p, (CLOCK, CLOCK))
        self.rel = largest_json(source).relative_to(source)
        exe = dk or shutil.which("draftkeeper", path=str(Path(sys.executable).parent))
        self.dk = [exe] if exe else [sys.executable, "-m", "draftkeeper"]
        self.dk_env = dict(os.environ, DRAFTKEEPER_HOME=str(work / "dk" / "home"))
        # as installed: bytecode is cached (pip compiles it at install; a sandbox's
        # PYTHONDONTWRITEBYTECODE would make every start compile the app from source)
        self.dk_env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.opts = ["--root", str(self.dk_folder.parent), "--store", str(work / "dk" / "store")]
        who = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@draftkeeper.invalid",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@draftkeeper.invalid"}
        self.git_env = dict(os.environ, **who, GIT_DIR=str(work / "git" / "repo"),
                            GIT_WORK_TREE=str(self.git_folder), GIT_CONFIG_NOSYSTEM="1",
                            GIT_CONFIG_GLOBAL=os.devnull)
        self.gits_env = dict(self.git_env, GIT_DIR=str(work / "git-fsync" / "repo"),
                             GIT_WORK_TREE=str(self.gits_folder))
        for folder, env in ((self.git_folder, self.git_env), (self.gits_folder, self.gits_env)):
            for cmd in (["git", "init", "-q"], ["git", "config", "core.autocrlf", "false"],
                        ["git", "config", "gc.auto", "0"], ["git", "add", "-A"],
                        ["git", "commit", "-q", "-m", "first"]):
                run(cmd, folder, env)
        self.save()  # the first version (and the bytecode compiled)
        self.step = 0

    def dk_run(self, *args: str) -> tuple[float, float, str]:
        return run([*self.dk, *args], self.dk_folder.parent, self.dk_env)

    def save(self) -> tuple[float, float, str]:
        took, cpu, out = self.dk_run("save", self.draft, *self.opts)
        self.version = out.split(" as version ")[1].split()[0]
        return took, cpu, out

    def edit_both(self, kind: str, i: int) -> None:
        self.step += 1
        for folder in (self.dk_folder, self.git_folder, self.gits_folder):
            edit(folder / self.rel, f"{kind}/{i}", self.step)

    def measures(self) -> dict[str, Callable[[], tuple[float, float, str]]]:
        py = [sys.executable, "-c", "import json"]
        fsync = " ".join(GIT_FSYNC)

        def changed() -> tuple[float, float, str]:
            took, cpu, out = self.save()
            assert out.startswith("saved"), out
            return took, cpu, out

        def unchanged() -> tuple[float, float, str]:
            took, cpu, out = self.save()
            assert out.startswith("unchanged"), out
            return took, cpu, out

        def restore() -> tuple[float, float, str]:
            took, cpu, out = self.dk_run("restore", self.draft, self.version, *self.opts)
            assert out.startswith("restored"), out
            return took, cpu, out

        def help_() -> tuple[float, float, str]:
            took, cpu, out = self.dk_run("--help")
            assert "usage: draftkeeper" in out, out
            return took, cpu, out

        return {
            "python -c 'import json'": lambda: run(py, self.dk_folder, self.dk_env),
            "dk --version": lambda: self.dk_run("--version"),
            "dk --help": help_,
            "dk save (changed)": changed,
            "git add -A && git commit": lambda: run(
                ["sh", "-c", "git add -A && git commit -q -m save"], self.git_folder,
                self.git_env),
            "dk save (unchanged)": unchanged,
            "dk restore latest": restore,
            "git checkout -- .": lambda: run(["git", "checkout", "--", "."], self.git_folder,
                                             self.git_env),
            "git add && commit, core.fsync=all": lambda: run(
                ["sh", "-c", f"git {fsync} add -A && git {fsync} commit -q -m save"],
                self.gits_folder, self.gits_env),
            "git checkout, core.fsync=all + sync": lambda: run(
                ["sh", "-c", f"git {fsync} checkout -- . && sync -- '{self.rel}' ."],
                self.gits_folder, self.gits_env),
        }

    def round(self, i: int, samples: dict[str, list[tuple[float, float]]]) -> None:
        m = self.measures()
        # three groups, each rotated: starts, saves (an edit first), restores (an edit
        # first, left unsaved; the last saved version brought back)
        starts = ["python -c 'import json'", "dk --version", "dk --help"]
        for name in starts[i % 3:] + starts[:i % 3]:
            samples[name].append(m[name]()[:2])
        self.edit_both("save", i)
        saves = ["dk save (changed)", "git add -A && git commit",
                 "git add && commit, core.fsync=all"]
        for name in saves[i % 3:] + saves[:i % 3]:
            samples[name].append(m[name]()[:2])
        samples["dk save (unchanged)"].append(m["dk save (unchanged)"]()[:2])
        samples["python -c 'import json'"].append(m["python -c 'import json'"]()[:2])
        self.edit_both("restore", i)
        restores = ["dk restore latest", "git checkout -- .",
                    "git checkout, core.fsync=all + sync"]
        for name in restores[i % 3:] + restores[:i % 3]:
            samples[name].append(m[name]()[:2])


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", action="store_true", help="also write bench/out/cli.json")
    parser.add_argument("--dk", metavar="CMD", help="the Draft Keeper command to measure "
                        "(default: this venv's draftkeeper)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    print(f"{os.cpu_count()} cores; load average (1/5/15 min) before: {fmt_load(load_before)}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="dk-cli-", dir=os.environ.get("BENCH_DIR")) as t:
        bench = Bench(Path(t), args.dk)
        samples: dict[str, list[tuple[float, float]]] = {k: [] for k in bench.measures()}
        for i in range(args.runs):
            bench.round(i, samples)
            if (i + 1) % 5 == 0 or i + 1 == args.runs:
                print(f"  round {i + 1}/{args.runs}, load {os.getloadavg()[0]:.2f}", flush=True)
    load_after = os.getloadavg()
    wall = {k: statistics.median(s[0] for s in v) * 1000 for k, v in samples.items()}
    cpu = {k: statistics.median(s[1] for s in v) * 1000 for k, v in samples.items()}
    print(f"\nmedians of {args.runs} rounds; load average before {fmt_load(load_before)}, "
          f"after {fmt_load(load_after)}")
    print("| process | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    for name in samples:
        print(f"| {name} | {wall[name]:.1f} | {cpu[name]:.1f} |")
    print("\n| measure | Draft Keeper / baseline (wall) | (CPU) | target |")
    print("| --- | ---: | ---: | --- |")
    ratios = {}
    for label, dk, base, target in PAIRS:
        ratios[label] = {"wall": wall[dk] / wall[base], "cpu": cpu[dk] / cpu[base]}
        goal = (f"<= {target:.1f}x" if target else "as before (~1.0-1.2x)" if base.startswith(
            "python") else "(for comparison)")
        ok = "" if target is None else (" met" if ratios[label]["wall"] <= target else " NOT met")
        print(f"| {label}: {dk} / {base} | {ratios[label]['wall']:.2f}x | "
              f"{ratios[label]['cpu']:.2f}x | {goal}{ok} |")
    if args.json:
        out = REPO / "bench" / "out" / "cli.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"runs": args.runs, "load_before": load_before,
                                   "load_after": load_after, "wall_ms": wall, "cpu_ms": cpu,
                                   "ratios": ratios}, indent=2) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
