"""Status survives restarts: every attempt is recorded, and a draft whose last attempt
failed after its last saved version starts "at risk", not "saved" (real engines, real
files, the real test server)."""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.cli.words import describe
from draftkeeper.core.errors import SaveFailed, Unavailable
from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer, Fault
from tests.core.test_scheduler_real import wait_for
from tests.helpers import bump, make_draft

FAST: dict[str, Any] = {"backoff_base_s": 0.01, "backoff_cap_s": 0.05, "quiet_period_s": 0,
                        "min_autosave_gap_s": 0, "scan_interval_s": 0.5}


def session_for(tmp_path: Path, **settings: Any) -> Session:
    s = Settings(store_dir=str(tmp_path / "store"), **(FAST | settings))
    return Session(s, settings_path=tmp_path / "settings.json")


def test_a_local_draft_whose_saves_failed_starts_at_risk_and_is_saved(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_draft(root, "d1")

    def disk_full(op: str, path: Path) -> None:
        if op == "write":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    async def first_run() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            await session.scheduler.save("d1")  # version 1
            bump(folder / "draft_content.json", b'{"tracks": ["edited"]}')
            session.local.store.io.hook = disk_full
            for _ in range(2):
                with pytest.raises(SaveFailed, match="no space left on device"):
                    await session.scheduler.save("d1")
            assert session.scheduler.status("d1").state is State.FAILED
        finally:
            await session.stop()

    async def restart() -> None:
        session = session_for(tmp_path, roots=[str(root)], autosave_enabled=False)
        await session.start()
        try:
            status = session.scheduler.status("d1")
            assert status.state is State.AT_RISK  # not "Saved": the edit is not saved
            assert status.versions == 1 and status.failed_at is not None
            assert status.error_kind == "SaveFailed"
            assert status.failed_at > (status.last_saved_at or 0)
            text = describe(status, status.failed_at + 5)
            assert text.startswith("At risk: last save failed 5 s ago: Save failed: no space")
            assert [s.key for s in session.scheduler.not_saved()] == ["d1"]
            session.set_autosave(True)  # the disk has room again: autosave saves it
            status = await wait_for(session.scheduler, "d1", lambda s: s.state is State.CLEAN)
            assert status.versions == 2 and status.failed_at is None
        finally:
            await session.stop()

    asyncio.run(first_run())
    asyncio.run(restart())


def test_a_remote_draft_whose_last_two_saves_failed_starts_at_risk(tmp_path: Path) -> None:
    async def main(server: CapcutServer) -> None:
        url = server.create()
        session = session_for(tmp_path, remote_drafts=[url], autosave_enabled=False,
                              max_attempts=1)
        await session.start()
        try:
            await session.scheduler.save(url)
            server.fail("save_draft", Fault(status=503), Fault(status=503))
            for _ in range(2):
                with pytest.raises(Unavailable):
                    await session.scheduler.save(url)
        finally:
            await session.stop()

        session = session_for(tmp_path, remote_drafts=[url], autosave_enabled=False)
        await session.start()
        try:
            status = session.scheduler.status(url)
            assert status.state is State.AT_RISK
            assert "HTTP 503" in status.error_message and status.versions == 1
            history = await session.history(url)
            assert [h.outcome for h in history] == ["failed", "failed", "saved"]
        finally:
            await session.stop()

        # and once it is saved again, the next start says so
        session = session_for(tmp_path, remote_drafts=[url], autosave_enabled=True,
                              autosave_interval_s=0.2)
        await session.start()
        try:
            await wait_for(session.scheduler, url, lambda s: s.state is State.CLEAN)
        finally:
            await session.stop()
        session = session_for(tmp_path, remote_drafts=[url], autosave_enabled=False)
        await session.start()
        try:
            assert session.scheduler.status(url).state is State.CLEAN
        finally:
            await session.stop()

    with CapcutServer() as server:
        asyncio.run(main(server))


def test_drafts_that_waited_for_an_offline_server_are_recorded_too(tmp_path: Path) -> None:
    """One draft probes an offline server for all; the others never send a request, but
    their saves failed too, and a restart must say so for each of them."""

    async def main() -> None:
        with CapcutServer() as server:
            urls = [server.create() for _ in range(3)]
        # the server is gone: connection refused
        session = session_for(tmp_path, remote_drafts=urls, autosave_enabled=False,
                              max_attempts=3)
        await session.start()
        try:
            results = await session.scheduler.save_all(urls)
            assert all(isinstance(r, Unavailable) for r in results.values())
        finally:
            await session.stop()
        session = session_for(tmp_path, remote_drafts=urls, autosave_enabled=False)
        await session.start()
        try:
            assert [session.scheduler.status(u).state for u in urls] == [State.AT_RISK] * 3
        finally:
            await session.stop()

    asyncio.run(main())
