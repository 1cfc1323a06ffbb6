"""The main window: the draft table and its filter, over a Session.

The window is made of parts, each a mixin doing one job: the actions, toolbar and menus
(actions.py), the status bar and Activity panel (status.py), the tray and notifications
(tray.py), autosave (autosave.py), the draft commands (commands.py), the dialogs on a draft
(launchers.py), settings, the version store and the Local API (settings_flow.py), and
quitting safely (closing.py); the draft details (details.py) are a part it owns."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core import paths
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.session.session import Session
from draftkeeper.ui.dialogs.pull import PullDialog
from draftkeeper.ui.dialogs.settings import SettingsDialog
from draftkeeper.ui.style import app_icon
from draftkeeper.ui.table.columns import Columns
from draftkeeper.ui.table.filtering import DraftFilterModel
from draftkeeper.ui.table.model import (
    KEY_ROLE,
    NAME,
    STATUS,
    DraftTableModel,
)
from draftkeeper.ui.window.actions import WindowActions
from draftkeeper.ui.window.autosave import AutosaveControls
from draftkeeper.ui.window.closing import FLUSH_DEADLINE_S, QuitDialog, QuitFlow
from draftkeeper.ui.window.commands import DraftCommands
from draftkeeper.ui.window.details import DraftsUi
from draftkeeper.ui.window.early import early_rows
from draftkeeper.ui.window.launchers import DialogLaunchers
from draftkeeper.ui.window.notices import EmptyPage, StoreBanner
from draftkeeper.ui.window.settings_flow import SettingsFlow
from draftkeeper.ui.window.status import WindowStatus
from draftkeeper.ui.window.tray import TrayWiring
from draftkeeper.ui.words.reasons import error_words

if TYPE_CHECKING:
    from draftkeeper.core.serve.server import ApiServer

log = logging.getLogger(__name__)
T = TypeVar("T")


class MainWindow(QuitFlow, WindowActions, WindowStatus, TrayWiring, AutosaveControls,
                 DraftCommands, DialogLaunchers, SettingsFlow, QMainWindow):
    closed = Signal()  # the window really closed (after saving what it could)

    def __init__(self, session: Session, now: Callable[[], float] = time.time,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable
                 ) -> None:
        super().__init__()
        self.tray_available = tray_available
        self._quit_requested = False
        self._start_at_login = session.settings.start_at_login
        self.paused_until: float | None = None
        self.session = session
        self.now = now
        self._tasks: set[asyncio.Task[Any]] = set()
        self.counts: Counter[State] = Counter()
        self._quit_ready = False
        self._closing = False
        self._forced_quit = False
        self._asking = False  # the quit dialog asks (saving before quitting is over)
        self.closing: asyncio.Task[None] | None = None
        self.states_known = True  # False while rows listed early are being checked
        self.quit_waiting: bool | None = None
        self.starting = False  # True from list_early() until session_started()
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
        # the selected draft stays in view while it matches (the list shrinks around it)
        self.filter.textChanged.connect(lambda _t: self.table.scrollTo(self.table.currentIndex()))
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
        self._chrome_timer.timeout.connect(self._chrome_due)

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.model.tick)
        self.ticker.start()

        unsubscribe = session.scheduler.subscribe_slices(self._on_events)
        session.share_listeners.append(self._on_share)

        def unsubscribe_all() -> None:
            unsubscribe()
            if self._on_share in session.share_listeners:
                session.share_listeners.remove(self._on_share)

        self._unsubscribe = unsubscribe_all
        for share in (session.sharing.states().values() if session.sharing else ()):
            self.model.set_share(share)
        self.model.reset(session.scheduler.statuses())
        self.columns.update(self.model.statuses())
        self.counts = Counter(s.state for s in self.model.statuses())
        self.drafts_ui = DraftsUi(self, self)  # covers, badges, deleted drafts, the timeline
        self.filter_row.addWidget(self.drafts_ui.show_deleted)
        self.drafts_ui.show_deleted.toggled.connect(lambda _on: self._show_no_match())
        self._refresh_chrome()
        self._show_store_problem()
        self.resize(1180, 680)
        screen = self.screen()
        if screen is not None:  # small or scaled screens (200%: 960x540 on a 1080p one)
            room = screen.availableGeometry().size()
            self.resize(min(1180, room.width()), min(680, room.height()))
        self._restore_window_state()
        # the login entry is written anew at each start, so that it starts this program the
        # way it is installed now (releases before the package was named draftkeeper wrote
        # ``python -m app``, which no longer starts anything)
        self._start_at_login = False
        self._apply_start_at_login()
        self.api: ApiServer | None = None
        self.api_label: QLabel | None = None
        if session.settings.api_enabled:
            self.spawn(self.apply_api(), self.tr("Local API"))

    async def list_early(self) -> None:
        """Before the session starts (its first sweep reads every draft's files and
        versions): the roots' draft folders as rows being checked, with their details."""
        # from now until session_started(): a quit waits (to save what is at risk), and
        # the details loads leave deleted drafts and rows out of view for later
        self.states_known = False
        self.starting = True
        ignored = set(self.session.settings.ignored_drafts)
        rows = await asyncio.to_thread(early_rows, self.session.roots, ignored)
        self.model.expect(rows)
        self.columns.update(self.model.listed())
        self._refresh_chrome()
        self.drafts_ui.refresh()

    def states_arrived(self) -> asyncio.Task[Any] | None:
        """The first sweep is done: every row's state is known; folders it did not take
        up leave the list. Returns the load of every row's details (the session sets up
        its file-system watches after it)."""
        for status in self.session.scheduler.statuses():  # known without an event
            if self.model.row_of(status.key) is None or status.key in self.model.checking:
                self.model.on_event(StatusEvent(status.key, None, status))
        self.model.drop_unchecked()
        self.counts = Counter(s.state for s in self.model.statuses())
        self.chrome_soon()
        self.states_known = True
        return self.drafts_ui.refresh(include_deleted=True)  # put off while starting

    def session_started(self) -> None:
        """The session has started (its file-system watches are set up after the first
        sweep): a quit asked meanwhile goes on now."""
        if not self.states_known:
            self.states_arrived()
        self.starting = False
        if self.quit_waiting is not None:
            self.request_quit(self.quit_waiting)

    def _empty_page(self) -> QWidget:
        page = EmptyPage([(self.tr("Add drafts folder…"), self.add_folder),
                          (self.tr("Add draft URL…"), self.add_url),
                          (self.tr("Create a sample draft"), self.create_sample)])
        self.empty_title, self.empty_text = page.title, page.text
        self.empty_buttons, self.empty_where = page.buttons, page.where
        return page

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
        shown = self.model.shown_row(row) if row is not None else None
        if shown is None:  # not listed, or the filter hides it
            return
        index = self.proxy.mapFromSource(self.model.index(shown, 0))
        # through the selection model: selectRow() would honour held keyboard modifiers
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)

    def status_text(self, key: str) -> str:
        return str(self.model.cell(key, STATUS))

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def _show_no_match(self) -> None:
        text = self.filter.text().strip()
        none = bool(text) and self.model.total() > 0 and self.proxy.rowCount() == 0
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

    # --- window state across restarts ----------------------------------------------------

    def _qsettings(self) -> QSettings:
        return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _save_window_state(self) -> None:
        qs = self._qsettings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("state", self.saveState())
        qs.setValue("header", self.table.horizontalHeader().saveState())
        self.columns.save(qs)
        qs.sync()

    def _restore_window_state(self) -> None:
        qs = self._qsettings()
        for key, restore in (("geometry", self.restoreGeometry), ("state", self.restoreState),
                             ("header", self.columns.restore_header)):
            value = qs.value(key)
            if isinstance(value, QByteArray):
                restore(value)
