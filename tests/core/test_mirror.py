"""Remote drafts kept safe: every saved remote draft is mirrored into the store, unchanged
autosaves cost a get_draft and conditional requests, a draft the server lost shows as lost,
and pull brings it back into a local drafts folder. Real test server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import filecmp
import json
import os
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from draftkeeper.cli.words import describe
from draftkeeper.core.errors import BadRequest, DraftLost
from draftkeeper.core.remote.mirror import mirror_id
from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import EVIL, CapcutServer
from tests.conftest import CAPTIONS_ID

FAST = {
    "autosave_interval_s": 0.2, "quiet_period_s": 0.1, "min_autosave_gap_s": 0.0,
    "scan_interval_s": 0.1, "backoff_base_s": 0.05, "backoff_cap_s": 0.2, "max_attempts": 3,
}


def server_draft(tmp_path: Path, fixture_root: Path, draft_id: str = CAPTIONS_ID) -> Path:
    """A draft folder on the 'server's disk': the real 2000-caption capcut-mate draft."""
    folder = tmp_path / "server-disk" / draft_id
    shutil.copytree(fixture_root / CAPTIONS_ID, folder)
    return folder


def session_for(tmp_path: Path, url: str, **extra: object) -> Session:
    root = tmp_path / "local-root"
    root.mkdir(exist_ok=True)
    settings = Settings(**{**FAST, "autosave_enabled": False, **extra},  # type: ignore[arg-type]
                        remote_drafts=[url], roots=[str(root)],
                        store_dir=str(tmp_path / "store"))
    return Session(settings, settings_path=tmp_path / "settings.json")


@contextlib.asynccontextmanager
async def running(tmp_path: Path, url: str, **extra: object) -> AsyncIterator[Session]:
    """``session_for``'s Session, started, and stopped at the end."""
    session = session_for(tmp_path, url, **extra)
    await session.start()
    try:
        yield session
    finally:
        await session.stop()


