"""Gentle with a slow server: the test server saves like the real capcut-mate one (2.4 s
per save, one at a time, blocking every other request meanwhile)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer

SAVE_S = 2.4
CLIENTS = 20
SPREAD_S = 0.5  # one new save request every half second


def test_twenty_concurrent_saves_of_one_draft_on_a_slow_server(tmp_path: Path) -> None:
    """20 saves asked for while earlier ones are still running (as from the window, `watch`
    and API clients of one app), while three other drafts of the same server are saved
    too: all succeed, the server gets a handful of requests for the draft and never more
    than two at once, instead of a flood of timed-out retries."""

    async def main(server: CapcutServer) -> tuple[str, float, list[Any]]:
        url = server.create()
        others = [server.create() for _ in range(3)]
        settings = Settings(store_dir=str(tmp_path / "store"), remote_drafts=[url, *others],
                            autosave_enabled=False)  # defaults: 120 s timeout, 2 per server
        session = Session(settings, settings_path=tmp_path / "settings.json")
        await session.start()
        try:
            started = time.monotonic()

            async def client(i: int) -> Any:
                await asyncio.sleep(i * SPREAD_S)
                return await session.scheduler.save(url)

            results = await asyncio.gather(*(client(i) for i in range(CLIENTS)),
                                           session.scheduler.save_all(others),
                                           return_exceptions=True)
            assert all(session.scheduler.status(k).state is State.CLEAN
                       for k in [url, *others])
            assert all(not isinstance(r, BaseException) for r in results[-1].values())
            return url, time.monotonic() - started, list(results)
        finally:
            await session.stop()

    with CapcutServer() as server:
        server.slow_saves(SAVE_S)
        url, elapsed, results = asyncio.run(main(server))
        failures = [r for r in results[:CLIENTS] if isinstance(r, BaseException)]
        of_draft = sum(1 for r in server.requests if r.path.endswith("save_draft")
                       and isinstance(r.body, dict) and r.body.get("draft_url") == url)
        print(f"\n{CLIENTS} saves: {len(failures)} failed, {of_draft} requests for the draft "
              f"({server.count()} with the 3 other drafts), {server.saves_done} saves run, "
              f"at most {server.max_in_flight} in flight, {elapsed:.1f} s")
        assert failures == []
        assert of_draft <= 25
        assert server.count() == of_draft + 3
        assert server.saves_done == server.count()  # no request was abandoned mid-save
        assert server.max_in_flight <= 2
