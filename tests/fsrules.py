"""The file rules of Windows and macOS, enforced on Linux.

CapCut and JianYing run on Windows and macOS only; this machine is Linux. With
``pytest --fs-rules windows`` (or ``macos``), or the ``rules`` fixture of a test, the
modules of Draft Keeper that touch draft and store files see their ``os`` and ``open``
replaced by proxies that refuse what those systems refuse and behave as their file
systems behave:

- windows: a file opened without share-delete (Python's ``open`` on Windows) cannot be
  renamed over, renamed or deleted by anyone else until it is closed (``PermissionError``
  with ``winerror`` 32, as Windows raises it); ``open_shared`` (CreateFileW with every share
  flag) does not stand in the way. Reserved names (``CON``, ``NUL.txt``, ``COM1``…),
  characters ``<>:"|?*`` and names ending in a dot or a space are refused (``winerror``
  123). Absolute paths of 260 characters and more are refused unless they went through
  ``platform.files.long_path`` (which adds ``\\\\?\\`` on Windows).
- windows and macos: names are case-insensitive (macos also ignores the Unicode form):
  opening, renaming or deleting ``cover.jpg`` finds ``Cover.jpg``; making ``cover.jpg``
  beside ``Cover.jpg`` fails, and renaming onto it replaces it. Times set on files are
  coarsened to 2 s, as on FAT/exFAT drives, where editors often keep projects.

The editor's side (another program) is played by ``Rules.hold`` (a handle without
share-delete) and ``Rules.editor_replace`` (the editor's own safe save: write a temp file,
rename it over the draft file).

In the subprocesses that the command-line tests start, ``fsrules_site/sitecustomize.py``
installs the same rules when ``DK_FS_RULES`` is set.
"""

from __future__ import annotations

import errno
import importlib
import os
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

# the modules whose file operations the rules apply to
MODULES = (
    "draftkeeper.core.blobs.io",
    "draftkeeper.core.store.plan",
    "draftkeeper.core.store.restore",
    "draftkeeper.core.store.trashbin",
    "draftkeeper.core.platform.files",
)
FAT_NS = 2_000_000_000
SHARING_VIOLATION = 32
INVALID_NAME = 123
MAX_PATH = 260
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def _winerror(code: int, message: str, path: str) -> PermissionError | OSError:
    exc: OSError
    if code == SHARING_VIOLATION:
        exc = PermissionError(errno.EACCES, message, path)
    else:
        exc = OSError(errno.EINVAL, message, path)
    exc.winerror = code  # type: ignore[attr-defined]
    return exc


class Rules:
    def __init__(self, system: str) -> None:
        assert system in ("windows", "macos"), system
        self.system = system
        self._lock = threading.Lock()
        # path -> [open handles without share-delete (ours or the editor's)]
        self.exclusive: dict[str, int] = {}
        self.held: dict[str, list[int]] = {}  # the editor's handles: path -> refusals left
        self.prefixed: set[str] = set()
        self.refused: list[tuple[str, str]] = []  # (operation, path) refused

    # -- names ---------------------------------------------------------------------
    def fold(self, name: str) -> str:
        if self.system == "macos":
            name = unicodedata.normalize("NFC", name)
        return name.casefold()

    def check_name(self, path: str) -> None:
        if self.system != "windows":
            return
        name = os.path.basename(path)
        stem = name.split(".")[0].lower()
        if (stem in _RESERVED or any(c in '<>:"|?*' or ord(c) < 32 for c in name)
                or name.endswith((".", " "))):
            self.refused.append(("name", path))
            raise _winerror(INVALID_NAME, "The filename, directory name, or volume label "
                            "syntax is incorrect", path)

    def check_length(self, path: str) -> None:
        if (self.system == "windows" and os.path.isabs(path) and len(path) >= MAX_PATH
                and path not in self.prefixed):
            self.refused.append(("length", path))
            raise _winerror(3, "The system cannot find the path specified (too long)", path)

    def resolve(self, path: str) -> str:
        """The path as a case-insensitive file system finds it (exact where it exists)."""
        if os.path.lexists(path):
            return path
        parent, name = os.path.split(path)
        if not name or parent == path:
            return path
        parent = self.resolve(parent)
        try:
            names = os.listdir(parent)
        except OSError:
            return os.path.join(parent, name)
        key = self.fold(name)
        for other in names:
            if self.fold(other) == key:
                return os.path.join(parent, other)
        return os.path.join(parent, name)

    # -- handles -------------------------------------------------------------------
    def blocked(self, path: str) -> bool:
        with self._lock:
            key = os.path.realpath(path) if os.path.lexists(path) else path
            if self.exclusive.get(key, 0) <= 0:
                return False
            refusals = self.held.get(key)
            if refusals:  # the editor lets go after a number of refused operations
                refusals[0] -= 1
                if refusals[0] <= 0:
                    self.held.pop(key)
                    self.exclusive[key] -= 1
            return True

    def check_handles(self, op: str, *paths: str) -> None:
        if self.system != "windows":
            return
        for path in paths:
            if self.blocked(path):
                self.refused.append((op, path))
                raise _winerror(SHARING_VIOLATION, "The process cannot access the file "
                                "because it is being used by another process", path)

    def hold(self, path: str | Path, release_after: int | None = None) -> Callable[[], None]:
        """The editor opens ``path`` without share-delete; returns its close. With
        ``release_after``, it lets go by itself after that many refused operations."""
        key = os.path.realpath(path)
        with self._lock:
            self.exclusive[key] = self.exclusive.get(key, 0) + 1
            if release_after is not None:
                self.held[key] = [release_after]

        def close() -> None:
            with self._lock:
                if key in self.held or release_after is None:
                    self.held.pop(key, None)
                    self.exclusive[key] -= 1

        return close

    def editor_replace(self, data: bytes, path: str | Path) -> None:
        """The editor's safe save of ``path``: a temp file renamed over it."""
        tmp = f"{path}.editor-tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        try:
            self.check_handles("editor replace", os.fspath(path))
        except OSError:
            os.unlink(tmp)
            raise
        os.replace(tmp, path)

    def opened(self, path: str, shared: bool) -> Callable[[], None]:
        if shared or self.system != "windows":
            return lambda: None
        key = os.path.realpath(path)
        with self._lock:
            self.exclusive[key] = self.exclusive.get(key, 0) + 1

        def close() -> None:
            with self._lock:
                self.exclusive[key] -= 1

        return close


