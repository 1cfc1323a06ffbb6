"""The main window's tray icon and desktop notifications: drafts at risk are announced
once per burst of failures, and the first close to the tray says so.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QTimer

from draftkeeper.ui.tray.icon import Tray
from draftkeeper.ui.tray.notifier import COALESCE_S, RiskNotifier
from draftkeeper.ui.window.parts import WindowPart


class TrayWiring(WindowPart):
    """Connects the tray's menu to the window's commands and the risk notifier to the
    tray's notifications (and the Activity panel)."""

    _notify_timer: QTimer
    _burst_started: float

    def _make_tray(self) -> None:
        self.tray = Tray(self.show_window, self.save_all, self.pause_autosave, self.quit_app, self)
        self._notify_timer = QTimer(self)
        self._notify_timer.setSingleShot(True)
        self._notify_timer.setInterval(int(COALESCE_S * 1000))
        self.notifier = RiskNotifier(self.notify, self._notify_soon)
        self._notify_timer.timeout.connect(self.notifier.flush)
        self._burst_started = 0.0
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.timeout.connect(self.resume_autosave)
        if self.tray_available():
            self.tray.icon.show()

    def _notify_soon(self) -> None:
        """Notify once the burst is over: each failure restarts the wait, so drafts failing
        a few at a time (a server takes two requests at once) make one notification; a
        burst that goes on is announced after at most 4 waits."""
        now = time.monotonic()
        if not self._notify_timer.isActive():
            self._burst_started = now
            self._notify_timer.start()
        elif now - self._burst_started < 3 * self._notify_timer.interval() / 1000:
            self._notify_timer.start()  # restarts it

    def notify(self, title: str, text: str, bad: bool) -> None:
        """A desktop notification (where the platform shows one), and a line in Activity."""
        self.tray.notify(title, text, bad)
        self.log_activity(f"{title}: {text}")

    def _tray_notice(self) -> None:
        """The first time the window closes to the tray, say so."""
        qs = self._qsettings()
        if qs.value("tray_notice_shown") == "yes":
            return
        qs.setValue("tray_notice_shown", "yes")
        qs.sync()
        self.notify(
            QCoreApplication.translate("MainWindow", "Draft Keeper is still saving"),
            QCoreApplication.translate(
                "MainWindow",
                "It keeps your drafts safe from the tray. Quit from its menu or with Ctrl+Q.",
            ),
            False,
        )
