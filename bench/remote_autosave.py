"""Requests and bytes of an autosave of an unchanged remote draft, against the capcut-like
test server: the 2-file 11 MB capcut-mate draft (draft_content.json + draft_info.json of
tests/fixtures/capcut-mate-draft-2000-captions.tar.gz), mirrored into the store.

    .venv/bin/python bench/remote_autosave.py [--rounds 5]

Prints, for the first save and then per unchanged autosave: requests to the server (by
kind), response body bytes, save_draft requests, and versions stored.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draftkeeper.core.remote.mirror import mirror_id
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import CapcutServer

FIXTURE = Path(__file__).resolve().parents[1] / "tests/fixtures/capcut-mate-draft-2000-captions.tar.gz"
DRAFT_ID = "202611270045458a37b708"


def kinds(requests: list) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in requests:
        name = "file GET" if "/output/" in r.path else r.path.rsplit("/", 1)[-1]
        out[name] = out.get(name, 0) + 1
    return out


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        folder = tmp_path / "server" / DRAFT_ID
        folder.mkdir(parents=True)
        with tarfile.open(FIXTURE) as tar:
            for name in ("draft_content.json", "draft_info.json"):
                member = tar.getmember(f"{DRAFT_ID}/{name}")
                data = tar.extractfile(member)
                assert data is not None
                (folder / name).write_bytes(data.read())
        size = sum(p.stat().st_size for p in folder.iterdir())
        with CapcutServer() as server:
            url = server.publish(DRAFT_ID, folder)
            (tmp_path / "root").mkdir()
            settings = Settings(autosave_enabled=False, remote_drafts=[url],
                                roots=[str(tmp_path / "root")], store_dir=str(tmp_path / "store"))
            session = Session(settings, settings_path=tmp_path / "settings.json")
            await session.start()
            try:
                print(f"draft: 2 files, {size / 1e6:.1f} MB")
                n, b, t = len(server.requests), server.bytes_sent, time.perf_counter()
                await session.scheduler.save(url)
                print(f"first save: {kinds(server.requests[n:])}, "
                      f"{server.bytes_sent - b} bytes, {time.perf_counter() - t:.3f} s")
                for i in range(rounds):
                    n, b, t = len(server.requests), server.bytes_sent, time.perf_counter()
                    await session.scheduler.save(url, "autosave")
                    print(f"unchanged autosave {i + 1}: {kinds(server.requests[n:])}, "
                          f"{server.bytes_sent - b} bytes, {time.perf_counter() - t:.3f} s")
                versions = len(session.local.store.version_ids(mirror_id(DRAFT_ID)))
                print(f"save_draft sent: {server.count('save_draft')}, versions kept: {versions}")
            finally:
                await session.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
