"""The remote token goes to the remote base server and to no other: not to another server a
file list points at, not to the same port under another host name, not through a redirect.
A 401/403 is a clear permanent error, sent once. Real test servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from draftkeeper.core import logs
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.remote.auth import origin_of, remote_token, token_scope
from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import SPECS, Settings
from tests.capcut_server import API, OUTPUT, CapcutServer, Fault
from tests.helpers import write_tree

TOKEN = "tk-7f3a9c1e-never-shown"
DRAFT = "2026112709450000000001"


def auth(server: CapcutServer, path: str = "") -> list[str | None]:
    """The Authorization header of each request the server got (whose path ends so)."""
    return [next((v for k, v in r.headers.items() if k.lower() == "authorization"), None)
            for r in server.requests if r.path.endswith(path)]


def host_of(request_headers: dict[str, str]) -> str:
    return next(v for k, v in request_headers.items() if k.lower() == "host")


def session_for(tmp_path: Path, base: str, **extra: object) -> Session:
    settings = Settings(autosave_enabled=False, max_attempts=3, backoff_base_s=0.05,
                        backoff_cap_s=0.1, store_dir=str(tmp_path / "store"),
                        remote_base=base, **extra)  # type: ignore[arg-type]
    return Session(settings, settings_path=tmp_path / "settings.json")


def test_the_token_reaches_only_the_remote_base_server(tmp_path: Path) -> None:
    disk = tmp_path / "disk" / DRAFT
    write_tree(disk, {"draft_content.json": b'{"a": 1}', "draft_meta_info.json": b"{}",
                      "clip.json": b'{"c": 3}'})

    async def main() -> None:
        with CapcutServer() as server, CapcutServer() as other:
            url = server.publish(DRAFT, disk)
            other.publish(DRAFT, disk)
            server.listings[DRAFT] = [
                server.file_url(DRAFT, "draft_content.json"),
                other.file_url(DRAFT, "draft_meta_info.json"),  # another port
                f"http://localhost:{server.port}{OUTPUT}/{DRAFT}/clip.json",  # another name
            ]
            session = session_for(tmp_path, server.base, remote_token=TOKEN)
            await session.start()
            try:
                result = await session.scheduler.save(await session.scheduler.track(url))
            finally:
                await session.stop()
            assert result.version is not None  # saved, and all three files mirrored
            bearer = f"Bearer {TOKEN}"
            assert auth(server, "save_draft") == [bearer]
            assert auth(server, "get_draft") == [bearer]
            by_host = {host_of(r.headers): r for r in server.requests
                       if r.path.startswith(OUTPUT)}
            assert set(by_host) == {f"127.0.0.1:{server.port}", f"localhost:{server.port}"}
            assert auth(server, "draft_content.json") == [bearer]
            assert auth(server, "clip.json") == [None]  # same port, another host name
            assert auth(other) == [None]  # another server: nothing
            assert len(other.requests) == 1

    asyncio.run(main())


def test_a_redirect_to_another_server_does_not_carry_the_token(tmp_path: Path) -> None:
    async def main() -> None:
        with CapcutServer() as server, CapcutServer() as other:
            url = server.create(DRAFT)
            other.create(DRAFT)
            server.fail("save_draft", Fault(
                status=307, body={}, headers={"Location": f"{other.base}{API}/save_draft"}))
            session = session_for(tmp_path, server.base, remote_token=TOKEN)
            await session.start()
            try:
                await session.scheduler.save(await session.scheduler.track(url))
            finally:
                await session.stop()
            assert auth(server, "save_draft") == [f"Bearer {TOKEN}"]
            assert auth(other, "save_draft") == [None]  # followed, without the token

    asyncio.run(main())


@pytest.mark.parametrize(("token", "reason", "words"), [
    ("wrong-token", "token_refused", "The server refused the token (HTTP 401)"),
    (None, "token_needed", "The server needs a token (HTTP 401)"),
])
def test_401_is_one_clear_permanent_failure_and_the_token_stays_out_of_everything(
        tmp_path: Path, token: str | None, reason: str, words: str) -> None:
    log_file = tmp_path / "dk.log"
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logs.redacting_formatter("%(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)  # even debug lines of httpx and httpcore

    async def main() -> None:
        with CapcutServer() as server:
            url = server.create(DRAFT)
            server.fail("save_draft", *[Fault(status=401, body={
                "detail": "Authentication failed", "code": 1004,
                "message": "Authentication failed"}, headers={"WWW-Authenticate": "Bearer"})] * 5)
            session = session_for(tmp_path, server.base, remote_token=token)
            await session.start()
            try:
                with pytest.raises(BadRequest) as info:
                    await session.scheduler.save(await session.scheduler.track(url))
                status = session.scheduler.status(url)
            finally:
                await session.stop()
            error = info.value
            assert error.reason == reason and error.retryable is False
            assert error.status == 401 and words in error.message
            assert error.params["http_status"] == 401
            assert error.params["token_sent"] is (token is not None)
            assert error.params["server"] == f"http://127.0.0.1:{server.port}"
            assert server.count("save_draft") == 1  # permanent: not retried
            assert status.state is State.FAILED and status.error is not None and status.error.reason == reason
            record = (tmp_path / "store" / "attempts")
            written = b"".join(p.read_bytes() for p in record.rglob("*") if p.is_file())
            assert reason.encode() in written
            if token is not None:
                assert token.encode() not in written
                assert token not in str(error.to_json()) and token not in repr(error.params)

    try:
        asyncio.run(main())
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        logging.getLogger().setLevel(logging.WARNING)
    text = log_file.read_text()
    assert "remote save" in text  # the log was written
    if token is not None:
        assert token not in text


def test_where_the_token_comes_from_and_where_it_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRAFTKEEPER_REMOTE_TOKEN", raising=False)
    settings = Settings(remote_token="from-setting")
    assert remote_token(settings) == "from-setting"
    assert token_scope(settings) is None  # no remote base: sent to nobody
    monkeypatch.setenv("DRAFTKEEPER_REMOTE_TOKEN", "from-env")
    assert remote_token(settings) == "from-env"
    settings.token_override = "from-cli"
    assert remote_token(settings) == "from-cli"
    settings.remote_base = "http://LAN-box:30000/"
    scope = token_scope(settings)
    assert scope is not None and scope.token == "from-cli"
    assert scope.applies_to("http://lan-box:30000/output/draft/x/a.json")
    assert not scope.applies_to("https://lan-box:30000/x")  # another scheme
    assert not scope.applies_to("http://lan-box:30001/x")  # another port
    assert not scope.applies_to("http://lan-box.evil.example:30000/x")
    assert origin_of("https://h/x") == ("https", "h", 443)
    # a secret: declared so, never in repr() nor in the settings file's --token
    assert SPECS["remote_token"].secret and SPECS["api_token"].secret
    assert "from-setting" not in repr(settings) and "from-cli" not in repr(settings)
    assert "token_override" not in settings.to_dict()
    bad = Settings(remote_token="two words")
    assert [p.name for p in bad.problems()] == ["remote_token"]
    settings.token_override = "two words"  # no header can carry it: a clear error, not sent
    with pytest.raises(BadRequest, match="printable ASCII text without spaces") as info:
        token_scope(settings)
    assert info.value.reason == "bad_token" and "two words" not in info.value.message
