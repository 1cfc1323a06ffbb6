"""The log file: rotating, in the user log folder, with secrets taken out of URLs.

Remote drafts are identified by URLs, and URLs can carry credentials (user:password@host)
or tokens in their query string; neither may reach the log. Only ``draft_id`` survives.

Two ways to the same file, in the same line format (``FORMAT``), rollover (at
``paths.LOG_MAX_BYTES``, ``BACKUPS`` old files kept) and redaction:

- ``setup()``: a handler on the standard library's root logger, for a process that runs
  the Session, the window or a server (their libraries log through ``logging`` too);
- ``setup(plain=True)``: no ``logging`` at all, for a command on one local draft (a local
  ``save`` or ``restore``): the modules on its path log through ``Logger``, which then
  writes each line itself. ``logging`` and what it loads (traceback, linecache,
  tokenize, textwrap, string, weakref) cost ~4 ms of a 50 ms changed save. A later
  ``setup()`` (the command turned out to need the Session) takes over.

Without either (a library user, the tests), ``Logger`` hands every record to ``logging``.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import os
import sys
import time
from pathlib import Path

from draftkeeper.core import paths

TYPE_CHECKING = False  # (typing itself is not loaded for it)
if TYPE_CHECKING:
    import logging

_URL = r"(?P<scheme>https?://)(?P<userinfo>[^/@\s]*@)?(?P<rest>[^\s\"'<>]*)"
_PARAM = r"([?&])([^=&#\s]+)=([^&#\s]*)"
# logging's levels and their names
DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
_NAMES = {DEBUG: "DEBUG", INFO: "INFO", WARNING: "WARNING", ERROR: "ERROR"}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# the file as ``PlainFile`` writes it: bytes as given (each "\n" made os.linesep first, as
# logging's text-mode file does: "\r\n" on Windows)
_APPEND = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
BACKUPS = 3


def redact(text: str) -> str:
    """Drop userinfo from every URL and blank every query value except draft_id."""
    if "://" not in text:  # (no URL: the patterns are not even compiled)
        return text
    import re  # (loaded for a line with a URL only)

    def one_url(m: re.Match[str]) -> str:
        rest = re.sub(
            _PARAM,
            lambda p: p.group(0) if p.group(2) == "draft_id" else f"{p.group(1)}{p.group(2)}=***",
            m.group("rest"),
        )
        return f"{m.group('scheme')}{'***@' if m.group('userinfo') else ''}{rest}"

    return re.sub(_URL, one_url, text)


def _due(path: str, size: int, max_bytes: int) -> bool:
    """Whether a line of ``size`` bytes would take the file to ``max_bytes``."""
    try:
        return os.stat(path).st_size + size >= max_bytes
    except FileNotFoundError:
        return False


def _roll(path: str, backups: int) -> None:
    """``path`` becomes ``path.1``, ``path.1`` becomes ``path.2``, ... (``backups`` kept)."""
    for n in range(backups - 1, 0, -1):
        older = f"{path}.{n}"
        if os.path.exists(older):
            os.replace(older, f"{path}.{n + 1}")
    if os.path.exists(path):
        os.replace(path, f"{path}.1")


class PlainFile:
    """The log file written without ``logging``: each line appended by one ``write``
    (``O_APPEND``), the rollover first when it is due."""

    def __init__(self, path: Path, max_bytes: int, backups: int, level: int) -> None:
        self.path, self.max_bytes, self.backups, self.level = str(path), max_bytes, backups, level
        self._lock = _thread.allocate_lock()

    def line(self, name: str, level: int, message: str) -> None:
        now = time.time()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
        text = f"{stamp},{int((now - int(now)) * 1000):03d} {_NAMES.get(level, f'Level {level}')} "
        data = f"{text}{name}: {redact(message)}\n".replace("\n", os.linesep).encode()
        try:
            with self._lock:
                if _due(self.path, len(data), self.max_bytes):
                    _roll(self.path, self.backups)
                fd = os.open(self.path, _APPEND, 0o644)
                try:
                    os.write(fd, data)
                finally:
                    os.close(fd)
        except OSError as exc:  # as logging's handleError: said on stderr, never raised
            print(f"--- Logging error ---\n{exc}", file=sys.stderr)


_plain: PlainFile | None = None


class Logger:
    """``logging.getLogger(name)``'s ``log``, ``info``, ``warning`` and ``exception`` for the
    modules a local save or restore loads: the line is written by ``PlainFile`` after
    ``setup(plain=True)``, else handed to ``logging`` (imported then)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def log(self, level: int, msg: str, *args: object, exc_info: bool = False) -> None:
        plain = _plain
        if plain is None:
            import logging

            logging.getLogger(self.name).log(level, msg, *args, exc_info=exc_info)
            return
        if level < plain.level:
            return
        message = msg % args if args else msg
        if exc_info and sys.exc_info()[1] is not None:
            import traceback  # (an error's path only)

            message = f"{message}\n{traceback.format_exc().rstrip()}"
        plain.line(self.name, level, message)

    def info(self, msg: str, *args: object) -> None:
        self.log(INFO, msg, *args)

    def warning(self, msg: str, *args: object) -> None:
        self.log(WARNING, msg, *args)

    def exception(self, msg: str, *args: object) -> None:
        self.log(ERROR, msg, *args, exc_info=True)


def redacting_formatter(fmt: str = FORMAT) -> logging.Formatter:
    """A ``logging.Formatter`` whose lines go through ``redact``."""
    import logging

    class RedactingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record))

    return RedactingFormatter(fmt)


def rotating_file(path: Path, max_bytes: int, backups: int) -> logging.Handler:
    """``logging.handlers.RotatingFileHandler``'s rollover (at ``max_bytes``, ``backups``
    old files kept), without importing ``logging.handlers``: it brings socket and pickle
    along, a few ms of every command's start."""
    import logging

    class RotatingFile(logging.FileHandler):
        def emit(self, record: logging.LogRecord) -> None:
            """``StreamHandler.emit`` with the rollover first; the record formatted once."""
            try:
                line = f"{self.format(record)}{self.terminator}"
                if os.path.isfile(self.baseFilename):
                    if self.stream is None:
                        self.stream = self._open()
                    # Windows does not report the end of a file opened to append
                    self.stream.seek(0, 2)
                    if self.stream.tell() + len(line.encode("utf-8")) >= max_bytes:
                        self.stream.close()
                        self.stream = None
                        _roll(self.baseFilename, backups)
                if self.stream is None:
                    self.stream = self._open()
                self.stream.write(line)
                self.flush()
            except RecursionError:
                raise
            except Exception:
                self.handleError(record)

    return RotatingFile(path, encoding="utf-8", delay=True)


def log_file() -> Path:
    return paths.log_file()


def setup(level: int = INFO, *, plain: bool = False) -> Path:
    """Log to a rotating file (1 MiB, 3 old files kept); returns its path. ``plain``:
    without ``logging`` (the module docstring); else through it, from now on."""
    global _plain
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if plain:
        _plain = PlainFile(path, paths.LOG_MAX_BYTES, BACKUPS, level)
        return path
    import logging

    _plain = None
    handler = rotating_file(path, paths.LOG_MAX_BYTES, BACKUPS)
    handler.setFormatter(redacting_formatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_draftkeeper", False)]:
        root.removeHandler(old)
        old.close()
    handler._draftkeeper = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


def through_logging() -> None:
    """After ``setup(plain=True)``: the same file through ``logging`` from now on (a
    command that turned out to need the Session, whose libraries log through it)."""
    if _plain is not None:
        setup(_plain.level)
