"""What the parts of the main window share: the window as the type checker sees it.

MainWindow (window.py) is made of parts, each a mixin doing one job (actions and menus,
the status bar, tray and notifications, autosave, draft commands, dialogs, settings).
Each part derives from ``WindowPart``: a QMainWindow for the type checker, a plain class
at run time (the window itself is the one QMainWindow). What one part uses from the others
is declared here, once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QSettings, QTimer

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QLabel,
        QLineEdit,
        QMainWindow,
        QStackedWidget,
        QTableView,
    )

    from draftkeeper.core.saving.status import State
    from draftkeeper.core.serve.server import ApiServer
    from draftkeeper.core.session.session import Session
    from draftkeeper.ui.dialogs.pull import PullDialog
    from draftkeeper.ui.dialogs.settings import SettingsDialog
    from draftkeeper.ui.table.columns import Columns
    from draftkeeper.ui.table.filtering import DraftFilterModel
    from draftkeeper.ui.table.model import DraftTableModel
    from draftkeeper.ui.tray.icon import Tray
    from draftkeeper.ui.tray.notifier import RiskNotifier
    from draftkeeper.ui.window.activity import ActivityPanel
    from draftkeeper.ui.window.details import DraftsUi
    from draftkeeper.ui.window.notices import ElidedLabel, StoreBanner, UndoBar

    WindowBase = QMainWindow
else:
    WindowBase = object

T = TypeVar("T")


class WindowPart(WindowBase):
    if TYPE_CHECKING:  # made by the window (window.py)
        session: Session
        now: Callable[[], float]
        model: DraftTableModel
        proxy: DraftFilterModel
        table: QTableView
        columns: Columns
        filter: QLineEdit
        stack: QStackedWidget
        store_banner: StoreBanner
        drafts_ui: DraftsUi
        tray_available: Callable[[], bool]
        paused_until: float | None
        pull_dialog: PullDialog | None
        api: ApiServer | None
        api_label: QLabel | None
        empty_title: QLabel
        empty_where: QLabel
        counts: Counter[State]
        _errors: dict[str, str]
        _settings_dialog: SettingsDialog | None
        _undo_keys: list[str]
        _start_at_login: bool
        _chrome_timer: QTimer
        # made by the parts
        act_save: QAction
        act_save_all: QAction
        act_autosave: QAction
        act_sample: QAction
        act_remove: QAction
        act_undo: QAction
        act_open: QAction
        act_history: QAction
        act_pull: QAction
        interval: QLineEdit
        activity: ActivityPanel
        counts_label: ElidedLabel
        error_label: ElidedLabel
        undo_bar: UndoBar
        tray: Tray
        notifier: RiskNotifier
        _undo_timer: QTimer
        _resume_timer: QTimer

        def spawn(self, coro: Awaitable[T], doing: str = "",
                  report: bool = True) -> asyncio.Task[T]: ...
        def selected_keys(self) -> list[str]: ...
        def select_key(self, key: str) -> None: ...
        def _show_no_match(self) -> None: ...
        def _qsettings(self) -> QSettings: ...
        def show_window(self) -> None: ...
        def quit_app(self) -> None: ...
        def focus_filter(self) -> None: ...
        # status.py
        def log_activity(self, text: str) -> None: ...
        def set_error(self, source: str, text: str | None) -> None: ...
        def _refresh_chrome(self, columns: bool = True) -> None: ...

        def _chrome_due(self) -> None: ...
        # actions.py
        def _update_actions(self) -> None: ...
        # tray.py
        def notify(self, title: str, text: str, bad: bool) -> None: ...
        # autosave.py
        def pause_autosave(self, seconds: float = 3600) -> None: ...
        def resume_autosave(self) -> None: ...
        def _autosave_changed(self, on: bool) -> None: ...
        def _interval_changed(self) -> None: ...
        # commands.py
        def save_selected(self) -> asyncio.Task[Any] | None: ...
        def save_all(self) -> asyncio.Task[Any]: ...
        def rescan(self) -> asyncio.Task[Any]: ...
        def add_folder(self) -> None: ...
        def add_url(self) -> None: ...
        def create_sample(self) -> asyncio.Task[Any]: ...
        def remove_selected(self) -> asyncio.Task[Any] | None: ...
        def undo_remove(self) -> asyncio.Task[Any] | None: ...
        def _forget_undo(self) -> None: ...
        def open_folder(self) -> None: ...
        # launchers.py
        def ask_pull(self) -> asyncio.Task[Any] | None: ...
        def show_history(self) -> Any: ...
        def show_about(self) -> None: ...
        # settings_flow.py
        def show_settings(self) -> Any: ...
        def choose_store(self) -> None: ...
        def use_store(self, folder: str | None) -> asyncio.Task[Any]: ...
        def _show_store_problem(self) -> None: ...
        async def apply_api(self) -> None: ...
        async def stop_api(self) -> None: ...
