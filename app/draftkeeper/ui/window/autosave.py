"""Autosave from the main window: the toolbar's switch and interval (a typed value out of
range is reported, never clamped), and pausing for a while from the tray.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.settings.table import SPECS
from draftkeeper.ui.dialogs.fields import BAD_EDIT_STYLE, BadValue, limits_text, parse_number
from draftkeeper.ui.window.parts import WindowPart
from draftkeeper.ui.words import basic
from draftkeeper.ui.words.reasons import error_words


class AutosaveControls(WindowPart):
    """Turns autosave on and off and sets its interval through the session; a pause is
    not a setting: autosave resumes by itself."""

    def pause_autosave(self, seconds: float = 3600) -> None:
        """Autosave rests for ``seconds`` (the setting is not changed), then resumes."""
        if not self.session.settings.autosave_enabled:
            return
        self.session.scheduler.set_autosave(False)
        self.paused_until = self.now() + seconds
        self._resume_timer.start(int(seconds * 1000))
        self.log_activity(
            QCoreApplication.translate("MainWindow", "Autosave paused until {time}").format(
                time=basic.local_time(self.paused_until)
            )
        )
        self._refresh_chrome()

    def resume_autosave(self) -> None:
        if self.paused_until is None:
            return
        self.paused_until = None
        self._resume_timer.stop()
        self.session.scheduler.set_autosave(True)
        self.log_activity(QCoreApplication.translate("MainWindow", "Autosave resumed"))
        self._refresh_chrome()

    def _typed_interval(self) -> float | None:
        """The interval typed in the toolbar, or None (its problem then shows): a value out
        of range is reported, never clamped."""
        spec = SPECS["autosave_interval_s"]
        try:
            value = float(parse_number(spec, self.interval.text()))
        except BadValue as exc:
            problem = str(exc)
        else:
            assert spec.range is not None
            if spec.range[0] <= value <= spec.range[1]:
                self.interval.setStyleSheet("")
                self.set_error("interval", None)
                return value
            problem = QCoreApplication.translate("MainWindow", "must be between {limits}").format(
                limits=limits_text(spec)
            )
        self.interval.setStyleSheet(BAD_EDIT_STYLE)
        self.set_error(
            "interval",
            QCoreApplication.translate(
                "MainWindow", "Autosave interval {text!r}: {problem}"
            ).format(text=self.interval.text(), problem=problem),
        )
        return None

    def _autosave_changed(self, on: bool) -> None:
        if self.paused_until is not None:  # the user's own choice ends the pause
            self.paused_until = None
            self._resume_timer.stop()
        interval = self._typed_interval()
        try:
            self.session.set_autosave(on, interval)
        except DraftKeeperError as exc:
            self.set_error("autosave", error_words(exc))
            return
        self.set_error("autosave", None)
        every = self.session.settings.autosave_interval_s
        self.log_activity(
            QCoreApplication.translate("MainWindow", "Autosave on, every {s:g} s").format(s=every)
            if on
            else QCoreApplication.translate("MainWindow", "Autosave off")
        )
        self._refresh_chrome()

    def _interval_changed(self) -> None:
        interval = self._typed_interval()
        if interval is not None and interval != self.session.settings.autosave_interval_s:
            self._autosave_changed(self.act_autosave.isChecked())
