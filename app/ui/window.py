"""The main window: the draft table and its commands, over a Session."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core import logs, paths
from app.core.errors import DraftKeeperError
from app.core.scheduler import PENDING, DraftStatus, State, StatusEvent
from app.core.session import Session
from app.core.status_text import describe
from app.ui.dialogs import AddFolderDialog, AddUrlDialog, HistoryDialog, SettingsDialog
from app.ui.model import KEY_ROLE, NAME, STATUS, WHERE, DraftFilterModel, DraftTableModel
from app.ui.style import app_icon

log = logging.getLogger(__name__)
T = TypeVar("T")
ACTIVITY_LIMIT = 500
FLUSH_DEADLINE_S = 10.0


class MiddleElide(QStyledItemDelegate):
    """Paths keep their start and their end: /home/me/…/com.lveditor.draft"""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class FlushDialog(QDialog):
    """Saving before quitting. Modal, but shown (not exec'd) and without processEvents():
    QProgressDialog.setValue() would re-enter the event loop from inside an asyncio task."""

    def __init__(self, count: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draft Keeper")
        self.setModal(True)
        self.label = QLabel(f"Saving {count} draft(s) before quitting…")
        self.progress = QProgressBar()
        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.quit_now = QPushButton("Quit without saving")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.quit_now)
        layout.addLayout(row)
        self.resize(380, 0)


class MainWindow(QMainWindow):
    closed = Signal()  # the window really closed (after saving what it could)

    def __init__(self, session: Session, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.session = session
        self.now = now
        self._tasks: set[asyncio.Task[Any]] = set()
        self._counts: Counter[State] = Counter()
        self._quit_ready = False
        self._closing = False
        self.last_error = ""
        # replaced in tests; in the app they ask with message boxes
        self.confirm_quit_unsaved: Callable[[list[str]], bool] = self._ask_quit_unsaved
        self.setWindowTitle("Draft Keeper")
        self.setWindowIcon(app_icon())

        self.model = DraftTableModel(now, self)  # owned by the window: deleted after its views
        self.proxy = DraftFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(WHERE, MiddleElide(self.table))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((220, 190, 230, 250, 90, 80, 80)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.show_history())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, draft id or folder…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)

        self.stack = QStackedWidget()
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(6, 6, 6, 0)
        table_layout.addWidget(self.filter)
        table_layout.addWidget(self.table)
        self.stack.addWidget(table_page)
        self.stack.addWidget(self._empty_page())
        self.setCentralWidget(self.stack)

        self._make_actions()
        self._make_toolbar_and_menus()
        self._make_status_bar()
        self._make_activity_dock()

        self._chrome_timer = QTimer(self)
        self._chrome_timer.setSingleShot(True)
        self._chrome_timer.setInterval(50)
        self._chrome_timer.timeout.connect(self._refresh_chrome)

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.model.tick)
        self.ticker.start()

        self._unsubscribe = session.scheduler.subscribe(self._on_event)
        self.model.reset(session.scheduler.statuses())
        self._counts = Counter(s.state for s in self.model.statuses())
        self._refresh_chrome()
        self.resize(1180, 680)
        self._restore_window_state()

    # --- building ----------------------------------------------------------------------

    def _empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel("No drafts yet")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        text = QLabel(
            "Draft Keeper keeps your CapCut and JianYing drafts safe: it saves each draft as a "
            "version you can restore, by a click and automatically in the background.\n"
            "Point it at the folder that holds your drafts, or add a draft that lives on a "
            "capcut-mate server, and its save status shows here live."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(640)
        self.empty_text = text
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.empty_buttons: dict[str, QPushButton] = {}
        for label, slot in (("Add drafts folder…", self.add_folder),
                            ("Add draft URL…", self.add_url),
                            ("Create a sample draft", self.create_sample)):
            button = QPushButton(label)
            button.setMinimumHeight(32)
            button.clicked.connect(slot)
            self.empty_buttons[label] = button
            buttons.addWidget(button)
        buttons.addStretch()
        centre = QHBoxLayout()
        centre.addStretch()
        centre.addWidget(text)
        centre.addStretch()
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addLayout(centre)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        self.empty_where = QLabel()
        self.empty_where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_where.setStyleSheet("color: #666;")
        layout.addSpacing(12)
        layout.addWidget(self.empty_where)
        layout.addStretch(3)
        return page

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _make_actions(self) -> None:
        self.act_save = self._action("Save", self.save_selected, QKeySequence.StandardKey.Save,
                                     "Save the selected drafts now (Ctrl+S)")
        self.act_save_all = self._action("Save all", self.save_all, "Ctrl+Shift+S",
                                         "Save every draft with unsaved changes (Ctrl+Shift+S)")
        self.act_autosave = QAction("Autosave", self)
        self.act_autosave.setCheckable(True)
        self.act_autosave.setChecked(self.session.settings.autosave_enabled)
        self.act_autosave.setToolTip("Save changed drafts automatically")
        self.act_autosave.toggled.connect(self._autosave_changed)
        self.act_add_folder = self._action("Add drafts folder…", self.add_folder, None,
                                           "Add a folder whose subfolders are drafts")
        self.act_add_url = self._action("Add draft URL…", self.add_url, None,
                                        "Add a draft kept on a capcut-mate server")
        self.act_sample = self._action("Create a sample draft", self.create_sample)
        self.act_remove = self._action("Remove from list", self.remove_selected,
                                       QKeySequence.StandardKey.Delete,
                                       "Stop listing the selected drafts (nothing is deleted)")
        self.act_open = self._action("Open folder", self.open_folder, None,
                                     "Open the draft's folder")
        self.act_history = self._action("History…", self.show_history, "Ctrl+H",
                                        "Versions of the selected draft, and restore")
        self.act_settings = self._action("Settings…", self.show_settings,
                                         QKeySequence.StandardKey.Preferences)
        self.act_about = self._action("About Draft Keeper", self.show_about)
        self.act_quit = self._action("Quit", self.close, QKeySequence.StandardKey.Quit)

    def _make_toolbar_and_menus(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        for a in (self.act_save, self.act_save_all):
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.act_autosave)
        self.interval = QSpinBox()
        self.interval.setRange(5, 3600)
        self.interval.setPrefix("every ")
        self.interval.setSuffix(" s")
        self.interval.setValue(int(self.session.settings.autosave_interval_s))
        self.interval.setToolTip("Autosave interval")
        self.interval.editingFinished.connect(self._interval_changed)
        bar.addWidget(self.interval)
        bar.addSeparator()
        for a in (self.act_add_folder, self.act_add_url, self.act_remove, self.act_open,
                  self.act_history, self.act_settings):
            bar.addAction(a)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for a in (self.act_add_folder, self.act_add_url, self.act_sample):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        draft_menu = menu.addMenu("&Draft")
        for a in (self.act_save, self.act_save_all, self.act_history, self.act_open,
                  self.act_remove):
            draft_menu.addAction(a)
        settings_menu = menu.addMenu("&Settings")
        settings_menu.addAction(self.act_autosave)
        settings_menu.addAction(self.act_settings)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.act_about)
        # shortcuts work wherever the focus is in the window, menus open or not
        self.addActions([self.act_save, self.act_save_all, self.act_history, self.act_remove,
                         self.act_settings, self.act_quit])

    def _make_status_bar(self) -> None:
        self.counts_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.error_label)

    def _make_activity_dock(self) -> None:
        self.activity = QListWidget()
        self.activity.setAlternatingRowColors(True)
        dock = QDockWidget("Activity", self)
        dock.setObjectName("activity-dock")
        dock.setWidget(self.activity)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.activity_dock = dock
        self.resizeDocks([dock], [150], Qt.Orientation.Vertical)

    # --- state from the scheduler ------------------------------------------------------

    def _on_event(self, event: StatusEvent) -> None:
        self.model.on_event(event)
        if event.old is not None:
            self._counts[event.old.state] -= 1
        if event.new is not None:
            self._counts[event.new.state] += 1
        self._log_event(event)
        self._chrome_soon()

    def _chrome_soon(self) -> None:
        """Status bar and actions follow events, once per burst (saving 100 drafts sends
        hundreds of events in one go; relayouting per event would stall the window)."""
        if not self._chrome_timer.isActive():
            self._chrome_timer.start()

    def _log_event(self, event: StatusEvent) -> None:
        new, old = event.new, event.old
        if new is None:
            if old is not None:
                self.log_activity(f"{old.info.name}: removed from the list")
            return
        if old is None:
            return
        if old.state == new.state and new.state is not State.RETRYING:
            return
        text = describe(new, self.now())
        if new.state is State.CLEAN and old.state is State.SAVING:
            text = "Saved" + (f" (version {new.last_version})" if new.last_version and
                              not new.remote else "")
        elif new.state is State.RETRYING and old.state is State.RETRYING:
            return  # countdown moves; nothing new happened
        elif new.state is State.RETRYING:
            text = f"{text}: {new.error_message}"
        if new.state in (State.FAILED, State.RETRYING):
            self.last_error = f"{new.info.name}: {new.error_message}"
        elif new.state is State.CLEAN and self.last_error.startswith(f"{new.info.name}: "):
            self.last_error = ""
        if new.state in (State.SAVING, State.QUEUED):
            return  # too chatty for the log; the table shows it
        self.log_activity(f"{new.info.name}: {text}")

    def log_activity(self, text: str) -> None:
        self.activity.insertItem(0, f"{time.strftime('%H:%M:%S')}  {text}")
        while self.activity.count() > ACTIVITY_LIMIT:
            self.activity.takeItem(self.activity.count() - 1)

    def _refresh_chrome(self) -> None:
        total = self.model.rowCount()
        parts = [f"{total} draft{'s' if total != 1 else ''}"]
        for state, word in ((State.UNSAVED, "unsaved"), (State.SAVING, "saving"),
                            (State.QUEUED, "queued"), (State.RETRYING, "retrying"),
                            (State.FAILED, "failed"), (State.AT_RISK, "at risk"),
                            (State.MISSING, "missing")):
            if self._counts[state]:
                parts.append(f"{self._counts[state]} {word}")
        s = self.session.settings
        parts.append(f"autosave every {s.autosave_interval_s:g} s" if s.autosave_enabled
                     else "autosave off")
        self.counts_label.setText(" · ".join(parts))
        self.error_label.setText(self.last_error)
        self.stack.setCurrentIndex(0 if total else 1)
        if not total:
            roots = ", ".join(str(r) for r in self.session.roots)
            self.empty_where.setText(f"Looking in: {roots}")
        self._update_actions()

    def _update_actions(self) -> None:
        keys = self.selected_keys()
        one = len(keys) == 1
        self.act_save.setEnabled(bool(keys))
        self.act_remove.setEnabled(bool(keys))
        self.act_history.setEnabled(one)
        self.act_open.setEnabled(one and not self.session.is_remote(keys[0]))

    # --- running core commands ---------------------------------------------------------

    def spawn(self, coro: Awaitable[T], doing: str = "", report: bool = True) -> asyncio.Task[T]:
        """Run a core command on the loop; its error shows in the window, never a crash.
        Saves pass ``report=False``: their errors already arrive as status events."""
        task: asyncio.Task[T] = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[T]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is None:
                return
            if isinstance(exc, DraftKeeperError):
                if not report:
                    return
                message = exc.message
            else:
                log.error("%s failed", doing or "command", exc_info=exc)
                message = f"{doing or 'Command'} failed: {exc!r}"
            self.last_error = message
            self.log_activity(message)
            self._refresh_chrome()

        task.add_done_callback(done)
        return task

    def selected_keys(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(KEY_ROLE) for r in sorted(rows)]

    def select_key(self, key: str) -> None:
        row = self.model.row_of(key)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        # through the selection model: selectRow() would honour held keyboard modifiers
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)

    def status_text(self, key: str) -> str:
        row = self.model.row_of(key)
        assert row is not None
        return str(self.model.index(row, STATUS).data())

    # --- commands ----------------------------------------------------------------------

    def save_selected(self) -> asyncio.Task[Any] | None:
        keys = self.selected_keys()
        if not keys:
            return None
        return self.spawn(self.session.scheduler.save_all(keys), "Save", report=False)

    def save_all(self) -> asyncio.Task[Any]:
        return self.spawn(self.session.scheduler.save_all(), "Save all", report=False)

    def _autosave_changed(self, on: bool) -> None:
        try:
            self.session.set_autosave(on, float(self.interval.value()))
        except DraftKeeperError as exc:
            self.last_error = exc.message
        self.log_activity(f"Autosave on, every {self.interval.value()} s" if on else "Autosave off")
        self._refresh_chrome()

    def _interval_changed(self) -> None:
        if float(self.interval.value()) != self.session.settings.autosave_interval_s:
            self._autosave_changed(self.act_autosave.isChecked())

    def add_folder(self) -> None:
        dialog = AddFolderDialog(self)
        if dialog.exec():
            self.add_folder_path(dialog.path.text().strip())

    def add_folder_path(self, folder: str) -> asyncio.Task[Any]:
        async def go() -> None:
            path = await self.session.add_root(folder)
            self.log_activity(f"Added drafts folder {path}")

        return self.spawn(go(), "Add folder")

    def add_url(self) -> None:
        dialog = AddUrlDialog(self.session.validate_draft_url, self)
        if dialog.exec():
            self.add_url_text(dialog.result_url)

    def add_url_text(self, url: str) -> asyncio.Task[Any]:
        async def go() -> None:
            added = await self.session.add_remote(url)
            self.log_activity(f"Added remote draft {added}")

        return self.spawn(go(), "Add draft URL")

    def create_sample(self) -> asyncio.Task[Any]:
        async def go() -> str:
            draft_id = await self.session.create_sample()
            self.log_activity(f"Created sample draft {draft_id}; saving it")
            self.select_key(draft_id)
            await self.session.scheduler.save(draft_id)
            return draft_id

        return self.spawn(go(), "Create sample draft")

    def remove_selected(self) -> asyncio.Task[Any] | None:
        keys = self.selected_keys()
        if not keys:
            return None

        async def go() -> None:
            for key in keys:
                await self.session.remove(key)

        return self.spawn(go(), "Remove from list")

    def open_folder(self) -> None:
        keys = self.selected_keys()
        if len(keys) != 1 or self.session.is_remote(keys[0]):
            return
        row = self.model.row_of(keys[0])
        if row is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.model.status_at(row).info.path))

    def show_history(self) -> HistoryDialog | None:
        keys = self.selected_keys()
        if len(keys) != 1:
            return None
        key = keys[0]
        row = self.model.row_of(key)
        assert row is not None
        status = self.model.status_at(row)
        dialog = HistoryDialog(status.info.name, status.remote, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        async def load() -> None:
            dialog.show_versions(await self.session.history(key))

        async def restore(version: str) -> None:
            result = await self.session.restore(key, version)
            extra = f"; {len(result.moved_aside)} file(s) moved aside" if result.moved_aside else ""
            self.log_activity(f"{status.info.name}: restored version {version} "
                              f"({len(result.written)} file(s) written{extra})")
            await load()

        dialog.restore_requested.connect(lambda v: self.spawn(restore(v), "Restore"))
        dialog.loaded = self.spawn(load(), "History")  # type: ignore[attr-defined]
        dialog.show()
        return dialog

    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.session.settings, [str(r) for r in self.session.roots], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.changes))
        dialog.show()
        return dialog

    def apply_settings(self, changes: dict[str, Any]) -> asyncio.Task[Any]:
        async def go() -> None:
            await self.session.apply_settings(changes)
            self.act_autosave.setChecked(self.session.settings.autosave_enabled)
            self.interval.setValue(int(self.session.settings.autosave_interval_s))
            self.log_activity("Settings saved")
            self._refresh_chrome()

        return self.spawn(go(), "Settings")

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About Draft Keeper",
            f"<h3>Draft Keeper {__version__}</h3>"
            "<p>Keeps CapCut / JianYing drafts safe: live save status, autosave, versions "
            "and restore, locally or through a capcut-mate server.</p>"
            f"<p>Versions: {self.session.settings.store_path()}<br>"
            f"Settings: {paths.settings_file()}<br>"
            f"Log file: {logs.log_file()}</p>",
        )

    # --- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quit_ready:
            self._save_window_state()
            self.ticker.stop()
            self._unsubscribe()
            event.accept()
            self.closed.emit()
            return
        event.ignore()
        if not self._closing:
            self._closing = True
            self.closing = self.spawn(self._close_flow(), "Quit")

    def pending(self) -> list[DraftStatus]:
        return [s for s in self.model.statuses() if s.state in PENDING]

    async def _close_flow(self) -> None:
        try:
            pending = self.pending()
            if pending:
                left = await self._flush_with_progress(len(pending))
                if left and not self.confirm_quit_unsaved(left):
                    return
            self._quit_ready = True
            self.close()
        finally:
            self._closing = False

    async def _flush_with_progress(self, count: int) -> list[str]:
        dialog = FlushDialog(count, self)
        self.flush_dialog = dialog
        flush = asyncio.ensure_future(self.session.scheduler.flush(
            FLUSH_DEADLINE_S, lambda done, total: dialog.progress.setValue(done)))
        dialog.quit_now.clicked.connect(lambda: flush.cancel())
        dialog.show()
        try:
            return await flush
        except asyncio.CancelledError:
            if not flush.cancelled():
                raise
            return []  # the user chose to quit without saving
        finally:
            dialog.close()

    def _ask_quit_unsaved(self, keys: list[str]) -> bool:
        answer = QMessageBox.question(
            self, "Draft Keeper",
            f"{len(keys)} draft(s) could not be saved. Quit anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- window state across restarts ----------------------------------------------------

    def _qsettings(self) -> QSettings:
        return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _save_window_state(self) -> None:
        qs = self._qsettings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("state", self.saveState())
        qs.setValue("header", self.table.horizontalHeader().saveState())
        qs.sync()

    def _restore_window_state(self) -> None:
        qs = self._qsettings()
        for key, restore in (("geometry", self.restoreGeometry), ("state", self.restoreState),
                             ("header", self.table.horizontalHeader().restoreState)):
            value = qs.value(key)
            if isinstance(value, QByteArray):
                restore(value)
