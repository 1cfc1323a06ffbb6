"""Saving many unchanged drafts at once stays truthful: the status a restart shows is the
one the attempts made (a failure an unchanged save superseded is not shown again, also in
a record written before markers existed), unchanged batches add nothing to the record, and
a save asked for after a sweep never takes that sweep's walk as its own (real sessions,
real files)."""

from __future__ import annotations

import asyncio
import errno
import os
import time
from pathlib import Path

import pytest

from draftkeeper.cli.words import describe
from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.store import Store
from tests.core.test_at_risk import session_for
from tests.helpers import bump, make_draft

OLD = time.time() - 3600  # file times far from every save (stat data alone tells)


def settle(folder: Path) -> None:
    for f in folder.iterdir():
        os.utime(f, (OLD, OLD))


@pytest.mark.parametrize("others", [1, 70])  # a few drafts, and a batch past FEW
def test_an_unchanged_save_all_supersedes_a_failure_after_a_restart(tmp_path: Path,
                                                                     others: int) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d1")
    keys = ["d1"] + [f"d{i + 2}" for i in range(others)]
    for k in keys[1:]:
        make_draft(root, k)
    content = folder / "draft_content.json"

    def disk_full(op: str, path: Path) -> None:
        if op == "write":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    async def run(body: object) -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            await body(session)  # type: ignore[operator]
        finally:
            await session.stop()

    async def fail_once(session: object) -> None:
        sched = session.scheduler  # type: ignore[attr-defined]
        results = await sched.save_all(keys)  # version 1 of each
        assert all(not r.unchanged for r in results.values())
        before = content.read_bytes(), content.stat().st_mtime_ns
        bump(content, b'{"tracks": ["edited"]}')
        session.local.store.io.hook = disk_full  # type: ignore[attr-defined]
        with pytest.raises(SaveFailed):
            await sched.save("d1")
        session.local.store.io.hook = None  # type: ignore[attr-defined]
        content.write_bytes(before[0])  # the edit undone: the working copy is version 1
        os.utime(content, ns=(before[1], before[1]))

    async def save_all_unchanged(session: object) -> None:
        sched = session.scheduler  # type: ignore[attr-defined]
        assert sched.status("d1").state is State.CLEAN  # the failure is older: not shown
        results = await sched.save_all(keys)
        assert all(r.unchanged for r in results.values())

    async def restarted(session: object) -> None:
        status = session.scheduler.status("d1")  # type: ignore[attr-defined]
        # the last attempt was the unchanged save: the draft is unsaved, not at risk
        assert status.state is State.UNSAVED and status.failed_at is None
        assert not describe(status, time.time()).startswith("At risk")
        assert session.scheduler.status("d2").state is State.CLEAN  # type: ignore[attr-defined]

    asyncio.run(run(fail_once))
    asyncio.run(run(save_all_unchanged))
    bump(content, b'{"tracks": ["edited again"]}')
    asyncio.run(run(restarted))


def test_a_failure_recorded_before_markers_is_superseded_too(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d1")
    content = folder / "draft_content.json"
    attempts = tmp_path / "store" / "attempts"

    async def first(session_root: Path) -> None:
        session = session_for(tmp_path, roots=[str(session_root)], autosave_enabled=False)
        await session.start()
        try:
            await session.scheduler.save("d1")
            before = content.read_bytes(), content.stat().st_mtime_ns
            bump(content, b'{"tracks": ["edited"]}')

            def disk_full(op: str, path: Path) -> None:
                if op == "write":
                    raise OSError(errno.ENOSPC, "No space left on device", str(path))

            session.local.store.io.hook = disk_full
            with pytest.raises(SaveFailed):
                await session.scheduler.save("d1")
            content.write_bytes(before[0])
            os.utime(content, ns=(before[1], before[1]))
        finally:
            await session.stop()

    async def save_all_then_check() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            [result] = (await session.scheduler.save_all(["d1"])).values()
            assert result.unchanged
        finally:
            await session.stop()
        bump(content, b'{"tracks": ["edited again"]}')
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            status = session.scheduler.status("d1")
            assert status.state is State.UNSAVED and status.failed_at is None
        finally:
            await session.stop()

    asyncio.run(first(root))
    # the record as a release before markers left it: the failure line, no marker
    for name in os.listdir(attempts):
        if not name.endswith(".jsonl"):
            os.unlink(attempts / name)
    assert (attempts / f"{draft_key('d1')}.jsonl").read_bytes().count(b'"failed"') == 1
    asyncio.run(save_all_then_check())


def test_unchanged_save_alls_show_saved_after_a_restart_and_record_nothing(
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    for d in ("d1", "d2", "d3"):
        settle(make_draft(root, d))
    record = tmp_path / "store" / "attempts"

    async def save_all(expect_unchanged: bool) -> dict[str, float]:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            results = await session.scheduler.save_all(["d1", "d2", "d3"])
            assert all(r.unchanged is expect_unchanged for r in results.values())
            return {k: s.last_saved_at or 0 for k in results
                    for s in [session.scheduler.status(k)]}
        finally:
            await session.stop()

    saved_at = asyncio.run(save_all(False))
    for d in ("d1", "d2", "d3"):  # the new versions' attempts are recorded
        assert [a.outcome for a in AttemptLog(record).read(d)] == ["saved"]
    sizes = {p.name: p.stat().st_size for p in record.rglob("*.jsonl")}
    for _ in range(2):
        assert asyncio.run(save_all(True)) == saved_at
    assert {p.name: p.stat().st_size for p in record.rglob("*.jsonl")} == sizes

    async def restarted() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            for k, when in saved_at.items():
                status = session.scheduler.status(k)
                assert status.state is State.CLEAN and status.last_saved_at == when
                assert describe(status, when + 5) == "Saved 5 s ago"
        finally:
            await session.stop()

    asyncio.run(restarted())


@pytest.mark.parametrize("asked", ["before the sweep", "after the sweep", "never"])
def test_only_a_sweep_made_after_the_save_was_asked_serves_as_its_walk(
        tmp_path: Path, asked: str) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d1")
    settle(folder)
    store = Store(tmp_path / "store")
    engine = LocalEngine(Settings(), roots=[root], store=store)
    [(first, _state)] = engine.save_many_sync(["d1"]).values()  # type: ignore[misc]
    versions = tmp_path / "store" / "drafts" / draft_key("d1") / "versions"
    if versions.is_dir():  # the index trusts a versions folder whose time has settled
        os.utime(versions, (OLD, OLD))
    if asked == "before the sweep":
        engine.walks_count_from = time.monotonic()
    engine.scan_sync()
    if asked == "after the sweep":
        engine.walks_count_from = time.monotonic()
    bump(folder / "draft_content.json", b'{"tracks": ["edited after the sweep"]}')
    [(result, _state)] = engine.save_many_sync(["d1"]).values()  # type: ignore[misc]
    if asked == "before the sweep":
        # the sweep walked the draft after the save was asked: that walk is the save's
        # stat data (the edit came after it; the next save takes it)
        assert result.unchanged and result.version == first.version
        [(again, _state)] = LocalEngine(Settings(), roots=[root], store=store
                                        ).save_many_sync(["d1"]).values()  # type: ignore[misc]
        assert not again.unchanged
    else:
        assert not result.unchanged and result.version != first.version
