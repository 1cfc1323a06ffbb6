"""What a server's answer, or a failed connection, means: the classification on its own
(real httpx answers and exceptions, no server), for the cases a live server cannot stage."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from draftkeeper.core.errors import BadRequest, DraftKeeperError, Incompatible, Unavailable
from draftkeeper.core.remote.answers import (
    NOT_JSON,
    check_answer,
    connection_reason,
    transport_error,
)

SAVE = "http://127.0.0.1:8000/openapi/capcut-mate/v1/save_draft"


def answer(status: int, body: Any, headers: dict[str, str] | None = None,
           request_headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", SAVE, headers=request_headers)
    if isinstance(body, bytes):
        return httpx.Response(status, content=body, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def refused(response: httpx.Response, body: Any, cap: float = 60) -> DraftKeeperError:
    with pytest.raises(DraftKeeperError) as info:
        check_answer(response, body, retry_cap=cap)
    return info.value


def test_a_503_with_retry_after_is_retryable_offline_and_carries_the_wait() -> None:
    body = {"detail": "Service unavailable"}
    error = refused(answer(503, body, {"Retry-After": "7"}), body)
    assert isinstance(error, Unavailable) and error.retryable and error.offline
    assert (error.reason, error.retry_after) == ("server_unavailable", 7.0)
    assert error.params == {"http_status": 503, "server_message": "Service unavailable"}
    # a wait longer than the longest backoff is cut to it
    assert refused(answer(503, body, {"Retry-After": "3600"}), body, cap=60).retry_after == 60


def test_a_capcut_code_in_a_200_answer_is_the_failure() -> None:
    body = {"code": 2042, "message": "draft lock timeout"}
    error = refused(answer(200, body, {"Retry-After": "2"}), body)
    assert isinstance(error, Unavailable) and error.retryable and error.busy
    assert (error.reason, error.code, error.retry_after) == ("server_busy", 2042, 2.0)
    assert error.params == {"code": 2042, "server_message": "draft lock timeout"}
    assert check_answer(answer(200, {"code": 0, "draft_url": "u"}), {"code": 0,
                                                                   "draft_url": "u"},
                        retry_cap=60) == {"code": 0, "draft_url": "u"}


def test_401_says_whether_a_token_was_sent_before_any_code() -> None:
    body = {"code": 1001, "message": "unauthorized"}
    needed = refused(answer(401, body), body)
    assert (needed.reason, needed.retryable) == ("token_needed", False)
    refused_token = refused(answer(403, body, request_headers={"Authorization": "Bearer t"}),
                            body)
    assert refused_token.reason == "token_refused"
    assert refused_token.params["server"] == "http://127.0.0.1:8000"
    assert "Bearer t" not in refused_token.message


def test_a_non_json_error_page_is_named_by_its_status_and_a_non_object_is_incompatible() -> None:
    error = refused(answer(502, b"<html>bad gateway</html>"), NOT_JSON)
    assert error.retryable and error.params["server_message"] == "Bad Gateway"
    listing = refused(answer(200, ["not", "an", "object"]), ["not", "an", "object"])
    assert isinstance(listing, Incompatible) and listing.reason == "answer_not_object"
    assert not listing.retryable


def test_why_a_connection_failed_is_found_through_the_exception_chain() -> None:
    def chained(outer: BaseException, cause: BaseException) -> BaseException:
        try:
            try:
                raise cause
            except BaseException:
                raise outer  # noqa: B904 - the implicit chain (__context__) is followed
        except BaseException as exc:
            return exc

    reset = chained(httpx.ReadError("read failed"), ConnectionResetError(104, "reset"))
    assert connection_reason(reset) == ("connection_reset", "connection reset")
    dropped = transport_error(reset, url=SAVE, total_s=30, connect_s=5)
    assert isinstance(dropped, Unavailable) and dropped.retryable and dropped.offline
    assert (dropped.reason, dropped.params["cause"]) == ("connection_dropped", "connection_reset")

    refused_error = transport_error(
        chained(httpx.ConnectError("connect failed"), ConnectionRefusedError(111, "refused")),
        url=SAVE, total_s=30, connect_s=5)
    assert refused_error.reason == "connection_refused" and refused_error.retryable
    assert connection_reason(httpx.ConnectError("odd")) == ("", "odd")
    assert transport_error(httpx.ConnectError("odd"), url=SAVE, total_s=30,
                           connect_s=5).reason == "cannot_connect"


def test_timeouts_and_a_bad_scheme() -> None:
    connect = transport_error(httpx.ConnectTimeout("slow"), url=SAVE, total_s=30, connect_s=5)
    assert (connect.reason, connect.params, connect.busy) == ("connect_timeout",
                                                             {"seconds": 5}, False)
    for late in (TimeoutError(), httpx.ReadTimeout("slow")):
        error = transport_error(late, url=SAVE, total_s=30, connect_s=5)
        assert (error.reason, error.params) == ("timeout", {"seconds": 30})
        assert error.retryable and error.busy  # the server is working: do not pile on
    scheme = transport_error(httpx.UnsupportedProtocol("ftp"), url="ftp://x/y",
                             total_s=30, connect_s=5)
    assert isinstance(scheme, BadRequest) and not scheme.retryable
    assert (scheme.reason, scheme.params) == ("not_http_url", {"url": "ftp://x/y"})
