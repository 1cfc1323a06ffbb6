"""The draft table's proxy: the model's rows as they are. Sorting and filtering are the
model's (model.py, rows.py): a proxy that filters or sorts calls Python once per row.
An identity proxy maps an index to the model's without asking the model (a
QSortFilterProxyModel asks the model's index(), so its rowCount() and columnCount(), at
every data() call: two thirds of the Python calls of painting a screenful)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIdentityProxyModel, Qt

from draftkeeper.ui.table.model import DraftTableModel


class DraftFilterModel(QIdentityProxyModel):
    """Passes the model's rows through; the filter box and the deleted-drafts switch set
    the model's filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.show_deleted = True

    def _model(self) -> DraftTableModel:
        model = self.sourceModel()
        assert isinstance(model, DraftTableModel)
        return model

    def set_show_deleted(self, show: bool) -> None:
        self.show_deleted = show
        self._model().set_filter(self._text, show)

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self._model().set_filter(self._text, self.show_deleted)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model keeps its rows in this order (see DraftTableModel.sort): rows
        pass through here in that order, filtered only."""
        self._model().sort(column, order)
