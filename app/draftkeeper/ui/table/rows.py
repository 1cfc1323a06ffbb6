"""The draft table's rows, and the filter's view of them: Qt sees only the rows the
filter lets through, worked out in one Python pass per change (a QSortFilterProxyModel
calls Python once per row: 10,000 rows froze the window for tens of milliseconds at every
key typed in the filter box). Row numbers in this API are of every row; ``shown_row``
gives a row's place in the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from draftkeeper.core.saving.status import DraftStatus, State

AnyIndex = QModelIndex | QPersistentModelIndex


def hay(s: DraftStatus) -> str:
    """What the filter looks in: name, draft id and folder (a line each: a needle from
    the one-line filter box never spans two)."""
    return f"{s.info.name}\n{s.info.draft_id}\n{s.info.root}".lower()


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class FilteredRows(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DraftStatus] = []
        self._row_of: dict[str, int] = {}
        self._hay: list[str] = []  # what the filter matches, per row
        self._needle = ""  # the filter's text, lower case
        self.show_deleted = True
        # the rows the filter lets through, in order (None: every row), and where each is
        # shown (Qt's rows are these)
        self._shown: list[int] | None = None
        self._at: dict[int, int] = {}

    def is_deleted(self, s: DraftStatus) -> bool:
        return not s.remote and s.state is State.MISSING

    def status_at(self, row: int) -> DraftStatus:
        return self._rows[row]

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Rows move, come or go, or the filter lets others through: one layout change
        (the view keeps its selection and current row: persistent indexes follow their
        drafts, or become invalid when the filter hides them)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        keys = [self._rows[self._source(i.row())].key for i in before]
        change()
        self._refilter()
        after = []
        for i, key in zip(before, keys, strict=True):
            row = self._row_of.get(key)
            shown = self.shown_row(row) if row is not None else None
            after.append(self.index(shown, i.column()) if shown is not None else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # --- filtering -----------------------------------------------------------------------

    def set_filter(self, text: str, show_deleted: bool) -> None:
        """Show the rows whose name, draft id or folder holds ``text`` (any case), deleted
        drafts only with ``show_deleted``."""
        needle = text.strip().lower()
        if (needle, show_deleted) == (self._needle, self.show_deleted):
            return

        def change() -> None:
            self._needle, self.show_deleted = needle, show_deleted

        self._relayout(change)

    def _accepts(self, row: int) -> bool:
        if not self.show_deleted and self.is_deleted(self._rows[row]):
            return False
        return self._needle in self._hay[row]

    def _refilter(self) -> None:
        needle = self._needle
        if not needle and self.show_deleted:
            self._shown, self._at = None, {}
            return
        if self.show_deleted:
            self._shown = [i for i, h in enumerate(self._hay) if needle in h]
        else:
            deleted = self.is_deleted
            self._shown = [i for i, (h, s) in enumerate(zip(self._hay, self._rows, strict=True))
                           if needle in h and not deleted(s)]
        self._at = {r: i for i, r in enumerate(self._shown)}

    def shown_row(self, row: int) -> int | None:
        """Where row ``row`` is in the table (None: the filter hides it)."""
        return row if self._shown is None else self._at.get(row)

    def _source(self, shown: int) -> int:
        return shown if self._shown is None else self._shown[shown]

    def total(self) -> int:
        """Every draft listed, those the filter hides too."""
        return len(self._rows)
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._shown) if self._shown is not None else len(self._rows)

