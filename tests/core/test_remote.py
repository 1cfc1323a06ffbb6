"""RemoteEngine against a real capcut-mate-like HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from draftkeeper.core.errors import (
    BadRequest,
    DraftKeeperError,
    DraftNotFound,
    Incompatible,
    Unavailable,
)
from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.remote.urls import is_insecure
from draftkeeper.core.retry import RetryPolicy, parse_retry_after, with_retries
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.settings.table import Settings
from tests.capcut_server import API, CapcutServer, Fault

T = TypeVar("T")
FAST = RetryPolicy(attempts=8, base=0.01, cap=0.05)


@pytest.fixture
def server() -> Iterator[CapcutServer]:
    with CapcutServer() as s:
        yield s


def run(coro_fn: Callable[[RemoteEngine], Awaitable[T]], **settings: Any) -> T:
    async def main() -> T:
        engine = RemoteEngine(Settings(**settings))
        try:
            return await coro_fn(engine)
        finally:
            await engine.aclose()

    return asyncio.run(main())


def save_with_retries(url: str, policy: RetryPolicy = FAST, **settings: Any) -> Any:
    return run(lambda e: with_retries(lambda: e.save(url), policy), **settings)


def failure(url: str, policy: RetryPolicy = FAST, **settings: Any) -> DraftKeeperError:
    with pytest.raises(DraftKeeperError) as info:
        save_with_retries(url, policy, **settings)
    return info.value


@pytest.mark.parametrize("shape", ["capcut", "spec"])
def test_success_in_both_shapes(shape: str) -> None:
    with CapcutServer(shape=shape) as server:
        url = server.create()
        result = save_with_retries(url)
        assert result.draft_url == url and not result.unchanged and not result.insecure
        assert server.count() == 1
        body = server.requests[-1].body
        assert body == {"draft_url": url}


@pytest.mark.parametrize("shape", ["capcut", "spec"])
def test_unknown_draft_is_permanent_and_sent_once(shape: str) -> None:
    with CapcutServer(shape=shape) as server:
        error = failure(server.draft_url("evicted"))
        assert isinstance(error, DraftNotFound) and not error.retryable
        assert "Draft does not exist on the server" in error.message
        assert server.count() == 1


def test_code_2001_keeps_the_server_message_in_the_app_language(server: CapcutServer) -> None:
    error = failure(server.draft_url("gone"), language="zh")
    assert error.message == "Draft does not exist on the server: 草稿不存在"
    assert server.requests[-1].headers["Accept-Language"].startswith("zh-CN")
    assert error.code == 2001 and error.status == 404


def test_code_1001_is_permanent(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(body={"code": 1001, "message": "invalid param"}))
    error = failure(url)
    assert isinstance(error, BadRequest) and "invalid param" in error.message
    assert server.count() == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_permanent_statuses_are_not_retried(server: CapcutServer, status: int) -> None:
    url = server.create()
    server.fail("save_draft", Fault(status=status, body={"detail": "nope"}))
    error = failure(url)
    assert not error.retryable and "nope" in error.message
    assert server.count() == 1


def test_503_with_retry_after_waits_that_long(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(status=503, body={"detail": "Service unavailable"},
                                    headers={"Retry-After": "1"}))
    # base and cap small: only Retry-After can explain a 1 s gap
    result = save_with_retries(url, RetryPolicy(attempts=3, base=0.01, cap=5))
    assert result.draft_url == url
    first, second = server.times()
    assert second - first >= 1.0
    assert server.count() == 2


def test_retry_after_is_capped_and_carried_on_the_error(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(status=503, headers={"Retry-After": "3600"}))
    error = failure(url, RetryPolicy(attempts=1), backoff_cap_s=60)
    assert error.retryable and error.retry_after == 60


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=429, body={"detail": "Too many requests"}),
        Fault(status=500, body={"detail": "Save failed"}),
        Fault(status=502, body=b"<html>bad gateway</html>"),
        Fault(body={"code": 2042, "message": "draft lock timeout"}),
        Fault(body={"code": 9998, "message": "internal error"}),
        Fault(drop="mid"),
        Fault(drop="before"),
    ],
    ids=["429", "500", "502-html", "2042", "9998", "dropped-mid-body", "dropped-before"],
)
def test_retryable_faults_are_retried(server: CapcutServer, fault: Fault) -> None:
    url = server.create()
    server.fail("save_draft", fault)
    assert save_with_retries(url).draft_url == url
    assert server.count() == 2


def test_retryable_fault_message_is_kept(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(body={"code": 2042, "message": "draft lock timeout"}))
    error = failure(url, RetryPolicy(attempts=1))
    assert error.retryable and error.code == 2042
    assert "draft lock timeout" in error.message


def test_read_timeout(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(delay=1.5))
    error = failure(url, RetryPolicy(attempts=1), total_timeout_s=0.3)
    assert isinstance(error, Unavailable) and error.retryable
    assert "did not answer within 0.3 s" in error.message
    assert server.count() == 1


def test_connect_timeout() -> None:
    # a listening socket whose backlog is full and never accepts: SYNs go unanswered
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    try:
        url = f"http://127.0.0.1:{port}{API}/get_draft?draft_id=x"
        error = failure(url, RetryPolicy(attempts=1), connect_timeout_s=0.3)
        assert isinstance(error, Unavailable) and error.retryable
        assert "connect" in error.message.lower()
    finally:
        for s in fillers:
            s.close()
        listener.close()


def test_invalid_json_is_incompatible_and_not_retried(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(body=b"<html>login page</html>"))
    error = failure(url)
    assert isinstance(error, Incompatible) and not error.retryable
    assert "not capcut-mate-compatible" in error.message
    assert server.count() == 1


def test_success_without_draft_url_is_incompatible(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(body={"ok": True}))
    error = failure(url)
    assert "no draft_url" in error.message and server.count() == 1


def test_two_mib_body_is_refused(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(body={"code": 0, "draft_url": url, "pad": "x" * 2 * 2**20}))
    error = failure(url)
    assert isinstance(error, Incompatible) and "larger than 1 MiB" in error.message
    assert server.count() == 1


def test_method_preserving_redirect_is_followed(server: CapcutServer) -> None:
    with CapcutServer() as moved:
        url = moved.create()
        server.drafts.update(moved.drafts)
        # the old server answers every save with a 308 to the new one
        server.fail("save_draft", Fault(status=308, headers={
            "Location": f"{moved.base}{API}/save_draft"}))
        result = run(lambda e: e.save(url), remote_base=server.base)
        assert result.draft_url == url
        assert server.count() == 1 and moved.count() == 1
        assert moved.requests[-1].body == {"draft_url": url}


def test_other_redirects_name_the_new_address(server: CapcutServer) -> None:
    url = server.create()
    server.fail("save_draft", Fault(status=301, headers={"Location": "https://new.example/"}))
    error = failure(url)
    assert "redirected" in error.message and "https://new.example/" in error.message
    assert server.count() == 1


def test_server_down_then_up() -> None:
    server = CapcutServer().start()
    url = server.create()
    drafts = dict(server.drafts)
    port = server.port
    server.stop()
    restarted: list[CapcutServer] = []

    async def sleep_and_restart(delay: float) -> None:
        if not restarted:  # the server comes back while we wait
            s = CapcutServer(port=port).start()
            s.drafts.update(drafts)
            restarted.append(s)

    seen: list[str] = []
    try:
        result = run(lambda e: with_retries(
            lambda: e.save(url), FAST, sleep=sleep_and_restart,
            on_failure=lambda n, exc, d: seen.append(exc.message)))
        assert result.draft_url == url
        assert len(seen) == 1 and "connection refused" in seen[0]
        assert restarted[0].count() == 1
    finally:
        for s in restarted:
            s.stop()


def test_get_draft_returns_the_file_list(server: CapcutServer) -> None:
    url = server.create("d1")
    files = run(lambda e: e.get_draft(url))
    assert files == [server.file_url("d1", "draft_info.json"),  # download URLs, as the real
                     server.file_url("d1", "draft_meta_info.json")]  # server lists them
    with pytest.raises(DraftNotFound):
        run(lambda e: e.get_draft(server.draft_url("nope")))


def test_history_records_attempts(server: CapcutServer, tmp_path: Path) -> None:
    """Attempts are recorded by the scheduler (every path saves through it); the remote
    engine reads them back as the draft's history, newest first."""
    url = server.create()
    server.fail("save_draft", Fault(status=503))

    async def go(engine: RemoteEngine) -> Any:
        sched = SaveScheduler(engine, engine.settings, record=engine.attempts)
        await sched.track(url)
        with pytest.raises(Unavailable):
            await sched.save(url)
        await sched.save(url)
        return await engine.history(url)

    history = run(go, store_dir=str(tmp_path), max_attempts=1)
    assert [h.outcome for h in history] == ["saved", "failed"]
    assert "HTTP 503" in history[1].message
    assert list((tmp_path / "attempts").glob("*.jsonl"))  # beside the store's data


