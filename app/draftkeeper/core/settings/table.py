"""Typed settings, each declared once, loaded from and saved to one JSON file.

Every setting is one field of :class:`Settings` declared with :func:`setting`: its type
(the annotation), default, range or choices, unit and help text. Validation, the limits
of the window's inputs, the defaults and the help shown for each are all derived from
those declarations (``SPECS``); nothing else repeats them.

A settings file that is corrupt, or from an unknown version, is kept aside as a backup and
replaced by defaults; ``Settings.notice`` then says what happened so the UI can show it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from draftkeeper.core import paths
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.fsutil import atomic_write_bytes
from draftkeeper.core.records import Declared, Record, field
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.settings import file as settings_file
from draftkeeper.core.settings.file import SETTINGS_VERSION

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any, Final

MIB = 1024 * 1024


class Problem(Record):
    """One thing wrong with one setting. ``kind`` and ``params`` let a UI phrase it in its
    own language; ``message`` is the English sentence for logs and the CLI."""

    __match_args__ = ("name", "kind", "params", "message")
    __slots__ = __match_args__
    name: Final[str]
    kind: Final[str]  # "type", "range", "choice", "url", "order", "folder"
    params: Final[dict[str, Any]]
    message: Final[str]

    def __init__(self, name: str, kind: str, params: dict[str, Any], message: str) -> None:
        self.name = name
        self.kind = kind
        self.params = params
        self.message = message


class SettingError(BadRequest):
    """Settings that cannot be used; ``problems`` names each field and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class Spec(Record):
    """The declaration of one setting."""

    __match_args__ = ("help", "range", "choices", "unit", "kind", "secret", "name", "type",
                      "default")
    __slots__ = __match_args__
    help: Final[str]
    range: Final[tuple[float, float] | None]
    choices: Final[tuple[str, ...] | None]
    unit: Final[str]
    kind: Final[str]  # "url" for http(s) URLs, "folder" for a folder path, "" otherwise
    secret: Final[bool]  # a password or token: never shown in clear text
    # (name, type, default) are filled from the dataclass field
    name: Final[str]
    type: Final[Any]
    default: Final[Any]

    def __init__(self, help: str, range: tuple[float, float] | None = None,
                 choices: tuple[str, ...] | None = None, unit: str = "", kind: str = "",
                 secret: bool = False, name: str = "", type: Any = None,
                 default: Any = None) -> None:
        self.help = help
        self.range = range
        self.choices = choices
        self.unit = unit
        self.kind = kind
        self.secret = secret
        self.name = name
        self.type = type
        self.default = default


def setting(default: Any = None, *, help: str, factory: Callable[[], Any] | None = None,
            range: tuple[float, float] | None = None, choices: tuple[str, ...] | None = None,
            unit: str = "", kind: str = "", secret: bool = False) -> Any:
    spec = Spec(help=help, range=range, choices=choices, unit=unit, kind=kind, secret=secret)
    # a secret is left out of repr(): it never reaches a log
    return field(default=default, factory=factory, repr=not secret, metadata={"spec": spec})


