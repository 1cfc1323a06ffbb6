"""The HTTP exchange with a capcut-mate server: one shared httpx.AsyncClient (made, and
httpx imported, on first use), method-preserving redirects followed a few hops, answers
read up to 1 MiB, and every failure turned into a classified error (``remote_errors``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from draftkeeper import __version__
from draftkeeper.core.errors import BadRequest, Incompatible
from draftkeeper.core.remote.answers import NOT_JSON, check_answer, transport_error
from draftkeeper.core.remote.auth import bearer_auth, server_of_url, token_scope
from draftkeeper.core.remote.urls import accept_language, is_insecure
from draftkeeper.core.settings.table import Settings

if TYPE_CHECKING:  # httpx is imported on first use: a local save never needs it
    import httpx

log = logging.getLogger("draftkeeper.core.remote.engine")
MAX_BODY = 1024 * 1024
MAX_REDIRECTS = 3


def token_insecure(settings: Settings) -> str | None:
    """The server the remote token goes to over plain http off this machine (its
    ``scheme://host:port``; the token can be read on the way), or None."""
    scope = token_scope(settings)
    if scope is None or not settings.remote_base:
        return None
    return server_of_url(settings.remote_base) if is_insecure(settings.remote_base) else None


class RemoteHttp:
    """Requests to the remote server, over one client shared by every request."""

    def __init__(
        self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared HTTP client, made on first use (importing httpx then)."""
        if self._client is None:
            import httpx

            with contextlib.suppress(BadRequest):  # a bad token: its requests say so
                insecure = token_insecure(self.settings)
                if insecure:
                    log.warning("the remote token goes to %s over plain http, not encrypted",
                                insecure)

            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    self.settings.total_timeout_s, connect=self.settings.connect_timeout_s
                ),
                follow_redirects=False,
                verify=True,
                transport=self._transport,
                auth=bearer_auth(self.settings),  # the token, to the remote base only
                headers={
                    "Accept": "application/json",
                    "Accept-Language": accept_language(self.settings.language),
                    "User-Agent": f"draftkeeper/{__version__}",
                },
            )
        return self._client

    async def request(
        self, method: str, url: str, **kwargs: Any
    ) -> tuple[httpx.Response, Any]:
        """Send, follow method-preserving redirects, read at most 1 MiB; errors classified.
        The body is the parsed JSON (None when empty, NOT_JSON when not JSON)."""
        import httpx

        try:
            async with asyncio.timeout(self.settings.total_timeout_s):
                for _hop in range(MAX_REDIRECTS + 1):
                    response, body = await self._send_once(method, url, **kwargs)
                    if response.status_code in (307, 308) and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if 300 <= response.status_code < 400:
                        where = response.headers.get("location", "?")
                        raise Incompatible(
                            f"The server redirected the request (HTTP {response.status_code}) "
                            f"to {where}: set the remote base to the new address",
                            reason="redirected",
                            params={"http_status": response.status_code, "location": where},
                        )
                    return response, body
                raise Incompatible(f"Too many redirects (more than {MAX_REDIRECTS})",
                                   reason="too_many_redirects", params={"limit": MAX_REDIRECTS})
        except (TimeoutError, httpx.HTTPError) as exc:
            raise transport_error(exc, url=url, total_s=self.settings.total_timeout_s,
                                  connect_s=self.settings.connect_timeout_s) from None

    async def _send_once(
        self, method: str, url: str, **kwargs: Any
    ) -> tuple[httpx.Response, Any]:
        async with self.client.stream(method, url, **kwargs) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY:
                    raise Incompatible(
                        "The server is not capcut-mate-compatible: its answer is larger "
                        "than 1 MiB", reason="answer_too_large", params={"limit": MAX_BODY}
                    )
                chunks.append(chunk)
        raw = b"".join(chunks)
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = NOT_JSON
        return response, body

    def check(self, response: httpx.Response, body: Any) -> dict[str, Any]:
        """A successful JSON body, or the classified error (Retry-After capped at the
        longest backoff)."""
        return check_answer(response, body, retry_cap=self.settings.backoff_cap_s)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
