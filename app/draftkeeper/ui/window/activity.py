"""The Activity panel: one line per thing that happened, in local time, in plain words."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.words.basic import version_label
from draftkeeper.ui.words.status import describe, why

ACTIVITY_LIMIT = 500


class ActivityPanel(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)

    def add(self, text: str, tooltip: str = "") -> None:
        item = QListWidgetItem(f"{time.strftime('%H:%M:%S')}  {text}")
        if tooltip:
            item.setToolTip(tooltip)
        self.insertItem(0, item)
        while self.count() > ACTIVITY_LIMIT:
            self.takeItem(self.count() - 1)

    def lines(self) -> list[str]:
        """The panel's lines, oldest first, without their time stamps."""
        return [self.item(i).text().split("  ", 1)[1] for i in reversed(range(self.count()))]

    def on_event(self, event: StatusEvent, now: float) -> None:
        text = self.describe_event(event, now)
        if text is not None:
            status = event.new or event.old
            assert status is not None
            version = status.last_version if event.new is not None else None
            self.add(self.tr("{name}: {text}").format(name=status.info.name, text=text),
                     self.tr("version {id}").format(id=version) if version else "")

    def describe_event(self, event: StatusEvent, now: float) -> str | None:
        """What to log for one status change, or None when it is not news."""
        new, old = event.new, event.old
        if new is None:
            return self.tr("removed from the list") if old is not None else None
        if old is None or (old.state == new.state):
            return None  # a new row, or a countdown moving: the table shows it
        if new.state in (State.SAVING, State.QUEUED):
            return None  # too chatty for the log; the table shows it
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
