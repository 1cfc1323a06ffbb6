"""The log file rolls over as logging's RotatingFileHandler does (core/logs.py keeps
``logging.handlers`` out of every command's start)."""

from __future__ import annotations

import logging
from pathlib import Path

from draftkeeper.core.logs import RotatingFile


def test_the_log_rolls_over_at_its_size_and_keeps_three_old_files(tmp_path: Path) -> None:
    path = tmp_path / "draftkeeper.log"
    handler = RotatingFile(path, 1000, 3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("test_logs_rollover")
    log.propagate = False
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        for i in range(200):
            log.info("line %03d %s", i, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["draftkeeper.log", "draftkeeper.log.1", "draftkeeper.log.2",
                     "draftkeeper.log.3"]
    assert all(p.stat().st_size < 1000 for p in tmp_path.iterdir())
    lines = [line for name in reversed(files) for line in (tmp_path / name).read_text().splitlines()]
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(numbers[0], 200))  # the newest lines, in order, none lost
    assert path.read_text().splitlines()[-1].startswith("line 199")
