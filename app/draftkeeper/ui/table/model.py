"""The draft table: one row per draft, fed by the scheduler's status events, sorted here
(filtered by rows.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from draftkeeper.core.drafts.details import DraftDetails
from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.style import state_icon, status_colour
from draftkeeper.ui.table.rows import AnyIndex, FilteredRows, hay, runs
from draftkeeper.ui.table.sharing import ShareStates
from draftkeeper.ui.words.basic import ago, duration_text, human_size, local_time, plural
from draftkeeper.ui.words.reasons import status_error
from draftkeeper.ui.words.status import describe

COLUMNS = ("Name", "Draft ID", "Where", "Status", "Last saved", "Versions", "Size",
           "Duration", "Notes")
NAME, DRAFT_ID, WHERE, STATUS, LAST_SAVED, VERSIONS, SIZE, DURATION, BADGES = range(
    len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
BADGES_ROLE = Qt.ItemDataRole.UserRole + 3  # [(kind, text)] for the badge painter
RESORT_MS = 50
ROLES = frozenset({Qt.ItemDataRole.DisplayRole, SORT_ROLE, KEY_ROLE, BADGES_ROLE,
                   Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
                   Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole})
CACHED = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
                    Qt.ItemDataRole.TextAlignmentRole, BADGES_ROLE})
# the columns whose sort values a status change moves (the others: its info and details)
BY_STATUS = frozenset({STATUS, LAST_SAVED, VERSIONS, BADGES})
STATE_ORDER = {s: i for i, s in enumerate(
    [State.FAILED, State.AT_RISK, State.LOST, State.MISSING, State.RETRYING, State.SAVING,
     State.QUEUED, State.UNSAVED, State.CLEAN]
)}


def column_title(col: int) -> str:
    titles = (
        QCoreApplication.translate("DraftTable", "Name"),
        QCoreApplication.translate("DraftTable", "Draft ID"),
        QCoreApplication.translate("DraftTable", "Where"),
        QCoreApplication.translate("DraftTable", "Status"),
        QCoreApplication.translate("DraftTable", "Last saved"),
        QCoreApplication.translate("DraftTable", "Versions"),
        QCoreApplication.translate("DraftTable", "Size"),
        QCoreApplication.translate("DraftTable", "Duration"),
        QCoreApplication.translate("DraftTable", "Notes"),
    )
    return titles[col]


class DraftTableModel(ShareStates, FilteredRows):
    def __init__(self, now: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self.now = now
        style = QApplication.style()
        self._local_icon: QIcon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._remote_icon: QIcon = style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon)
        self.details: dict[str, DraftDetails] = {}
        self.thumbs: dict[str, QPixmap] = {}
        self.frames: dict[bool, QPixmap] = {}  # remote? -> stand-in where there is no cover
        # the rows are kept in the table's sort order here, by a Python sort over kept sort
        # values: a proxy that sorted 10,000 rows would call back into Python ~300,000 times
        # (a cleared filter froze the window for most of a second)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._keys: dict[int, list[Any]] = {}  # column -> each row's sort value
        self._resort_timer = QTimer(self)  # changes that move rows: one re-sort per burst
        self._resort_timer.setSingleShot(True)
        self._resort_timer.setInterval(RESORT_MS)
        self._resort_timer.timeout.connect(self._resort)
        self.share = {}  # sharing.py
        self.roles, self.cached = ROLES, CACHED  # rows.py: data()
        self._brushes: dict[tuple[State, int, int], QBrush] = {}

    def icon(self, remote: bool) -> QIcon:
        return self._remote_icon if remote else self._local_icon

    def set_details(self, details: dict[str, DraftDetails], thumbs: dict[str, QPixmap]) -> None:
        """Covers, durations and badges arrived (computed away from this thread). Only
        their rows and columns change, with roles that neither filter nor re-sort by
        name (the proxy re-checks 10,000 rows through Python otherwise)."""
        self.details.update(details)
        self.thumbs.update(thumbs)
        for key in details.keys() | thumbs.keys():
            self._cells.pop(key, None)
        rows = [r for k in details.keys() | thumbs.keys()
                if (r := self._row_of.get(k)) is not None]
        for r in rows:
            self._rekey(r)
        if self._sort is not None and self._sort[0] == DURATION and rows:
            self._resort_timer.start()
        rows = sorted(q for r in rows if (q := self.shown_row(r)) is not None)
        display = Qt.ItemDataRole.DisplayRole
        for first, last in runs(rows):
            self.dataChanged.emit(self.index(first, NAME), self.index(last, NAME),
                                  [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])
            self.dataChanged.emit(self.index(first, DURATION), self.index(last, BADGES),
                                  [display, SORT_ROLE, BADGES_ROLE, Qt.ItemDataRole.ToolTipRole])

    def badges(self, s: DraftStatus) -> list[tuple[str, str]]:
        det = self.details.get(s.key)
        out: list[tuple[str, str]] = []
        if self.is_deleted(s):
            out.append(("deleted", self.tr("Deleted")))
        if det is None or s.remote:
            return out
        words = {
            "not-in-index": self.tr("Not in the editor's list"),
            "encrypted": self.tr("Encrypted"),
            "timelines": self.tr("Timelines layout"),
        }
        out += [(b, words[b]) for b in det.badges if b in words]
        if det.missing_media:
            out.append(("media-offline", self.tr("Media offline: %n", "", det.missing_media)))
        return out

    # --- feeding ---------------------------------------------------------------------

    def reset(self, statuses: list[DraftStatus]) -> None:
        self.beginResetModel()
        self._cells.clear()
        self._rows = list(statuses)
        self._row_of = {s.key: i for i, s in enumerate(self._rows)}
        self._keys = {}
        self._hay = [hay(s) for s in self._rows]
        order = self._order()
        if order is not None:
            self._permute(order)
        self._refilter()
        self.endResetModel()

    def expect(self, statuses: list[DraftStatus]) -> None:
        """Rows listed before the scheduler knows them: shown as being checked (their
        state is a stand-in) until their first status event arrives."""
        if self._rows:
            return  # the scheduler was first
        self.checking = {s.key for s in statuses}
        self.reset(statuses)

    def drop_unchecked(self) -> None:
        """The scheduler has listed every draft: rows it did not take up leave."""
        for key in list(self.checking):
            self.on_event(StatusEvent(key, None, None))
        self.checking.clear()

    def on_event(self, event: StatusEvent) -> None:
        self.on_events([event])

    def on_events(self, events: list[StatusEvent]) -> None:
        """Status changes (a slice of a batch's drafts at once): a row changed in place
        repaints once the burst is over (a batch save changes 10,000 rows twice)."""
        changed: list[str] = []
        for event in events:
            key, new = event.key, event.new
            checked = key in self.checking
            self.checking.discard(key)
            row = self._row_of.get(key)
            if new is None or row is None:
                self._comes_or_goes(row, new)
                continue
            old, self._rows[row] = self._rows[row], new
            if new.info is not old.info:
                self._hay[row] = hay(new)
            if self._rekey(row, new.info is old.info):
                self._resort_timer.start()
            if self._shown is not None and (row in self._at) != self._accepts(row):
                self._relayout(lambda: None)  # it was deleted, or is back: shown or hidden
            elif checked:  # the start's first sweep (10,000 rows): one repaint of them all
                self.repaint_soon(None)
            else:
                changed.append(key)
        if changed:
            self.repaint_many(changed)

    def _comes_or_goes(self, row: int | None, new: DraftStatus | None) -> None:
        """A row leaves the list (``new`` None) or joins it (``row`` None)."""
        if new is not None:
            if self._shown is not None:  # filtered: the shown rows are worked out again
                self._relayout(lambda: self._append(new))
            else:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
                self._append(new)
                self.endInsertRows()
            if self._sort is not None:
                self._resort_timer.start()  # to its place in the order, with any others
        elif row is not None and self._shown is not None:
            gone = row
            self._relayout(lambda: self._remove(gone))
        elif row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._remove(row)
            self.endRemoveRows()

    def _remove(self, row: int) -> None:
        del self._rows[row]
        del self._hay[row]
        self._row_of = {s.key: i for i, s in enumerate(self._rows)}
        self._keys = {}

    def _append(self, new: DraftStatus) -> None:
        self._row_of[new.key] = len(self._rows)
        self._rows.append(new)
        self._hay.append(hay(new))
        for col, keys in self._keys.items():
            keys.append(self._sort_value(new, col))

    def tick(self) -> None:
        """Relative times and countdowns moved on: repaint those two columns."""
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, STATUS), self.index(self.rowCount() - 1, LAST_SAVED),
                [Qt.ItemDataRole.DisplayRole],
            )

    def sort_key(self, row: int, col: int) -> Any:
        """The value column ``col`` of ``row`` sorts by (as its SORT_ROLE data)."""
        keys = self._keys.get(col)
        if keys is None:
            keys = self._keys[col] = [self._sort_value(s, col) for s in self._rows]
        return keys[row]

    def _rekey(self, row: int, same_info: bool = False) -> bool:
        """Sort values of a changed row (``same_info``: only its status changed, not its
        name, folder or size); whether the column sorted by moved."""
        moved = False
        for col, keys in self._keys.items():
            if same_info and col not in BY_STATUS:
                continue
            value = self._sort_value(self._rows[row], col)
            if self._sort is not None and col == self._sort[0] and keys[row] != value:
                moved = True
            keys[row] = value
        return moved

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order) if column >= 0 else None
        self._resort()

    def _order(self) -> list[int] | None:
        """The rows' order by the sort column (stable), or None when it is the order now."""
        if self._sort is None or not self._rows:
            return None
        col, order = self._sort
        self.sort_key(0, col)  # makes the column's values
        keys = self._keys[col]
        new = sorted(range(len(self._rows)), key=keys.__getitem__,
                     reverse=order == Qt.SortOrder.DescendingOrder)
        return None if all(i == r for i, r in enumerate(new)) else new

    def _permute(self, new: list[int]) -> None:
        """Row ``new[i]`` becomes row ``i``."""
        self._rows = [self._rows[r] for r in new]
        self._hay = [self._hay[r] for r in new]
        self._keys = {c: [keys[r] for r in new] for c, keys in self._keys.items()}
        self._row_of = {s.key: i for i, s in enumerate(self._rows)}

    def _resort(self) -> None:
        self._resort_timer.stop()
        new = self._order()
        if new is not None:
            self._relayout(lambda: self._permute(new))

    def cell(self, key: str, col: int) -> Any:
        """What the table shows of a draft in column ``col`` (shown or not)."""
        return self._data(self._rows[self._row_of[key]], col, Qt.ItemDataRole.DisplayRole)

    # --- QAbstractTableModel ---------------------------------------------------------

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(section)
        return None

    def _brush(self, state: State) -> QBrush:
        """The state's colour (one brush per state and palette)."""
        palette = QApplication.palette()
        at = (state, palette.color(QPalette.ColorRole.Base).rgba(),
              palette.color(QPalette.ColorRole.AlternateBase).rgba())
        brush = self._brushes.get(at)
        if brush is None:
            brush = self._brushes[at] = QBrush(status_colour(state, palette))
        return brush

    def _data(self, s: DraftStatus, col: int, role: int) -> Any:
        if s.key in self.checking and col in (STATUS, LAST_SAVED, VERSIONS, SIZE):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Checking…") if col == STATUS else ""
            return None if role != SORT_ROLE else self._sort_value(s, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == SORT_ROLE:
            return self._sort_value(s, col)
        if role == KEY_ROLE:
            return s.key
        if role == BADGES_ROLE and col == BADGES:
            return self.badges(s)
        if role == Qt.ItemDataRole.DecorationRole:
            if col == STATUS:
                return state_icon(s.state)
            if col == NAME:
                thumb = self.thumbs.get(s.key)
                if thumb is not None:
                    return thumb
                frames = self.frames.get(s.remote)
                if frames is not None:  # the icon centred in a cover-sized frame
                    return frames
                return self._remote_icon if s.remote else self._local_icon
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS:
            return self._brush(s.state)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_deleted(s):
            # a deleted draft reads as a missing one
            return self._brush(State.MISSING)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (VERSIONS, SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, s: DraftStatus, col: int) -> str:
        if col == NAME:
            return s.info.name
        if col == DRAFT_ID:
            return s.info.draft_id
        if col == WHERE:
            return s.info.root
        if col == STATUS:
            return self.status_text(s)
        if col == LAST_SAVED:
            return ago(self.now() - s.last_saved_at) if s.last_saved_at else (
                QCoreApplication.translate("DraftTable", "never"))
        if col == VERSIONS:
            if s.remote:
                return plural("DraftTable", "%n save(s)", s.versions)
            return str(s.versions)
        if col == SIZE:
            return human_size(s.info.size) if not s.remote else "–"
        if col == DURATION:
            det = self.details.get(s.key)
            return duration_text(det.duration_s) if det and det.duration_s is not None else ""
        if col == BADGES:
            return " · ".join(text for _kind, text in self.badges(s))
        return ""

    def _sort_value(self, s: DraftStatus, col: int) -> Any:
        if col == STATUS:
            return STATE_ORDER[s.state]
        if col == LAST_SAVED:
            return s.last_saved_at or 0.0
        if col == VERSIONS:
            return s.versions
        if col == SIZE:
            return s.info.size
        if col == DURATION:
            det = self.details.get(s.key)
            return det.duration_s if det and det.duration_s is not None else -1.0
        return self._display(s, col).lower()

    def _tooltip(self, s: DraftStatus, col: int) -> str | None:
        if col == STATUS and s.key in self.share and s.state is State.CLEAN:
            return self.status_text(s)  # the column may cut it
        if col == STATUS and (s.error is not None or s.error_message):
            # the whole status (the column may cut it), and why when it does not say so
            text, why = describe(s, self.now()), status_error(s)
            return text if why in text else f"{text}\n{why}"
        if col == LAST_SAVED and s.last_saved_at:
            return local_time(s.last_saved_at)
        if col == WHERE:
            return s.info.path
        if col == NAME:  # the full name (a cut one shows here), and where it lives
            where = (QCoreApplication.translate("DraftTable", "Remote draft on {where}")
                     if s.remote else
                     QCoreApplication.translate("DraftTable", "Local draft in {where}"))
            det = self.details.get(s.key)
            edited = ""
            if det is not None and det.edited_at:
                edited = "\n" + self.tr("Last edited in the editor: %1").replace(
                    "%1", det.edited_at.replace("T", " ")[:19])
            return f"{s.info.name}\n{where.format(where=s.info.root)}{edited}"
        if col == BADGES and self.is_deleted(s):
            return self.tr("The editor deleted this draft's folder; its versions are kept. "
                           "Open History to bring it back.")
        return None
