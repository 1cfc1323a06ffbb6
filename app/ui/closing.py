"""The quit dialog: which drafts are at risk, the deadline counting down, and a choice.

It is opened with ``open()`` and answers through signals: no nested event loop ever runs
inside an asyncio task (a modal ``exec()`` there lets other tasks step while the quit
task is still current, which qasync refuses: background tasks crashed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class QuitDialog(QDialog):
    keep_open = Signal()  # the default: Enter, Escape and closing the dialog keep it open
    quit_now = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quit Draft Keeper?"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: 600;")
        self.drafts = QListWidget()
        self.drafts.setMaximumHeight(140)
        self.drafts.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.drafts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.countdown = QLabel()
        self.countdown.setWordWrap(True)
        self.keep_button = QPushButton(self.tr("Keep window open"))
        self.keep_button.setDefault(True)
        self.keep_button.setAutoDefault(True)
        self.quit_button = QPushButton(self.tr("Quit without saving"))
        self.quit_button.setAutoDefault(False)
        self.keep_button.clicked.connect(self.reject)
        self.quit_button.clicked.connect(self._quit)
        self.rejected.connect(self.keep_open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.drafts)
        layout.addWidget(self.progress)
        layout.addWidget(self.countdown)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.quit_button)
        row.addWidget(self.keep_button)
        layout.addLayout(row)
        self.resize(460, 0)

    def _quit(self) -> None:
        self.quit_now.emit()

    def show_drafts(self, rows: list[tuple[str, str]]) -> None:
        """(name, status) of each draft at risk."""
        lines = [f"{name} — {status}" for name, status in rows]
        if [self.drafts.item(i).text() for i in range(self.drafts.count())] != lines:
            self.drafts.clear()
            self.drafts.addItems(lines)
            for i, line in enumerate(lines):
                self.drafts.item(i).setToolTip(line)

    def saving(self, done: int, total: int, seconds_left: float) -> None:
        self.heading.setText(self.tr("Saving {n} draft(s) before quitting…").format(n=total))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.show()
        self.countdown.setText(self.tr(
            "Giving up in {s} s. Drafts not saved by then stay open in the window."
        ).format(s=max(0, round(seconds_left))))

    def not_saved(self, count: int, quitting_in: float | None = None) -> None:
        self.heading.setText(self.tr("{n} draft(s) are not saved. Quit anyway?").format(
            n=count))
        self.progress.hide()
        if quitting_in is None:
            self.countdown.setText(self.tr(
                "While the window stays open, Draft Keeper keeps trying to save them."))
        else:
            self.countdown.setText(self.tr("Quitting in {s} s.").format(
                s=max(0, round(quitting_in))))
        self.keep_button.setFocus()
