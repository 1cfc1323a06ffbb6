"""RemoteEngine: saves drafts on a server that speaks the capcut-mate save_draft API.

Both answer shapes are understood: the spec's (200 ``{"draft_url"}``, 4xx/5xx
``{"detail"}``) and the real capcut-mate server's (HTTP 200 with ``code``/``message``, where
any non-zero code is a failure). Every failure becomes an error of the core hierarchy with
the server's own message kept for the user, and marked retryable or permanent. A server
that wants a token gets the remote token (``remote_auth``: to the remote base server only);
its 401/403 is a permanent ``token_refused`` / ``token_needed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import locale
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from app import __version__

if TYPE_CHECKING:  # httpx is imported on first use: a local save never needs it
    import httpx
from app.core.attempts import Attempt, AttemptLog
from app.core.backend import DraftScan, RestoreResult, SavedState, SaveResult, VersionInfo
from app.core.drafts import DraftInfo
from app.core.errors import (
    BadRequest,
    DraftKeeperError,
    DraftLost,
    DraftNotFound,
    Incompatible,
    SaveFailed,
    Unavailable,
)
from app.core.remote_auth import auth_error, bearer_auth, server_of_url, token_scope
from app.core.retry import RetryPolicy, parse_retry_after
from app.core.settings import Settings
from app.core.store import iso
from app.core.urls import (
    GET_DRAFT_PATH,
    SAVE_DRAFT_PATH,
    base_of,
    make_draft_url,
    parse_draft_id,
)

if TYPE_CHECKING:
    from app.core.mirror import Mirror
    from app.core.store import Store

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
MAX_REDIRECTS = 3
PERMANENT_STATUS = {400, 401, 403, 404, 422}
RETRYABLE_STATUS = {408, 429}
LANGUAGES = {"en": "en-US,en;q=0.9", "zh": "zh-CN,zh;q=0.9"}


def system_language() -> str:
    """"zh" when the system locale is Chinese, else "en" (no Qt here: the environment's
    locale, as LC_ALL / LC_MESSAGES / LANG give it)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith(("zh", "chinese")) else "en"


def accept_language(setting: str) -> str:
    """The Accept-Language header for the ``language`` setting (auto: the system's)."""
    lang = system_language() if setting == "auto" else setting
    return LANGUAGES.get(lang, LANGUAGES["en"])


