"""The scheduler in real time with the real engines: LocalEngine on temp folders, and the
RemoteEngine against the capcut-mate-like test server."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.saving.batches import CHUNK
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.core.session.router import Router
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog
from draftkeeper.core.store.store import Store
from tests.capcut_server import CapcutServer, Fault
from tests.helpers import bump, make_draft

FAST = {
    "autosave_interval_s": 0.2,
    "quiet_period_s": 0.1,
    "min_autosave_gap_s": 0.0,
    "scan_interval_s": 0.1,
    "backoff_base_s": 0.05,
    "backoff_cap_s": 0.2,
}


async def wait_for(sched: SaveScheduler, key: str, check: Callable[[DraftStatus], bool],
                   limit: float = 20.0) -> DraftStatus:
    """Wait for a status event that satisfies ``check`` (the limit only guards a hang)."""
    reached = asyncio.Event()

    def listener(event: object) -> None:
        if key in sched and check(sched.status(key)):
            reached.set()

    unsubscribe = sched.subscribe(listener)
    try:
        if not (key in sched and check(sched.status(key))):
            await asyncio.wait_for(reached.wait(), limit)
    finally:
        unsubscribe()
    return sched.status(key)


def test_local_autosave_after_an_edit(tmp_path: Path) -> None:
    async def main() -> None:
        root = tmp_path / "root"
        folder = make_draft(root, "d1")
        settings = Settings(**FAST)  # type: ignore[arg-type]
        engine = LocalEngine(settings, roots=[root], store=Store(tmp_path / "store"))
        sched = SaveScheduler(engine, settings)
        await sched.start()
        try:
            status = await wait_for(sched, "d1", lambda s: s.state is State.CLEAN)
            assert status.versions == 1  # never saved: autosaved
            bump(folder / "draft_content.json", b'{"tracks": [1]}')
            status = await wait_for(sched, "d1", lambda s: s.versions == 2)
            assert status.state is State.CLEAN
            history = engine.history_sync("d1")
            assert [v.reason for v in history] == ["autosave", "autosave"]

            # a new draft appears and is saved; a folder vanishes and shows missing
            make_draft(root, "d2")
            await wait_for(sched, "d2", lambda s: s.versions == 1)
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
            await wait_for(sched, "d1", lambda s: s.state is State.MISSING)
        finally:
            await sched.stop()

    asyncio.run(main())


def test_local_manual_save_and_flush(tmp_path: Path) -> None:
    async def main() -> None:
        root = tmp_path / "root"
        folders = [make_draft(root, f"d{i}") for i in range(5)]
        settings = Settings(autosave_enabled=False)
        engine = LocalEngine(settings, roots=[root], store=Store(tmp_path / "store"))
        sched = SaveScheduler(engine, settings)
        await sched.start()
        try:
            result = await sched.save("d0")
            assert result.version and sched.status("d0").state is State.CLEAN
            for f in folders:
                bump(f / "draft_content.json", b"edited")
            await sched.refresh()
            assert all(sched.status(f"d{i}").state is State.UNSAVED for i in range(5))
            not_saved = await sched.flush(10)
            assert not_saved == []
            assert all(len(engine.history_sync(f"d{i}")) == (2 if i == 0 else 1)
                       for i in range(5))
            assert engine.verify_sync().ok
        finally:
            await sched.stop()

    asyncio.run(main())


def test_remote_503_retries_then_saves_and_2001_fails(tmp_path: Path) -> None:
    async def main() -> None:
        with CapcutServer() as server:
            good, gone = server.create(), server.draft_url("evicted")
            settings = Settings(**FAST, autosave_enabled=False,  # type: ignore[arg-type]
                                remote_drafts=[good, gone])
            local = LocalEngine(settings, roots=[tmp_path / "none"],
                                store=Store(tmp_path / "store"))
            (tmp_path / "none").mkdir()
            router = Router(local, RemoteEngine(settings))
            sched = SaveScheduler(router, settings)
            await sched.start()
            try:
                server.fail("save_draft", Fault(status=503, headers={"Retry-After": "0"}))
                task = asyncio.create_task(sched.save(good))
                status = await wait_for(sched, good, lambda s: s.state is State.RETRYING)
                assert status.attempt == 1 and "HTTP 503" in status.error_message
                assert status.error is not None and status.error.reason == "server_unavailable"
                assert status.error.params["http_status"] == 503
                await task
                assert sched.status(good).state is State.CLEAN
                assert server.count() == 2

                with pytest.raises(DraftNotFound, match="Draft does not exist on the server"):
                    await sched.save(gone)
                status = sched.status(gone)
                assert status.state is State.FAILED
                assert status.error_message == "Draft does not exist on the server: draft not found"
                assert status.error is not None and status.error.reason == "draft_not_on_server"
                assert status.error.params["server_message"] == "draft not found"
                assert server.count() == 3
            finally:
                await sched.stop()
                await router.aclose()

    asyncio.run(main())


def test_cancelling_flush_leaves_nothing_half_written(tmp_path: Path) -> None:
    async def main() -> None:
        root = tmp_path / "root"
        big = b"x" * (4 * 1024 * 1024)
        for i in range(8):
            make_draft(root, f"d{i}", {"draft_content.json": big + bytes([i]),
                                       "draft_info.json": big[::-1] + bytes([i])})
        settings = Settings(autosave_enabled=False, max_parallel_saves=2)
        engine = LocalEngine(settings, roots=[root], store=Store(tmp_path / "store"))
        sched = SaveScheduler(engine, settings)
        await sched.start()
        flush = asyncio.create_task(sched.flush(30))
        await wait_for(sched, "d0", lambda s: s.state is State.SAVING)
        flush.cancel()
        with pytest.raises(asyncio.CancelledError):
            await flush
        await sched.stop()  # saves already running finish
        report = engine.verify_sync()
        assert report.ok
        for i in range(8):
            versions = engine.history_sync(f"d{i}")
            assert len(versions) in (0, 1)  # saved whole, or not at all
        assert not list((tmp_path / "store").rglob(".dk-tmp-*"))

    asyncio.run(main())


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="a file name that is not UTF-8 needs Linux")
def test_autosave_of_more_drafts_than_one_chunk_saves_each_once_and_records_it(
        tmp_path: Path) -> None:
    """Autosave saves every quiet draft as one batch, cut into chunks (``batches.CHUNK``):
    each draft shows saving, then clean, once, with its attempt recorded, and a draft
    that fails in the batch (a file name that cannot go into a version: permanent) fails
    alone."""
    async def main() -> None:
        root = tmp_path / "root"
        count = CHUNK + 6
        for i in range(count):
            make_draft(root, f"d{i:04d}")
        bad = make_draft(root, "bad")
        with open(bytes(bad) + b"/x\xff.json", "wb") as f:
            f.write(b"1")
        settings = Settings(**FAST)  # type: ignore[arg-type]
        engine = LocalEngine(settings, roots=[root], store=Store(tmp_path / "store"))
        record = AttemptLog(tmp_path / "store" / "attempts")
        sched = SaveScheduler(engine, settings, record=record)
        states: dict[str, list[State]] = {}
        sched.subscribe(lambda e: states.setdefault(e.key, []).append(e.new.state)
                        if e.new is not None else None)
        await sched.start()
        try:
            await wait_for(sched, "bad", lambda s: s.state is State.FAILED, limit=60)
            for i in range(count):
                await wait_for(sched, f"d{i:04d}", lambda s: s.state is State.CLEAN, limit=60)
        finally:
            await sched.stop()
        for i in range(count):
            key = f"d{i:04d}"
            assert states[key] == [State.UNSAVED, State.SAVING, State.CLEAN], key
            [attempt] = record.read(key)
            assert attempt.outcome == "saved" and attempt.version == sched.status(key).last_version
            assert len(engine.history_sync(key)) == 1
        assert states["bad"][-1] is State.FAILED
        assert [a.outcome for a in record.read("bad")] == ["failed"]

    asyncio.run(main())


def test_save_all_returns_when_a_draft_is_taken_off_the_list_meanwhile(tmp_path: Path) -> None:
    """Save all of five drafts; one is removed from the list while the batch is saving.
    Save all still returns: every other draft is saved and clean, and the removed one's
    answer is its version (the batch saved it) or "not in the list"; never a hang."""
    async def main() -> None:
        root = tmp_path / "root"
        for i in range(5):
            make_draft(root, f"d{i}")
        settings = Settings(autosave_enabled=False)
        engine = LocalEngine(settings, roots=[root], store=Store(tmp_path / "store"))
        sched = SaveScheduler(engine, settings)
        await sched.start()
        try:
            saving = asyncio.ensure_future(sched.save_all())
            await wait_for(sched, "d2", lambda s: s.state is State.SAVING)  # in the batch
            sched.remove("d2")
            assert "d2" not in sched
            results = await asyncio.wait_for(saving, 60)  # (the limit only guards a hang)
        finally:
            await sched.stop()
        assert sorted(results) == [f"d{i}" for i in range(5)]
        for i in (0, 1, 3, 4):
            result = results[f"d{i}"]
            assert not isinstance(result, BaseException), result
            assert sched.status(f"d{i}").state is State.CLEAN
            assert [v.version for v in engine.history_sync(f"d{i}")] == [result.version]
        removed = results["d2"]
        if isinstance(removed, BaseException):
            assert isinstance(removed, DraftNotFound)
        else:  # the batch saved it: the version is in the store
            assert [v.version for v in engine.history_sync("d2")] == [removed.version]

    asyncio.run(main())
