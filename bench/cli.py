"""Whole-process command line, each measure beside its baseline in the same run.

    .venv/bin/python bench/cli.py [--runs N] [--json] [--baseline DIR] [--python dev]

Every figure is one whole process as a user starts it (the installed ``draftkeeper``
console script), timed wall-clock from here, with its CPU time (user + system, from the
kernel's accounting of the child).

Installed as a user installs it: the processes run in a venv of their own,
``bench/out/venv-cli``, where this checkout is installed with ``pip install .`` (made on
first use, ~20 s; this checkout reinstalled into it whenever its sources changed) by a pip
upgraded first, as the README's install (the Makefile) does: the ``draftkeeper`` launcher
is written by that pip (Python 3.11's bundled pip 23.2.1 writes one that imports ``re``, ~5
ms of every start with the ``enum`` it loads; one by a current pip imports only ``sys``),
and every baseline that is a Python process runs with that venv's interpreter too. The
development venv's editable install is not what a user waits for: its finder, imported from
a ``.pth`` at every start of that interpreter, loads pathlib, re, urllib.parse and
importlib.util (~10 ms of a 20 ms ``python -c pass``), for Draft Keeper and its ``python -c
"import json"`` baseline alike. ``--python dev`` measures with the development venv
instead. ``--baseline DIR`` (e.g. /tmp/base6/app: a folder holding another ``draftkeeper``
package) measures that code too, as "before", in the same rounds, installed the same way
in a venv of its own (``bench/out/venv-cli-before``: this checkout installed as above, then
its ``draftkeeper`` package replaced by a copy of DIR's, compiled as pip compiles it), on a
draft and store of its own that get the same edits. (It was run with DIR first on
``PYTHONPATH``: that costs every import a folder more to search, 2-3.5 ms of a save
measured with the same code on both sides, and made the code before look that much slower.)



| measure | Draft Keeper | baseline | target (issue 20) |
| --- | --- | --- | --- |
| version | ``draftkeeper --version`` | ``python -c "import json"`` (the same venv python) | <= 1.5x |
| help | ``draftkeeper --help`` | the same | <= 1.5x |
| changed save | ``draftkeeper save DRAFT`` after a 20-byte edit | ``git add -A && git commit -q`` of the same edit | <= 1.0x |
| both JSON files | the same after the edit's file is copied over its twin (CapCut writes ``draft_content.json`` and ``draft_info.json`` together) | the same commit of that | (for comparison) |
| unchanged save | ``draftkeeper save DRAFT`` again (the quick answer, cli/front.py) | ``python -c "import json"`` | as fast as before (about 1.0-1.2x) |
| restore | ``draftkeeper restore DRAFT VERSION`` of the latest version, after a 20-byte edit left unsaved (so it first saves that state, as every restore does) | ``git checkout -- .`` after the same edit | <= 1.5x |

git makes nothing durable by default (no fsync), while a Draft Keeper version exists only
once its manifest and every blob it names are on disk, and a restore returns once the
restored files are. So each git baseline is also run as durable as git can be made, in its
own repository with the same edits, and printed beside the issue's ratio (which stays the
headline): ``git -c core.fsync=all -c core.fsyncMethod=fsync`` (objects, index and refs
fsynced) for the commit, and the same checkout followed by ``sync`` of the file it wrote
and of the draft folder (git never fsyncs the working tree) for the restore.

``git checkout -- .`` throws the unsaved edit away; a Draft Keeper restore keeps it as a
version first. So the restore is also printed beside ``git stash`` (in a third repository
with the same edits), git doing that same job: the edit kept, the last commit's files back.
And ``python -c pass`` (the venv's interpreter starting and ending, no import of ours) is
printed beside ``git checkout -- .``: the floor under any command written in Python.

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
import hashlib
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
    ("changed save, both JSON files", "dk save (both changed)",
     "git add -A && git commit (both)", None),
    ("restore, durable git", "dk restore latest", "git checkout, core.fsync=all + sync", None),
    ("restore, git keeping the edit", "dk restore latest", "git stash", None),
    ("an interpreter's start alone", "python -c pass", "git checkout -- .", None),
)
BEFORE = ("dk --version", "dk --help", "dk save (changed)", "dk save (unchanged)",
          "dk restore latest", "dk save (both changed)")  # the measures also made of --baseline's code
VENV = REPO / "bench" / "out" / "venv-cli"
# how that venv is made (its stamp's first line: a venv made another way is made again)
VENV_RECIPE = "venv, pip upgraded, pip install ."
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


def sources_digest() -> str:
    """What ``pip install .`` installs from this checkout, as one digest."""
    h = hashlib.sha256()
    files = [REPO / "pyproject.toml", *sorted(
        p for top in ("app", "resources") for p in (REPO / top).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts)]
    for p in files:
        h.update(f"{p.relative_to(REPO)}\0".encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def installed_python() -> Path:
    """The python of ``bench/out/venv-cli``, where this checkout is installed as a user
    installs it (``pip install .``: no editable finder); made or brought up to date now."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".draftkeeper-sources"
    digest = f"{VENV_RECIPE}\n{sources_digest()}"
    made = stamp.read_text() if stamp.exists() else ""
    if made == digest and python.exists():
        return python
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if not python.exists() or made.split("\n")[0] != VENV_RECIPE:  # new, or made otherwise
        print(f"making {VENV} (pip upgraded, then pip install .)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run([*pip, "--upgrade", "pip"], check=True)  # as the Makefile does
        subprocess.run([*pip, str(REPO)], check=True)
    else:
        print(f"reinstalling this checkout into {VENV}", flush=True)
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(REPO)], check=True)
    stamp.write_text(digest)
    return python


