"""What a capcut-mate server's answer, or a failed connection to it, means: an error of the
core hierarchy with its reason and parameters, retryable or permanent.

Both answer shapes are understood: the spec's (200 ``{"draft_url"}``, 4xx/5xx
``{"detail"}``) and the real capcut-mate server's (HTTP 200 with ``code``/``message``, where
any non-zero code is a failure). The server's own message is kept for the user. A 401/403
says whether the token was refused or is needed (``remote_auth``).
"""

from __future__ import annotations

import json
import socket
from typing import TYPE_CHECKING, Any

from draftkeeper.core.errors import (
    BadRequest,
    DraftKeeperError,
    DraftNotFound,
    Incompatible,
    SaveFailed,
    Unavailable,
)
from draftkeeper.core.remote.auth import auth_error, server_of_url
from draftkeeper.core.retry import parse_retry_after

if TYPE_CHECKING:  # httpx is imported on first use: a local save never needs it
    import httpx

PERMANENT_STATUS = {400, 401, 403, 404, 422}
RETRYABLE_STATUS = {408, 429}
NOT_JSON: Any = object()  # the body of an answer that is not JSON


def server_message(body: Any) -> str:
    """The server's own words in a JSON answer ("" when it gave none)."""
    if isinstance(body, dict):
        for key in ("message", "detail", "msg", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if value and not isinstance(value, str):
                return json.dumps(value, ensure_ascii=False)
    return ""


def classify_code(code: int, message: str, retry_after: float | None) -> DraftKeeperError:
    """A capcut-mate ``code`` (non-zero) as an error."""
    said = f": {message}" if message else ""
    params: dict[str, Any] = {"code": code, "server_message": message}
    if code == 2001:
        return DraftNotFound(f"Draft does not exist on the server{said}", code=2001,
                             reason="draft_not_on_server", params=params)
    if code == 1001:
        return BadRequest(f"The server refused the request (bad request){said}", code=1001,
                          reason="server_bad_request", params=params)
    if code == 2042:
        return Unavailable(
            f"The draft is locked on the server (lock timeout){said}", code=2042,
            retry_after=retry_after, busy=True, reason="server_busy", params=params,
        )
    if code == 9998:
        return Unavailable(
            f"The server had an internal error{said}", status=500, code=9998,
            retry_after=retry_after, reason="server_error", params=params,
        )
    return SaveFailed(f"The server refused the save (code {code}){said}", code=code,
                      reason="server_refused", params=params)


def classify_status(status: int, message: str, retry_after: float | None) -> DraftKeeperError:
    """An HTTP status outside 2xx as an error."""
    said = f": {message}" if message else ""
    params: dict[str, Any] = {"http_status": status, "server_message": message}
    if status == 404:
        return DraftNotFound(f"Draft does not exist on the server (HTTP 404){said}",
                             reason="draft_not_on_server", params=params)
    if status in PERMANENT_STATUS:
        return BadRequest(f"The server refused the save (HTTP {status}){said}", status=status,
                          reason="server_refused", params=params)
    if status in RETRYABLE_STATUS or status >= 500:
        return Unavailable(
            f"The server cannot save now (HTTP {status}){said}", status=status,
            retry_after=retry_after, offline=status in (502, 503, 504),
            reason="server_unavailable", params=params,
        )
    return SaveFailed(f"The server refused the save (HTTP {status}){said}", status=status,
                      reason="server_refused", params=params)


def check_answer(response: httpx.Response, body: Any, *, retry_cap: float) -> dict[str, Any]:
    """The JSON object of a successful answer; else raises its error (a Retry-After is
    carried on it, at most ``retry_cap`` seconds). ``body`` is the parsed answer: None when
    empty, NOT_JSON when not JSON."""
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if retry_after is not None:
        retry_after = min(retry_after, retry_cap)
    message = server_message(body) if body is not NOT_JSON else ""
    status = response.status_code
    if status in (401, 403):  # before capcut-mate's code: it says why
        sent = "authorization" in response.request.headers
        raise auth_error(status, sent, server_of_url(str(response.request.url)), message)
    if isinstance(body, dict):
        code = body.get("code")
        if isinstance(code, int) and not isinstance(code, bool) and code != 0:
            raise classify_code(code, message, retry_after)
    if status >= 400 or status < 200:
        if not message and body is NOT_JSON:
            message = response.reason_phrase
        raise classify_status(status, message, retry_after)
    if not isinstance(body, dict):
        raise Incompatible(
            "The server is not capcut-mate-compatible: its answer is not a JSON object",
            reason="answer_not_object",
        )
    return body


def transport_error(
    exc: BaseException, *, url: str, total_s: float, connect_s: float
) -> DraftKeeperError:
    """A request that got no answer (the overall timeout's TimeoutError, or an
    httpx.HTTPError) as an error: timeouts and failed connections are retryable."""
    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return Unavailable(
            f"Could not connect to the server within {connect_s:g} s",
            offline=True, reason="connect_timeout", params={"seconds": connect_s},
        )
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return Unavailable(
            f"The server did not answer within {total_s:g} s",
            offline=True, busy=True, reason="timeout", params={"seconds": total_s},
        )
    if isinstance(exc, httpx.ConnectError):
        key, text = connection_reason(exc)
        return Unavailable(f"Cannot reach the server: {text}", offline=True,
                           reason=key or "cannot_connect", params={"detail": text})
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        key, text = connection_reason(exc)
        return Unavailable(f"The connection was dropped: {text}", offline=True,
                           reason="connection_dropped", params={"cause": key, "detail": text})
    if isinstance(exc, httpx.UnsupportedProtocol):
        return BadRequest(f"Not an http(s) URL: {exc}", reason="not_http_url",
                          params={"url": url})
    key, text = connection_reason(exc)
    return Unavailable(f"Network error: {text}", offline=True,
                       reason=key or "network_error", params={"detail": text})


def connection_reason(exc: BaseException) -> tuple[str, str]:
    """Why a connection failed, from the exception and what caused it: a reason key
    (``connection_refused``, ``connection_reset``, ``host_not_found``; "" when not known)
    and the English words."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection_refused", "connection refused"
        if isinstance(seen, ConnectionResetError):
            return "connection_reset", "connection reset"
        if isinstance(seen, socket.gaierror):
            return "host_not_found", "host name not found (DNS)"
        seen = seen.__cause__ or seen.__context__
    text = str(exc) or exc.__class__.__name__
    if "Connection refused" in text or "All connection attempts failed" in text:
        return "connection_refused", "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "host_not_found", "host name not found (DNS)"
    return "", text
