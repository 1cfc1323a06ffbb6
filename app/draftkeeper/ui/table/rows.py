"""The draft table's rows, and the filter's view of them: Qt sees only the rows the
filter lets through, worked out in one Python pass per change (a QSortFilterProxyModel
calls Python once per row: 10,000 rows froze the window for tens of milliseconds at every
key typed in the filter box). Row numbers in this API are of every row; ``shown_row``
gives a row's place in the table."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QTimer

from draftkeeper.core.saving.status import DraftStatus, State

AnyIndex = QModelIndex | QPersistentModelIndex
REPAINT_EVERY_S = 0.1  # rows changed in a burst repaint at most this often


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
        # the roles data() answers (the others at once: painting asks ~10 roles a cell),
        # and those whose answers are kept per row while the row's status is the same
        # object: a screenful is ~1,000 data() calls at every scroll step and filter key;
        # forget() (changed details, share states) and dataChanged (the clock) drop them
        self.roles: frozenset[int] = frozenset()
        self.cached: frozenset[int] = frozenset()
        self._cells: dict[str, tuple[DraftStatus, dict[tuple[int, int], Any]]] = {}
        self.dataChanged.connect(self._changed)
        self._repaint_timer = QTimer(self)  # rows changed in a burst of events: one repaint
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.timeout.connect(self._repaint)
        self._dirty: set[str] | None = set()  # their keys (None: every row)
        self._repainted_at = float("-inf")  # (time.monotonic())
        self._repainting = False
        self.checking: set[str] = set()  # rows listed before their state is known

    def _data(self, s: DraftStatus, col: int, role: int) -> Any:
        raise NotImplementedError

    def data(self, index: AnyIndex, role: int = 0) -> Any:  # 0: Qt's DisplayRole
        row, shown = index.row(), self._shown
        if role not in self.roles or row < 0:
            return None
        if shown is not None:
            if row >= len(shown):
                return None
            row = shown[row]
        elif row >= len(self._rows):
            return None
        s = self._rows[row]
        if role not in self.cached:
            return self._data(s, index.column(), role)
        kept = self._cells.get(s.key)
        if kept is None or kept[0] is not s:
            kept = self._cells[s.key] = (s, {})
        cells, at = kept[1], (index.column(), role)
        if at in cells:
            return cells[at]
        value = cells[at] = self._data(s, at[0], role)
        return value

    def repaint_soon(self, key: str | None) -> None:
        """The row of ``key`` (None: every row) repaints once this burst of events is
        over: a batch save changes 10,000 rows twice, a chunk of hundreds at a time, and
        a signal per row kept the window's thread busy for a second."""
        if key is None:
            self._dirty = None
            self._repaint_due()
        else:
            self.repaint_many([key])

    def repaint_many(self, keys: list[str]) -> None:
        """``repaint_soon`` of the rows of ``keys``."""
        if self._dirty is not None:
            self._dirty.update(keys)
        self._repaint_due()

    def _repaint_due(self) -> None:
        """Once this burst is over, and no sooner than ``REPAINT_EVERY_S`` after the last
        repaint (a batch save: a slice of rows every few milliseconds, each a repaint of
        the whole view)."""
        if not self._repaint_timer.isActive():
            wait = self._repainted_at + REPAINT_EVERY_S - time.monotonic()
            self._repaint_timer.start(int(max(0.0, wait) * 1000))

    def _repaint(self) -> None:
        self._repainted_at = time.monotonic()
        dirty, self._dirty = self._dirty, set()
        if dirty is None:
            rows = [0, self.rowCount() - 1]
        else:
            rows = [q for k in dirty if (r := self._row_of.get(k)) is not None
                    and (q := self.shown_row(r)) is not None]
        if rows and rows[-1] >= 0:
            # (their kept cells went with their old statuses: _changed has nothing to drop)
            self._repainting = True
            try:
                self.dataChanged.emit(self.index(min(rows), 0),
                                      self.index(max(rows), self.columnCount() - 1))
            finally:
                self._repainting = False

    def forget(self, key: str) -> None:
        """What was kept of the row's cells is out of date."""
        self._cells.pop(key, None)

    def _changed(self, first: QModelIndex, last: QModelIndex, _roles: Any = ()) -> None:
        if self._repainting:
            return
        if first.row() <= 0 and last.row() >= self.rowCount() - 1:
            self._cells.clear()
            return
        for r in range(first.row(), last.row() + 1):
            self._cells.pop(self._rows[self._source(r)].key, None)

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
        self._at = dict(zip(self._shown, range(len(self._shown)), strict=True))

    def shown_row(self, row: int) -> int | None:
        """Where row ``row`` is in the table (None: the filter hides it)."""
        return row if self._shown is None else self._at.get(row)

    def _source(self, shown: int) -> int:
        return shown if self._shown is None else self._shown[shown]

    def statuses(self) -> list[DraftStatus]:
        """The rows whose status is known (not those still being checked)."""
        if self.checking:
            return [s for s in self._rows if s.key not in self.checking]
        return list(self._rows)

    def listed(self) -> list[DraftStatus]:
        """Every row, those being checked too (their state is a stand-in)."""
        return list(self._rows)

    def total(self) -> int:
        """Every draft listed, those the filter hides too."""
        return len(self._rows)
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._shown) if self._shown is not None else len(self._rows)