def baseline_python(baseline: Path) -> Path:
    """The python of ``bench/out/venv-cli-before``: made as ``installed_python``'s venv is,
    then its installed ``draftkeeper`` replaced by the package in ``baseline`` (compiled as
    pip compiles it); made again whenever that package or this checkout changed."""
    venv = VENV.with_name(VENV.name + "-before")
    python = venv / "bin" / "python"
    stamp = venv / ".draftkeeper-sources"
    h = hashlib.sha256(f"{VENV_RECIPE}\n{sources_digest()}".encode())
    for p in sorted((baseline / "draftkeeper").rglob("*.py")):
        h.update(f"{p.relative_to(baseline)}\0".encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    digest = h.hexdigest()
    if stamp.exists() and stamp.read_text() == digest and python.exists():
        return python
    print(f"making {venv} (as {VENV}, with {baseline}'s package)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, str(REPO)], check=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                           "'purelib'))"], check=True, capture_output=True, text=True)
    target = Path(site.stdout.strip()) / "draftkeeper"
    shutil.rmtree(target)
    shutil.copytree(baseline / "draftkeeper", target,
                    ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([str(python), "-m", "compileall", "-q", str(target)], check=True)
    stamp.write_text(digest)
    return python


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


class DraftKeeper:
    """One Draft Keeper under measure: its command, environment, draft folder and store."""

    def __init__(self, work: Path, source: Path, cmd: list[str], env: dict[str, str]) -> None:
        self.folder = work / "drafts" / source.name
        shutil.copytree(source, self.folder)
        for p in self.folder.rglob("*"):
            if p.is_file():
                os.utime(p, (CLOCK, CLOCK))
        self.draft = source.name
        self.cmd = cmd
        self.env = dict(env, DRAFTKEEPER_HOME=str(work / "home"))
        # as installed: bytecode is cached (pip compiles it at install; a sandbox's
        # PYTHONDONTWRITEBYTECODE would make every start compile the app from source)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.opts = ["--root", str(self.folder.parent), "--store", str(work / "store")]
        self.save()  # the first version (and the bytecode compiled)

    def run(self, *args: str) -> tuple[float, float, str]:
        return run([*self.cmd, *args], self.folder.parent, self.env)

    def save(self) -> tuple[float, float, str]:
        took, cpu, out = self.run("save", self.draft, *self.opts)
        self.version = out.split(" as version ")[1].split()[0]
        return took, cpu, out

    def measures(self) -> dict[str, Callable[[], tuple[float, float, str]]]:
        def changed() -> tuple[float, float, str]:
            took, cpu, out = self.save()
            assert out.startswith("saved"), out
            return took, cpu, out

        def unchanged() -> tuple[float, float, str]:
            took, cpu, out = self.save()
            assert out.startswith("unchanged"), out
            return took, cpu, out

        def restore() -> tuple[float, float, str]:
            took, cpu, out = self.run("restore", self.draft, self.version, *self.opts)
            assert out.startswith("restored"), out
            return took, cpu, out

        def help_() -> tuple[float, float, str]:
            took, cpu, out = self.run("--help")
            assert "usage: draftkeeper" in out, out
            return took, cpu, out

        return {"dk --version": lambda: self.run("--version"), "dk --help": help_,
                "dk save (changed)": changed, "dk save (unchanged)": unchanged,
                "dk save (both changed)": changed,
                "dk restore latest": restore}


class Bench:
    def __init__(self, work: Path, python: Path, dk: str | None = None,
                 baseline: Path | None = None) -> None:
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(work / "fixture", filter="data")
        [source] = (work / "fixture").iterdir()
        self.python = python
        self.git_folder = work / "git" / "drafts" / source.name
        self.gits_folder = work / "git-fsync" / "drafts" / source.name
        self.stash_folder = work / "git-stash" / "drafts" / source.name
        for folder in (self.git_folder, self.gits_folder, self.stash_folder):
            shutil.copytree(source, folder)
            for p in folder.rglob("*"):
                if p.is_file():
                    os.utime(p, (CLOCK, CLOCK))
        self.rel = largest_json(source).relative_to(source)
        # the file CapCut writes beside it, with the same content (draft_info.json)
        self.twin = self.rel.with_name("draft_info.json" if self.rel.name != "draft_info.json"
                                       else "draft_content.json")
        exe = dk or shutil.which("draftkeeper", path=str(python.parent))
        cmd = [exe] if exe else [str(python), "-m", "draftkeeper"]
        self.dk = DraftKeeper(work / "dk", source, cmd, dict(os.environ))
        self.before: DraftKeeper | None = None
        if baseline is not None:  # installed the same way, in a venv of its own
            before = baseline_python(baseline)
            self.before = DraftKeeper(work / "before", source,
                                      [str(before.parent / "draftkeeper")], dict(os.environ))
        who = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@draftkeeper.invalid",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@draftkeeper.invalid"}
        self.git_env = dict(os.environ, **who, GIT_DIR=str(work / "git" / "repo"),
                            GIT_WORK_TREE=str(self.git_folder), GIT_CONFIG_NOSYSTEM="1",
                            GIT_CONFIG_GLOBAL=os.devnull)
        self.gits_env = dict(self.git_env, GIT_DIR=str(work / "git-fsync" / "repo"),
                             GIT_WORK_TREE=str(self.gits_folder))
        self.stash_env = dict(self.git_env, GIT_DIR=str(work / "git-stash" / "repo"),
                              GIT_WORK_TREE=str(self.stash_folder))
        for folder, env in ((self.git_folder, self.git_env), (self.gits_folder, self.gits_env),
                            (self.stash_folder, self.stash_env)):
            for cmd in (["git", "init", "-q"], ["git", "config", "core.autocrlf", "false"],
                        ["git", "config", "gc.auto", "0"], ["git", "add", "-A"],
                        ["git", "commit", "-q", "-m", "first"]):
                run(cmd, folder, env)
        self.step = 0

    def edit_both(self, kind: str, i: int, twin: bool = False) -> None:
        """The same edit in every copy; ``twin``: the edited file then copied over its
        twin, as CapCut writes draft_content.json and draft_info.json together."""
        self.step += 1
        folders = [self.dk.folder, self.git_folder, self.gits_folder, self.stash_folder]
        if self.before is not None:
            folders.append(self.before.folder)
        for folder in folders:
            edit(folder / self.rel, f"{kind}/{i}", self.step)
            if twin:
                other = folder / self.twin
                shutil.copyfile(folder / self.rel, other)
                stamp = CLOCK + 60 * self.step
                os.utime(other, (stamp, stamp))

    def measures(self) -> dict[str, Callable[[], tuple[float, float, str]]]:
        py = [str(self.python), "-c", "import json"]
        fsync = " ".join(GIT_FSYNC)
        dk = self.dk.measures()
        m = {
            "python -c 'import json'": lambda: run(py, self.dk.folder, self.dk.env),
            "python -c pass": lambda: run([str(self.python), "-c", "pass"], self.dk.folder,
                                          self.dk.env),
            **dk,
            "git add -A && git commit": lambda: run(
                ["sh", "-c", "git add -A && git commit -q -m save"], self.git_folder,
                self.git_env),
            "git add -A && git commit (both)": lambda: run(
                ["sh", "-c", "git add -A && git commit -q -m save"], self.git_folder,
                self.git_env),
            "git checkout -- .": lambda: run(["git", "checkout", "--", "."], self.git_folder,
                                             self.git_env),
            "git stash": lambda: run(["git", "stash", "-q"], self.stash_folder, self.stash_env),
            "git add && commit, core.fsync=all": lambda: run(
                ["sh", "-c", f"git {fsync} add -A && git {fsync} commit -q -m save"],
                self.gits_folder, self.gits_env),
            "git checkout, core.fsync=all + sync": lambda: run(
                ["sh", "-c", f"git {fsync} checkout -- . && sync -- '{self.rel}' ."],
                self.gits_folder, self.gits_env),
        }
        if self.before is not None:
            m |= {f"before: {k}": v for k, v in self.before.measures().items()}
        return m

    def round(self, i: int, samples: dict[str, list[tuple[float, float]]]) -> None:
        m = self.measures()

        def rotated(names: list[str]) -> list[str]:
            names = [n for n in names if n in m]
            k = i % len(names)
            return names[k:] + names[:k]

        # three groups, each rotated: starts, saves (an edit first), restores (an edit
        # first, left unsaved; the last saved version brought back)
        for name in rotated(["python -c 'import json'", "python -c pass", "dk --version",
                             "dk --help",
                             "before: dk --version", "before: dk --help"]):
            samples[name].append(m[name]()[:2])
        self.edit_both("save", i)
        for name in rotated(["dk save (changed)", "git add -A && git commit",
                             "git add && commit, core.fsync=all", "before: dk save (changed)"]):
            samples[name].append(m[name]()[:2])
        for name in rotated(["dk save (unchanged)", "python -c 'import json'",
                             "before: dk save (unchanged)"]):
            samples[name].append(m[name]()[:2])
        self.edit_both("both", i, twin=True)
        for name in rotated(["dk save (both changed)", "git add -A && git commit (both)",
                             "before: dk save (both changed)"]):
            samples[name].append(m[name]()[:2])
        self.edit_both("restore", i)
        for name in rotated(["dk restore latest", "git checkout -- .", "git stash",
                             "git checkout, core.fsync=all + sync",
                             "before: dk restore latest"]):
            samples[name].append(m[name]()[:2])


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", action="store_true", help="also write bench/out/cli.json")
    parser.add_argument("--dk", metavar="CMD", help="the Draft Keeper command to measure "
                        "(default: the draftkeeper of the interpreter's venv)")
    parser.add_argument("--python", choices=("installed", "dev"), default="installed",
                        help="installed (default): bench/out/venv-cli, this checkout "
                        "installed with pip install .; dev: the interpreter running this")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="a folder holding another draftkeeper package, measured too")
    args = parser.parse_args()
    python = installed_python() if args.python == "installed" else Path(sys.executable)
    load_before = os.getloadavg()
    print(f"{os.cpu_count()} cores; load average (1/5/15 min) before: {fmt_load(load_before)}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="dk-cli-", dir=os.environ.get("BENCH_DIR")) as t:
        bench = Bench(Path(t), python, args.dk,
                      args.baseline.resolve() if args.baseline else None)
        samples: dict[str, list[tuple[float, float]]] = {k: [] for k in bench.measures()}
        for i in range(args.runs):
            bench.round(i, samples)
            if (i + 1) % 5 == 0 or i + 1 == args.runs:
                print(f"  round {i + 1}/{args.runs}, load {os.getloadavg()[0]:.2f}", flush=True)
    load_after = os.getloadavg()
    wall = {k: statistics.median(s[0] for s in v) * 1000 for k, v in samples.items()}
    cpu = {k: statistics.median(s[1] for s in v) * 1000 for k, v in samples.items()}
    print(f"\n{python} ({args.python}); medians of {args.runs} rounds; load average before {fmt_load(load_before)}, "
          f"after {fmt_load(load_after)}")
    print("| process | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    for name in samples:
        print(f"| {name} | {wall[name]:.1f} | {cpu[name]:.1f} |")
    before = f"before: {PAIRS[0][1]}" in samples
    head = " before (wall) | (CPU) |" if before else ""
    print(f"\n| measure | Draft Keeper / baseline (wall) | (CPU) | target |{head}")
    print("| --- | ---: | ---: | --- |" + (" ---: | ---: |" if before else ""))
    ratios = {}
    for label, dk, base, target in PAIRS:
        ratios[label] = {"wall": wall[dk] / wall[base], "cpu": cpu[dk] / cpu[base]}
        goal = (f"<= {target:.1f}x" if target else "as before (~1.0-1.2x)" if base.startswith(
            "python") else "(for comparison)")
        ok = "" if target is None else (" met" if ratios[label]["wall"] <= target else " NOT met")
        was = " - | - |" if before else ""
        if before and f"before: {dk}" in wall:
            old = f"before: {dk}"
            ratios[f"before: {label}"] = {"wall": wall[old] / wall[base],
                                          "cpu": cpu[old] / cpu[base]}
            was = (f" {ratios[f'before: {label}']['wall']:.2f}x |"
                   f" {ratios[f'before: {label}']['cpu']:.2f}x |")
        print(f"| {label}: {dk} / {base} | {ratios[label]['wall']:.2f}x | "
              f"{ratios[label]['cpu']:.2f}x | {goal}{ok} |{was}")
    if args.json:
        out = REPO / "bench" / "out" / "cli.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"runs": args.runs, "load_before": load_before,
                                   "load_after": load_after, "wall_ms": wall, "cpu_ms": cpu,
                                   "ratios": ratios}, indent=2) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
