"""Every error a user can meet while saving carries a machine-readable reason and params
beside its English message (the window words it in the user's language from them), and
the attempt record keeps both across a restart; records written before keep loading."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.errors import (
    DraftKeeperError,
    DraftLost,
    SaveFailed,
    StoreLocked,
    Unavailable,
    error_from_record,
    to_record,
)
from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store import actions
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.store.store import Store
from draftkeeper.core.urls import make_draft_url, parse_draft_id
from tests.capcut_server import CapcutServer, Fault
from tests.helpers import make_draft


def remote_failure(url: str, **settings: Any) -> DraftKeeperError:
    async def main() -> DraftKeeperError:
        engine = RemoteEngine(Settings(**settings))
        try:
            with pytest.raises(DraftKeeperError) as info:
                await engine.save(url)
            return info.value
        finally:
            await engine.aclose()

    return asyncio.run(main())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_is_connection_refused() -> None:
    error = remote_failure(make_draft_url(f"http://127.0.0.1:{closed_port()}", "d"))
    assert isinstance(error, Unavailable) and error.offline
    assert error.reason == "connection_refused"
    assert error.message == "Cannot reach the server: connection refused"  # as before


def test_what_the_server_answers_has_a_reason_and_its_numbers() -> None:
    with CapcutServer() as server:
        url = server.create()
        server.fail("save_draft", Fault(status=503, body={"detail": "Service unavailable"}))
        error = remote_failure(url)
        assert (error.reason, error.params["http_status"]) == ("server_unavailable", 503)
        assert error.params["server_message"] == "Service unavailable"

        server.fail("save_draft", Fault(body={"code": 2042, "message": "draft lock timeout"}))
        error = remote_failure(url)
        assert (error.reason, error.params["code"]) == ("server_busy", 2042)

        server.fail("save_draft", Fault(delay=1.5))
        error = remote_failure(url, total_timeout_s=0.3)
        assert (error.reason, error.params["seconds"]) == ("timeout", 0.3)

        error = remote_failure(server.draft_url("gone"), language="zh")
        assert error.reason == "draft_not_on_server"
        assert error.params == {"code": 2001, "server_message": "草稿不存在"}


@pytest.mark.parametrize("code, reason", [
    (errno.ENOSPC, "disk_full"),
    (errno.EROFS, "read_only"),
    (errno.EACCES, "permission_denied"),
    (errno.EIO, "io_error"),
])
def test_a_disk_error_while_saving_names_its_reason_and_file(
        code: int, reason: str, tmp_path: Path) -> None:
    folder = make_draft(tmp_path / "drafts", "d")
    store = Store(tmp_path / "store")

    def fail(op: str, path: Path) -> None:
        if op == "write":
            raise OSError(code, os.strerror(code), str(path))

    store.io.hook = fail
    with pytest.raises(SaveFailed) as info:
        store.save("d", folder)
    error = info.value
    assert error.reason == reason
    assert error.params["action"] == "save" and error.params["errno"] == code
    assert str(tmp_path / "store") in error.params["path"]
    assert error.message.startswith("Save failed: ")  # the CLI's words are unchanged


def test_a_failed_restore_says_the_working_copy_was_not_changed(tmp_path: Path) -> None:
    folder = make_draft(tmp_path / "drafts", "d")
    store = Store(tmp_path / "store")
    first, _ = store.save("d", folder)
    (folder / "draft_content.json").write_bytes(b'{"tracks": [1]}')

    def full(op: str, path: Path) -> None:
        if op == "write" and ".dk-tmp-s" in str(path):  # staging the restored files
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    store.io.hook = full
    with pytest.raises(SaveFailed) as info:
        actions.restore_version(store, "d", first.version, folder, draft_url="d")
    assert info.value.reason == "disk_full"
    assert info.value.params["action"] == "restore"
    assert info.value.params["kept"] == "unchanged"
    assert (folder / "draft_content.json").read_bytes() == b'{"tracks": [1]}'


def test_a_store_held_by_another_save_is_store_locked(tmp_path: Path) -> None:
    folder = make_draft(tmp_path / "drafts", "d")
    holder = Store(tmp_path / "store")
    waiter = Store(tmp_path / "store", lock_timeout=0.05)
    with holder.locked(), pytest.raises(StoreLocked) as info:
        waiter.save("d", folder)
    assert info.value.reason == "store_locked"
    assert info.value.params["seconds"] == 0.05


def test_a_bad_draft_url_names_the_problem() -> None:
    with pytest.raises(DraftKeeperError) as info:
        parse_draft_id("http://h/get_draft?x=1")
    assert info.value.reason == "invalid_draft_url"
    assert info.value.params == {"problem": "no_draft_id"}


def test_reason_and_params_survive_the_attempt_record(tmp_path: Path) -> None:
    log = AttemptLog(tmp_path / "attempts")
    refused = Unavailable("Cannot reach the server: connection refused", offline=True,
                          reason="connection_refused", params={"detail": "connection refused"})
    log.append(Attempt.failure("r", 1.0, "autosave", refused))
    lost = DraftLost("The server no longer has this draft; 3 versions are kept here",
                     versions=3)
    log.append(Attempt.failure("l", 2.0, "manual", lost))
    full = SaveFailed("Save failed: no space left on device while saving d (/s/x)",
                      reason="disk_full", params={"action": "save", "path": "/s/x",
                                                  "errno": errno.ENOSPC})
    log.append(Attempt.failure("f", 3.0, "autosave", full))

    again = AttemptLog(tmp_path / "attempts")  # a restart
    back = [a.as_error() for a in (again.last("r"), again.last("l"), again.last("f")) if a]
    assert [(type(e), e.reason, e.params) for e in back] == [
        (Unavailable, "connection_refused", {"detail": "connection refused"}),
        (DraftLost, "draft_lost", {"versions": 3}),
        (SaveFailed, "disk_full", {"action": "save", "path": "/s/x", "errno": errno.ENOSPC}),
    ]
    assert isinstance(back[1], DraftLost) and back[1].versions == 3
    assert back[0].offline and back[0].message == refused.message
    # the save's own reason ("autosave") is not overwritten by the error's
    last = again.last("f")
    assert last is not None and last.reason == "autosave"


def test_records_written_before_reasons_load_with_the_generic_reason(tmp_path: Path) -> None:
    log = AttemptLog(tmp_path / "attempts")
    old = {"time": 5.0, "outcome": "failed", "draft_url": "d", "reason": "autosave",
           "error": "SaveFailed", "message": "Save failed: no space left on device",
           "status": 500, "code": 9998, "retryable": False, "offline": False, "busy": False}
    log.folder.mkdir(parents=True)
    log.path("d").write_text(json.dumps(old) + "\n", encoding="utf-8")
    last = log.last("d")
    assert last is not None
    error = last.as_error()
    assert isinstance(error, SaveFailed)
    assert (error.reason, error.params, error.message) == (
        "error", {}, "Save failed: no space left on device")
    # and an error rebuilt from a record writes the same record again
    assert to_record(error_from_record(to_record(error))) == to_record(error)
