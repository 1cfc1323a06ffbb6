"""Save all answers with each draft's final outcome: a draft whose part of the batch failed
goes on as its own save (retries included), and Save all waits for that save and reports
how it ended, in the order asked (real session, real files; a file held by another
program while the batch writes, a draft folder gone since it was listed)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.status import State
from tests.core.test_at_risk import session_for
from tests.fsrules import SHARING_VIOLATION, _winerror
from tests.helpers import make_draft


def test_save_all_reports_the_outcome_of_drafts_retried_after_the_batch_failed(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    keys = [f"d{i}" for i in range(6)]
    for k in keys:
        make_draft(root, k)
    writes = {"failed": 0}

    def busy_once(op: str, path: Path) -> None:
        # the batch's first write finds a file held by another program (a sharing
        # violation, as Windows raises it): every draft of the group fails with it, and
        # each one's own save, retried after it, gets through
        if op == "write" and not writes["failed"]:
            writes["failed"] += 1
            exc = _winerror(SHARING_VIOLATION, "The process cannot access the file", str(path))
            raise exc

    async def main() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False,
                              max_attempts=4)
        await session.start()
        try:
            session.local.store.io.hook = busy_once
            asked = list(reversed(keys))
            results = await asyncio.wait_for(session.scheduler.save_all(asked), 60)
            assert list(results) == asked
            for k in asked:
                result = results[k]
                assert not isinstance(result, BaseException), (k, result)
                assert result.version and not result.unchanged
                status = session.scheduler.status(k)
                assert status.state is State.CLEAN and status.last_version == result.version
                assert session.local.store.version_ids(k) == [result.version]
        finally:
            await session.stop()
        assert writes["failed"] == 1

    asyncio.run(main())


def test_save_all_reports_a_draft_that_cannot_be_saved_and_saves_the_others(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    keys = [f"d{i}" for i in range(5)]
    for k in keys:
        make_draft(root, k)

    async def main() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False,
                              max_attempts=2)
        await session.start()
        try:
            shutil.rmtree(root / "d3")  # gone since it was listed
            results = await asyncio.wait_for(session.scheduler.save_all(keys), 60)
            assert list(results) == keys
            failed = results["d3"]
            assert isinstance(failed, DraftKeeperError), failed
            assert session.scheduler.status("d3").state in (State.FAILED, State.MISSING)
            for k in ("d0", "d1", "d2", "d4"):
                result = results[k]
                assert not isinstance(result, BaseException), (k, result)
                assert session.scheduler.status(k).state is State.CLEAN
        finally:
            await session.stop()

    asyncio.run(main())
