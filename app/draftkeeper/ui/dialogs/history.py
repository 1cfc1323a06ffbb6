"""The history of a remote draft: the versions of its content kept here and the record of
its save attempts, with restore.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.errors import error_from_record
from draftkeeper.ui.words.basic import human_size, local_time, plural
from draftkeeper.ui.words.reasons import error_words


class HistoryDialog(QDialog):
    """The versions of one draft; Restore asks first, then runs through the session."""

    restore_requested = Signal(str)  # version id

    def __init__(self, name: str, remote: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remote = remote
        self.setWindowTitle(self.tr("History of {name}").format(name=name))
        self.resize(760, 420)
        self.table = QTableWidget(0, 3 if remote else 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        headers = ([self.tr("Time"), self.tr("Outcome"), self.tr("Message")] if remote
                   else [self.tr("Time"), self.tr("Reason"), self.tr("Files"), self.tr("Size"),
                         self.tr("Files not kept")])
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._ask_restore)
        if remote:
            self.restore_button.setToolTip(self.tr("Remote drafts are restored on their server"))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.versions: list[VersionInfo] = []
        self.confirm: Callable[[str], bool] = self._confirm_with_box

    def show_versions(self, versions: list[VersionInfo]) -> None:
        self.versions = versions
        self.table.setRowCount(len(versions))
        for row, v in enumerate(versions):
            when = local_time(v.time)
            if self.remote:
                failed = v.outcome == "failed"
                cells = [when, self.tr("failed") if failed else self.tr("saved"),
                         error_words(error_from_record(v.error)) if failed and v.error
                         else v.message if failed else self.tr("Saved")]
            else:
                not_kept = ", ".join(v.not_kept) if v.not_kept else ""
                cells = [when, v.reason, str(v.file_count), human_size(v.bytes), not_kept]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.version)
                if col == 0:
                    item.setToolTip(self.tr("version {id}").format(id=v.version))
                self.table.setItem(row, col, item)
        if not versions:
            self.note.setText(self.tr("No versions yet.") if not self.remote
                              else self.tr("No saves yet."))
        elif self.remote:
            self.note.setText(self.tr("Saves of this draft on its server, newest first."))
        else:
            self.note.setText(plural("HistoryDialog", "%n version(s), newest first.",
                                     len(versions)))
        self._selection_changed()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(not self.remote and bool(self.table.selectedItems()))

    def selected_version(self) -> VersionInfo | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.versions[rows.pop()] if len(rows) == 1 else None

    def _ask_restore(self) -> None:
        version = self.selected_version()
        if version is None:
            return
        when = local_time(version.time)
        text = self.tr(
            "Restore the version of {when}?\n\n"
            "The draft's current state is saved as a new version first, so this restore "
            "can be undone from this list.\n\n"
            "Close CapCut / JianYing before restoring: an open editor can overwrite the "
            "restored files with what it has in memory."
        ).format(when=when)
        if version.not_kept:
            text += "\n\n" + plural(
                "HistoryDialog", "%n media file(s) not kept in this version stay as they are.",
                len(version.not_kept))
        if self.confirm(text):
            self.restore_requested.emit(version.version)

    def _confirm_with_box(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore version"), text,
                          QMessageBox.StandardButton.Cancel, self)
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore
