"""The CLI stays quick: a local save imports nothing it does not use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CAPTIONS_ID

# (the CLI runs its commands through the window's Session and scheduler, on asyncio; what
# only remote drafts, the local API, events or the window need stays out)
FORBIDDEN = ("httpx", "PySide6", "aiohttp", "qasync", "watchfiles", "pyfastcdc",
             "draftkeeper.core.serve.server", "draftkeeper.ui")
# an unchanged save is answered before any of these (app/draftkeeper/cli/front.py): the standard library
# modules cost a start 1 to 8 ms each
QUICK_FORBIDDEN = (*FORBIDDEN, "asyncio", "argparse", "draftkeeper.cli.main", "draftkeeper.core.session.session",
                   "draftkeeper.core.saving.scheduler", "draftkeeper.core.store.store", "dataclasses", "typing",
                   "hashlib", "logging", "zstandard",
                   *(("platformdirs",) if sys.platform.startswith("linux") else ()))


def imported(argv: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str],
                                                            set[str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "draftkeeper", *argv],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return proc, names


def test_a_local_save_imports_no_network_or_gui_module(
    draft_root: Path, tmp_path: Path
) -> None:
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    argv = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "store")]
    for expect in ("saved", "unchanged"):  # a changed save, then an unchanged one
        proc, names = imported(argv, env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.startswith(expect), proc.stdout
        assert "draftkeeper.core.store" in names  # the measurement itself works
        forbidden = QUICK_FORBIDDEN if expect == "unchanged" else tuple(
            f for f in FORBIDDEN if f != "pyfastcdc")  # the chunker: only to store pieces
        leaked = sorted(n for n in names
                        if any(n == f or n.startswith(f + ".") for f in forbidden))
        assert leaked == [], f"a local save imported {leaked}"
