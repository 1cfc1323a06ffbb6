"""Whole-process CLI benchmark: an unchanged ``draftkeeper save`` against a bare Python.

    python bench/cli.py [--runs N]

Runs, alternately and ``--runs`` times each, (a) ``draftkeeper save <fixture draft>`` on a
draft saved already (answers "unchanged"), (b) ``python -c "import json"`` with the same
interpreter, and (c) ``python -c "import json, asyncio"`` (the issue's earlier baseline);
prints the medians and (a)/(b). Target (issue 14): (a) <= 1.3x (b). For scale it also
times the same save through ``draftkeeper.cli.main.main`` (the full path: Session, scheduler,
asyncio), which the quick check in ``app/draftkeeper/cli/front.py`` skips.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "capcut-mate-draft-2000-captions.tar.gz"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    exe = shutil.which("draftkeeper", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory(prefix="dk-cli-") as t:
        work = Path(t)
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(work / "drafts", filter="data")
        [draft] = [p.name for p in (work / "drafts").iterdir()]
        env = dict(os.environ, DRAFTKEEPER_HOME=str(work / "home"))
        # as installed: bytecode is cached (pip compiles it at install; a sandbox's
        # PYTHONDONTWRITEBYTECODE would make every start compile the app from source)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        save = [exe or sys.executable, *([] if exe else ["-m", "draftkeeper"]), "save", draft,
                "--root", str(work / "drafts"), "--store", str(work / "store")]
        subprocess.run(save, env=env, check=True, stdout=subprocess.DEVNULL)  # saved once
        time.sleep(2.5)  # older than the racy window: the unchanged check is stat-only
        subprocess.run(save, env=env, check=True, stdout=subprocess.DEVNULL)
        full = [sys.executable, "-c", "import sys; from draftkeeper.cli.main import main; sys.exit(main())",
                *save[save.index("save"):]]
        cmds = {
            "draftkeeper save (unchanged)": save,
            "  the same through draftkeeper.cli.main (full path)": full,
            'python -c "import json"': [sys.executable, "-c", "import json"],
            'python -c "import json, asyncio"': [sys.executable, "-c", "import json, asyncio"],
        }
        samples: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                samples[name].append(timed(cmd, env))
        med = {k: statistics.median(v) * 1000 for k, v in samples.items()}
        for name, ms in med.items():
            print(f"{name:34} median {ms:7.1f} ms")
        ratio = med["draftkeeper save (unchanged)"] / med['python -c "import json"']
        print(f"ratio save / import json            {ratio:7.2f}x   target <= 1.3x")


if __name__ == "__main__":
    main()
