"""Save and restore as a user waits for them, beside copying the draft, in one run.

    python bench/save.py [--runs N]

On the 5.5 MB-per-file capcut-mate fixture (11 MB) and a synthetic 52 MB draft, each
round measures, as whole processes started from here (the installed ``draftkeeper``):

(a) changed save: ``draftkeeper save DRAFT`` after 20 bytes replaced at a random offset of
    the draft's largest JSON file (as bench/peers.py and bench/cli.py edit);
(b) unchanged save: the same command at once after it (answered from stat data);
(c) baseline: ``cp -r DRAFT COPY && sync COPY/*`` (every file copied and fsynced);
(d) restore: ``draftkeeper restore DRAFT VERSION`` of the latest version, after another
    20-byte edit left unsaved (so it first saves that state, as every restore does).

and, for the store's own share without the process start, the same changed save and
restore inside this process (``LocalEngine.save_sync`` / ``restore_sync``). Beside each
median, the CPU time (user + system) of the process in the same runs: the copy mostly
waits for the disk while a save or a restore also hashes and (de)compresses, so their
ratios grow when other programs take the cores. Each edit's mtime is a minute after the
one before (ten days back), so no save sees a file written within its timestamp
granularity. The measures alternate within each round; the load average is printed.
Targets (issue 14, now of whole processes): (a) <= 1x (c) for the fixture, <= 2x for the
52 MB draft; (d) <= 1.5x (c) for the fixture.
"""

from __future__ import annotations

import argparse
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
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings import table as settings_table
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / (
    "capcut-mate-draft-2000-captions.tar.gz"
)
CLOCK = time.time() - 10 * 86400  # the files' mtime; each edit adds a minute


def synthetic_draft(folder: Path, total_mb: int) -> None:
    """JSON-like text (compresses like a real draft) in 10 files."""
    rng = random.Random(7)
    words = [f'"text_{i}": "{rng.random():.12f}", "start": {i * 1000}' for i in range(4096)]
    folder.mkdir(parents=True)
    per_file = total_mb * 1024 * 1024 // 10
    for n in range(10):
        parts, size = [], 0
        while size < per_file:
            w = rng.choice(words)
            parts.append(w)
            size += len(w) + 2
        (folder / f"part_{n}.json").write_text("{" + ", ".join(parts) + "}")


def age(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (CLOCK, CLOCK))


def largest_json(folder: Path) -> Path:
    return max((p for p in folder.rglob("*.json") if p.is_file()),
               key=lambda p: (p.stat().st_size, p.name == "draft_content.json"))


class Editor:
    """20 bytes replaced at a random offset of one file; each edit's mtime a minute on."""

    def __init__(self, path: Path, seed: str) -> None:
        self.path, self.rng, self.step = path, random.Random(seed), 0

    def __call__(self) -> None:
        self.step += 1
        at = self.rng.randrange(self.path.stat().st_size - 20)
        with open(self.path, "r+b") as f:
            f.seek(at)
            f.write(bytes(self.rng.choice(b"abcdefghij") for _ in range(20)))
        stamp = CLOCK + 60 * self.step
        os.utime(self.path, (stamp, stamp))


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, p.stdout


def in_process(fn: Callable[[], object]) -> tuple[float, float]:
    c0, t = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t, time.process_time() - c0


def bench(label: str, root: Path, draft_id: str, work: Path, runs: int, goal: float) -> None:
    folder = root / draft_id
    age(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    home, store = work / "home", work / "store"
    settings_table.save(Settings(keep_last=10_000), home / "config" / "settings.json")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode is cached
    exe = shutil.which("draftkeeper", path=str(Path(sys.executable).parent))
    dk = [exe] if exe else [sys.executable, "-m", "draftkeeper"]
    opts = ["--root", str(root), "--store", str(store)]
    edit = Editor(largest_json(folder), label)
    run([*dk, "save", draft_id, *opts], env)  # the first version (and bytecode compiled)
    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store))

    samples: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("a", "b", "c", "d", "a in process", "d in process")}
    version = ""
    for i in range(runs):
        def save(kind: str) -> None:
            nonlocal version
            took, cpu, out = run([*dk, "save", draft_id, *opts], env)
            assert out.startswith("saved" if kind == "a" else "unchanged"), out
            version = out.split(" as version ")[1].split()[0]
            samples[kind].append((took, cpu))

        def copy() -> None:
            dest = work / "copy"
            took, cpu, _ = run(["sh", "-c", 'cp -r "$1" "$2" && sync "$2"/* "$2"', "sh",
                                str(folder), str(dest)], env)
            samples["c"].append((took, cpu))
            shutil.rmtree(dest)

        def restore() -> None:
            edit()
            took, cpu, out = run([*dk, "restore", draft_id, version, *opts], env)
            assert out.startswith("restored"), out
            samples["d"].append((took, cpu))

        steps = [copy, lambda: (edit(), save("a"), save("b"))]
        for step in steps[i % 2:] + steps[:i % 2]:
            step()
        restore()
        edit()  # the store's share: the same work inside this process
        samples["a in process"].append(in_process(lambda: engine.save_sync(draft_id)))
        latest = engine.store.latest(draft_id)
        assert latest is not None
        edit()
        samples["d in process"].append(
            in_process(partial(engine.restore_sync, draft_id, latest.version)))

    med = {k: statistics.median(x[0] for x in v) * 1000 for k, v in samples.items()}
    cpu = {k: statistics.median(x[1] for x in v) * 1000 for k, v in samples.items()}
    print(f"{label} ({size / 1e6:.1f} MB in {files} files; edits in {edit.path.name}); "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    names = {"a": "(a) changed save", "b": "(b) unchanged save", "c": "(c) cp -r + sync",
             "d": "(d) restore", "a in process": "    (a) in process",
             "d in process": "    (d) in process"}
    for k, name in names.items():
        print(f"  {name:22} median {med[k]:8.2f} ms   cpu {cpu[k]:7.2f} ms")
    print(f"  ratio (a)/(c)          {med['a'] / med['c']:8.2f}x   (cpu {cpu['a'] / cpu['c']:.2f}x)"
          f"   target <= {goal:.1f}x")
    print(f"  ratio (d)/(c)          {med['d'] / med['c']:8.2f}x   (cpu {cpu['d'] / cpu['c']:.2f}x)"
          "   target <= 1.5x (fixture)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="dk-bench-", dir=os.environ.get("BENCH_DIR")) as tmp:
        work = Path(tmp)
        fixture_root = work / "fixture"
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(fixture_root, filter="data")
        [draft_id] = [p.name for p in fixture_root.iterdir()]
        bench("capcut-mate fixture draft", fixture_root, draft_id, work / "w1", args.runs, 1.0)
        synth_root = work / "synthetic"
        synthetic_draft(synth_root / "synthetic-52mb", 50)  # 50 MiB = 52.4 MB
        bench("synthetic 52 MB draft", synth_root, "synthetic-52mb", work / "w2", args.runs, 2.0)


if __name__ == "__main__":
    main()