class Settings(Declared):
    roots: list[str] = setting(factory=list, help="Draft folders to list and save.")
    store_dir: str | None = setting(
        None, kind="folder", help="Folder of the version store (empty: the default).")
    include_media: bool = setting(
        False, help="Also keep media files (assets/, Resources/, big files) in versions.")
    media_threshold_mib: int = setting(
        64, range=(1, 1_000_000), unit="MiB", help="Files larger than this count as media.")
    keep_last: int = setting(
        50, range=(1, 10_000),
        help="Newest versions kept per draft; older ones are thinned to one per hour for a "
             "day and one per day for 30 days.")
    lock_timeout_s: float = setting(
        10.0, range=(0.1, 600), unit="s", help="How long to wait for the store's lock.")
    autosave_enabled: bool = setting(True, help="Save changed drafts in the background.")
    autosave_interval_s: float = setting(
        30.0, range=(5, 3600), unit="s", help="How often autosave runs.")
    quiet_period_s: float = setting(
        2.0, range=(0, 600), unit="s",
        help="A draft is autosaved only after its files have been quiet this long.")
    scan_interval_s: float = setting(
        5.0, range=(0.5, 3600), unit="s", help="How often draft folders are checked for changes.")
    min_autosave_gap_s: float = setting(
        10.0, range=(0, 3600), unit="s", help="Never autosave one draft more often than this.")
    max_parallel_saves: int = setting(
        4, range=(1, 64), help="Saves that may run at the same time.")
    max_requests_per_server: int = setting(
        2, range=(1, 16), help="save_draft requests in flight at once to one remote server.")
    max_attempts: int = setting(
        8, range=(1, 100), help="Attempts of one save before it counts as failed.")
    backoff_base_s: float = setting(
        1.0, range=(0.01, 600), unit="s", help="First retry delay (doubled on each attempt).")
    backoff_cap_s: float = setting(
        60.0, range=(0.01, 3600), unit="s", help="Longest delay between retries.")
    remote_base: str | None = setting(
        None, kind="url",
        help="Server for remote drafts (empty: taken from each draft_url).")
    remote_token: str | None = setting(
        None, secret=True,
        help="Bearer token sent to the remote base server, and to no other (a Draft Keeper "
             "serving with a token needs it; $DRAFTKEEPER_REMOTE_TOKEN overrides it).")
    remote_drafts: list[str] = setting(factory=list, help="Drafts saved on a remote server.")
    ignored_drafts: list[str] = setting(
        factory=list, help="Local drafts removed from the list.")
    connect_timeout_s: float = setting(
        5.0, range=(0.1, 300), unit="s", help="Time allowed to connect to a remote server.")
    total_timeout_s: float = setting(
        120.0, range=(0.1, 3600), unit="s",
        help="Time allowed for one save_draft request (a slow server saves while it answers).")
    remote_keepalive_s: float = setting(
        600.0, range=(30, 86400), unit="s",
        help="Autosave sends save_draft for an unchanged remote draft only this often.")
    max_download_mib: int = setting(
        512, range=(1, 100_000), unit="MiB",
        help="Largest single file downloaded from a remote server (mirror and pull).")
    language: str = setting(
        "auto", choices=("auto", "en", "zh"),
        help="Language of the window and of the remote server's messages (auto: the "
             "system's).")
    close_to_tray: bool = setting(
        True, help="Closing the window keeps Draft Keeper saving in the system tray.")
    start_at_login: bool = setting(False, help="Start Draft Keeper when you log in.")
    api_enabled: bool = setting(False, help="Serve the save_draft API from this app.")
    api_host: str = setting(
        "127.0.0.1", help="Address the local API listens on (other than loopback needs a token).")
    api_port: int = setting(30000, range=(1, 65535), help="Port of the local API.")
    api_token: str | None = setting(
        None, secret=True, help="Bearer token the local API requires (needed off loopback).")
    api_cors_origin: str | None = setting(
        None, kind="url", help="Web origin allowed to call the local API (empty: none).")
    share_url: str | None = setting(
        None, help="Shared store for a second copy of every version, seen by other machines: "
                   "s3://BUCKET/PREFIX or s3+http(s)://HOST:PORT/BUCKET/PREFIX (empty: none).")
    share_region: str | None = setting(
        None, help="Region of an s3:// shared store ($AWS_REGION wins; empty: us-east-1).")
    share_access_key_id: str | None = setting(
        None, secret=True,
        help="Access key id for the shared store ($AWS_ACCESS_KEY_ID wins).")
    share_secret_access_key: str | None = setting(
        None, secret=True,
        help="Secret access key for the shared store ($AWS_SECRET_ACCESS_KEY wins).")
    share_passphrase: str | None = setting(
        None, secret=True,
        help="Team passphrase: the shared store's contents are encrypted on this machine "
             "(AES-256-GCM) and its names keyed ($DRAFTKEEPER_SHARE_PASSPHRASE wins; empty: "
             "the bucket holds plain compressed contents).")
    share_prune_grace_s: float = setting(
        3600.0, range=(0.0, 30 * 86400.0), unit="s",
        help="prune --shared deletes an unneeded chunk only when it was uploaded longer ago "
             "than this (an upload in progress keeps its chunks).")
    machine_name: str | None = setting(
        None, help="This machine's name on the shared store's versions (empty: the host "
                   "name).")
    notice: str | None = field(compare=False)
    # the command line's --token, for this run only (never saved): wins over the rest
    token_override: str | None = field(compare=False, repr=False)

    def problems(self) -> list[Problem]:
        """Everything wrong with these settings, one Problem per field (pure: no disk)."""
        found: list[Problem] = []
        for spec in SPECS.values():
            problem = _check(spec, getattr(self, spec.name))
            if problem is not None:
                found.append(problem)
        bad = {p.name for p in found}
        for low, high in (("connect_timeout_s", "total_timeout_s"),
                          ("backoff_base_s", "backoff_cap_s")):
            if not {low, high} & bad and getattr(self, low) > getattr(self, high):
                found.append(Problem(
                    low, "order", {"other": high},
                    f"Setting {low} ({getattr(self, low):g}) must not exceed "
                    f"{high} ({getattr(self, high):g})"))
        if "remote_token" not in bad and self.remote_token:
            why = token_problem(self.remote_token)
            if why:
                found.append(Problem("remote_token", "token", {"reason": why},
                                     f"Setting remote_token: {why}"))
        return found

    def validate(self) -> None:
        found = self.problems()
        if found:
            raise SettingError(found)

    @property
    def media_threshold_bytes(self) -> int:
        return int(self.media_threshold_mib * MIB)

    @property
    def retry_policy(self) -> RetryPolicy:
        """The attempts and waits of saves, downloads and uploads."""
        return RetryPolicy(self.max_attempts, self.backoff_base_s, self.backoff_cap_s)

    def store_path(self) -> Path:
        return Path(self.store_dir).expanduser() if self.store_dir else paths.default_store_dir()

    def to_dict(self) -> dict[str, Any]:
        data = self.as_dict()
        data.pop("notice")
        data.pop("token_override")
        data["version"] = SETTINGS_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        unknown = set(data) - set(SPECS) - {"version"}
        if unknown:
            raise BadRequest(f"Unknown settings: {', '.join(sorted(unknown))}")
        settings = cls(**{k: v for k, v in data.items() if k in SPECS})
        settings.validate()
        return settings


