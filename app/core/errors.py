"""One error hierarchy for every backend, the CLI and the UI.

Each error carries an HTTP-like ``status`` (the spec's shape), a capcut-mate ``code``
(the real server's shape), whether retrying can help, and a message for people.
"""

from __future__ import annotations

import errno

TYPE_CHECKING = False  # typing is not imported at run time: the CLI's quick save needs this
if TYPE_CHECKING:
    from typing import Any


class DraftKeeperError(Exception):
    status: int = 500
    code: int = 9998
    retryable: bool = False
    busy: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
        offline: bool = False,
        busy: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        if retryable is not None:
            self.retryable = retryable
        self.retry_after = retry_after
        # the server as a whole is unreachable (not just this draft): one probe retries
        self.offline = offline
        # the server (or store) is working and could not finish in time (a lock timeout,
        # a request that timed out): a retry right away only adds to its queue
        if busy is not None:
            self.busy = busy

    @property
    def kind(self) -> str:
        """'bad_request', 'not_found' or 'failed': what the CLI's exit code says."""
        if self.status == 404:
            return "not_found"
        if 400 <= self.status < 500 and self.status not in (408, 429):
            return "bad_request"
        return "failed"

    def to_json(self) -> dict[str, Any]:
        return {
            "detail": self.message,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
        }

    def __str__(self) -> str:
        return self.message


class BadRequest(DraftKeeperError):
    """400: missing or invalid draft_url, bad arguments."""

    status = 400
    code = 1001


class DraftNotFound(DraftKeeperError):
    """404: the draft (or the version) does not exist."""

    status = 404
    code = 2001


class DraftLost(DraftNotFound):
    """The server no longer has a draft whose content is kept here (``versions`` of it):
    saving it again cannot work; pulling it back can."""

    def __init__(self, message: str, *, versions: int = 0, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.versions = versions


class SaveFailed(DraftKeeperError):
    """500: the save could not be completed (disk errors, damaged store)."""

    status = 500
    code = 9998


class DraftBusy(DraftKeeperError):
    """The working copy changed while it was read: retry shortly."""

    status = 503
    code = 2042
    retryable = True


class StoreLocked(DraftKeeperError):
    """Another process held the store's lock past the timeout."""

    status = 503
    code = 2042
    retryable = True
    busy = True


class Unavailable(DraftKeeperError):
    """503 and friends: the server (or network) cannot take the save now."""

    status = 503
    code = 9998
    retryable = True


class Incompatible(DraftKeeperError):
    """The server answered something that is not capcut-mate-compatible."""

    status = 502
    code = 9998
    retryable = False


ERROR_TYPES: dict[str, type[DraftKeeperError]] = {
    cls.__name__: cls
    for cls in (DraftKeeperError, BadRequest, DraftNotFound, DraftLost, SaveFailed, DraftBusy,
                StoreLocked, Unavailable, Incompatible)
}


def error_from_record(data: dict[str, Any]) -> DraftKeeperError:
    """An error rebuilt from what ``to_record`` wrote (an attempt record read back)."""
    cls = ERROR_TYPES.get(str(data.get("error", "")), DraftKeeperError)
    status, code = data.get("status"), data.get("code")
    return cls(
        str(data.get("message", "")),
        status=status if isinstance(status, int) else None,
        code=code if isinstance(code, int) else None,
        retryable=bool(data["retryable"]) if "retryable" in data else None,
        offline=bool(data.get("offline", False)),
        busy=bool(data["busy"]) if "busy" in data else None,
    )


def to_record(error: DraftKeeperError) -> dict[str, Any]:
    """The fields of an error worth keeping in an attempt record."""
    return {
        "error": type(error).__name__ if type(error).__name__ in ERROR_TYPES else
        "DraftKeeperError",
        "message": error.message,
        "status": error.status,
        "code": error.code,
        "retryable": error.retryable,
        "offline": error.offline,
        "busy": error.busy,
    }


_ERRNO_TEXT = {
    errno.ENOSPC: "no space left on device",
    errno.EIO: "input/output error",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    getattr(errno, "EDQUOT", -1): "disk quota exceeded",
}


def disk_error(exc: OSError, doing: str, *, what: str = "Save", after: str = "") -> SaveFailed:
    """A 500-class error that names the cause of a disk failure."""
    cause = _ERRNO_TEXT.get(exc.errno or 0) or exc.strerror or exc.__class__.__name__
    where = f" ({exc.filename})" if exc.filename else ""
    return SaveFailed(f"{what} failed: {cause} while {doing}{where}{after}")
