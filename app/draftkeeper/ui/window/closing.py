"""The quit dialog: which drafts are at risk, the deadline counting down, and a choice.

It is opened with ``open()`` and answers through signals: no nested event loop ever runs
inside an asyncio task (a modal ``exec()`` there lets other tasks step while the quit
task is still current, which qasync refuses: background tasks crashed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
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

from draftkeeper.core.saving.clock import first_of
from draftkeeper.core.saving.status import NOT_SAVED, PENDING, DraftStatus
from draftkeeper.ui.words.basic import plural
from draftkeeper.ui.words.status import describe

if TYPE_CHECKING:
    from draftkeeper.core.session.session import Session
    from draftkeeper.ui.table.model import DraftTableModel

FLUSH_DEADLINE_S = 10.0
AT_RISK = NOT_SAVED  # unsaved, saving, retrying, failed or at risk since a restart


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
        self.heading.setText(plural("QuitDialog", "Saving %n draft(s) before quitting…", total))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.show()
        self.countdown.setText(plural(
            "QuitDialog", "Giving up in %n second(s). Drafts not saved by then stay open in "
            "the window.", max(0, round(seconds_left))))

    def not_saved(self, count: int, quitting_in: float | None = None) -> None:
        self.heading.setText(plural("QuitDialog", "%n draft(s) not saved. Quit anyway?", count))
        self.progress.hide()
        if quitting_in is None:
            self.countdown.setText(self.tr(
                "While the window stays open, Draft Keeper keeps trying to save them."))
        else:
            self.countdown.setText(plural("QuitDialog", "Quitting in %n second(s).",
                                          max(0, round(quitting_in))))
        self.keep_button.setFocus()


class QuitFlow:
    """The main window's quitting: save what is at risk within the deadline, then quit;
    or ask (the default keeps the window open); "Quit without saving" quits at once."""

    if TYPE_CHECKING:  # provided by the window
        session: Session
        model: DraftTableModel
        now: Callable[[], float]
        closed: Any
        ticker: QTimer
        flush_deadline: float
        left_unsaved: list[str]
        quit_dialog: QuitDialog | None
        closing: asyncio.Task[None] | None
        states_known: bool
        starting: bool  # the session is starting: a quit waits for it
        quit_waiting: bool | None  # a quit asked before the states were known (forced?)
        _quit_ready: bool
        _closing: bool
        _forced_quit: bool
        _asking: bool
        _unsubscribe: Callable[[], None]

        def spawn(self, coro: Coroutine[Any, Any, None], doing: str = "",
                  report: bool = True) -> asyncio.Task[None]: ...
        def log_activity(self, text: str) -> None: ...
        def close(self) -> bool: ...
        def _save_window_state(self) -> None: ...

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quit_ready:
            self._save_window_state()
            self.ticker.stop()
            self._unsubscribe()
            event.accept()
            self.closed.emit()
            return
        event.ignore()
        self.request_quit()

    def request_quit(self, forced: bool = False) -> None:
        """Quit: save what is at risk first, within the deadline. ``forced`` (SIGTERM,
        SIGINT) quits when the deadline passes; otherwise the dialog asks, and its default
        keeps the window open. A second forced request quits at once. Before the
        drafts' states are known (the window's start), the request waits for them."""
        if not self.states_known or self.starting:
            self.quit_waiting = forced or bool(self.quit_waiting)
            return
        if self._closing:
            if forced and (self._forced_quit or self._asking):
                self._quit_now()  # a second signal, or one while the dialog asks
            self._forced_quit = self._forced_quit or forced
            return
        self._closing, self._forced_quit = True, forced
        self.closing = self.spawn(self._close_flow(), QCoreApplication.translate(
            "MainWindow", "Quit"))

    def pending(self) -> list[DraftStatus]:
        return [s for s in self.model.statuses() if s.state in PENDING]

    def at_risk(self) -> list[DraftStatus]:
        """Drafts whose changes are not safe: unsaved, saving, retrying or failed."""
        return [s for s in self.model.statuses() if s.state in AT_RISK]

    def _quit_now(self) -> None:
        self.left_unsaved = [s.key for s in self.at_risk()]
        if self.quit_dialog is not None:
            self.quit_dialog.hide()
        self._quit_ready = True
        self.close()

    async def _close_flow(self) -> None:
        """No nested event loop here: the dialog answers through a future."""
        loop = asyncio.get_running_loop()
        try:
            if not self.at_risk():
                self._quit_now()
                return
            dialog = QuitDialog(self._widget())
            self.quit_dialog = dialog
            answer: asyncio.Future[str] = loop.create_future()

            def decide(what: str) -> None:
                if not answer.done():
                    answer.set_result(what)

            dialog.keep_open.connect(lambda: decide("keep"))
            dialog.quit_now.connect(lambda: decide("quit"))
            progress = [0, len(self.pending())]

            def on_progress(done: int, total: int) -> None:
                progress[:] = [done, total]

            deadline = loop.time() + self.flush_deadline
            flush = asyncio.ensure_future(
                self.session.scheduler.flush(self.flush_deadline, on_progress))
            ticker = QTimer(dialog)
            ticker.setInterval(200)

            def tick() -> None:
                dialog.show_drafts([(s.info.name, describe(s, self.now()))
                                    for s in self.at_risk()])
                if not flush.done() and progress[1]:
                    dialog.saving(progress[0], progress[1], deadline - loop.time())

            ticker.timeout.connect(tick)
            tick()
            ticker.start()
            dialog.open()
            try:
                first = await first_of(asyncio.shield(flush), asyncio.shield(answer))
                if first == 0 and not answer.done():
                    if not self.at_risk():
                        answer.set_result("quit")  # everything saved
                    elif self._forced_quit:
                        answer.set_result("quit")  # SIGTERM: the deadline is up
                    else:
                        tick()
                        dialog.not_saved(len(self.at_risk()))
                        self._asking = True
                what = await answer
            finally:
                ticker.stop()
                if not flush.done():
                    flush.cancel()  # keep open: saving goes on as usual, with retries
            if what == "quit":
                self._quit_now()
            else:
                dialog.hide()
                dialog.deleteLater()
                self.log_activity(QCoreApplication.translate(
                    "MainWindow", "Quit cancelled; the window stays open"))
        finally:
            self._closing = self._asking = False
            self.quit_dialog = None
