"""Words without a draft status: plurals (numerus forms from the catalogue), times ago,
numbers and sizes in the locale's digits, local times, version labels and readable URLs."""

from __future__ import annotations

from urllib.parse import unquote

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
)

from draftkeeper.core.store.manifests import utc_seconds


def plural(context: str, text: str, n: int) -> str:
    """``text`` with ``%n`` for ``n``, in the plural form the catalogue gives for ``n``.
    Sources are English with "(s)" ("%n draft(s)"); without a catalogue (English) the "(s)"
    becomes "" for 1 and "s" otherwise."""
    out = QCoreApplication.translate(context, text, None, n)
    return out.replace("(s)", "" if n == 1 else "s")


def ago(seconds: float) -> str:
    """'12 seconds ago', '3 minutes ago', … (plural forms from the catalogue)."""
    s = max(0, int(seconds))
    if s < 60:
        return plural("Status", "%n second(s) ago", s)
    if s < 3600:
        return plural("Status", "%n minute(s) ago", s // 60)
    if s < 86400:
        return plural("Status", "%n hour(s) ago", s // 3600)
    return plural("Status", "%n day(s) ago", s // 86400)


def number(value: float) -> str:
    return QLocale().toString(value)


def size(n: float) -> str:
    """A size in the locale's words and digits; '–' for none."""
    if n <= 0:
        return "–"
    return QLocale().formattedDataSize(int(n), 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def local_time(seconds: float) -> str:
    """A moment as a local date and time in the locale's short format, with seconds."""
    when = QDateTime.fromMSecsSinceEpoch(int(seconds * 1000)).toLocalTime()
    return QLocale().toString(when, "yyyy-MM-dd HH:mm:ss")


TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the History dialog shows versions the same way


def version_time(version: str) -> float | None:
    """The moment a version id (``20261127T005334.123456Z``, UTC) names, or None. (Read
    by slicing, as the store reads it: ``time.strptime`` took most of the Activity panel's
    time when a batch saved thousands of drafts.)"""
    digits = version[:8] + version[9:15]
    if len(digits) != 14 or version[8:9] != "T" or not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return utc_seconds(*(int(digits[a:b]) for a, b in
                             ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))))
    except ValueError:
        return None


_labels: dict[tuple[str, str], str] = {}  # (a version's second, language) -> its label


def version_label(version: str) -> str:
    """A version as people see it everywhere in the window: its local time. (Kept per
    second and language: a batch saves thousands of versions within a few seconds, and
    the Activity panel names each.)"""
    key = (version[:15], QLocale().name())
    label = _labels.get(key)
    if label is None:
        when = version_time(version)
        if when is None:
            return version
        if len(_labels) >= 1024:
            _labels.clear()
        label = _labels[key] = local_time(when)
    return label


def readable(url: str) -> str:
    """A draft_url as people read it: percent-escapes (Chinese ids) decoded."""
    return unquote(url)


def duration_text(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def human_size(n: float) -> str:
    return size(n)
