"""Many clients saving one draft on a server as slow as the real capcut-mate one.

The test server saves one draft at a time and blocks every other request meanwhile (2.4 s
per save on the real server with two 28 MB files). Each client here is its own Session (as
separate `draftkeeper save` processes, windows or `watch`es would be), so nothing
coalesces between them: what keeps the server from being flooded is the total timeout and
the backoff after a timeout.

Time is scaled (``--scale``, default 0.1: 0.24 s per save, timeouts 3 s and 12 s for the
real 30 s and 120 s) so a run takes seconds; the ratios are what matter.

    .venv/bin/python bench/slow_server.py [--clients 20] [--scale 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer


async def clients(n: int, url: str, timeout: float, scale: float, home: Path) -> list[object]:
    sessions = []
    for i in range(n):
        settings = Settings(store_dir=str(home / f"store{i}"), autosave_enabled=False,
                            remote_drafts=[url],
                            total_timeout_s=timeout, connect_timeout_s=min(5.0, timeout),
                            backoff_base_s=1.0 * scale, backoff_cap_s=60.0 * scale)
        sessions.append(Session(settings, settings_path=home / f"settings{i}.json"))

    async def one(session: Session) -> object:
        await session.scheduler.refresh()
        return await session.scheduler.save(url)

    try:
        return list(await asyncio.gather(*(one(s) for s in sessions), return_exceptions=True))
    finally:
        for s in sessions:
            await s.stop()


def run(n: int, scale: float, real_timeout: float) -> None:
    with tempfile.TemporaryDirectory() as tmp, CapcutServer() as server:
        server.slow_saves(2.4 * scale)
        url = server.create()
        started = time.monotonic()
        results = asyncio.run(clients(n, url, real_timeout * scale, scale, Path(tmp)))
        elapsed = time.monotonic() - started
        # abandoned requests still run on the server: wait until it is idle
        while server.in_flight:
            time.sleep(0.05)
        failed = sum(isinstance(r, BaseException) for r in results)
        print(f"timeout {real_timeout:>5.0f} s (real): {n} clients, {failed} failed, "
              f"{server.count()} requests received, {server.saves_done} saves run, "
              f"{elapsed / scale:.0f} s (real time equivalent)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every timed-out request logs a warning
    for timeout in (30.0, 120.0):
        run(args.clients, args.scale, timeout)


if __name__ == "__main__":
    main()
