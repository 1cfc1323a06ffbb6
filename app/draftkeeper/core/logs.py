"""The log file: rotating, in the user log folder, with secrets taken out of URLs.

Remote drafts are identified by URLs, and URLs can carry credentials (user:password@host)
or tokens in their query string; neither may reach the log. Only ``draft_id`` survives.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from draftkeeper.core import paths

_URL = r"(?P<scheme>https?://)(?P<userinfo>[^/@\s]*@)?(?P<rest>[^\s\"'<>]*)"
_PARAM = r"([?&])([^=&#\s]+)=([^&#\s]*)"


def redact(text: str) -> str:
    """Drop userinfo from every URL and blank every query value except draft_id."""
    if "://" not in text:  # (no URL: the patterns are not even compiled)
        return text

    def one_url(m: re.Match[str]) -> str:
        rest = re.sub(
            _PARAM,
            lambda p: p.group(0) if p.group(2) == "draft_id" else f"{p.group(1)}{p.group(2)}=***",
            m.group("rest"),
        )
        return f"{m.group('scheme')}{'***@' if m.group('userinfo') else ''}{rest}"

    return re.sub(_URL, one_url, text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RotatingFile(logging.FileHandler):
    """``logging.handlers.RotatingFileHandler``'s rollover (at ``max_bytes``, ``backups``
    old files kept), without importing ``logging.handlers``: it brings socket and pickle
    along, a few ms of every command's start."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        """``StreamHandler.emit`` with the rollover first; the record formatted once."""
        try:
            line = f"{self.format(record)}{self.terminator}"
            if self._due(line):
                self._roll()
            if self.stream is None:
                self.stream = self._open()
            self.stream.write(line)
            self.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def _due(self, line: str) -> bool:
        if not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)  # Windows does not report the end of a file opened to append
        return self.stream.tell() + len(line.encode("utf-8")) >= self.max_bytes

    def _roll(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for n in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{n + 1}")
        if os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")


def log_file() -> Path:
    return paths.log_file()


def setup(level: int = logging.INFO) -> Path:
    """Log to a rotating file (1 MiB, 3 old files kept); returns its path."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFile(path, paths.LOG_MAX_BYTES, 3)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_draftkeeper", False)]:
        root.removeHandler(old)
        old.close()
    handler._draftkeeper = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
