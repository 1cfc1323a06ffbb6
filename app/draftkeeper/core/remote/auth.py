"""The API token remote mode sends, and to which server it may go.

One token belongs to one server: the remote base (the ``remote_base`` setting, or the
command line's ``--remote BASE``). It is added as ``Authorization: Bearer <token>`` to every
request whose origin (scheme, host and port) is that server's: save_draft, get_draft, and
the draft's files when they are on that server. Never to another host a file list points
at, nor to a server reached through a redirect, nor to anyone when no base is set.

Where it comes from, first found wins: the command line's ``--token`` (``token_override``),
``$DRAFTKEEPER_REMOTE_TOKEN``, the ``remote_token`` setting.

The token is never part of an error, a log line, the attempt record or ``--json`` output:
errors say only whether one was sent.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from draftkeeper.core.errors import BadRequest, DraftKeeperError
from draftkeeper.core.settings.table import Settings, token_problem

if TYPE_CHECKING:  # httpx is imported on first use: a local save never needs it
    import httpx

ENV = "DRAFTKEEPER_REMOTE_TOKEN"
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def remote_token(settings: Settings) -> str | None:
    """The token remote mode sends: ``--token``, else the environment, else the setting."""
    for token in (settings.token_override, os.environ.get(ENV), settings.remote_token):
        if token:
            return token
    return None


@dataclass(frozen=True)
class TokenScope:
    """A token and the one server it is for."""

    token: str
    origin: Origin

    def applies_to(self, url: str) -> bool:
        return origin_of(url) == self.origin


def token_scope(settings: Settings) -> TokenScope | None:
    """The token and its server, from the settings as they are now (None: no token, or no
    remote base to send it to). BadRequest for a token no header can carry."""
    token = remote_token(settings)
    if not token or not settings.remote_base:
        return None
    problem = token_problem(token)
    if problem:
        raise BadRequest(f"The remote token cannot be used: {problem}", reason="bad_token",
                         params={"problem": problem})
    origin = origin_of(settings.remote_base)
    return TokenScope(token, origin) if origin is not None else None


def bearer_auth(settings: Settings) -> httpx.Auth:
    """An httpx auth that adds the token to requests for its server only; the settings are
    read at each request, so a changed token or base applies at once."""
    import httpx

    class _Bearer(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
            scope = token_scope(settings)
            if scope is not None and scope.applies_to(str(request.url)):
                request.headers["Authorization"] = f"Bearer {scope.token}"
            else:
                request.headers.pop("Authorization", None)
            yield request

    return _Bearer()


def auth_error(status: int, sent: bool, server: str, message: str = "") -> DraftKeeperError:
    """A 401/403 answer as a permanent error: the token was refused, or one is needed."""
    said = f": {message}" if message else ""
    params: dict[str, Any] = {"http_status": status, "server": server, "server_message": message,
                              "token_sent": sent}
    if sent:
        return BadRequest(
            f"The server refused the token (HTTP {status}){said}: check the remote token "
            f"(setting remote_token, ${ENV} or --token)", status=status, retryable=False,
            reason="token_refused", params=params)
    return BadRequest(
        f"The server needs a token (HTTP {status}){said}: set the remote token (setting "
        f"remote_token, ${ENV} or --token) and the remote base it is sent to", status=status,
        retryable=False, reason="token_needed", params=params)


def server_of_url(url: str) -> str:
    """``scheme://host:port`` of a URL, for messages (never its path, query or userinfo)."""
    origin = origin_of(url)
    if origin is None:
        return ""
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}"
