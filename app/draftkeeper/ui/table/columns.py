"""The draft table's columns: the name stretches and keeps room for a readable name (about
28 characters of the font) before any other column: when the window is narrow (1366×768 at
125 %, a 200 % laptop), the draft id and the folder give up their width first (elided in the
middle), then the status and the last save; the draft id and the folder are hidden while
they say nothing new (every id is its name, every draft in one folder); the header's context
menu shows or hides any column, and that choice is remembered, as are the widths the user
drags (those columns are not narrowed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from draftkeeper.core.saving.status import DraftStatus
from draftkeeper.ui.table.model import (
    BADGES,
    DRAFT_ID,
    DURATION,
    LAST_SAVED,
    NAME,
    SIZE,
    STATUS,
    VERSIONS,
    WHERE,
    column_title,
)

THUMB = QSize(56, 32)  # the cover beside the name: 16:9, like the editor's own covers
# the width each column asks for (pixels); the user's own widths replace these
WIDTHS = {DRAFT_ID: 150, WHERE: 180, STATUS: 220, LAST_SAVED: 120, VERSIONS: 70, SIZE: 75,
          DURATION: 70, BADGES: 170}
NAME_CHARS = 28  # the name keeps room for this many average characters of the font,
NAME_CJK = 14  # and for this many Chinese ones (the names people give their drafts)
# how far a column may be narrowed for the name, in average characters of the font
MIN_CHARS = {DRAFT_ID: 14, WHERE: 14, STATUS: 18, LAST_SAVED: 9}
# who gives up width for the name: the id and the folder (shared between them), then these
NARROWED = ((WHERE, DRAFT_ID), (STATUS, LAST_SAVED))


class MiddleElide(QStyledItemDelegate):
    """Ids and paths keep their start and their end: /home/me/…/com.lveditor.draft"""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def redundant(statuses: list[DraftStatus]) -> set[int]:
    """Columns that would repeat what the others show."""
    hidden = set()
    if all(s.info.draft_id == s.info.name for s in statuses):
        hidden.add(DRAFT_ID)
    if len({s.info.root for s in statuses}) <= 1:
        hidden.add(WHERE)
    return hidden


def fit_widths(room: int, name_min: int, wanted: dict[int, int],
               least: dict[int, int]) -> tuple[dict[int, int], int]:
    """Widths for the shown columns other than the name (``wanted``), narrowed as
    ``NARROWED`` says so that ``room`` keeps ``name_min`` for the name, but never below
    ``least``; and what the name still lacks (0 when it fits)."""
    widths = dict(wanted)
    lack = name_min + sum(widths.values()) - room
    for tier in NARROWED:
        if lack <= 0:
            break
        slack = {c: max(0, widths[c] - least.get(c, widths[c])) for c in tier if c in widths}
        total = sum(slack.values())
        if total == 0:
            continue
        cut = min(lack, total)
        floor = {col: widths[col] - give for col, give in slack.items()}
        for col, give in slack.items():  # shared in proportion to what each can give
            widths[col] -= cut * give // total
        left = cut - sum(wanted[col] - widths[col] for col in slack)
        for col in slack:  # what the rounding left over
            more = min(left, widths[col] - floor[col])
            widths[col] -= more
            left -= more
        lack -= cut
    return widths, max(0, lack)


class Columns(QObject):
    def __init__(self, table: QTableView, settings: Callable[[], QSettings],
                 statuses: Callable[[], list[DraftStatus]]) -> None:
        super().__init__(table)
        self.table = table
        self.statuses = statuses
        self.settings = settings
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for col in (DRAFT_ID, WHERE):
            table.setItemDelegateForColumn(col, MiddleElide(table))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        self.menu: QMenu | None = None
        self.chosen: dict[int, bool] = {}  # column -> shown, as the user chose
        self.wanted: dict[int, int] = dict(WIDTHS)  # column -> width, the user's or ours
        self.sized: set[int] = set()  # columns the user gave a width: never narrowed
        self._load()
        self._quiet = True  # our own resizes are not the user's choice
        for col, width in self.wanted.items():
            table.setColumnWidth(col, width)
        self._quiet = False
        self.auto_hidden: set[int] = set()
        header.sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def _load(self) -> None:
        qs = self.settings()
        for col in range(self.table.model().columnCount()):
            value = qs.value(f"columns/{col}")
            if value in ("shown", "hidden"):
                self.chosen[col] = value == "shown"
            width = qs.value(f"widths/{col}")
            if col in self.wanted and isinstance(width, (int, str)) and str(width).isdigit():
                self.wanted[col] = max(48, int(width))
                self.sized.add(col)

    def save(self, qs: QSettings) -> None:
        """The widths the user gave, for the next start."""
        for col in self.sized:
            qs.setValue(f"widths/{col}", self.wanted[col])

    def restore_header(self, state: QByteArray) -> bool:
        """The header as it was at the last quit (order, sort, hidden), then fitted again:
        its widths were those of that window's size."""
        header = self.table.horizontalHeader()
        self._quiet = True
        try:
            done = header.restoreState(state)
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        finally:
            self._quiet = False
        self.fit()
        return done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, col: int, _old: int, new: int) -> None:
        if not self._quiet and col != NAME and new > 0:  # hiding a column sizes it to 0
            self.wanted[col] = new  # the user dragged it: that is the width it wants now
            self.sized.add(col)

    # --- widths ------------------------------------------------------------------------

    def margin(self) -> int:
        """The space an item view leaves around an item's icon and around its text."""
        return self.table.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1

    def name_min(self) -> int:
        fm = self.table.fontMetrics()
        text = max(NAME_CHARS * fm.averageCharWidth(), NAME_CJK * fm.horizontalAdvance("中"))
        return text + THUMB.width() + 4 * self.margin() + 1

    def least(self) -> dict[int, int]:
        """How far each column may be narrowed; not at all when the user sized it."""
        avg = self.table.fontMetrics().averageCharWidth()
        return {col: chars * avg + 2 * self.margin() for col, chars in MIN_CHARS.items()
                if col not in self.sized}

    def fit(self) -> None:
        """Give the name its room first: narrow the id and folder, then status and last
        saved; when even that is not enough the name keeps its room and the table scrolls."""
        if self._quiet:
            return
        header = self.table.horizontalHeader()
        shown = {col: width for col, width in self.wanted.items()
                 if not self.table.isColumnHidden(col)}
        widths, lack = fit_widths(self.table.viewport().width(), self.name_min(), shown,
                                  self.least())
        self._quiet = True
        try:
            for col, width in widths.items():
                if header.sectionSize(col) != width:
                    header.resizeSection(col, width)
            mode = (QHeaderView.ResizeMode.Interactive if lack
                    else QHeaderView.ResizeMode.Stretch)
            if header.sectionResizeMode(NAME) != mode:
                header.setSectionResizeMode(NAME, mode)
            if lack:
                header.resizeSection(NAME, self.name_min())
        finally:
            self._quiet = False

    # --- shown and hidden --------------------------------------------------------------

    def update(self, statuses: list[DraftStatus]) -> None:
        """Hide or show the columns as the drafts listed make them useful."""
        self.auto_hidden = redundant(statuses)
        self._quiet = True
        try:
            for col in range(self.table.model().columnCount()):
                shown = self.chosen.get(col, col not in self.auto_hidden)
                if col == NAME:
                    shown = True
                if self.table.isColumnHidden(col) == shown:
                    self.table.setColumnHidden(col, not shown)
        finally:
            self._quiet = False
        self.fit()

    def set_shown(self, col: int, shown: bool, statuses: list[DraftStatus]) -> None:
        self.chosen[col] = shown
        qs = self.settings()
        qs.setValue(f"columns/{col}", "shown" if shown else "hidden")
        qs.sync()
        self.update(statuses)

    def build_menu(self, statuses: list[DraftStatus]) -> QMenu:
        menu = QMenu(self.table)
        for col in range(self.table.model().columnCount()):
            action = menu.addAction(column_title(col))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(col))
            action.setEnabled(col != NAME)
            action.toggled.connect(
                lambda on, c=col: self.set_shown(c, on, statuses))
        self.menu = menu
        return menu

    def show_menu(self, pos: QPoint) -> None:
        self.build_menu(self.statuses()).popup(self.table.horizontalHeader().mapToGlobal(pos))
