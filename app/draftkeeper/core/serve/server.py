"""The save_draft HTTP API, served from the local engine on the caller's asyncio loop.

``draftkeeper serve`` and the window's "Local API" setting both run :class:`ApiServer` over a
:class:`~draftkeeper.core.session.session.Session`: saves go through the session's
SaveScheduler, so single flight, coalescing and live status are shared with the window.
aiohttp's server runs on the loop that is already running (``AppRunner`` + ``TCPSite``): no
thread, no second loop. This module is imported only when the API is wanted (aiohttp costs ~0.2
s).

Routes (capcut-mate's paths): ``POST .../save_draft``, ``GET .../get_draft?draft_id=ID``
(``files``: download URLs), the files themselves under ``/output/draft/<id>/<path>``
(read-only, only files of drafts in the roots), and ``GET /health``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import math
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from draftkeeper import __version__
from draftkeeper.core.backend import SaveResult
from draftkeeper.core.drafts import roots
from draftkeeper.core.errors import BadRequest, DraftKeeperError
from draftkeeper.core.remote.urls import is_loopback
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.serve.texts import ApiError, error_for, language, localized
from draftkeeper.core.settings.table import SPECS, Settings, url_problem
from draftkeeper.core.urls import GET_DRAFT_PATH, SAVE_DRAFT_PATH, parse_draft_id, validate_draft_id

if TYPE_CHECKING:
    from draftkeeper.core.session.session import Session

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # a save_draft body is one short URL
FILES_PREFIX = "/output/draft"  # where capcut-mate's web server serves draft files
HEALTH_PATH = "/health"
SHUTDOWN_GRACE_S = 2.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ApiOptions:
    host: str = str(SPECS["api_host"].default)
    port: int = int(SPECS["api_port"].default)
    token: str | None = None
    cors_origin: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiOptions:
        return cls(settings.api_host, settings.api_port, settings.api_token or None,
                   settings.api_cors_origin or None)

    def check(self) -> None:
        """Refuse options that are unsafe or unusable, before anything is bound."""
        lo, hi = SPECS["api_port"].range or (1, 65535)
        if not (self.port == 0 or lo <= self.port <= hi):  # 0: any free port
            raise BadRequest(f"Port must be between {lo:g} and {hi:g} (or 0 for any free "
                             f"port), got {self.port}")
        if not self.host.strip():
            raise BadRequest("The address to listen on is empty")
        if self.token is not None and (not self.token.isprintable() or " " in self.token):
            raise BadRequest("The API token must be printable text without spaces")
        if not is_loopback(self.host) and not self.token:
            raise BadRequest(
                f"Listening on {self.host} lets other machines reach the API: set a token "
                "(--token, or the api_token setting) or listen on 127.0.0.1")
        if self.cors_origin:
            reason = url_problem(self.cors_origin)
            if reason:
                raise BadRequest(f"The allowed CORS origin is not a URL ({reason}): "
                                 f"{self.cors_origin!r}")


def _origin(url: str) -> str:
    return url.strip().rstrip("/").lower()


class ApiServer:
    """The HTTP API over one Session, on the running loop: ``await start()``/``stop()``."""

    def __init__(self, session: Session, options: ApiOptions | None = None) -> None:
        self.session = session
        self.options = options or ApiOptions.from_settings(session.settings)
        self.options.check()
        self._runner: web.AppRunner | None = None
        self._refreshing: asyncio.Future[None] | None = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def url(self) -> str:
        host = self.options.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    async def start(self) -> str:
        """Listen; returns the base URL. Raises DraftKeeperError when it cannot."""
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY)
        app.router.add_post(SAVE_DRAFT_PATH, self._save_draft)
        app.router.add_get(GET_DRAFT_PATH, self._get_draft)
        app.router.add_get(FILES_PREFIX + "/{draft_id}/{path:.+}", self._file)
        app.router.add_get(HEALTH_PATH, self._health)
        runner = web.AppRunner(app, access_log=None, handle_signals=False,
                               shutdown_timeout=SHUTDOWN_GRACE_S)
        await runner.setup()
        site = web.TCPSite(runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise DraftKeeperError(
                f"Cannot listen on {self.options.host}:{self.options.port}: "
                f"{exc.strerror or exc}") from None
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("local API listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("local API stopped")

    # --- guard: auth, host, CORS, errors as JSON -------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        lang = language(request.headers.get("Accept-Language"))
        response: web.StreamResponse
        try:
            if request.method == "OPTIONS":
                response = self._preflight(request)
            else:
                self._check_caller(request)
                response = await handler(request)
        except ApiError as exc:
            response = exc.response(lang)
        except web.HTTPException as exc:  # the router's 404 and 405
            kind = "no_route" if exc.status == 404 else "method"
            response = ApiError(kind, exc.reason, status=exc.status).response(lang)
        except Exception as exc:  # never a traceback on the wire
            log.exception("local API: %s %s failed", request.method, request.path)
            response = ApiError("failed", f"unexpected error: {exc!r}").response(lang)
        self._allow_origin(request, response)
        return response

    def _check_caller(self, request: web.Request) -> None:
        token = self.options.token
        if token:
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise ApiError("unauthorized", "send the token as 'Authorization: Bearer "
                               "<token>'", headers={"WWW-Authenticate": "Bearer"})
        elif not is_loopback(_host_name(request.headers.get("Host"))):
            # without a token only this machine may call, by a loopback name: a web page
            # that rebinds its own host name to 127.0.0.1 is refused here
            raise ApiError("forbidden", f"the Host header must name this machine "
                           f"(127.0.0.1 or localhost), not {request.headers.get('Host')!r}")

    def _origin_allowed(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        allowed = self.options.cors_origin
        if origin and allowed and _origin(origin) == _origin(allowed):
            return origin
        return None

    def _preflight(self, request: web.Request) -> web.StreamResponse:
        if self._origin_allowed(request) is None:
            raise ApiError("method", "cross-origin requests are not allowed", status=405)
        return web.Response(status=204, headers={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Authorization, Accept-Language",
            "Access-Control-Max-Age": "600",
        })

    def _allow_origin(self, request: web.Request, response: web.StreamResponse) -> None:
        origin = self._origin_allowed(request)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"

    # --- save_draft ------------------------------------------------------------------

    async def _save_draft(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request)
        draft_url = body.get("draft_url")
        if draft_url is None or (isinstance(draft_url, str) and not draft_url.strip()):
            raise ApiError("required", "the body has no draft_url")
        if not isinstance(draft_url, str):
            raise ApiError("invalid", f"draft_url must be a string, got "
                           f"{type(draft_url).__name__}")
        try:
            draft_id = parse_draft_id(draft_url)
        except DraftKeeperError as exc:
            raise error_for(exc) from None
        await self._listed(draft_id)
        result = await self._save(draft_id)
        lang = language(request.headers.get("Accept-Language"))
        return web.json_response({
            "draft_url": draft_url,
            "draft_id": draft_id,
            "version": result.version,
            "unchanged": result.unchanged,
            "saved_at": result.saved_at,
            "bytes_stored": result.bytes_stored,
            "code": 0,
            "message": localized("success", lang),
        })

    async def _listed(self, draft_id: str) -> None:
        """The draft is in the scheduler's list (one shared sweep finds new drafts);
        404 when it is not in the roots (or was removed from the list)."""
        scheduler = self.session.scheduler
        if draft_id in scheduler and scheduler.status(draft_id).state is not State.MISSING:
            return
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.ensure_future(scheduler.refresh())
        await asyncio.shield(self._refreshing)
        if draft_id not in scheduler or scheduler.status(draft_id).state is State.MISSING:
            raise ApiError("not_found", f"no draft {draft_id!r} in the draft folders")

    async def _save(self, key: str) -> SaveResult:
        """Save through the scheduler. When an attempt fails with a retryable error
        (the store is locked past its timeout, the draft is being written) answer 503 at
        once with Retry-After; the scheduler keeps retrying, and the row shows it."""
        scheduler = self.session.scheduler
        retrying = asyncio.Event()

        def watch(event: StatusEvent) -> None:
            new, old = event.new, event.old
            if event.key == key and new is not None and new.state is State.RETRYING and (
                    old is None or old.state is not State.RETRYING):
                retrying.set()

        unsubscribe = scheduler.subscribe(watch)
        save: asyncio.Future[SaveResult] = asyncio.ensure_future(scheduler.save(key, "manual"))
        save.add_done_callback(_consume)
        waiter: asyncio.Future[Any] = asyncio.ensure_future(retrying.wait())
        try:
            await asyncio.wait([save, waiter], return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            unsubscribe()
        if save.cancelled():  # the session is stopping
            raise ApiError("unavailable", "Draft Keeper is stopping",
                           retry_after=self._retry_after(key))
        if save.done():
            try:
                return save.result()
            except DraftKeeperError as exc:
                raise error_for(exc, self._retry_after(key)) from None
        status = scheduler.status(key)
        raise ApiError("unavailable", status.error_message or "the store is busy",
                       retry_after=self._retry_after(key))

    def _retry_after(self, key: str) -> int:
        scheduler = self.session.scheduler
        at = scheduler.status(key).next_attempt_at if key in scheduler else None
        if at is None:
            return max(1, math.ceil(self.session.settings.backoff_base_s))
        return max(1, math.ceil(at - scheduler.clock.now()))

    # --- get_draft and the files it lists --------------------------------------------

    async def _folder(self, draft_id: str) -> str:
        try:
            validate_draft_id(draft_id)
        except BadRequest as exc:
            raise error_for(exc) from None
        if draft_id in self.session.settings.ignored_drafts:
            raise ApiError("not_found", f"{draft_id!r} was removed from Draft Keeper's list")
        try:
            _id, _root, folder = await asyncio.to_thread(self.session.local.locate, draft_id)
        except DraftKeeperError as exc:
            raise error_for(exc) from None
        return os.fspath(folder)

    async def _files(self, folder: str) -> list[str]:
        try:
            return [rel for rel, _st in await asyncio.to_thread(roots.walk_files, folder)]
        except (FileNotFoundError, NotADirectoryError):
            raise ApiError("not_found", "the draft folder is gone") from None

    async def _get_draft(self, request: web.Request) -> web.StreamResponse:
        ids = request.query.getall("draft_id", [])
        if len(ids) != 1 or not ids[0]:
            raise ApiError("invalid", "give exactly one draft_id query parameter")
        draft_id = ids[0]
        folder = await self._folder(draft_id)
        host = request.headers.get("Host") or self.url.split("://", 1)[1]
        base = f"{request.scheme}://{host}{FILES_PREFIX}/{quote(draft_id, safe='')}"
        files = [f"{base}/{quote(rel)}" for rel in await self._files(folder)]
        lang = language(request.headers.get("Accept-Language"))
        return web.json_response({"code": 0, "message": localized("success", lang),
                                  "draft_id": draft_id, "files": files})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        draft_id, rel = request.match_info["draft_id"], request.match_info["path"]
        folder = await self._folder(draft_id)
        # only a file get_draft lists: no "..", no symlink, no temp file, nothing else
        if rel not in set(await self._files(folder)):
            raise ApiError("no_route", f"the draft has no file {rel!r}")
        path = os.path.join(folder, *rel.split("/"))
        real_folder = os.path.realpath(folder)
        if os.path.commonpath([real_folder, os.path.realpath(path)]) != real_folder:
            raise ApiError("no_route", f"the draft has no file {rel!r}")
        return web.FileResponse(path, headers={"Cache-Control": "no-store"})

    async def _health(self, request: web.Request) -> web.StreamResponse:
        lang = language(request.headers.get("Accept-Language"))
        return web.json_response({
            "status": "ok", "version": __version__, "code": 0,
            "message": localized("success", lang),
            "drafts": len(self.session.scheduler.keys()),
            "roots": [os.fspath(r) for r in self.session.local.roots],
        })


async def _json_object(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ApiError("bad_body", f"Content-Type must be application/json, got "
                       f"{request.headers.get('Content-Type', 'none')!r}")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError("bad_body", f"the body is larger than {MAX_BODY // 1024} KiB")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError("bad_body", f"the body is larger than {MAX_BODY // 1024} KiB") from None
    if not raw.strip():
        raise ApiError("required", "the body is empty")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError("bad_body", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError("bad_body", "the body must be a JSON object")
    return body


def _host_name(header: str | None) -> str:
    """The host of a Host header without its port; loopback when there is none (HTTP/1.0
    without Host reaches a loopback-only server only from this machine)."""
    if not header:
        return "127.0.0.1"
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _consume(fut: asyncio.Future[Any]) -> None:
    if not fut.cancelled():
        fut.exception()


async def serve_until(session: Session, options: ApiOptions, stop: asyncio.Event,
                      started: Callable[[str], None] | None = None) -> None:
    """Run the session and the API until ``stop`` is set (the CLI's ``serve``)."""
    server = ApiServer(session, options)
    await session.start()
    try:
        url = await server.start()
        if started is not None:
            started(url)
        await stop.wait()
    finally:
        await server.stop()
        await session.stop()
