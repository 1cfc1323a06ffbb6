"""Downloads of a remote draft's files: which URLs may be fetched, where each may land, and
one streamed, length-checked, size-capped, conditional GET with the shared backoff.

A file list comes from a server (``get_draft``), so every entry is checked before anything
is requested: only http(s) URLs, and the path below the draft's own folder is made from
the URL's path segments, refusing ``..``, ``.``, empty segments, backslashes, NUL and drive
letters, also when they are percent-encoded. Nothing can be written outside the target.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from draftkeeper.core.errors import (
    BadRequest,
    DraftKeeperError,
    DraftNotFound,
    SaveFailed,
    Unavailable,
    disk_reason,
)
from draftkeeper.core.remote.auth import auth_error, server_of_url
from draftkeeper.core.retry import RetryPolicy, with_retries

CHUNK = 256 * 1024
Progress = Callable[[int], None]  # bytes received since the last call


@dataclass(frozen=True)
class RemoteFile:
    url: str
    rel: str  # posix path inside the draft folder


@dataclass(frozen=True)
class Fetched:
    size: int
    etag: str | None
    last_modified: str | None


def check_http_url(url: Any) -> str:
    if not isinstance(url, str) or not url:
        raise BadRequest(f"The server listed a file that is not a URL: {url!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadRequest(f"Refusing to download {url!r}: only http(s) URLs are fetched")
    return url


def safe_segment(segment: str, url: str) -> str:
    name = unquote(segment)
    bad = (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
           or ":" in name)
    if bad:
        raise BadRequest(
            f"Refusing to download {url!r}: its path would leave the draft folder")
    return name


def file_rel(draft_id: str, url: str) -> str:
    """The path inside the draft folder of a file URL of the draft, or BadRequest."""
    check_http_url(url)
    raw = urlsplit(url).path
    if "\\" in raw or "\\" in unquote(raw):
        raise BadRequest(f"Refusing to download {url!r}: backslashes in its path")
    segments = raw.split("/")
    decoded = [unquote(s) for s in segments]
    if draft_id not in decoded:
        raise BadRequest(f"Refusing to download {url!r}: it is not a file of draft {draft_id}")
    rest = segments[decoded.index(draft_id) + 1:]
    if not rest:
        raise BadRequest(f"Refusing to download {url!r}: it names no file")
    return "/".join(safe_segment(s, url) for s in rest)


def plan_files(draft_id: str, files: list[Any]) -> list[RemoteFile]:
    """The files of a get_draft listing, every entry checked (BadRequest names the first
    bad one; nothing is fetched then)."""
    out: dict[str, RemoteFile] = {}
    for url in files:
        rel = file_rel(draft_id, check_http_url(url))
        if rel.casefold() in {r.casefold() for r in out}:
            raise BadRequest(f"The server listed {rel!r} twice")
        out[rel] = RemoteFile(url, rel)
    return list(out.values())


def inside(folder: Path, rel: str) -> Path:
    """``folder / rel``, checked once more to stay inside ``folder``."""
    target = (folder / rel).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise BadRequest(f"Refusing to write {rel!r}: outside {folder}")
    return target


class Downloader:
    """Streamed GETs over one httpx client, retried with the shared backoff."""

    def __init__(self, client: httpx.AsyncClient, policy: RetryPolicy, max_bytes: int,
                 *, sleep: Callable[[float], Any] | None = None) -> None:
        self.client = client
        self.policy = policy
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.requests = 0

    async def fetch(self, url: str, dest: Path, *, etag: str | None = None,
                    last_modified: str | None = None,
                    progress: Progress | None = None) -> Fetched | None:
        """Download ``url`` to ``dest`` (None: not modified since the validators given)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        kwargs: dict[str, Any] = {}
        if self.sleep is not None:
            kwargs["sleep"] = self.sleep
        return await with_retries(lambda: self._once(url, dest, headers, progress),
                                  self.policy, **kwargs)

    async def _once(self, url: str, dest: Path, headers: dict[str, str],
                    progress: Progress | None) -> Fetched | None:
        self.requests += 1
        dest.parent.mkdir(parents=True, exist_ok=True)
        got = 0
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return None
                if response.status_code in (401, 403):
                    raise auth_error(response.status_code,
                                     "authorization" in response.request.headers,
                                     server_of_url(url))
                _check_status(url, response.status_code)
                declared = response.headers.get("content-length")
                expected = int(declared) if declared and declared.isdigit() else None
                if expected is not None and expected > self.max_bytes:
                    raise _too_big(url, self.max_bytes)
                with dest.open("wb") as out:
                    async for chunk in response.aiter_raw(CHUNK):
                        got += len(chunk)
                        if got > self.max_bytes:
                            raise _too_big(url, self.max_bytes)
                        out.write(chunk)
                        if progress is not None:
                            progress(len(chunk))
                    out.flush()
                    os.fsync(out.fileno())
                if expected is not None and got != expected:
                    raise Unavailable(
                        f"The download of {url} was cut short ({got} of {expected} bytes)",
                        offline=True, reason="download_cut_short",
                        params={"url": url, "bytes": got, "expected": expected})
                return Fetched(got, response.headers.get("etag"),
                               response.headers.get("last-modified"))
        except DraftKeeperError:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise
        except httpx.HTTPError as exc:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise Unavailable(f"The download of {url} failed: {exc or type(exc).__name__}",
                              offline=True, reason="download_failed",
                              params={"url": url, "detail": str(exc) or type(exc).__name__},
                              ) from None
        except OSError as exc:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise SaveFailed(f"Cannot write {dest}: {exc.strerror or exc}",
                             reason=disk_reason(exc),
                             params={"action": "pull", "path": str(dest),
                                     "strerror": exc.strerror or str(exc)}) from None


def _check_status(url: str, status: int) -> None:
    if 200 <= status < 300:
        return
    if status == 404:
        raise DraftNotFound(f"The server no longer has {url} (HTTP 404)",
                            reason="file_not_on_server", params={"url": url})
    params = {"url": url, "http_status": status}
    if status in (408, 429) or status >= 500:
        raise Unavailable(f"The server cannot send {url} now (HTTP {status})", status=status,
                          reason="download_unavailable", params=params)
    raise SaveFailed(f"The server refused to send {url} (HTTP {status})", status=status,
                     reason="download_refused", params=params)


def _too_big(url: str, cap: int) -> BadRequest:
    return BadRequest(
        f"Refusing to download {url}: larger than the limit of {cap // (1024 * 1024)} MiB "
        "(setting max_download_mib)")
