"""A batch of many drafts is saved in chunks, one after the other, and each chunk's
attempts are recorded while the next ones are saved: a slow record (a first save creates
its attempt files) never holds up the saves of the chunks after it. Real files, the real
local engine and scheduler; the record is the real one, with a seam that holds its first
write back."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.backend import Batched, SaveResult
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving import batches
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.store.store import Store
from tests.helpers import make_draft


class HeldRecord(AttemptLog):
    """The attempt record, whose first batch write waits until ``release`` is set."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.release = threading.Event()
        self.writes = 0

    def append_many(self, attempts: list[Attempt]) -> None:
        self.writes += 1
        if self.writes == 1:
            assert self.release.wait(60)
        super().append_many(attempts)


class Counted:
    """The real local engine, each batch save's keys noted."""

    def __init__(self, engine: LocalEngine) -> None:
        self.engine = engine
        self.batches: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    async def save_many(self, keys: list[str], reason: str = "manual") -> dict[str, Batched]:
        self.batches.append(list(keys))
        return await self.engine.save_many(keys, reason)


def test_a_slow_record_of_a_chunk_never_holds_up_the_chunks_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "CHUNK", 4)  # chunks of 4, 8 and 8 drafts
    keys = [f"d{i:02d}" for i in range(20)]

    async def main() -> None:
        root = tmp_path / "root"
        for key in keys:
            make_draft(root, key)
        settings = Settings(autosave_enabled=False)
        backend = Counted(LocalEngine(settings, roots=[root], store=Store(tmp_path / "store")))
        record = HeldRecord(tmp_path / "store" / "attempts")
        sched = SaveScheduler(backend, settings, record=record)  # type: ignore[arg-type]
        await sched.start()
        try:
            saving = asyncio.ensure_future(sched.save_all(keys))
            async def all_chunks_saved() -> None:
                while len(backend.batches) < 3 or not all(
                        sched.status(k).state is State.SAVING for k in keys[:4]):
                    await asyncio.sleep(0.005)
            # the first chunk's record is held: the other chunks are saved meanwhile
            await asyncio.wait_for(all_chunks_saved(), 60)
            assert record.writes == 1 and not saving.done()
            assert [len(b) for b in backend.batches] == [4, 8, 8]
            record.release.set()
            results = await asyncio.wait_for(saving, 60)
        finally:
            await sched.stop()
        assert all(isinstance(r, SaveResult) and not r.unchanged for r in results.values())
        for key in keys:
            assert sched.status(key).state is State.CLEAN
            [attempt] = record.read(key)
            assert attempt.outcome == "saved"
            [version] = backend.engine.history_sync(key)
            assert attempt.version == version.version

    asyncio.run(main())
