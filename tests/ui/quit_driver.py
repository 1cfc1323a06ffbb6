"""Runs the real app (``run_gui``) and answers its quit dialog like a person: Quit, wait
for the dialog to ask, answer "Keep window open", Quit again, "Quit without saving".
Used by tests/ui/test_quit.py as a subprocess; the process must then end by itself."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from draftkeeper.core.settings import table as settings_mod
from draftkeeper.ui.app import run_gui
from draftkeeper.ui.window.window import MainWindow


def window() -> MainWindow | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return found[0] if found else None


def when(condition: Callable[[], bool], then: Callable[[], None]) -> None:
    def poll() -> None:
        if condition():
            then()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)


def asking() -> bool:
    w = window()
    return w is not None and w.quit_dialog is not None and w._asking


def main() -> None:
    app = QApplication(sys.argv)  # the app's own: run_gui uses it

    def quit_first() -> None:
        w = window()
        assert w is not None
        w.flush_deadline = 1.0
        print("driver: quit", flush=True)
        w.act_quit.trigger()
        when(asking, answer_no)

    def answer_no() -> None:
        w = window()
        assert w is not None and w.quit_dialog is not None
        print("driver: keep window open", flush=True)
        w.quit_dialog.keep_button.click()
        when(lambda: not w._closing, quit_again)

    def quit_again() -> None:
        w = window()
        assert w is not None
        print(f"driver: window still open: {w.isVisible()}; quit again", flush=True)
        w.act_quit.trigger()
        when(lambda: w.quit_dialog is not None, lambda: quit_without_saving(w))

    def quit_without_saving(w: MainWindow) -> None:
        assert w.quit_dialog is not None
        print("driver: quit without saving", flush=True)
        w.quit_dialog.quit_button.click()

    def at_risk() -> bool:  # the window is open, and its draft is not saved
        w = window()
        return w is not None and w.isVisible() and w.states_known and bool(w.at_risk())

    when(at_risk, quit_first)
    code = run_gui(settings_mod.load())
    del app
    sys.exit(code)


if __name__ == "__main__":
    main()