def remote_draft_url(text: str, base: str | None) -> str:
    """The draft_url of a remote draft: a full http(s) draft_url as given, or one built
    from a bare draft_id and the remote base; BadRequest naming what is wrong."""
    text = text.strip()
    draft_id = parse_draft_id(text)  # the same 400-class errors as local mode
    if "://" in text:
        base_of(text)  # only http(s) URLs can be saved remotely
        return text
    if not base:
        raise BadRequest(
            f"{text!r} is a bare draft_id and needs a server: give the full draft_url, or "
            "set a remote base URL (Settings, or --remote BASE)",
            reason="needs_remote_base", params={"draft_id": draft_id},
        )
    return make_draft_url(base, draft_id)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_insecure(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")


def _server_message(body: Any) -> str:
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


class RemoteEngine:
    """SaveBackend over one shared httpx.AsyncClient."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        base: str | None = None,
        attempts: AttemptLog | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        store: Callable[[], Store] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.base = (base or self.settings.remote_base or "").rstrip("/") or None
        if self.base is not None and not self.base.startswith(("http://", "https://")):
            raise BadRequest(f"Remote base must be an http(s) URL, got {self.base!r}")
        # the scheduler records every attempt; this engine reads them (history, last saved)
        self.attempts = attempts or attempt_log(self.settings)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._store = store
        self._mirror: Mirror | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared HTTP client, made on first use (importing httpx then)."""
        if self._client is None:
            import httpx

            with contextlib.suppress(BadRequest):  # a bad token: its requests say so
                insecure = self.token_insecure()
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

    def token_insecure(self) -> str | None:
        """The server the remote token goes to over plain http off this machine (its
        ``scheme://host:port``; the token can be read on the way), or None."""
        scope = token_scope(self.settings)
        if scope is None or not self.settings.remote_base:
            return None
        return server_of_url(self.settings.remote_base) if is_insecure(
            self.settings.remote_base) else None

    @property
    def mirror(self) -> Mirror | None:
        """The content of each saved draft, kept as versions in the store (None: not kept);
        made on first use, like the client it downloads with."""
        if self._mirror is None and self._store is not None:
            from app.core.download import Downloader
            from app.core.mirror import Mirror

            s = self.settings
            self._mirror = Mirror(self._store, s, Downloader(
                self.client, RetryPolicy(s.max_attempts, s.backoff_base_s, s.backoff_cap_s),
                s.max_download_mib * 1024 * 1024))
        return self._mirror

    # --- addressing --------------------------------------------------------------------

    def draft_url_for(self, draft: str) -> str:
        """The full draft_url to send: the user's URL, or one built from a bare id."""
        return remote_draft_url(draft, self.base)

    def endpoint(self, draft_url: str, path: str) -> str:
        return f"{self.base or base_of(draft_url)}{path}"

    # --- HTTP --------------------------------------------------------------------------

    async def _request(
        self, method: str, url: str, **kwargs: Any
    ) -> tuple[httpx.Response, Any]:
        """Send, follow method-preserving redirects, read at most 1 MiB; errors classified."""
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
        except TimeoutError:
            raise Unavailable(
                f"The server did not answer within {self.settings.total_timeout_s:g} s",
                offline=True, busy=True, reason="timeout",
                params={"seconds": self.settings.total_timeout_s},
            ) from None
        except httpx.ConnectTimeout:
            raise Unavailable(
                f"Could not connect to the server within {self.settings.connect_timeout_s:g} s",
                offline=True, reason="connect_timeout",
                params={"seconds": self.settings.connect_timeout_s},
            ) from None
        except httpx.TimeoutException:
            raise Unavailable(
                f"The server did not answer within {self.settings.total_timeout_s:g} s",
                offline=True, busy=True, reason="timeout",
                params={"seconds": self.settings.total_timeout_s},
            ) from None
        except httpx.ConnectError as exc:
            key, text = _reason(exc)
            raise Unavailable(
                f"Cannot reach the server: {text}", offline=True,
                reason=key or "cannot_connect", params={"detail": text},
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            key, text = _reason(exc)
            raise Unavailable(
                f"The connection was dropped: {text}", offline=True,
                reason="connection_dropped", params={"cause": key, "detail": text},
            ) from None
        except httpx.UnsupportedProtocol as exc:
            raise BadRequest(f"Not an http(s) URL: {exc}", reason="not_http_url",
                             params={"url": url}) from None
        except httpx.HTTPError as exc:
            key, text = _reason(exc)
            raise Unavailable(f"Network error: {text}", offline=True,
                              reason=key or "network_error", params={"detail": text}) from None

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
            body = _NOT_JSON
        return response, body

    def _check(self, response: httpx.Response, body: Any) -> dict[str, Any]:
        """A successful JSON body, or the classified error."""
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is not None:
            retry_after = min(retry_after, self.settings.backoff_cap_s)
        message = _server_message(body) if body is not _NOT_JSON else ""
        if response.status_code in (401, 403):  # before capcut-mate's code: it says why
            sent = "authorization" in response.request.headers
            return _raise(auth_error(response.status_code, sent,
                                     server_of_url(str(response.request.url)), message))
        if isinstance(body, dict):
            code = body.get("code")
            if isinstance(code, int) and not isinstance(code, bool) and code != 0:
                return _raise(classify_code(code, message, retry_after))
        if response.status_code >= 400 or response.status_code < 200:
            if not message and body is _NOT_JSON:
                message = response.reason_phrase
            return _raise(classify_status(response.status_code, message, retry_after))
        if not isinstance(body, dict):
            raise Incompatible(
                "The server is not capcut-mate-compatible: its answer is not a JSON object",
                reason="answer_not_object",
            )
        return body

    # --- SaveBackend -------------------------------------------------------------------

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        """save_draft, then the draft's content mirrored into the store. An autosave of a
        draft kept here looks first (get_draft, conditional requests) and sends save_draft
        only when something changed or the keep-alive is due."""
        url = self.draft_url_for(draft_url)
        mirror = self.mirror
        draft_id = parse_draft_id(url)
        if mirror is None:
            return await self._post(url)
        if reason == "autosave" and mirror.versions(draft_id):
            files = await self._listing(url, draft_id)
            synced = await mirror.sync(draft_id, files, reason)
            posted = mirror.posted_at(draft_id)
            if synced.unchanged and posted is not None and (
                    time.time() - posted < self.settings.remote_keepalive_s):
                return replace(await self._result(url), version=synced.version,
                               unchanged=True)
            result = await self._post(url)
            mirror.note_posted(draft_id)
            return replace(result, version=synced.version, unchanged=synced.unchanged)
        result = await self._post(url)
        mirror.note_posted(draft_id)
        files = await self._listing(url, draft_id)
        synced = await mirror.sync(draft_id, files, reason)
        return replace(result, version=synced.version, unchanged=synced.unchanged)

    async def _listing(self, url: str, draft_id: str) -> list[Any]:
        try:
            return await self.get_draft(url)
        except DraftNotFound as exc:
            raise self._lost(draft_id, exc) from None

    def _lost(self, draft_id: str, error: DraftNotFound) -> DraftNotFound:
        """2001 for a draft kept here: lost on the server, not a failure to retry."""
        kept = self.mirror.versions(draft_id) if self.mirror is not None else 0
        if not kept or isinstance(error, DraftLost):
            return error
        return DraftLost(
            f"The server no longer has this draft; {kept} version"
            f"{'s are' if kept != 1 else ' is'} kept here", versions=kept,
            params={"versions": kept, "server_message": error.params.get("server_message", "")})

    async def _result(self, url: str) -> SaveResult:
        return SaveResult(draft_url=url, version=None, saved_at=iso(time.time()),
                          unchanged=False,
                          insecure=is_insecure(self.endpoint(url, SAVE_DRAFT_PATH)))

    async def _post(self, url: str) -> SaveResult:
        try:
            response, body = await self._request(
                "POST", self.endpoint(url, SAVE_DRAFT_PATH), json={"draft_url": url}
            )
            data = self._check(response, body)
            saved = data.get("draft_url")
            if not isinstance(saved, str) or not saved:
                raise Incompatible(
                    "The server is not capcut-mate-compatible: its answer has no draft_url",
                    reason="answer_no_draft_url",
                )
        except DraftNotFound as exc:
            log.warning("remote save of %s failed: %s", url, exc.message)
            raise self._lost(parse_draft_id(url), exc) from None
        except DraftKeeperError as exc:
            log.warning("remote save of %s failed: %s", url, exc.message)
            raise
        log.info("remote save of %s: saved", url)
        now = time.time()
        return SaveResult(
            draft_url=saved,
            version=None,
            saved_at=iso(now),
            unchanged=False,
            insecure=is_insecure(self.endpoint(url, SAVE_DRAFT_PATH)),
        )

    async def get_draft(self, draft_url: str) -> list[Any]:
        """The server's file list for the draft (capcut-mate: ``{"code": 0, "files": []}``)."""
        url = self.draft_url_for(draft_url)
        draft_id = parse_draft_id(url)
        response, body = await self._request(
            "GET", self.endpoint(url, GET_DRAFT_PATH), params={"draft_id": draft_id}
        )
        data = self._check(response, body)
        files = data.get("files")
        if not isinstance(files, list):
            raise Incompatible(
                "The server is not capcut-mate-compatible: get_draft returned no file list",
                reason="answer_no_file_list",
            )
        return files

    async def probe(self, draft_url: str) -> None:
        """Is the server reachable at all? Raises the classified error when not."""
        url = self.draft_url_for(draft_url)
        await self._request("GET", self.endpoint(url, GET_DRAFT_PATH),
                            params={"draft_id": parse_draft_id(url)})

    def info(self, url: str) -> DraftInfo:
        draft_id = parse_draft_id(url)
        server = self.base or base_of(url)
        return DraftInfo(
            draft_id=draft_id, name=draft_id, root=server, path=url, size=0,
            file_count=0, modified=0.0, draft_url=url, remote=True,
        )

    async def list_drafts(self) -> list[DraftInfo]:
        out = []
        for url in self.settings.remote_drafts:
            with contextlib.suppress(BadRequest):
                out.append(self.info(url))
        return out

    async def scan(self) -> list[DraftScan]:
        return [DraftScan(info, None) for info in await self.list_drafts()]

    async def scan_one(self, key: str) -> DraftScan | None:
        """Any remote draft_url, listed or not (the router decides what is remote)."""
        try:
            return DraftScan(self.info(self.draft_url_for(key)), None)
        except BadRequest:
            return None

    async def saved_state(self, key: str) -> SavedState:
        attempts = await asyncio.to_thread(self.attempts.read, self.draft_url_for(key))
        saved = [a for a in attempts if a.outcome == "saved"]
        kept = 0
        if self.mirror is not None:
            kept = await asyncio.to_thread(self.mirror.versions,
                                           parse_draft_id(self.draft_url_for(key)))
        return SavedState(None, saved[-1].time if saved else None, kept or len(saved),
                          saved[-1].version if saved else None)

    async def saved_states(self, keys: list[str]) -> list[SavedState]:
        return [await self.saved_state(k) for k in keys]

    def server_of(self, key: str) -> str | None:
        try:
            return self.base or base_of(key)
        except BadRequest:
            return None

    async def history(self, draft_url: str) -> list[VersionInfo]:
        """The draft's content kept here (mirror versions) and this app's failed attempts
        on it, newest first; only the attempt record when no content is kept."""
        url = self.draft_url_for(draft_url)
        attempts = await asyncio.to_thread(self.attempts.read, url)
        if self.mirror is None:
            return [_as_version(a) for a in reversed(attempts)]
        from app.core.mirror import mirror_id

        kept = await asyncio.to_thread(self.mirror.store().history,
                                       mirror_id(parse_draft_id(url)))
        if not kept:
            return [_as_version(a) for a in reversed(attempts)]
        failed = [_as_version(a) for a in attempts if a.outcome != "saved"]
        return sorted(kept + failed, key=lambda v: v.time, reverse=True)

    async def restore(self, draft_url: str, version: str) -> RestoreResult:
        raise BadRequest(
            "A remote draft cannot be restored on its server: pull it into a local drafts "
            "folder instead (draftkeeper pull DRAFT_URL --version V)",
            reason="remote_restore",
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


_NOT_JSON: Any = object()


def attempt_log(settings: Settings) -> AttemptLog:
    """The attempt record of a store (remote records of older versions are read too)."""
    store = settings.store_path()
    return AttemptLog(store / "attempts", legacy=store / "remote")


def _as_version(a: Attempt) -> VersionInfo:
    return VersionInfo(version=iso(a.time), time=a.time, saved_at=iso(a.time), reason="remote",
                       file_count=0, bytes=0, outcome=a.outcome, message=a.message,
                       error=dict(a.error))


def _raise(error: DraftKeeperError) -> dict[str, Any]:
    raise error


def _reason(exc: BaseException) -> tuple[str, str]:
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
