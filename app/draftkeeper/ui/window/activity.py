"""The Activity panel: one line per thing that happened, in local time, in plain words."""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.words.basic import version_label
from draftkeeper.ui.words.status import describe, why

ACTIVITY_LIMIT = 500
# lines of a burst are shown at most this often (a batch save of 10,000 drafts: its
# newest lines every quarter of a second, not 10,000 lines put into words for 500 shown)
SHOW_EVERY_S = 0.25
QUIET = (State.SAVING, State.QUEUED)  # too chatty for the log; the table shows them


def is_news(event: StatusEvent) -> bool:
    """Whether a status change gets a line: not a new row, a countdown moving or a save
    starting (the table shows those)."""
    new, old = event.new, event.old
    if new is None:
        return old is not None  # removed from the list
    return old is not None and old.state != new.state and new.state not in QUIET


class ActivityPanel(QListWidget):
    """Lines come in as things happen and are shown once per burst (a batch save of
    10,000 drafts sends a line each, a chunk of hundreds at a time): only the newest
    ``ACTIVITY_LIMIT`` are ever put into words and shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)
        # (when, text or the event to put into words, tooltip), oldest first
        self._pending: deque[tuple[float, str | tuple[StatusEvent, float], str]] = deque(
            maxlen=ACTIVITY_LIMIT)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._shown_at = float("-inf")  # (time.monotonic()) when lines were last shown

    def add(self, text: str, tooltip: str = "") -> None:
        self._pending.append((time.time(), text, tooltip))
        self._soon()

    def _soon(self) -> None:
        """Show the lines once this burst is over, and no sooner than ``SHOW_EVERY_S``
        after the last ones."""
        if not self._timer.isActive():
            wait = self._shown_at + SHOW_EVERY_S - time.monotonic()
            self._timer.start(int(max(0.0, wait) * 1000))

    def flush(self) -> None:
        """Show the lines that came since the last burst, newest on top."""
        self._timer.stop()
        self._shown_at = time.monotonic()
        pending, self._pending = self._pending, deque(maxlen=ACTIVITY_LIMIT)
        if not pending:
            return
        if len(pending) >= ACTIVITY_LIMIT:
            self.clear()
        for when, what, tooltip in pending:
            if not isinstance(what, str):
                what, tooltip = self._line(*what)
            item = QListWidgetItem(f"{time.strftime('%H:%M:%S', time.localtime(when))}  {what}")
            if tooltip:
                item.setToolTip(tooltip)
            self.insertItem(0, item)
        while self.count() > ACTIVITY_LIMIT:
            self.takeItem(self.count() - 1)

    def lines(self) -> list[str]:
        """The panel's lines, oldest first, without their time stamps."""
        self.flush()
        return [self.item(i).text().split("  ", 1)[1] for i in reversed(range(self.count()))]

    def on_event(self, event: StatusEvent, now: float) -> None:
        self.on_events([event], now)

    def on_events(self, events: list[StatusEvent], now: float) -> None:
        """Lines for the status changes that are news, put into words when shown."""
        when, pending = time.time(), self._pending
        news = [(when, (e, now), "") for e in events if is_news(e)]
        if news:
            pending.extend(news)
            self._soon()

    def _line(self, event: StatusEvent, now: float) -> tuple[str, str]:
        text = self.describe_event(event, now)
        status = event.new or event.old
        assert text is not None and status is not None
        version = status.last_version if event.new is not None else None
        return (self.tr("{name}: {text}").format(name=status.info.name, text=text),
                self.tr("version {id}").format(id=version) if version else "")

    def describe_event(self, event: StatusEvent, now: float) -> str | None:
        """What to log for one status change, or None when it is not news."""
        new, old = event.new, event.old
        if not is_news(event):
            return None
        if new is None:
            return self.tr("removed from the list")
        assert old is not None
        if new.state is State.CLEAN and old.state is State.SAVING:
            return self._saved(old, new)
        if new.state is State.RETRYING:
            return self.tr("{status}: {error}").format(status=describe(new, now),
                                                         error=why(new))
        return describe(new, now)

    def _saved(self, old: DraftStatus, new: DraftStatus) -> str:
        if new.remote:
            return self.tr("Saved on its server")
        if not new.last_version:
            return self.tr("Saved")
        label = version_label(new.last_version)
        if new.last_version == old.last_version:
            return self.tr("Unchanged: already saved as version {v}").format(v=label)
        return self.tr("Saved as version {v}").format(v=label)
