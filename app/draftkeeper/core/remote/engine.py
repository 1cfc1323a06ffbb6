"""RemoteEngine: saves drafts on a server that speaks the capcut-mate save_draft API.

A SaveBackend over the HTTP exchange of ``remote_http`` (whose failures ``remote_errors``
classifies): save_draft, then the draft's content mirrored into the store (``mirror``);
the history of a remote draft is that content plus this app's attempt record. A server that
wants a token gets the remote token (``remote_auth``: to the remote base server only).

The helpers other modules know from here (``remote_draft_url``, ``is_insecure``,
``is_loopback``, ``accept_language``, ``classify_code``, ``classify_status``) live in
``remote_urls`` and ``remote_errors`` and are importable from here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # httpx is imported on first use: a local save never needs it
    import httpx
from draftkeeper.core.backend import (
    DraftInfo,
    DraftScan,
    RestoreResult,
    SavedState,
    SaveResult,
    VersionInfo,
)
from draftkeeper.core.errors import (
    BadRequest,
    DraftKeeperError,
    DraftLost,
    DraftNotFound,
    Incompatible,
)
from draftkeeper.core.remote.http import RemoteHttp, token_insecure
from draftkeeper.core.remote.urls import (
    is_insecure,
    remote_draft_url,
)
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.store.manifests import iso
from draftkeeper.core.urls import GET_DRAFT_PATH, SAVE_DRAFT_PATH, base_of, parse_draft_id

if TYPE_CHECKING:
    from draftkeeper.core.remote.mirror import Mirror
    from draftkeeper.core.store.store import Store


log = logging.getLogger(__name__)


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
        self.http = RemoteHttp(self.settings, transport)
        self._store = store
        self._mirror: Mirror | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared HTTP client, made on first use (importing httpx then)."""
        return self.http.client

    def token_insecure(self) -> str | None:
        """The server the remote token goes to over plain http off this machine (its
        ``scheme://host:port``; the token can be read on the way), or None."""
        return token_insecure(self.settings)

    @property
    def mirror(self) -> Mirror | None:
        """The content of each saved draft, kept as versions in the store (None: not kept);
        made on first use, like the client it downloads with."""
        if self._mirror is None and self._store is not None:
            from draftkeeper.core.remote.download import Downloader
            from draftkeeper.core.remote.mirror import Mirror

            s = self.settings
            self._mirror = Mirror(self._store, s, Downloader(
                self.client, s.retry_policy,
                s.max_download_mib * 1024 * 1024))
        return self._mirror

    # --- addressing --------------------------------------------------------------------

    def draft_url_for(self, draft: str) -> str:
        """The full draft_url to send: the user's URL, or one built from a bare id."""
        return remote_draft_url(draft, self.base)

    def endpoint(self, draft_url: str, path: str) -> str:
        return f"{self.base or base_of(draft_url)}{path}"

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
                return (await self._result(url)).replace(version=synced.version,
                                                          unchanged=True)
            result = await self._post(url)
            mirror.note_posted(draft_id)
            return result.replace(version=synced.version, unchanged=synced.unchanged)
        result = await self._post(url)
        mirror.note_posted(draft_id)
        files = await self._listing(url, draft_id)
        synced = await mirror.sync(draft_id, files, reason)
        return result.replace(version=synced.version, unchanged=synced.unchanged)

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
            response, body = await self.http.request(
                "POST", self.endpoint(url, SAVE_DRAFT_PATH), json={"draft_url": url}
            )
            data = self.http.check(response, body)
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
        response, body = await self.http.request(
            "GET", self.endpoint(url, GET_DRAFT_PATH), params={"draft_id": draft_id}
        )
        data = self.http.check(response, body)
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
        await self.http.request("GET", self.endpoint(url, GET_DRAFT_PATH),
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
        from draftkeeper.core.remote.mirror import mirror_id

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
        await self.http.aclose()


def attempt_log(settings: Settings) -> AttemptLog:
    """The attempt record of a store (remote records of older versions are read too)."""
    store = settings.store_path()
    return AttemptLog(store / "attempts", legacy=store / "remote")


def _as_version(a: Attempt) -> VersionInfo:
    return VersionInfo(version=iso(a.time), time=a.time, saved_at=iso(a.time), reason="remote",
                       file_count=0, bytes=0, outcome=a.outcome, message=a.message,
                       error=dict(a.error))
