"""The object client of the shared store: put-if-absent, get, list and delete on an
S3-compatible bucket, through ``obstore`` (imported here only: a command that does not use
the shared store never loads it), each request retried with the saves' backoff.

Errors become DraftKeeperErrors that say what is wrong in words a user can act on:
refused credentials, a missing bucket (permanent), or an endpoint that cannot be reached
or answers 5xx (retryable, ``offline``). obstore's own retries are off: ours apply.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TypeVar

from draftkeeper.core.errors import DraftKeeperError, DraftNotFound
from draftkeeper.core.retry import with_retries
from draftkeeper.core.shared.config import ShareConfig

T = TypeVar("T")
_CODE = re.compile(r"<Code>([A-Za-z]+)</Code>")
_STATUS = re.compile(r"status code: (\d{3})")
DENIED_CODES = {"SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied",
                "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed"}


class ShareError(DraftKeeperError):
    """The shared store refused or failed a request."""


class ObjectMissing(DraftNotFound):
    """No object under that key."""


def _code(text: str) -> str:
    m = _CODE.search(text)
    return m.group(1) if m else ""


def share_error(exc: Exception, cfg: ShareConfig) -> DraftKeeperError:
    """The DraftKeeperError for what obstore raised."""
    import obstore.exceptions as oe

    where = cfg.location.describe()
    text = str(exc)
    code = _code(text)
    params = {"where": where, "code": code}
    if code == "NoSuchBucket":
        return ShareError(f"The bucket {cfg.location.bucket!r} does not exist ({where}): "
                          "create it, or correct the share URL", status=404,
                          reason="share_no_bucket", params=params)
    if isinstance(exc, oe.PermissionDeniedError | oe.UnauthenticatedError) or (
            code in DENIED_CODES):
        which = code or "access denied"
        return ShareError(f"The shared store {where} refused the credentials ({which}): "
                          "check the access key id and secret access key "
                          "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the settings)",
                          status=403, reason="share_denied", params=params)
    if isinstance(exc, FileNotFoundError):
        return ObjectMissing(f"Not on the shared store {where}", reason="share_object_missing",
                             params=params)
    status_match = _STATUS.search(text)
    status = int(status_match.group(1)) if status_match else 0
    if status and status < 500 and status not in (408, 429):
        return ShareError(f"The shared store {where} refused a request (HTTP {status} "
                          f"{code}): {text.splitlines()[0][:300]}", status=status,
                          reason="share_refused", params=params | {"status": status})
    if status:
        return ShareError(f"The shared store {where} failed a request (HTTP {status} {code})",
                          status=503, retryable=True, reason="share_failed",
                          params=params | {"status": status})
    first = text.splitlines()[0][:300] if text else type(exc).__name__
    return ShareError(f"The shared store {where} cannot be reached: {first}", status=503,
                      retryable=True, offline=True, reason="share_offline", params=params)


class ShareClient:
    """Requests to one shared store; counts what it sends (for progress and benchmarks)."""

    def __init__(self, cfg: ShareConfig) -> None:
        from obstore.store import S3Store

        loc = cfg.location
        kwargs: dict[str, object] = {}
        if loc.endpoint:
            kwargs["endpoint"] = loc.endpoint
        if cfg.access_key_id and cfg.secret_access_key:
            kwargs["access_key_id"] = cfg.access_key_id
            kwargs["secret_access_key"] = cfg.secret_access_key
        else:
            kwargs["skip_signature"] = True  # a public bucket; never the cloud's metadata
        self.cfg = cfg
        self.store = S3Store(
            loc.bucket, prefix=loc.prefix or None, region=loc.region,
            client_options={"allow_http": loc.allow_http, "connect_timeout": "5s",
                            "timeout": "120s"},
            retry_config={"max_retries": 0, "retry_timeout": timedelta(seconds=1)},
            **kwargs,  # type: ignore[arg-type]
        )
        # obstore's blocking calls, in threads of their own: its asyncio API aborted the
        # interpreter at exit in about 1 run in 6 (obstore 0.12.1, measured here)
        self.pool = ThreadPoolExecutor(cfg.parallel, thread_name_prefix="share")
        self.requests = 0
        # told of every attempt's outcome: None when it worked, else its error (the
        # background uploads say "offline since" at the first failure, not the last)
        self.on_request: Callable[[DraftKeeperError | None], None] | None = None
        self.bytes_sent = 0
        self.bytes_received = 0

    async def _call(self, request: Callable[[], T]) -> T:
        """Run the blocking ``request`` in the client's threads, with retries."""
        loop = asyncio.get_running_loop()

        async def once() -> T:
            self.requests += 1
            try:
                result = await loop.run_in_executor(self.pool, request)
            except DraftKeeperError as exc:
                self._told(exc)
                raise
            except Exception as exc:  # obstore's errors (and OSErrors of the transport)
                error = share_error(exc, self.cfg)
                self._told(error)
                raise error from exc
            self._told(None)
            return result

        return await with_retries(once, self.cfg.policy)

    async def put_if_absent(self, key: str, data: bytes) -> bool:
        """Store ``data`` unless ``key`` exists (If-None-Match: *); whether it was written."""
        import obstore
        import obstore.exceptions as oe

        def put() -> bool:
            try:
                obstore.put(self.store, key, data, mode="create")
            except (oe.AlreadyExistsError, oe.PreconditionError):
                return False
            self.bytes_sent += len(data)
            return True

        return await self._call(put)

    async def get(self, key: str) -> bytes:
        """The object's bytes (ObjectMissing when there is none)."""
        import obstore

        def get() -> bytes:
            data = bytes(obstore.get(self.store, key).bytes())
            self.bytes_received += len(data)
            return data

        return await self._call(get)

    async def list_times(self, prefix: str) -> list[tuple[str, float]]:
        """(key, last modified as the server's epoch seconds) of every object under
        ``prefix``."""
        import obstore

        def listing() -> list[tuple[str, float]]:
            out: list[tuple[str, float]] = []
            for batch in obstore.list(self.store, prefix or None, chunk_size=1000):
                out += [(str(m["path"]), m["last_modified"].timestamp()) for m in batch]
            return out

        return await self._call(listing)

    async def list(self, prefix: str) -> list[tuple[str, int]]:
        """(key, size) of every object under ``prefix`` (a folder-like prefix, no slash at
        either end; "" for everything)."""
        import obstore

        def listing() -> list[tuple[str, int]]:
            out: list[tuple[str, int]] = []
            for batch in obstore.list(self.store, prefix or None, chunk_size=1000):
                out += [(str(meta["path"]), int(meta["size"])) for meta in batch]
            return out

        return await self._call(listing)

    async def modified(self, key: str) -> float:
        """When the object was last written, by the server's clock (ObjectMissing when
        there is none)."""
        import obstore

        return await self._call(
            lambda: obstore.head(self.store, key)["last_modified"].timestamp())

    async def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, over what is there (only the prune's own
        short-lived marker is ever rewritten)."""
        import obstore

        await self._call(lambda: obstore.put(self.store, key, data))

    async def first_key(self, prefix: str) -> str | None:
        """Some key under ``prefix``, or None when there is none (one request)."""
        import obstore

        def first() -> str | None:
            for batch in obstore.list(self.store, prefix or None, chunk_size=1):
                for meta in batch:
                    return str(meta["path"])
            return None

        return await self._call(first)

    async def delete(self, key: str) -> None:
        import obstore

        await self._call(lambda: obstore.delete(self.store, key))

    def _told(self, error: DraftKeeperError | None) -> None:
        if self.on_request is not None:  # a missing object is an answer: the store works
            self.on_request(None if isinstance(error, ObjectMissing) else error)

    def close(self, *, wait: bool = True) -> None:
        """Release the request threads (``wait=False``: a request in flight ends by its
        own timeout, in the background)."""
        self.pool.shutdown(wait=wait, cancel_futures=not wait)