def _specs() -> dict[str, Spec]:
    # each distinct annotation evaluated once (``typing.get_type_hints`` compiled all 40:
    # ~1.5 ms of every command's start, for six types)
    types: dict[str, Any] = {}
    found: dict[str, Spec] = {}
    for name, f in Settings.fields().items():
        spec = f.metadata.get("spec")
        if spec is None:
            continue
        text = Settings.__annotations__[name]
        if text not in types:
            types[text] = eval(text, globals())
        found[name] = spec.replace(name=name, type=types[text], default=f.initial())
    return found


SPECS: dict[str, Spec] = _specs()


def _check(spec: Spec, value: Any) -> Problem | None:
    name = spec.name
    # (a setting's type is a class, ``X | None`` or ``list[str]``: what ``typing.get_args``
    # and ``get_origin`` read of them is their ``__args__`` and ``__origin__``)
    args = getattr(spec.type, "__args__", ())
    optional = type(None) in args
    if value is None:
        return None if optional else Problem(name, "type", {}, f"Setting {name} is required")
    base = spec.type
    if optional:  # X | None: check against X
        base = next(t for t in args if t is not type(None))
    origin = getattr(base, "__origin__", None) or base
    if origin is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif origin is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif origin is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, origin)
    if not ok:
        return Problem(name, "type", {"value": value},
                       f"Setting {name} must be {_type_word(origin)}, got {value!r}")
    if spec.range is not None:
        lo, hi = spec.range
        if not lo <= value <= hi:
            return Problem(name, "range", {"min": lo, "max": hi, "value": value},
                           f"Setting {name} must be between {lo:g} and {hi:g}, got {value:g}")
    if spec.choices is not None and value not in spec.choices:
        return Problem(name, "choice", {"choices": spec.choices, "value": value},
                       f"Setting {name} must be one of {', '.join(spec.choices)}, got {value!r}")
    if spec.kind == "url":
        reason = url_problem(value)
        if reason:
            return Problem(name, "url", {"value": value, "reason": reason},
                           f"Setting {name} is not a usable URL ({reason}): {value!r}")
    return None


def _type_word(origin: Any) -> str:
    return {float: "a number", int: "a whole number", bool: "true or false",
            str: "text", list: "a list of strings"}.get(origin, str(origin))


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot go in an ``Authorization: Bearer`` header, or None."""
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        return "it must be printable ASCII text without spaces"
    return None


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) base URL with a host (and a valid port), or None."""
    from urllib.parse import urlsplit  # (only when a URL is checked: ~2.5 ms of a start)

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (reading it raises on a port not a number in range)
    except ValueError as exc:
        return str(exc) or "cannot be parsed"
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    host = parts.hostname or ""
    if not host:
        return "it names no host"
    if any(c.isspace() for c in text) or any(c in host for c in "\\<>\"{}|^`"):
        return "the host contains spaces or characters a host cannot have"
    return None


def store_problem(path: Path, *, writable: bool = True) -> str | None:
    """Why ``path`` cannot hold a version store, or None: it must be a folder that is
    writable, or one that can be created (its nearest existing parent is a writable folder).
    With ``writable=False`` (commands that only read) an existing folder is enough."""
    path = path.expanduser()
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            return f"{path} exists and is not a folder"
        if not writable:
            return None
        if not os.access(path, os.W_OK | os.X_OK):
            return f"{path} is not writable"
        return None
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is not a folder, so {path} cannot be created"
    if writable and not os.access(parent, os.W_OK | os.X_OK):
        return f"{path} cannot be created: {parent} is not writable"
    return None


def load(path: Path | None = None) -> Settings:
    path = path or paths.settings_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    try:
        return Settings.from_dict(settings_file.parse(raw))
    except (ValueError, TypeError, BadRequest) as exc:
        backup = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        path.replace(backup)
        settings = Settings()
        settings.notice = (
            f"The settings file could not be read ({exc}); it was kept as {backup.name} "
            "and defaults are in use."
        )
        return settings


def save(settings: Settings, path: Path | None = None) -> None:
    settings.validate()
    path = path or paths.settings_file()
    import json  # (indented: json itself; a save that writes no settings never loads it)

    data = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    atomic_write_bytes(path, data, mode=0o600)  # it may hold tokens: for this user only
