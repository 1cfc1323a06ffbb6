"""History as a timeline: local times, why each version exists, what it changed, its
content summary, which version equals the working copy, pins and names; and the actions
on a version (restore, restore as a new draft, restore one file, compare, pin, name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.backend import Summary, VersionInfo
from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.ui.timeline.actions import TimelineActions
from draftkeeper.ui.words.basic import duration_text, human_size, version_label

if TYPE_CHECKING:
    from draftkeeper.ui.host import Host

TIME, WHY, CHANGES, CONTENT, SIZE, MARKS = range(6)
CURRENT_BG = QColor("#e8f5e9")
PINNED_BG = QColor("#fff8e1")


def signed_size(n: int) -> str:
    if n == 0:
        return "±0"
    return ("+" if n > 0 else "−") + human_size(abs(n))


class TimelineDialog(TimelineActions, QDialog):
    """One draft's versions, newest first."""

    def __init__(self, window: Host, status: DraftStatus,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.key = status.key
        self.name = status.info.name
        self.deleted = not status.remote and status.state is State.MISSING
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("History of %1").replace("%1", self.name))
        self.resize(1180, 460)
        self.versions: list[VersionInfo] = []
        self.confirm = self._confirm_with_box

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Why"), self.tr("What changed"), self.tr("Content"),
            self.tr("Size"), ""])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((165, 230, 265, 330, 75, 90)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.compare_selected())

        self.collapse = QCheckBox(self.tr("Collapse runs of autosaves"))
        self.collapse.setToolTip(self.tr(
            "Show only the newest autosave of each run between manual saves and pins"))
        self.collapse.toggled.connect(lambda _on: self._apply_collapse())
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.collapse)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(48)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.restore_button = QPushButton(self.tr("Bring back…") if self.deleted
                                          else self.tr("Restore…"))
        self.restore_button.setToolTip(self.tr("Make the draft's folder hold this version"))
        self.restore_new_button = QPushButton(self.tr("Restore as new draft…"))
        self.restore_new_button.setToolTip(self.tr(
            "Write this version into a new folder beside the original, which stays as it is"))
        self.restore_file_button = QPushButton(self.tr("Restore a file…"))
        self.compare_button = QPushButton(self.tr("Compare"))
        self.compare_button.setToolTip(self.tr(
            "One version selected: with the working copy; two: with each other"))
        self.pin_button = QPushButton(self.tr("Pin…"))
        self.pin_button.setToolTip(self.tr(
            "A pinned version is never thinned by retention; give it a name"))
        close = QPushButton(self.tr("Close"))
        self.restore_button.clicked.connect(self._ask_restore)
        self.restore_new_button.clicked.connect(self.restore_as_new)
        self.restore_file_button.clicked.connect(self.restore_file)
        self.compare_button.clicked.connect(self.compare_selected)
        self.pin_button.clicked.connect(self.toggle_pin)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.restore_button, self.restore_new_button, self.restore_file_button,
                  self.compare_button, self.pin_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._selection_changed()
        self.loaded = self.reload()

    # --- loading -----------------------------------------------------------------------

    def reload(self) -> Any:
        async def load() -> None:
            self.show_versions(await self.window_.session.timeline(self.key))

        self.loaded = self.window_.spawn(load(), "History")
        return self.loaded

    def why(self, v: VersionInfo) -> str:
        if v.restored_from:
            text = self.tr("Restored from %1").replace("%1", version_label(v.restored_from))
        else:
            text = {
                "manual": self.tr("Manual save"),
                "autosave": self.tr("Autosave"),
                "before-restore": self.tr("Before restore"),
                "restored": self.tr("Restored"),
            }.get(v.reason, v.reason)
        if v.label:
            text += f" — “{v.label}”"
        return text

    def changes_text(self, v: VersionInfo) -> str:
        c = v.changes
        if c is None:
            return ""
        parts = []
        if c.modified:
            parts.append(", ".join(c.modified) if len(c.modified) <= 2
                         else self.tr("%n files changed", "", len(c.modified)))
        if c.added:
            parts.append(self.tr("%n added", "", len(c.added)))
        if c.removed:
            parts.append(self.tr("%n removed", "", len(c.removed)))
        if not parts:
            parts.append(self.tr("no file changed"))
        return f"{signed_size(c.bytes_delta)} · " + " · ".join(parts)

    def content_text(self, v: VersionInfo, before: Summary | None) -> str:
        s = v.summary
        if s is None:
            return self.tr("not readable") if v.damaged is None else ""
        text = self.tr("%1 · %2 tracks · %3 segments · %4 texts").replace(
            "%1", duration_text(s.duration_s)).replace("%2", str(s.tracks)).replace(
            "%3", str(s.segments)).replace("%4", str(s.texts))
        if before is not None and s != before:
            moves = []
            if s.texts != before.texts:
                moves.append(self.tr("%1 texts").replace("%1", f"{s.texts - before.texts:+d}"))
            if s.segments != before.segments:
                moves.append(self.tr("%1 segments").replace(
                    "%1", f"{s.segments - before.segments:+d}"))
            if s.duration_s != before.duration_s:
                moves.append(f"{s.duration_s - before.duration_s:+.1f} s")
            if moves:
                text += f" ({', '.join(moves)})"
        return text

    def show_versions(self, versions: list[VersionInfo]) -> None:
        self.versions = versions
        self.table.setRowCount(len(versions))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, v in enumerate(versions):
            before = next((o.summary for o in versions[row + 1:] if o.damaged is None), None)
            marks = []
            if v.current:
                marks.append(self.tr("● Current"))
            if v.pinned:
                marks.append(self.tr("★ Pinned"))
            if v.damaged is not None:
                cells = [version_label(v.version), self.tr("Damaged: %1").replace(
                    "%1", v.damaged), "", "", "", ""]
            else:
                cells = [version_label(v.version), self.why(v), self.changes_text(v),
                         self.content_text(v, before), human_size(v.bytes), " ".join(marks)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.version)
                if col == TIME:
                    item.setToolTip(self.tr("version %1").replace("%1", v.version))
                elif text:
                    item.setToolTip(text)
                if v.current or v.pinned:
                    item.setFont(bold)
                if v.current:
                    item.setBackground(QBrush(CURRENT_BG))
                elif v.pinned:
                    item.setBackground(QBrush(PINNED_BG))
                self.table.setItem(row, col, item)
        if not versions:
            self.intro.setText(self.tr("No versions yet."))
        elif self.deleted:
            self.intro.setText(self.tr(
                "The editor deleted this draft's folder. Its %n version(s) are kept: select "
                "one and choose Bring back to make the folder again.", "", len(versions)))
        else:
            current = any(v.current for v in versions)
            self.intro.setText(self.tr("%n version(s), newest first. ", "", len(versions)) + (
                self.tr("The marked one equals the draft as it is now.") if current else
                self.tr("The draft has changed since the latest version.")))
        self._apply_collapse()
        if versions and not self.table.selectedItems():
            self.select_row(0)
        self._selection_changed()

    def _apply_collapse(self) -> None:
        """Hide all but the newest autosave of each run (pins, manual saves and the
        current version always show)."""
        hide = self.collapse.isChecked()
        in_run = False
        for row, v in enumerate(self.versions):
            plain = v.reason == "autosave" and not v.pinned and not v.current
            self.table.setRowHidden(row, hide and plain and in_run)
            in_run = plain

    def select_row(self, row: int) -> None:
        # through the selection model: selectRow() would honour held keyboard modifiers
        # (Ctrl toggles the row off again)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().select(self.table.model().index(row, 0), flags)

    def selected(self) -> list[VersionInfo]:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        return [self.versions[r] for r in rows if self.versions[r].damaged is None]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        one = len(chosen) == 1
        self.restore_button.setEnabled(one)
        self.restore_new_button.setEnabled(one)
        self.restore_file_button.setEnabled(one and not self.deleted)
        self.compare_button.setEnabled(len(chosen) == 2 or (one and not self.deleted))
        self.pin_button.setEnabled(one)
        if one:
            self.pin_button.setText(self.tr("Unpin") if chosen[0].pinned else self.tr("Pin…"))
            c = chosen[0].changes
            lines = []
            if c is not None:
                for label, paths in ((self.tr("Changed"), c.modified),
                                     (self.tr("Added"), c.added),
                                     (self.tr("Removed"), c.removed)):
                    if paths:
                        lines.append(f"{label}: {', '.join(paths[:8])}"
                                     + (" …" if len(paths) > 8 else ""))
            if chosen[0].not_kept:
                lines.append(self.tr("%n media file(s) not kept in this version", "",
                                     len(chosen[0].not_kept)))
            self.detail.setText("\n".join(lines) or self.tr("Nothing changed in the files."))
        else:
            self.detail.setText("")
