"""The main window: the draft table and its commands, over a Session."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QSystemTrayIcon,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__, autostart
from app.core import logs, paths
from app.core.errors import DraftKeeperError
from app.core.scheduler import State, StatusEvent
from app.core.session import Session
from app.core.settings import SPECS, SettingError
from app.ui import words
from app.ui.activity import ActivityPanel, readable, version_label
from app.ui.closing import FLUSH_DEADLINE_S, QuitDialog, QuitFlow
from app.ui.columns import Columns
from app.ui.dialogs import AddFolderDialog, AddUrlDialog, HistoryDialog, SettingsDialog
from app.ui.drafts_ui import DraftsUi
from app.ui.fields import BAD_EDIT_STYLE, BadValue, limits_text, parse_number
from app.ui.model import (
    KEY_ROLE,
    NAME,
    STATUS,
    WHERE,
    DraftFilterModel,
    DraftTableModel,
    human_size,
)
from app.ui.notices import ElidedLabel, EmptyPage, StoreBanner, UndoBar
from app.ui.notifier import COALESCE_S, RiskNotifier
from app.ui.pull_dialog import PullDialog
from app.ui.reasons import error_words, status_error
from app.ui.style import app_icon
from app.ui.tray import Tray

if TYPE_CHECKING:
    from app.core.serve import ApiServer

log = logging.getLogger(__name__)
T = TypeVar("T")
UNDO_SECONDS = 60


class MiddleElide(QStyledItemDelegate):
    """Paths keep their start and their end: /home/me/…/com.lveditor.draft"""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class MainWindow(QuitFlow, QMainWindow):
    closed = Signal()  # the window really closed (after saving what it could)

    def __init__(self, session: Session, now: Callable[[], float] = time.time,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable
                 ) -> None:
        super().__init__()
        self.tray_available = tray_available
        self._quit_requested = False
        self._start_at_login = session.settings.start_at_login  # as the system has it
        self.paused_until: float | None = None
        self.session = session
        self.now = now
        self._tasks: set[asyncio.Task[Any]] = set()
        self._counts: Counter[State] = Counter()
        self._quit_ready = False
        self._closing = False
        self._forced_quit = False
        self._asking = False  # the quit dialog asks (saving before quitting is over)
        self.closing: asyncio.Task[None] | None = None
        self.quit_dialog: QuitDialog | None = None
        self.pull_dialog: PullDialog | None = None
        self.left_unsaved: list[str] = []  # drafts not saved when the window quit
        self._errors: dict[str, str] = {}  # where an error came from -> its text
        self._settings_dialog: SettingsDialog | None = None
        self._undo_keys: list[str] = []
        self.flush_deadline = FLUSH_DEADLINE_S  # seconds to save before quitting
        self.setWindowTitle(self.tr("Draft Keeper"))
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
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.columns = Columns(self.table, self._qsettings, self.model.statuses)
        self.table.doubleClicked.connect(lambda _i: self.show_history())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by name, draft id or folder…  (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.filter.textChanged.connect(lambda _t: self._show_no_match())
        self.no_match = QLabel()
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()

        self.stack = QStackedWidget()
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        self.filter_row = QHBoxLayout()
        self.filter_row.addWidget(self.filter, 1)
        table_layout.addLayout(self.filter_row)
        table_layout.addWidget(self.no_match)
        table_layout.addWidget(self.table)
        self.stack.addWidget(table_page)
        self.stack.addWidget(self._empty_page())
        self.store_banner = StoreBanner()
        self.store_banner.choose.connect(self.choose_store)
        self.store_banner.use_default.connect(lambda: self.use_store(None))
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(6, 6, 6, 0)
        central_layout.addWidget(self.store_banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._make_actions()
        self._make_toolbar_and_menus()
        self._make_status_bar()
        self._make_activity_dock()
        self._make_tray()

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
        self.columns.update(self.model.statuses())
        self._counts = Counter(s.state for s in self.model.statuses())
        self.drafts_ui = DraftsUi(self)  # covers, badges, deleted drafts, the timeline
        self.filter_row.addWidget(self.drafts_ui.show_deleted)
        self._refresh_chrome()
        self._show_store_problem()
        self.resize(1180, 680)
        screen = self.screen()
        if screen is not None:  # small or scaled screens (200%: 960x540 on a 1080p one)
            room = screen.availableGeometry().size()
            self.resize(min(1180, room.width()), min(680, room.height()))
        self._restore_window_state()
        self.api: ApiServer | None = None
        self.api_label: QLabel | None = None
        if session.settings.api_enabled:
            self.spawn(self.apply_api(), self.tr("Local API"))

    # --- building ----------------------------------------------------------------------

    def _empty_page(self) -> QWidget:
        page = EmptyPage([(self.tr("Add drafts folder…"), self.add_folder),
                          (self.tr("Add draft URL…"), self.add_url),
                          (self.tr("Create a sample draft"), self.create_sample)])
        self.empty_title, self.empty_text = page.title, page.text
        self.empty_buttons, self.empty_where = page.buttons, page.where
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
        self.act_save = self._action(self.tr("Save"), self.save_selected,
                                     QKeySequence.StandardKey.Save,
                                     self.tr("Save the selected drafts now (Ctrl+S)"))
        self.act_save_all = self._action(
            self.tr("Save all"), self.save_all, "Ctrl+Shift+S",
            self.tr("Save every draft with unsaved changes (Ctrl+Shift+S)"))
        self.act_autosave = QAction(self.tr("Autosave"), self)
        self.act_autosave.setCheckable(True)
        self.act_autosave.setChecked(self.session.settings.autosave_enabled)
        self.act_autosave.setToolTip(self.tr("Save changed drafts automatically"))
        self.act_autosave.toggled.connect(self._autosave_changed)
        self.act_add_folder = self._action(self.tr("Add drafts folder…"), self.add_folder, None,
                                           self.tr("Add a folder whose subfolders are drafts"))
        self.act_add_url = self._action(self.tr("Add draft URL…"), self.add_url, None,
                                        self.tr("Add a draft kept on a capcut-mate server"))
        self.act_sample = self._action(self.tr("Create a sample draft"), self.create_sample)
        self.act_remove = self._action(
            self.tr("Remove from list"), self.remove_selected, QKeySequence.StandardKey.Delete,
            self.tr("Stop listing and autosaving the selected drafts (nothing is deleted; "
                    "Ctrl+Z undoes it)"))
        self.act_undo = self._action(self.tr("Undo remove"), self.undo_remove,
                                     QKeySequence.StandardKey.Undo,
                                     self.tr("Put the draft just removed back on the list"))
        self.act_undo.setEnabled(False)
        self.act_open = self._action(self.tr("Open folder"), self.open_folder, None,
                                     self.tr("Open the draft's folder"))
        self.act_history = self._action(self.tr("History…"), self.show_history, "Ctrl+H",
                                        self.tr("Versions of the selected draft, and restore "
                                                "(Enter)"))
        self.act_pull = self._action(
            self.tr("Pull into editor…"), self.ask_pull, None,
            self.tr("Write the selected remote draft into the drafts folder, ready to open "
                    "in the editor (a local draft already there is saved as a version first)"))
        self.act_settings = self._action(self.tr("Settings…"), self.show_settings, "Ctrl+,",
                                         self.tr("Settings (Ctrl+,)"))
        self.act_about = self._action(self.tr("About Draft Keeper"), self.show_about)
        self.act_quit = self._action(self.tr("Quit"), self.quit_app,
                                     QKeySequence.StandardKey.Quit)
        if self.act_quit.shortcut().isEmpty():  # platforms without a standard quit key
            self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

    def _make_toolbar_and_menus(self) -> None:
        bar = QToolBar(self.tr("Main toolbar"))
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        for a in (self.act_save, self.act_save_all):
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.act_autosave)
        spec = SPECS["autosave_interval_s"]
        every = QLabel(self.tr(" every "))
        bar.addWidget(every)
        self.interval = QLineEdit(f"{self.session.settings.autosave_interval_s:g}")
        self.interval.setMaximumWidth(60)
        self.interval.setToolTip(self.tr("Autosave interval, {limits}").format(
            limits=limits_text(spec)))
        self.interval.editingFinished.connect(self._interval_changed)
        bar.addWidget(self.interval)
        bar.addWidget(QLabel(f" {spec.unit} "))
        bar.addSeparator()
        for a in (self.act_add_folder, self.act_add_url, self.act_remove, self.act_open,
                  self.act_history, self.act_pull, self.act_settings):
            bar.addAction(a)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        for a in (self.act_add_folder, self.act_add_url, self.act_sample):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        draft_menu = menu.addMenu(self.tr("&Draft"))
        for a in (self.act_save, self.act_save_all, self.act_history, self.act_open,
                  self.act_pull, self.act_remove, self.act_undo):
            draft_menu.addAction(a)
        settings_menu = menu.addMenu(self.tr("&Settings"))
        settings_menu.addAction(self.act_autosave)
        settings_menu.addAction(self.act_settings)
        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_about)
        # shortcuts work wherever the focus is in the window, menus open or not
        self.act_find = self._action(self.tr("Filter"), self.focus_filter, "Ctrl+F")
        self.act_rescan = self._action(self.tr("Rescan"), self.rescan, "F5",
                                       self.tr("Look for new and changed drafts now (F5)"))
        draft_menu.addAction(self.act_rescan)
        for key in ("Return", "Enter"):  # Enter on the table opens the draft's history
            QShortcut(QKeySequence(key), self.table, self.show_history,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.addActions([self.act_save, self.act_save_all, self.act_history, self.act_remove,
                         self.act_undo, self.act_settings, self.act_quit, self.act_find,
                         self.act_rescan])

    def _make_status_bar(self) -> None:
        # each text has its own place and gives way (elided) instead of overlapping
        self.counts_label = ElidedLabel()
        self.counts_label.setMinimumWidth(240)  # the counts always show; the others give way
        self.error_label = ElidedLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setMaximumWidth(420)
        self.undo_bar = UndoBar()
        self.undo_bar.undo.connect(self.undo_remove)
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.undo_bar)
        self.statusBar().addPermanentWidget(self.error_label)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._forget_undo)

    def _make_activity_dock(self) -> None:
        self.activity = ActivityPanel()
        dock = QDockWidget(self.tr("Activity"), self)
        dock.setObjectName("activity-dock")
        dock.setWidget(self.activity)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.activity_dock = dock
        self.resizeDocks([dock], [150], Qt.Orientation.Vertical)

    # --- state from the scheduler ------------------------------------------------------

    def _make_tray(self) -> None:
        self.tray = Tray(self.show_window, self.save_all, self.pause_autosave, self.quit_app,
                         self)
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

    def _on_event(self, event: StatusEvent) -> None:
        self.model.on_event(event)
        self.notifier.on_event(event)
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
        new = event.new
        if new is not None:
            source = f"draft:{new.key}"
            if new.state in (State.FAILED, State.RETRYING):
                self._errors.pop(source, None)  # the newest error shows
                self._errors[source] = self.tr("{name}: {error}").format(
                    name=new.info.name, error=status_error(new))
            elif new.state is not State.SAVING:
                self._errors.pop(source, None)
        elif event.old is not None:
            self._errors.pop(f"draft:{event.old.key}", None)
        self.activity.on_event(event, self.now())

    def log_activity(self, text: str) -> None:
        self.activity.add(text)

    # --- errors in the status bar: each from one source; fixed, it leaves ---------------

    def set_error(self, source: str, text: str | None) -> None:
        self._errors.pop(source, None)
        if text:
            self._errors[source] = text
        self._refresh_chrome()

    @property
    def last_error(self) -> str:
        return next(reversed(self._errors.values()), "")

    def _refresh_chrome(self) -> None:
        total = self.model.rowCount()
        parts = [words.plural("MainWindow", "%n draft(s)", total)]
        for state in (State.UNSAVED, State.SAVING, State.QUEUED, State.RETRYING, State.FAILED,
                      State.AT_RISK, State.MISSING, State.LOST):
            if self._counts[state]:
                parts.append(self.tr("{n} {state}").format(
                    n=words.number(self._counts[state]), state=words.state_word(state)))
        s = self.session.settings
        if self.session.store_problem is not None:
            parts = [self.tr("Nothing is saved: the version store cannot be used")]
        else:
            parts.append(self.tr("autosave every {s} s").format(
                s=words.number(s.autosave_interval_s)) if s.autosave_enabled
                else self.tr("autosave off"))
        self.counts_label.setText(" · ".join(parts))
        self.error_label.setText(self.last_error)
        self.error_label.setToolTip("\n".join(self._errors.values()))
        self.stack.setCurrentIndex(0 if total else 1)
        self.columns.update(self.model.statuses())
        self._show_no_match()
        paused = (words.local_time(self.paused_until)[-8:-3]
                  if self.paused_until is not None else None)
        self.tray.update(self.model.statuses(), paused)
        self.tray.act_pause.setEnabled(paused is None and s.autosave_enabled)
        self.act_autosave.blockSignals(True)
        self.act_autosave.setChecked(s.autosave_enabled)
        self.act_autosave.blockSignals(False)
        if not total:
            roots = ", ".join(str(r) for r in self.session.roots)
            self.empty_where.setText(self.tr("Looking in: {roots}").format(roots=roots))
            self.empty_title.setText(self.tr("No drafts yet") if self.session.store_problem
                                     is None else self.tr("Drafts are listed once the store "
                                                          "works"))
        self._update_actions()

    def _update_actions(self) -> None:
        keys = self.selected_keys()
        one = len(keys) == 1
        usable = self.session.store_problem is None
        self.act_save_all.setEnabled(usable)
        self.act_sample.setEnabled(usable)
        self.act_save.setEnabled(bool(keys) and usable)
        self.act_remove.setEnabled(bool(keys))
        self.act_history.setEnabled(one)
        self.act_open.setEnabled(one and not self.session.is_remote(keys[0]))
        self.act_pull.setEnabled(one and usable and self.session.is_remote(keys[0]))

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
                if report and doing:
                    self.set_error(doing, None)  # it works now: its old error leaves
                return
            if isinstance(exc, DraftKeeperError):
                if not report:
                    return
                message = error_words(exc)
            else:
                log.error("%s failed", doing or "command", exc_info=exc)
                message = self.tr("{doing} failed: {error!r}").format(
                    doing=doing or self.tr("Command"), error=exc)
            self.log_activity(message)
            self.set_error(doing or "command", message)

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
        return self.spawn(self.session.scheduler.save_all(keys), self.tr("Save"), report=False)

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def rescan(self) -> asyncio.Task[Any]:
        return self.spawn(self.session.scheduler.refresh(), self.tr("Rescan"))

    def _show_no_match(self) -> None:
        text = self.filter.text().strip()
        none = bool(text) and self.model.rowCount() > 0 and self.proxy.rowCount() == 0
        if none:
            self.no_match.setText(self.tr("No draft matches “{text}”.").format(text=text))
        self.no_match.setVisible(none)

    def show_window(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit_app(self) -> None:
        """Quit (menu, tray, Ctrl+Q): through the safe quit flow, window shown or not."""
        self._quit_requested = True
        self.close()

    def pause_autosave(self, seconds: float = 3600) -> None:
        """Autosave rests for ``seconds`` (the setting is not changed), then resumes."""
        if not self.session.settings.autosave_enabled:
            return
        self.session.scheduler.set_autosave(False)
        self.paused_until = self.now() + seconds
        self._resume_timer.start(int(seconds * 1000))
        self.log_activity(self.tr("Autosave paused until {time}").format(
            time=words.local_time(self.paused_until)))
        self._refresh_chrome()

    def resume_autosave(self) -> None:
        if self.paused_until is None:
            return
        self.paused_until = None
        self._resume_timer.stop()
        self.session.scheduler.set_autosave(True)
        self.log_activity(self.tr("Autosave resumed"))
        self._refresh_chrome()

    def save_all(self) -> asyncio.Task[Any]:
        return self.spawn(self.session.scheduler.save_all(), self.tr("Save all"), report=False)

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
            problem = self.tr("must be between {limits}").format(limits=limits_text(spec))
        self.interval.setStyleSheet(BAD_EDIT_STYLE)
        self.set_error("interval", self.tr("Autosave interval {text!r}: {problem}").format(
            text=self.interval.text(), problem=problem))
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
        self.log_activity(self.tr("Autosave on, every {s:g} s").format(s=every) if on
                          else self.tr("Autosave off"))
        self._refresh_chrome()

    def _interval_changed(self) -> None:
        interval = self._typed_interval()
        if interval is not None and interval != self.session.settings.autosave_interval_s:
            self._autosave_changed(self.act_autosave.isChecked())

    def add_folder(self) -> None:
        dialog = AddFolderDialog(self)
        if dialog.exec():
            self.add_folder_path(dialog.path.text().strip())

    def add_folder_path(self, folder: str) -> asyncio.Task[Any]:
        async def go() -> None:
            path = await self.session.add_root(folder)
            self.log_activity(self.tr("Added drafts folder {path}").format(path=path))

        return self.spawn(go(), self.tr("Add folder"))

    def add_url(self) -> None:
        dialog = AddUrlDialog(self.session.validate_draft_url, self)
        if dialog.exec():
            self.add_url_text(dialog.result_url)

    def add_url_text(self, url: str) -> asyncio.Task[Any]:
        async def go() -> None:
            added = await self.session.add_remote(url)
            self.log_activity(self.tr("Added remote draft {url}").format(url=readable(added)))

        return self.spawn(go(), self.tr("Add draft URL"))

    def create_sample(self) -> asyncio.Task[Any]:
        async def go() -> str:
            draft_id = await self.session.create_sample()
            self.log_activity(self.tr("Created sample draft {id}; saving it").format(id=draft_id))
            self.select_key(draft_id)
            await self.session.scheduler.save(draft_id)
            return draft_id

        return self.spawn(go(), self.tr("Create sample draft"))

    def remove_selected(self) -> asyncio.Task[Any] | None:
        """Remove from list (the menu item and the Delete key): undoable from the status
        bar or with Ctrl+Z, and the status bar says the draft is no longer autosaved."""
        keys = self.selected_keys()
        if not keys:
            return None
        names = {k: self.model.status_at(self.model.row_of(k) or 0).info.name for k in keys}

        async def go() -> None:
            for key in keys:
                await self.session.remove(key)
            self._offer_undo(keys, names)

        return self.spawn(go(), self.tr("Remove from list"))

    def _offer_undo(self, keys: list[str], names: dict[str, str]) -> None:
        self._undo_keys = list(keys)
        shown = names[keys[0]] if len(keys) == 1 else self.tr("{n} drafts").format(n=len(keys))
        self.undo_bar.text.setText(self.tr(
            "Removed {name} from the list: no longer autosaved.").format(name=shown))
        self.undo_bar.show()
        self.act_undo.setEnabled(True)
        self._undo_timer.start()

    def _forget_undo(self) -> None:
        self._undo_keys = []
        self.undo_bar.hide()
        self.act_undo.setEnabled(False)

    def undo_remove(self) -> asyncio.Task[Any] | None:
        keys = list(getattr(self, "_undo_keys", []))
        if not keys:
            return None
        self._forget_undo()

        async def go() -> None:
            for key in keys:
                await self.session.unremove(key)
            self.log_activity(self.tr("Back on the list: {names}").format(
                names=", ".join(self.model.status_at(r).info.name for k in keys
                                if (r := self.model.row_of(k)) is not None)))
            if keys:
                self.select_key(keys[0])

        return self.spawn(go(), self.tr("Undo remove"))

    def open_folder(self) -> None:
        keys = self.selected_keys()
        if len(keys) != 1 or self.session.is_remote(keys[0]):
            return
        row = self.model.row_of(keys[0])
        if row is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.model.status_at(row).info.path))

    def ask_pull(self) -> asyncio.Task[Any] | None:
        """Ask which drafts folder and which state (latest, or a version kept here), then
        pull; the dialog opens without a nested event loop."""
        keys = self.selected_keys()
        if len(keys) != 1 or not self.session.is_remote(keys[0]):
            return None
        key = keys[0]
        row = self.model.row_of(key)
        name = self.model.status_at(row).info.name if row is not None else key

        async def go() -> None:
            history = await self.session.history(key)
            kept = [v for v in history if v.reason != "remote" and v.damaged is None]
            dialog = PullDialog(name, self.session.roots, kept, self)
            self.pull_dialog = dialog
            dialog.accepted.connect(lambda: self.pull_selected(*dialog.chosen()))
            dialog.open()

        return self.spawn(go(), self.tr("Pull"))

    def pull_selected(self, root: Path | None = None,
                      version: str | None = None) -> asyncio.Task[Any] | None:
        """Pull the selected remote draft into ``root`` (the first drafts folder unless
        given), its ``version`` or the latest; progress in the status bar, the outcome in
        the activity panel."""
        keys = self.selected_keys()
        if len(keys) != 1 or not self.session.is_remote(keys[0]):
            return None
        key = keys[0]
        row = self.model.row_of(key)
        name = self.model.status_at(row).info.name if row is not None else key
        received = 0

        def progress(n: int) -> None:
            nonlocal received
            received += n
            self.statusBar().showMessage(self.tr("Pulling {name}: {size} received").format(
                name=name, size=human_size(received)))

        async def go() -> None:
            self.statusBar().showMessage(self.tr("Pulling {name}…").format(name=name))
            try:
                result = await self.session.pull(key, root, version, progress=progress)
            finally:
                self.statusBar().clearMessage()
            self.log_activity(self.tr("{name}: pulled into {folder} (version {version}, "
                                      "{files} files)").format(
                name=name, folder=result.folder, version=result.version, files=result.files))
            self.select_key(result.draft_id)  # the pulled draft, now a local one

        self.act_pull.setEnabled(False)
        task = self.spawn(go(), self.tr("Pull"))
        task.add_done_callback(lambda _t: self._update_actions())
        return task

    def show_history(self) -> QDialog | None:
        keys = self.selected_keys()
        if len(keys) != 1:
            return None
        key = keys[0]
        row = self.model.row_of(key)
        assert row is not None
        status = self.model.status_at(row)
        if not status.remote:
            return self.drafts_ui.show_timeline(status)
        dialog = HistoryDialog(status.info.name, status.remote, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        async def load() -> None:
            dialog.show_versions(await self.session.history(key))

        async def restore(version: str) -> None:
            result = await self.session.restore(key, version)
            text = words.plural("MainWindow", "{name}: restored version {version} "
                                "(%n file(s) written)", len(result.written)).format(
                name=status.info.name, version=version_label(version))
            if result.moved_aside:
                text += words.plural("MainWindow", "; %n file(s) moved aside",
                                     len(result.moved_aside))
            self.log_activity(text)
            await load()

        dialog.restore_requested.connect(lambda v: self.spawn(restore(v), self.tr("Restore")))
        dialog.loaded = self.spawn(load(), self.tr("History"))  # type: ignore[attr-defined]
        dialog.show()
        return dialog

    def show_settings(self) -> SettingsDialog:
        """The Settings dialog; only one at a time (a second open raises the first)."""
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return self._settings_dialog
        dialog = SettingsDialog(self.session.settings, [str(r) for r in self.session.roots],
                                self.session.check_settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.apply_requested.connect(lambda changes: self.apply_settings(changes, dialog))
        dialog.finished.connect(lambda _r: setattr(self, "_settings_dialog", None))
        self._settings_dialog = dialog
        dialog.show()
        return dialog

    def apply_settings(self, changes: dict[str, Any],
                       dialog: SettingsDialog | None = None) -> asyncio.Task[Any]:
        """All changes apply, or none: a refusal shows next to its fields in the dialog."""

        async def go() -> None:
            paused = self.paused_until is not None
            try:
                # a pause is not a setting: what is saved is autosave as it was before it
                await self.session.apply_settings(
                    {"autosave_enabled": True, **changes} if paused else changes)
                if paused:
                    self.session.scheduler.set_autosave(False)
            except SettingError as exc:
                if dialog is None:
                    raise
                dialog.show_problems(exc.problems)
                dialog.buttons.setEnabled(True)
                return
            except DraftKeeperError as exc:
                if dialog is None:
                    raise
                dialog.show_error(exc.message)
                return
            self.set_error(self.tr("Settings"), None)
            self._settings_applied()
            self.log_activity(self.tr("Settings saved"))
            if dialog is not None:
                dialog.applied()
            await self.apply_api()  # a refused address is reported like any failed command

        return self.spawn(go(), self.tr("Settings"))

    def _settings_applied(self) -> None:
        s = self.session.settings
        self.act_autosave.blockSignals(True)
        self.act_autosave.setChecked(s.autosave_enabled)
        self.act_autosave.blockSignals(False)
        self.interval.setText(f"{s.autosave_interval_s:g}")
        self.interval.setStyleSheet("")
        self.set_error("interval", None)
        self._show_store_problem()
        self._apply_start_at_login()
        self._refresh_chrome()

    def _apply_start_at_login(self) -> None:
        """The login entry follows the setting when it changes."""
        wanted = self.session.settings.start_at_login
        if wanted == self._start_at_login:
            return
        try:
            autostart.apply(wanted)
        except OSError as exc:
            self.set_error("start at login", self.tr("Start at login: {error}").format(
                error=exc))
            return
        self._start_at_login = wanted
        self.set_error("start at login", None)

    # --- a store that cannot be used -----------------------------------------------------

    def _show_store_problem(self) -> None:
        problem = self.session.store_problem
        if problem is None:
            self.store_banner.hide()
        else:
            self.store_banner.show_problem(problem, str(paths.default_store_dir()))
        for action in (self.act_save, self.act_save_all, self.act_sample):
            action.setVisible(True)
        self._update_actions()

    def choose_store(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Version store"))
        if folder:
            self.use_store(folder)

    def use_store(self, folder: str | None) -> asyncio.Task[Any]:
        """Switch to another store (None: the default); saving starts once it works."""

        async def go() -> None:
            try:
                await self.session.apply_settings({"store_dir": folder})
            except DraftKeeperError as exc:
                problems = getattr(exc, "problems", None)
                text = problems[0].params.get("reason", exc.message) if problems else (
                    exc.message)
                self.store_banner.show_problem(text, str(paths.default_store_dir()))
                return
            self.log_activity(self.tr("Versions are kept in {path}").format(
                path=self.session.settings.store_path()))
            self._settings_applied()

        return self.spawn(go(), self.tr("Version store"))

    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Draft Keeper"),
            self.tr("<h3>Draft Keeper {version}</h3>"
                    "<p>Keeps CapCut / JianYing drafts safe: live save status, autosave, "
                    "versions and restore, locally or through a capcut-mate server.</p>"
                    "<p>Versions: {store}<br>Settings: {settings}<br>Log file: {log}</p>").format(
                version=__version__, store=self.session.settings.store_path(),
                settings=paths.settings_file(), log=logs.log_file()),
        )

    # --- the Local API (the save_draft HTTP API on this loop, through this scheduler) ---

    async def apply_api(self) -> None:
        """Start, restart or stop the Local API to match the settings."""
        from app.core.serve import ApiOptions, ApiServer  # aiohttp only when the API is on

        settings = self.session.settings
        if self.api is not None:
            if settings.api_enabled and self.api.options == ApiOptions.from_settings(settings):
                return
            await self.stop_api()
        if not settings.api_enabled:
            return
        api = ApiServer(self.session)  # refuses an address off loopback without a token
        url = await api.start()
        self.api = api
        if self.api_label is None:
            self.api_label = QLabel()
            self.statusBar().addPermanentWidget(self.api_label)
        self.api_label.setText(self.tr("Local API: {url}").format(url=url))
        self.api_label.show()
        self.log_activity(self.tr("Local API serving save_draft on {url}").format(url=url))

    async def stop_api(self) -> None:
        api, self.api = self.api, None
        if api is None:
            return
        await api.stop()
        if self.api_label is not None:
            self.api_label.hide()
        self.log_activity(self.tr("Local API stopped"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if (not self._quit_ready and not self._quit_requested and not self._closing
                and self.session.settings.close_to_tray and self.tray_available()):
            event.ignore()  # closing the window: Draft Keeper goes on saving in the tray
            self.hide()
            self._tray_notice()
            return
        self._quit_requested = False
        if self._quit_ready and self.api is not None:
            self.spawn(self.stop_api(), self.tr("Local API"))
        super().closeEvent(event)

    def _tray_notice(self) -> None:
        """The first time the window closes to the tray, say so."""
        qs = self._qsettings()
        if qs.value("tray_notice_shown") == "yes":
            return
        qs.setValue("tray_notice_shown", "yes")
        qs.sync()
        self.notify(self.tr("Draft Keeper is still saving"),
                    self.tr("It keeps your drafts safe from the tray. Quit from its menu "
                            "or with Ctrl+Q."), False)

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
