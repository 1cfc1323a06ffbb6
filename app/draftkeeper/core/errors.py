"""One error hierarchy for every backend, the CLI and the UI.

Each error carries an HTTP-like ``status`` (the spec's shape), a capcut-mate ``code``
(the real server's shape), whether retrying can help, an English ``message`` (the CLI, the
HTTP API and the logs), and a machine-readable ``reason`` (a short stable key such as
``connection_refused`` or ``disk_full``) with ``params`` (plain values: paths, ids, status
codes): the window words the error from those in the user's language. ``reason`` "error"
is the generic one: its words are the English message.
"""

from __future__ import annotations

import errno

from draftkeeper.core.platform.files import is_busy

TYPE_CHECKING = False  # typing is not imported at run time: the CLI's quick save needs this
if TYPE_CHECKING:
    from typing import Any


class DraftKeeperError(Exception):
    status: int = 500
    code: int = 9998
    retryable: bool = False
    busy: bool = False
    reason: str = "error"  # the generic reason: no words of its own, the message is them

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
        reason: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        self.params: dict[str, Any] = dict(params or {})
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
        kwargs.setdefault("reason", "draft_lost")
        super().__init__(message, **kwargs)
        self.versions = versions
        self.params.setdefault("versions", versions)


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


# the keys ``to_record`` writes (an attempt record keeps these of a failed attempt's line)
RECORD_KEYS = ("error", "message", "status", "code", "retryable", "offline", "busy",
               "error_reason", "error_params")


def error_from_record(data: dict[str, Any]) -> DraftKeeperError:
    """An error rebuilt from what ``to_record`` wrote (an attempt record read back); a
    record from before reasons were kept gets the generic reason (its message is its
    words)."""
    name = str(data.get("error", ""))
    cls = ERROR_TYPES.get(name, DraftKeeperError)
    status, code = data.get("status"), data.get("code")
    reason, params = data.get("error_reason"), data.get("error_params")
    error = cls(
        str(data.get("message", "")),
        status=status if isinstance(status, int) else None,
        code=code if isinstance(code, int) else None,
        retryable=bool(data["retryable"]) if "retryable" in data else None,
        offline=bool(data.get("offline", False)),
        busy=bool(data["busy"]) if "busy" in data else None,
        reason=reason if isinstance(reason, str) and reason else "error",
        params=params if isinstance(params, dict) else None,
    )
    if isinstance(error, DraftLost):
        versions = error.params.get("versions", 0)
        error.versions = versions if isinstance(versions, int) else 0
    return error


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
        "error_reason": error.reason,
        "error_params": {k: v for k, v in error.params.items()
                         if v is None or isinstance(v, (str, int, float, bool))},
    }


IN_USE = ("the file is in use by another program (close CapCut / JianYing, or the program "
          "using it, and try again)")
_ERRNO_TEXT = {
    errno.ENOSPC: "no space left on device",
    errno.EIO: "input/output error",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    getattr(errno, "EDQUOT", -1): "disk quota exceeded",
}
# the reason of a disk failure, by errno ("disk_error" for the rest, with its strerror)
_ERRNO_REASON = {
    errno.ENOSPC: "disk_full",
    errno.EIO: "io_error",
    errno.EACCES: "permission_denied",
    errno.EPERM: "permission_denied",
    errno.EROFS: "read_only",
    getattr(errno, "EDQUOT", -1): "quota_exceeded",
}


def disk_reason(exc: OSError) -> str:
    """The reason key of a disk failure: disk_full, read_only, permission_denied, …;
    file_in_use for a Windows sharing violation (another program holds the file)."""
    if is_busy(exc):
        return "file_in_use"
    return _ERRNO_REASON.get(exc.errno or 0, "disk_error")


def disk_error(exc: OSError, doing: str, *, what: str = "Save", after: str = "",
               kept: str = "") -> SaveFailed:
    """A 500-class error that names the cause of a disk failure. Its params: ``action``
    (what failed: save, restore, pull, pin), ``path`` (the file, if known), ``errno``,
    ``strerror``, and ``kept`` ("unchanged": the working copy was not changed;
    "put_back": every file was put back as it was)."""
    busy = is_busy(exc)
    cause = (IN_USE if busy else
             _ERRNO_TEXT.get(exc.errno or 0) or exc.strerror or exc.__class__.__name__)
    where = f" ({exc.filename})" if exc.filename else ""
    params: dict[str, Any] = {
        "action": what.lower(), "path": str(exc.filename) if exc.filename else "",
        "errno": exc.errno or 0, "strerror": exc.strerror or cause,
    }
    if kept:
        params["kept"] = kept
    return SaveFailed(f"{what} failed: {cause} while {doing}{where}{after}",
                      reason=disk_reason(exc), params=params, retryable=True if busy else None)
