"""Restoring processes to SIGKILL, for the restore crash test.

    python -m tests.core.restore_worker STORE ROOT TARGETS LOG

Imports once, then for every line ``fork N`` read on stdin forks a child that restores
random versions (from the JSON file TARGETS: {draft_id: [version, ...]}) until it is
killed, appending ``begin D V`` / ``end D V`` / ``fail D V`` lines to LOG.N, and prints the
child's pid; ``reap PID`` waits for a killed child and prints "reaped".
Forking from one warm process makes hundreds of kills affordable (no interpreter start).
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store


def child(store: Path, root: Path, targets: dict[str, list[str]], log: str, seed: int) -> None:
    rng = random.Random(seed)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    engine = LocalEngine(Settings(), roots=[root], store=Store(store))
    while True:
        draft_id = rng.choice(sorted(targets))
        version = rng.choice(targets[draft_id])
        os.write(fd, f"begin {draft_id} {version}\n".encode())
        try:
            engine.restore_sync(draft_id, version)
            os.write(fd, f"end {draft_id} {version}\n".encode())
        except DraftKeeperError as exc:
            os.write(fd, f"fail {draft_id} {version} {exc.message}\n".encode())


def main(argv: list[str]) -> None:
    store, root, targets_file, log = Path(argv[0]), Path(argv[1]), argv[2], argv[3]
    targets = json.loads(Path(targets_file).read_text())
    print("ready", flush=True)
    while line := sys.stdin.readline():
        command, number = line.split()
        if command == "reap":  # the test killed it: wait until it is really gone
            os.waitpid(int(number), 0)
            print("reaped", flush=True)
            continue
        seed = int(number)
        pid = os.fork()
        if pid == 0:
            try:
                child(store, root, targets, f"{log}.{seed}", seed)
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
