"""Machines for the shared-store tests: each its own home (HOME and XDG folders), local
store and draft root, running the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from draftkeeper.core.settings.table import Settings
from tests.seaweed import Seaweed

REPO = Path(__file__).resolve().parents[2]


class Machine:
    def __init__(self, base: Path, name: str, seaweed: Seaweed, url: str,
                 settings: Settings | None = None) -> None:
        self.name = name
        self.home = base / f"home-{name}"
        self.store = base / f"store-{name}"
        self.root = base / f"root-{name}"
        self.root.mkdir(parents=True)
        self.url = url
        self.env = {k: v for k, v in os.environ.items()
                    if k != "DRAFTKEEPER_HOME" and not k.startswith(("XDG_", "AWS_"))}
        self.env |= {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config"),
                     "XDG_DATA_HOME": str(self.home / ".local/share"),
                     "XDG_STATE_HOME": str(self.home / ".local/state"),
                     "XDG_CACHE_HOME": str(self.home / ".cache"),
                     "PYTHONPATH": str(REPO)} | seaweed.env()
        if settings is not None:
            path = self.home / ".config" / "draftkeeper" / "settings.json"
            path.parent.mkdir(parents=True)
            data = settings.to_dict()
            path.write_text(json.dumps(data))

    def args(self) -> list[str]:
        return ["--root", str(self.root), "--store", str(self.store), "--share", self.url,
                "--machine", self.name]

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "draftkeeper", *args, *self.args()],
                                cwd=REPO, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        proc = self.popen(*args)
        out, err = proc.communicate(timeout=180)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        if ok:
            assert done.returncode == 0, (args, done.returncode, out, err)
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)