def version_files(session: Session, draft_id: str, version: str, dest: Path) -> Path:
    """The files of a mirror version, written out from the store's own blobs (not by a
    restore, which would record a "restored" version of the mirror where the file system
    keeps coarse times, as under --fs-rules)."""
    store = session.local.store
    for entry in store.manifest(mirror_id(draft_id), version).files:
        assert entry.hash is not None
        path = dest / entry.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(store.blobs.file_content(entry.hash, entry.chunks)))
    return dest


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(
        filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def test_saved_remote_draft_has_a_byte_identical_version_and_unchanged_autosave_is_cheap(
        tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            async with running(tmp_path, url) as session:
                result = await session.scheduler.save(url)
                assert result.version is not None
                assert server.count("save_draft") == 1
                status = session.scheduler.status(url)
                assert status.state is State.CLEAN and status.versions == 1
                history = await session.history(url)
                assert [v.version for v in history] == [result.version]
                assert history[0].file_count == 6
                kept = version_files(session, CAPTIONS_ID, result.version, tmp_path / "v1")
                assert same_tree(kept, folder)

                # an unchanged autosave: one get_draft, one 304 per file, nothing stored
                before, sent = len(server.requests), server.bytes_sent
                again = await session.scheduler.save(url, "autosave")
                new = server.requests[before:]
                assert again.unchanged and again.version == result.version
                assert server.count("save_draft") == 1
                assert [r.path.rsplit("/", 1)[-1] for r in new].count("get_draft") == 1
                assert len(new) == 1 + 6
                assert all("if-none-match" in {k.lower() for k in r.headers}
                           for r in new if "/output/" in r.path)
                assert server.bytes_sent - sent < 4096  # the listing only
                assert len(session.local.store.version_ids(mirror_id(CAPTIONS_ID))) == 1

                # the server's copy changes: the autosave keeps it and sends save_draft
                content = folder / "draft_content.json"
                doc = json.loads(content.read_bytes())
                doc["name"] = "edited on the server"
                content.write_text(json.dumps(doc, ensure_ascii=False))
                changed = await session.scheduler.save(url, "autosave")
                assert not changed.unchanged and changed.version != result.version
                assert server.count("save_draft") == 2
                kept2 = version_files(session, CAPTIONS_ID, changed.version or "", tmp_path / "v2")
                assert same_tree(kept2, folder)

    asyncio.run(main())


def test_autosave_ticks_of_an_unchanged_remote_draft_send_no_save_draft(
        tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            async with running(tmp_path, url, autosave_enabled=True) as session:
                # the first autosave saves it (nothing is kept yet) ...
                while server.count("save_draft") < 1 or session.scheduler.status(
                        url).state is not State.CLEAN:
                    await asyncio.sleep(0.05)
                looks = server.count("get_draft")
                # ... later ticks only look: wait for three more looks
                while server.count("get_draft") < looks + 3:
                    await asyncio.sleep(0.05)
                assert server.count("save_draft") == 1
                assert len(session.local.store.version_ids(mirror_id(CAPTIONS_ID))) == 1

    asyncio.run(main())


def test_server_restart_shows_lost_then_pull_restores_the_draft(
        tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            async with running(tmp_path, url) as session:
                await session.scheduler.save(url)
                server.restart()  # the save cache is empty; the files are still there
                with pytest.raises(DraftLost):
                    await session.scheduler.save(url)
                status = session.scheduler.status(url)
                assert status.state is State.LOST
                assert describe(status, 0) == (
                    "The server no longer has this draft; 1 version is kept here")
                posts = server.count("save_draft")
                assert session.scheduler.autosave_due() == []  # autosave leaves it alone
                assert session.scheduler.retry_due() == []
                assert server.count("save_draft") == posts
            # a later start (window, watch) shows it lost too, from the attempt record
            async with running(tmp_path, url, autosave_enabled=True) as session:
                status = session.scheduler.status(url)
                assert status.state is State.LOST and status.versions == 1
                assert session.scheduler.autosave_due() == []

                result = await session.pull(url)
                root = tmp_path / "local-root"
                pulled = root / CAPTIONS_ID
                assert result.folder == str(pulled)
                assert same_tree(pulled, folder)  # no material paths in this draft
                assert CAPTIONS_ID in {s.info.draft_id for s in session.scheduler.statuses()
                                       if not s.remote}

    asyncio.run(main())


@pytest.mark.parametrize("hostile", [
    "{base}/output/draft/{id}/../../../evil.json",
    "{base}/output/draft/{id}/%2e%2e/%2e%2e/evil.json",
    "{base}/output/draft/{id}/..%2f..%2fevil.json",
    "{base}/output/draft/{id}/..%5c..%5cevil.json",
    "{base}/output/draft/{id}/sub\\..\\..\\evil.json",
    "{base}/output/draft/{id}/%2Ftmp%2Fevil.json",
    "/etc/passwd",
    "file:///etc/passwd",
    "ftp://127.0.0.1/output/draft/{id}/draft_content.json",
    "{base}/output/draft/other/evil.json",
])
def test_hostile_listings_write_nothing_outside(tmp_path: Path, fixture_root: Path,
                                                hostile: str) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            good = server.file_url(CAPTIONS_ID, "draft_meta_info.json")
            server.listings[CAPTIONS_ID] = [
                good, hostile.format(base=server.base, id=CAPTIONS_ID)]
            async with running(tmp_path, url) as session:
                with pytest.raises(BadRequest, match=r"Refusing|not a URL"):
                    await session.scheduler.save(url)
                assert session.local.store.version_ids(mirror_id(CAPTIONS_ID)) == []
                assert server.count("draft_meta_info.json") == 0  # nothing fetched
        written = [p for p in tmp_path.rglob("*") if p.is_file() and p.read_bytes() == EVIL]
        assert written == []

    asyncio.run(main())


def test_a_file_over_the_size_cap_is_refused_and_nothing_is_kept(
        tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        (folder / "big.bin").write_bytes(os.urandom(1024) * 2048)  # 2 MiB
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            async with running(tmp_path, url, max_download_mib=1) as session:
                with pytest.raises(BadRequest, match="max_download_mib"):
                    await session.scheduler.save(url)
                assert session.local.store.version_ids(mirror_id(CAPTIONS_ID)) == []
                staging = list((tmp_path / "store" / "mirror").rglob("big.bin"))
                assert staging == []

    asyncio.run(main())


def test_keep_alive_sends_save_draft_for_an_unchanged_draft_only_when_due(
        tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = server_draft(tmp_path, fixture_root)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            session = session_for(tmp_path, url, remote_keepalive_s=600)
            mirror = session.remote.mirror
            assert mirror is not None
            await session.start()
            try:
                mirror.clock = lambda: time.time() - 601  # saved 601 s ago
                await session.scheduler.save(url)
                mirror.clock = time.time
                await session.scheduler.save(url, "autosave")  # keep-alive due: sent
                assert server.count("save_draft") == 2
                await session.scheduler.save(url, "autosave")  # just sent: not again
                assert server.count("save_draft") == 2
                assert len(session.local.store.version_ids(mirror_id(CAPTIONS_ID))) == 1
            finally:
                await session.stop()

    asyncio.run(main())


def test_pull_round_trip_against_a_served_draft_keeper(tmp_path: Path,
                                                       draft_root: Path) -> None:
    """Draft Keeper's `serve` as the server: saved, mirrored, pulled into another root."""
    from draftkeeper.core.remote.engine import RemoteEngine
    from draftkeeper.core.remote.pull import pull
    from draftkeeper.core.store.store import Store
    from tests.core.test_serve import served

    async def main() -> None:
        async with served(tmp_path / "server", draft_root) as (_session, server, _client):
            client_store = Store(tmp_path / "client-store")
            remote = RemoteEngine(Settings(store_dir=str(tmp_path / "client-store")),
                                  base=server.url, store=lambda: client_store)
            try:
                url = f"{server.url}/openapi/capcut-mate/v1/get_draft?draft_id={CAPTIONS_ID}"
                saved = await remote.save(url)
                again = await remote.save(url, "autosave")
                assert again.unchanged and again.version == saved.version
                client_root = tmp_path / "client-drafts"
                client_root.mkdir()
                result = await pull(remote, url, client_root)
                assert result.version == saved.version
                assert same_tree(client_root / CAPTIONS_ID, draft_root / CAPTIONS_ID)
            finally:
                await remote.aclose()

    asyncio.run(main())
