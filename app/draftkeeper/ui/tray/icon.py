"""The tray icon: the overall state (all saved / saving / N at risk) as icon and tooltip,
and a menu: Show window, Save all, Pause autosave for 1 hour, Quit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from draftkeeper.core.saving.status import PENDING, State
from draftkeeper.ui.style import app_icon, state_icon
from draftkeeper.ui.words.basic import plural

# drafts that need the user: a save failed, or the server lost the draft
RISK = frozenset({State.FAILED, State.AT_RISK, State.LOST})


class Overall(Enum):
    SAVED = "saved"
    SAVING = "saving"
    AT_RISK = "at_risk"


def overall(counts: Mapping[State, int]) -> tuple[Overall, int]:
    """The state of all drafts together (``counts``: how many drafts are in each state,
    the status bar's), and how many drafts make it."""
    risky = sum(n for state, n in counts.items() if state in RISK)
    if risky:
        return Overall.AT_RISK, risky
    busy = sum(n for state, n in counts.items() if state in PENDING)
    if busy:
        return Overall.SAVING, busy
    return Overall.SAVED, sum(counts.values())


def overall_text(state: Overall, n: int, paused_until: str | None = None,
                 not_shared: int = 0) -> str:
    if state is Overall.AT_RISK:
        text = plural("Tray", "%n draft(s) at risk", n)
    elif state is Overall.SAVING:
        text = plural("Tray", "Saving %n draft(s)…", n)
    else:
        text = QCoreApplication.translate("Tray", "All drafts saved")
    if not_shared:
        text += "\n" + plural("Tray", "%n draft(s) not yet on the shared store", not_shared)
    if paused_until:
        text += "\n" + QCoreApplication.translate("Tray", "Autosave paused until {time}").format(
            time=paused_until)
    return QCoreApplication.translate("Tray", "Draft Keeper: {state}").format(state=text)


def overall_icon(state: Overall) -> QIcon:
    if state is Overall.AT_RISK:
        return state_icon(State.AT_RISK)
    if state is Overall.SAVING:
        return state_icon(State.SAVING)
    return app_icon()


class Tray(QObject):
    """The icon and its menu; shown only where a system tray exists, but always kept up
    to date (its tooltip and menu are what tests and the window's title read)."""

    def __init__(self, show_window: Callable[[], Any], save_all: Callable[[], Any],
                 pause: Callable[[], Any], quit_app: Callable[[], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.menu = QMenu()
        self.act_show = self._add(self.tr("Show window"), show_window)
        self.act_save_all = self._add(self.tr("Save all"), save_all)
        self.act_pause = self._add(self.tr("Pause autosave for 1 hour"), pause)
        self.menu.addSeparator()
        self.act_quit = self._add(self.tr("Quit"), quit_app)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._show_window = show_window
        self.state, self.count, self.not_shared = Overall.SAVED, 0, 0
        self.update({})

    def _add(self, text: str, slot: Callable[[], Any]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self._show_window()

    def update(self, counts: Mapping[State, int], paused_until: str | None = None,
               not_shared: int = 0) -> None:
        """``counts``: drafts by state; ``not_shared``: drafts whose versions are not yet
        all on the shared store."""
        state, n = overall(counts)
        self.state, self.count, self.not_shared = state, n, not_shared
        self.icon.setIcon(overall_icon(state))
        self.icon.setToolTip(overall_text(state, n, paused_until, not_shared))
        self.act_pause.setEnabled(paused_until is None)

    def notify(self, title: str, text: str, bad: bool) -> None:
        icon = (QSystemTrayIcon.MessageIcon.Warning if bad
                else QSystemTrayIcon.MessageIcon.Information)
        if self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, icon, 10_000)
