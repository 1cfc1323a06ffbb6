"""Where draft JSON is parsed: small files in the calling thread, big ones in a pool that
is started only when the first big file comes (real fixture drafts)."""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from draftkeeper.core.drafts.content import ContentParser
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID


def test_the_pool_starts_only_for_a_big_draft(fixture_root: Path) -> None:
    pools: list[Executor] = []

    def factory() -> Executor:
        pools.append(ThreadPoolExecutor(1))  # stands in for the process pool
        return pools[-1]

    parser = ContentParser(pool_factory=factory)
    small = parser.file_facts(fixture_root / TEMPLATE_ID / "draft_content.json")
    assert small is not None and small.summary.tracks == 1
    assert pools == []
    big = parser.file_facts(fixture_root / CAPTIONS_ID / "draft_content.json")
    assert big is not None and big.summary.texts == 2000
    assert len(pools) == 1
    again = parser.file_facts(fixture_root / CAPTIONS_ID / "draft_content.json")
    assert again == big and parser.parsed == 2  # cached by path, size and time
    parser.close()
