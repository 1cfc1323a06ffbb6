"""The log file rolls over as logging's RotatingFileHandler does (core/logs.py keeps
``logging.handlers`` out of every command's start), and a command on one local draft
writes it without ``logging`` in the very lines ``logging`` would have written."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftkeeper.core import logs


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A DRAFTKEEPER_HOME of its own; the root logger and the plain writer as they were
    afterwards."""
    monkeypatch.setenv("DRAFTKEEPER_HOME", str(tmp_path / "home"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path / "home"
    for h in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(h)
        h.close()
    root.setLevel(level)
    monkeypatch.setattr(logs, "_plain", None)


def write_lines(way: str, path: Path, count: int) -> None:
    if way == "plain":
        out = logs.PlainFile(path, 1000, 3, logs.INFO)
        for i in range(count):
            out.line("test", logs.INFO, f"line {i:03d} {'x' * 40}")
        return
    handler = logs.rotating_file(path, 1000, 3)
    handler.setFormatter(logging.Formatter("line %(message)s"))
    log = logging.getLogger("test_logs_rollover")
    log.propagate = False
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        for i in range(count):
            log.info("%03d %s", i, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()


@pytest.mark.parametrize("way", ["logging", "plain"])
def test_the_log_rolls_over_at_its_size_and_keeps_three_old_files(tmp_path: Path,
                                                                  way: str) -> None:
    path = tmp_path / "draftkeeper.log"
    write_lines(way, path, 200)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["draftkeeper.log", "draftkeeper.log.1", "draftkeeper.log.2",
                     "draftkeeper.log.3"]
    assert all(p.stat().st_size < 1000 for p in tmp_path.iterdir())
    lines = [line for name in reversed(files) for line in (tmp_path / name).read_text().splitlines()]
    numbers = [int(line.split("line ")[1].split()[0]) for line in lines]
    assert numbers == list(range(numbers[0], 200))  # the newest lines, in order, none lost
    assert "line 199" in path.read_text().splitlines()[-1]


STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.M)


def logged(plain: bool) -> str:
    """What a save's modules log, through logging or plain, timestamps taken out."""
    path = logs.setup(plain=plain)
    path.unlink(missing_ok=True)
    log = logs.Logger("draftkeeper.core.saving.scheduler")
    log.info("draftkeeper %s: %s", "0.1.0", "save")
    log.log(logs.DEBUG, "%s: %s -> %s", "routine", "clean", "saving")  # below the level
    log.warning("saving http://user:pw@host/x?token=abc&draft_id=d1 -> %s", "failed")
    log.log(logs.INFO, "no arguments: 100% kept")
    try:
        raise OSError(5, "Input/output error")
    except OSError:
        log.exception("cannot record the attempt of %s", "d1")
    text = path.read_text(encoding="utf-8")
    assert STAMP.match(text)
    return STAMP.sub("", text)


def test_plain_lines_are_the_lines_logging_writes(home: Path) -> None:
    through_logging = logged(plain=False)
    plain = logged(plain=True)
    assert plain == through_logging
    assert "routine" not in plain
    assert "http://***@host/x?token=***&draft_id=d1" in plain and "pw" not in plain
    assert "ERROR draftkeeper.core.saving.scheduler: cannot record the attempt of d1\n" \
           "Traceback (most recent call last):" in plain
    assert plain.rstrip().endswith("OSError: [Errno 5] Input/output error")


def test_a_command_that_needs_the_session_after_all_logs_through_logging(home: Path) -> None:
    path = logs.setup(plain=True)
    logs.Logger("draftkeeper").info("before")
    logs.through_logging()  # (cli/common.in_session)
    logging.getLogger("httpx").warning("a library's line")
    logs.Logger("draftkeeper").info("after")
    lines = [STAMP.sub("", line) for line in path.read_text().splitlines()]
    assert lines == ["INFO draftkeeper: before", "WARNING httpx: a library's line",
                     "INFO draftkeeper: after"]
