"""The window and the shared store: each saved draft is uploaded in the background, its
status says where it is ("Saved · on the shared store", "uploading 40%", "not yet on the
shared store: offline since 14:02"), the tray counts drafts not yet shared, and when
SeaweedFS stops in the middle of an upload and starts again, the window recovers by
itself."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.config import share_config
from draftkeeper.core.shared.opening import open_share
from draftkeeper.core.shared.replicate import shared_versions
from draftkeeper.ui.table.model import STATUS
from tests.helpers import make_draft
from tests.seaweed import Seaweed
from tests.shared.proxy import CuttingProxy
from tests.ui.conftest import FAST, until

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def seaweed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seaweed]:
    server = Seaweed(tmp_path / "seaweed")
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def status_of(window: Any, key: str) -> str:
    row = window.model.row_of(key)
    return "" if row is None else str(window.model.status_text(window.model.status_at(row)))


def shot(window: Any, name: str) -> None:
    """The window, its Status column wide enough to read whole."""
    window.resize(1400, 520)
    window.table.setColumnWidth(STATUS, 520)
    window.grab().save(str(SHOTS / name))


async def on_the_store(url: str) -> set[str]:
    """The drafts (draft keys) with a version on the shared store, read by a client of
    its own."""
    share = await open_share(share_config(Settings(share_url=url)), create=False)
    try:
        return {draft for draft, _version in await shared_versions(share.client)}
    finally:
        share.client.close()


def test_the_window_says_where_each_draft_is_and_recovers_after_an_outage(
        drive: Any, make_window: Any, tmp_path: Path, seaweed: Seaweed) -> None:
    SHOTS.mkdir(exist_ok=True)
    proxy = CuttingProxy(seaweed.ports["s3"], trip_after=1_500_000, on_trip=seaweed.stop)
    url = f"s3+http://127.0.0.1:{proxy.port}/{seaweed.bucket}/t-{uuid.uuid4().hex[:8]}"
    root = tmp_path / "drafts"
    make_draft(root, "small", {"draft_info.json": b'{"a": 1}'})

    async def scenario() -> None:
        window = await make_window(root, share_url=url, max_attempts=3, **FAST)
        await until(lambda: "on the shared store" in status_of(window, "small"),
                    120, "the first draft on the shared store")
        assert status_of(window, "small").startswith("Saved")
        await until(lambda: window.tray.not_shared == 0, 10, "the tray has nothing to count")

        # about 3 MB that does not compress: the proxy cuts the connection after 1.5 MB
        # and SeaweedFS stops
        make_draft(root, "big", {"draft_info.json": os.urandom(3_000_000)})
        await until(lambda: "offline since" in status_of(window, "big"), 120,
                    "the big draft waits, offline")
        assert proxy.tripped.is_set()
        assert "not yet on the shared store: offline since" in status_of(window, "big")
        assert window.session.scheduler.status("big").state.value == "clean"  # saved here
        await until(lambda: window.tray.not_shared == 1, 10, "the tray counts it")
        assert "1 draft not yet on the shared store" in window.tray.icon.toolTip()
        assert "1 not yet on the shared store" in window.counts_label.text()
        shot(window, "share-offline.png")

        assert proxy.trip_thread is not None
        await asyncio.to_thread(proxy.trip_thread.join, 60)  # the server has stopped
        await asyncio.to_thread(seaweed.start)
        proxy.up()
        await until(lambda: "on the shared store" in status_of(window, "big")
                    and "not yet" not in status_of(window, "big"), 150,
                    "the big draft shared after the outage, by itself")
        await until(lambda: window.tray.not_shared == 0, 10, "the tray has nothing to count")
        assert "not yet" not in window.counts_label.text()
        shot(window, "share-recovered.png")
        sealer = window.session.sharing.share.sealer
        assert {sealer.draft_key("small"), sealer.draft_key("big")} <= await on_the_store(url)

    try:
        drive(scenario, 280)  # hang guards (pytest-timeout: 300 s); alone it takes ~12 s
    finally:
        proxy.close()
