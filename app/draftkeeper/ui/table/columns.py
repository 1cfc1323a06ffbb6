"""The draft table's columns: the name stretches, the others keep a width that fits
1024 px; the draft id and the folder are hidden while they say nothing new (every id is
its name, every draft in one folder); the header's context menu shows or hides any
column, and that choice is remembered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

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

WIDTHS = {DRAFT_ID: 150, WHERE: 180, STATUS: 220, LAST_SAVED: 120, VERSIONS: 70, SIZE: 75,
          DURATION: 70, BADGES: 170}
NAME_MIN = 160


def redundant(statuses: list[DraftStatus]) -> set[int]:
    """Columns that would repeat what the others show."""
    hidden = set()
    if all(s.info.draft_id == s.info.name for s in statuses):
        hidden.add(DRAFT_ID)
    if len({s.info.root for s in statuses}) <= 1:
        hidden.add(WHERE)
    return hidden


class Columns:
    def __init__(self, table: QTableView, settings: Callable[[], QSettings],
                 statuses: Callable[[], list[DraftStatus]]) -> None:
        self.table = table
        self.statuses = statuses
        self.settings = settings
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for col, width in WIDTHS.items():
            table.setColumnWidth(col, width)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        self.menu: QMenu | None = None
        self.chosen: dict[int, bool] = self._load()  # column -> shown, as the user chose
        self.auto_hidden: set[int] = set()

    def _load(self) -> dict[int, bool]:
        qs = self.settings()
        chosen = {}
        for col in range(self.table.model().columnCount()):
            value = qs.value(f"columns/{col}")
            if value in ("shown", "hidden"):
                chosen[col] = value == "shown"
        return chosen

    def update(self, statuses: list[DraftStatus]) -> None:
        """Hide or show the columns as the drafts listed make them useful."""
        self.auto_hidden = redundant(statuses)
        for col in range(self.table.model().columnCount()):
            shown = self.chosen.get(col, col not in self.auto_hidden)
            if col == NAME:
                shown = True
            if self.table.isColumnHidden(col) == shown:
                self.table.setColumnHidden(col, not shown)

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
