"""The log file: rotating, in the user log folder, with secrets taken out of URLs.

Remote drafts are identified by URLs, and URLs can carry credentials (user:password@host)
or tokens in their query string; neither may reach the log. Only ``draft_id`` survives.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from draftkeeper.core import paths

_URL = re.compile(r"(?P<scheme>https?://)(?P<userinfo>[^/@\s]*@)?(?P<rest>[^\s\"'<>]*)")
_PARAM = re.compile(r"([?&])([^=&#\s]+)=([^&#\s]*)")


def redact(text: str) -> str:
    """Drop userinfo from every URL and blank every query value except draft_id."""

    def one_url(m: re.Match[str]) -> str:
        rest = _PARAM.sub(
            lambda p: p.group(0) if p.group(2) == "draft_id" else f"{p.group(1)}{p.group(2)}=***",
            m.group("rest"),
        )
        return f"{m.group('scheme')}{'***@' if m.group('userinfo') else ''}{rest}"

    return _URL.sub(one_url, text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file() -> Path:
    return paths.log_file()


def setup(level: int = logging.INFO) -> Path:
    """Log to a rotating file (1 MiB, 3 old files kept); returns its path."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=paths.LOG_MAX_BYTES, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_draftkeeper", False)]:
        root.removeHandler(old)
        old.close()
    handler._draftkeeper = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
