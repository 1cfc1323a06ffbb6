"""A remote draft's versions are the mirror kept in the local store: each one is uploaded
to the shared store after its save, like a local draft's (real capcut-mate test server and
real SeaweedFS, both on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest

from draftkeeper.core.remote.mirror import mirror_id
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.config import share_config
from draftkeeper.core.shared.opening import open_share
from draftkeeper.core.shared.replicate import shared_versions
from tests.capcut_server import CapcutServer
from tests.conftest import CAPTIONS_ID
from tests.seaweed import Seaweed

FAST = {"autosave_enabled": False, "quiet_period_s": 0.1, "scan_interval_s": 0.1,
        "backoff_base_s": 0.05, "backoff_cap_s": 0.2, "max_attempts": 3}


async def on_the_store(url: str) -> set[tuple[str, str]]:
    """(draft key, version) of every version on the shared store, read by a client of its
    own."""
    share = await open_share(share_config(Settings(share_url=url)), create=False)
    try:
        return set(await shared_versions(share.client))
    finally:
        share.client.close()


def test_a_remote_drafts_mirrored_version_is_uploaded_after_its_save(
        seaweed: Seaweed, prefix: str, tmp_path: Path, fixture_root: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in seaweed.env().items():
        monkeypatch.setenv(name, value)
    share_url = seaweed.url(prefix)
    folder = tmp_path / "server-disk" / CAPTIONS_ID
    shutil.copytree(fixture_root / CAPTIONS_ID, folder)
    root = tmp_path / "local-root"
    root.mkdir()

    async def main() -> None:
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            settings = Settings(**FAST, remote_drafts=[url], roots=[str(root)],  # type: ignore[arg-type]
                                store_dir=str(tmp_path / "store"), share_url=share_url)
            session = Session(settings, settings_path=tmp_path / "settings.json")
            await session.start()
            try:
                result = await session.scheduler.save(url)
                assert result.version is not None
                deadline = time.monotonic() + 120  # a hang guard: it takes about a second
                while True:
                    there = await on_the_store(share_url)
                    sharing = session.sharing
                    assert sharing is not None and sharing.share is not None
                    key = sharing.share.sealer.draft_key(mirror_id(CAPTIONS_ID))
                    if (key, result.version) in there:
                        break
                    assert time.monotonic() < deadline, there
                    await asyncio.sleep(0.2)
            finally:
                await session.stop()

    asyncio.run(main())
