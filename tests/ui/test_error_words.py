"""Why a save failed, in the user's language: the window words an error from its reason
and params (a server that refuses connections, a full disk, a read-only store, a failure
recorded before a restart), in Chinese; in English the words are the core's message."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.errors import DraftKeeperError, disk_error
from draftkeeper.core.saving.status import State
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.urls import make_draft_url
from draftkeeper.ui.table.model import STATUS
from tests.helpers import make_draft
from tests.ui.conftest import until
from tests.ui.test_chinese import chinese  # noqa: F401  (a fixture)
from tests.ui.test_dialogs import shoot
from tests.ui.test_window_api import free_port


def _tooltip(window: Any, key: str) -> str:
    row = window.model.row_of(key)
    assert row is not None
    return str(window.model.data(window.model.index(row, STATUS), 3))  # ToolTipRole


async def _fail_remote(window: Any, port: int) -> str:
    """A remote draft on a closed 127.0.0.1 port, saved once: failed. Its key."""
    key = await window.session.add_remote(
        make_draft_url(f"http://127.0.0.1:{port}", "远程草稿"))
    await until(lambda: window.model.row_of(key) is not None)
    with pytest.raises(DraftKeeperError):
        await window.session.scheduler.save(key)
    await until(lambda: window.session.scheduler.status(key).state is State.FAILED)
    return str(key)


def test_a_server_that_refuses_connections_is_worded_in_chinese(
        chinese: Any, drive: Any, make_window: Any) -> None:  # noqa: F811
    async def scenario() -> None:
        window = await make_window(autosave_enabled=False, max_attempts=1)
        window.resize(1180, 560)
        shown: list[tuple[str, str, bool]] = []
        window.notifier.show = lambda *n: shown.append(n)  # what the tray would show
        key = await _fail_remote(window, free_port())
        text = window.status_text(key)
        assert text == "失败：服务器拒绝连接"
        assert _tooltip(window, key) == "失败：服务器拒绝连接"
        assert window.last_error.endswith("服务器拒绝连接")
        assert any("服务器拒绝连接" in line for line in window.activity.lines())
        assert not any("Cannot reach" in line for line in window.activity.lines())
        window.notifier.flush()
        [(title, words, bad)] = shown
        assert title.endswith("上的 1 个草稿无法保存") and bad
        assert "远程草稿：服务器拒绝连接" in words and "Cannot" not in words, words
        await until(lambda: window.counts_label.text().startswith("1 个草稿"))
        await until(lambda: window.error_label.text().endswith("服务器拒绝连接"))
        shoot(window, "failed-remote-zh_CN")
        # the server's history of the draft: its failed attempt, in Chinese too
        window.select_key(key)
        dialog = window.show_history()
        await dialog.loaded
        cells = [dialog.table.item(0, col).text() for col in range(3)]
        assert cells[1:] == ["失败", "服务器拒绝连接"], cells
        dialog.close()

    drive(scenario)


def test_a_server_that_refuses_connections_in_english(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=False, max_attempts=1)
        key = await _fail_remote(window, free_port())
        assert window.status_text(key) == "Failed: Cannot reach the server: connection refused"

    drive(scenario)


@pytest.mark.parametrize("code, words, english", [
    (errno.ENOSPC, "磁盘空间已满", "no space left on device"),
    (errno.EROFS, "文件系统为只读", "read-only file system"),
])
def test_a_disk_error_of_the_store_is_worded_in_chinese(
        code: int, words: str, english: str, chinese: Any,  # noqa: F811
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False, max_attempts=1)
        await until(lambda: window.model.rowCount() == 1)

        def full(op: str, path: Path) -> None:  # the store's I/O seam: the disk is full
            if op in ("write", "open", "mkdir"):
                raise OSError(code, os.strerror(code), str(path))

        window.session.local.store.io.hook = full
        with pytest.raises(DraftKeeperError) as info:
            await window.session.scheduler.save("d1")
        assert english in info.value.message  # the CLI and the logs keep the English
        text = window.status_text("d1")
        assert text.startswith(f"失败：保存失败：{words}（"), text
        assert english not in text and "Save failed" not in text

    drive(scenario)


def test_a_draft_at_risk_after_a_restart_is_worded_in_chinese(
        chinese: Any, drive: Any, make_window: Any, tmp_path: Path) -> None:  # noqa: F811
    root = tmp_path / "drafts"
    make_draft(root, "risky")
    # an earlier run could not save it: the disk was full (as the store words it)
    error = disk_error(OSError(errno.ENOSPC, "No space left on device", "/store/blobs/ab"),
                       "saving risky")
    AttemptLog(tmp_path / "store" / "attempts").append(
        Attempt.failure("risky", time.time() - 180, "autosave", error))

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 1)
        assert window.session.scheduler.status("risky").state is State.AT_RISK
        assert window.status_text("risky") == (
            "有风险：上次保存失败于 3 分钟前：保存失败：磁盘空间已满（/store/blobs/ab）")
        assert _tooltip(window, "risky") == window.status_text("risky")  # cut in the column
        window.resize(1180, 360)
        shoot(window, "at-risk-zh_CN")

    drive(scenario)


def test_an_old_record_without_a_reason_is_worded_by_its_message(
        chinese: Any, drive: Any, make_window: Any, tmp_path: Path) -> None:  # noqa: F811
    root = tmp_path / "drafts"
    make_draft(root, "old")
    folder = tmp_path / "store" / "attempts"
    folder.mkdir(parents=True)
    log = AttemptLog(folder)
    line = ('{"time": %f, "outcome": "failed", "draft_url": "old", "reason": "autosave", '
            '"error": "SaveFailed", "message": "Save failed: something odd", "status": 500, '
            '"code": 9998, "retryable": false, "offline": false, "busy": false}\n'
            % (time.time() - 60))
    log.path("old").write_text(line, encoding="utf-8")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 1)
        assert window.status_text("old") == (
            "有风险：上次保存失败于 1 分钟前：Save failed: something odd")

    drive(scenario)


def test_a_full_disk_in_english_shows_the_message_as_today(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False, max_attempts=1)
        await until(lambda: window.model.rowCount() == 1)

        def full(op: str, path: Path) -> None:
            if op == "write":
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        window.session.local.store.io.hook = full
        with pytest.raises(DraftKeeperError) as info:
            await window.session.scheduler.save("d1")
        assert info.value.message.startswith("Save failed: no space left on device while ")
        assert window.status_text("d1") == f"Failed: {info.value.message}"

    drive(scenario)


def test_a_refused_token_is_worded_in_chinese_in_the_row(
        chinese: Any, drive: Any, make_window: Any) -> None:  # noqa: F811
    from tests.capcut_server import CapcutServer, Fault

    async def scenario() -> None:
        with CapcutServer() as server:
            server.fail("save_draft", *[Fault(status=401, body={
                "detail": "Authentication failed", "code": 1004})] * 3)
            window = await make_window(autosave_enabled=False, max_attempts=3,
                                       remote_base=server.base, remote_token="wrong-one")
            key = await window.session.add_remote(server.create("2026112710000000000001"))
            await until(lambda: window.model.row_of(key) is not None)
            with pytest.raises(DraftKeeperError):
                await window.session.scheduler.save(key)
            await until(lambda: window.session.scheduler.status(key).state is State.FAILED)
            assert window.status_text(key) == (
                "失败：服务器拒绝了令牌（HTTP 401）：请在设置中检查远程服务器令牌")
            assert server.count("save_draft") == 1  # permanent: asked once
            assert "wrong-one" not in _tooltip(window, key)

    drive(scenario)