class _File:
    """A file object that tells the rules when it closes."""

    def __init__(self, f: Any, on_close: Callable[[], None]) -> None:
        self._f = f
        self._on_close = on_close
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._on_close()
        self._f.close()

    def __enter__(self) -> _File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)

    def __iter__(self) -> Any:
        return iter(self._f)


class _OsProxy:
    """``os`` as the module sees it under the rules."""

    def __init__(self, rules: Rules) -> None:
        self._r = rules

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _p(self, path: Any) -> Any:
        if isinstance(path, int):
            return path
        text = os.fspath(path)
        self._r.check_length(text)
        return self._r.resolve(text)

    def open(self, path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        text = os.fspath(path)
        self._r.check_length(text)
        real = self._r.resolve(text)
        if flags & os.O_CREAT:
            self._r.check_name(text)
            if flags & os.O_EXCL and os.path.lexists(real):
                raise FileExistsError(errno.EEXIST, "File exists", text)
        return os.open(real, flags, mode, **kw)

    def replace(self, src: Any, dst: Any) -> None:
        s, d = os.fspath(src), os.fspath(dst)
        self._r.check_length(s)
        self._r.check_length(d)
        self._r.check_name(d)
        s, d_real = self._r.resolve(s), self._r.resolve(d)
        self._r.check_handles("replace", s, d_real)
        d_new = os.path.join(os.path.dirname(d_real), os.path.basename(d))
        if d_real != d_new and os.path.lexists(d_real) and not os.path.isdir(d_real):
            os.unlink(d_real)  # the same name on this system: replaced, in the new case
        os.replace(s, d_new)

    rename = replace

    def unlink(self, path: Any, **kw: Any) -> None:
        p = self._p(path)
        self._r.check_handles("unlink", p)
        os.unlink(p, **kw)

    remove = unlink

    def mkdir(self, path: Any, mode: int = 0o777, **kw: Any) -> None:
        text = os.fspath(path)
        self._r.check_length(text)
        self._r.check_name(text)
        real = self._r.resolve(text)
        if os.path.lexists(real):
            raise FileExistsError(errno.EEXIST, "File exists", text)
        os.mkdir(real, mode, **kw)

    def rmdir(self, path: Any, **kw: Any) -> None:
        os.rmdir(self._p(path), **kw)

    def lstat(self, path: Any, **kw: Any) -> os.stat_result:
        return os.lstat(self._p(path), **kw)

    def stat(self, path: Any, **kw: Any) -> os.stat_result:
        return os.stat(self._p(path), **kw)

    def utime(self, path: Any, times: Any = None, *, ns: tuple[int, int] | None = None,
              **kw: Any) -> None:
        if ns is not None:  # FAT and exFAT drives keep times to 2 s (10 ms at best)
            ns = (ns[0] - ns[0] % FAT_NS, ns[1] - ns[1] % FAT_NS)
            os.utime(self._p(path), ns=ns, **kw)
        else:
            os.utime(self._p(path), times, **kw)


def _open_for(rules: Rules, shared: bool) -> Callable[..., Any]:
    def opener(path: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
        if isinstance(path, int):
            return open(path, mode, *args, **kw)
        text = os.fspath(path)
        rules.check_length(text)
        real = rules.resolve(text)
        if any(c in mode for c in "wax"):
            rules.check_name(text)
        f = open(real, mode, *args, **kw)  # noqa: SIM115 (handed to the caller)
        return _File(f, rules.opened(real, shared))

    return opener


def _long_path_for(rules: Rules, original: Callable[..., str]) -> Callable[..., str]:
    def long_path(path: Any, system: str | None = None) -> str:
        text = original(path, system)
        rules.prefixed.add(os.fspath(text))  # on Windows it would carry \\?\ now
        return text

    return long_path


def install(system: str, setattr_: Callable[[Any, str, Any], None]) -> Rules:
    """Put the rules in place through ``setattr_`` (a monkeypatch's, so that a test undoes
    them; or plain ``setattr`` for a whole process)."""
    rules = Rules(system)
    proxy = _OsProxy(rules)
    loaded = {}
    for name in ("draftkeeper.core.platform.system", *MODULES):
        try:  # (a module missing: older code, which the rules check just the same)
            loaded[name] = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    if "draftkeeper.core.platform.system" in loaded:
        setattr_(loaded["draftkeeper.core.platform.system"], "SYSTEM", system)
    files = loaded.get("draftkeeper.core.platform.files")
    for name in MODULES:
        module = loaded.get(name)
        if module is None:
            continue
        setattr_(module, "os", proxy)
        # Python's open on Windows shares read and write, not delete; platform.files'
        # open_shared is the one that shares delete too
        setattr_(module, "open", _open_for(rules, shared=module is files))
        if hasattr(module, "long_path"):
            setattr_(module, "long_path", _long_path_for(rules, module.long_path))
    return rules
