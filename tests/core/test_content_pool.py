"""Where draft JSON is parsed: small files in the calling thread, big ones in a helper
process that is started only when the first big file comes, and parsed here when that
process cannot do it (real fixture drafts, real processes)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from draftkeeper.core.drafts.content import ContentParser, parse_facts
from draftkeeper.core.platform.workers import Worker, command
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID


def test_the_helper_process_starts_only_for_a_big_draft(fixture_root: Path) -> None:
    started: list[list[str]] = []

    def program() -> list[str]:
        started.append(command())
        return started[-1]

    workers: list[Worker] = []

    def factory() -> Worker:
        workers.append(Worker(program))
        return workers[-1]

    parser = ContentParser(pool_factory=factory)
    small = parser.file_facts(fixture_root / TEMPLATE_ID / "draft_content.json")
    assert small is not None and small.summary.tracks == 1
    assert started == []
    big = parser.file_facts(fixture_root / CAPTIONS_ID / "draft_content.json")
    assert big is not None and big.summary.texts == 2000
    assert big == parse_facts(str(fixture_root / CAPTIONS_ID / "draft_content.json"))
    assert len(started) == 1 and workers[0].pid is not None
    again = parser.file_facts(fixture_root / CAPTIONS_ID / "draft_content.json")
    assert again == big and parser.parsed == 2  # cached by path, size and time
    pid = workers[0].pid
    parser.close()
    assert workers[0].pid is None
    assert pid is not None and not Path(f"/proc/{pid}").exists()  # ended and reaped


def test_a_killed_helper_process_leaves_the_parsing_to_the_caller(fixture_root: Path) -> None:
    worker = Worker()
    parser = ContentParser(pool_factory=lambda: worker)  # (one process, asked each time)
    raw = (fixture_root / CAPTIONS_ID / "draft_content.json").read_bytes()
    first = parser.blob_facts("a" * 64, lambda: raw)
    assert first is not None and first.summary.texts == 2000
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    again = parser.blob_facts("b" * 64, lambda: raw)  # parsed here: the same facts
    assert again == first and worker.broken
    texts = parser.texts("c" * 64, lambda: raw)  # (no process is asked any more)
    assert texts is not None and len(texts) == 2000
    parser.close()