def test_bare_id_needs_a_base_and_base_overrides(server: CapcutServer) -> None:
    server.create("abc")
    with pytest.raises(BadRequest, match="bare draft_id"):
        run(lambda e: e.save("abc"))
    result = run(lambda e: e.save("abc"), remote_base=server.base)
    assert result.draft_url == server.draft_url("abc")
    # the base overrides the host in the draft_url
    result = run(lambda e: e.save("https://elsewhere.invalid" + API + "/get_draft?draft_id=abc"),
                 remote_base=server.base)
    assert server.count() == 2


def test_insecure_flag() -> None:
    assert not is_insecure("http://127.0.0.1:8000/x")
    assert not is_insecure("http://localhost/x")
    assert not is_insecure("http://[::1]:80/x")
    assert is_insecure("http://capcut-mate.example.com/x")
    assert not is_insecure("https://capcut-mate.example.com/x")


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_dns_failure_is_retryable_and_named() -> None:
    """No real DNS here (no network): a transport fails as the resolver would."""
    import socket

    import httpx

    def resolve_fails(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(
            -2, "Name or service not known")

    async def main() -> DraftKeeperError:
        engine = RemoteEngine(Settings(), transport=httpx.MockTransport(resolve_fails))
        try:
            with pytest.raises(Unavailable) as info:
                await engine.save("https://no-such-host.invalid/x?draft_id=a")
            return info.value
        finally:
            await engine.aclose()

    error = asyncio.run(main())
    assert error.retryable and error.offline
    assert error.message == "Cannot reach the server: host name not found (DNS)"
