"""The draft table's filter: name, draft id and folder, and deleted drafts shown or not.
Sorting is the source model's (model.py): rows pass through here in its order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from draftkeeper.ui.table.model import KEY_ROLE, SORT_ROLE, AnyIndex, DraftTableModel


class DraftFilterModel(QSortFilterProxyModel):
    """Filters on name, id and where; sorting is the source model's."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        # filterAcceptsRow reads the draft, not a role: no role's change re-filters a row
        # (ticks and details change 10,000 rows' text; a status change still re-filters)
        self.setFilterRole(KEY_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self._text = ""
        self.show_deleted = True

    def set_show_deleted(self, show: bool) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self.show_deleted = show
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.show_deleted = show
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self._text = text.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._text = text.strip()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        text = self._text
        if not text and self.show_deleted:
            return True
        model = self.sourceModel()
        assert isinstance(model, DraftTableModel)
        if not self.show_deleted and model.is_deleted(model.status_at(source_row)):
            return False
        return not text or model.matches(source_row, text.lower())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model keeps its rows in this order (see DraftTableModel.sort): rows
        pass through here in that order, filtered only."""
        model = self.sourceModel()
        assert isinstance(model, DraftTableModel)
        model.sort(column, order)
