"""Compare a version with the working copy or another version (files with change kind
and sizes; the texts and captions that changed), and Restore as a new draft."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.local.compare import Comparison
from draftkeeper.ui.words.basic import human_size, version_label
from draftkeeper.ui.words.reasons import error_words

if TYPE_CHECKING:
    from draftkeeper.ui.host import Host

KIND_COLOURS = {"added": "#2e7d32", "removed": "#c62828", "modified": "#1565c0"}


class CompareDialog(QDialog):
    def __init__(self, window: Host, key: str, old: str, new: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window_ = window
        against = (self.tr("the draft as it is now") if new is None
                   else self.tr("the version of %1").replace("%1", version_label(new)))
        self.setWindowTitle(self.tr("Compare"))
        self.resize(900, 560)
        self.heading = QLabel(self.tr("The version of %1 compared with %2").replace(
            "%1", version_label(old)).replace("%2", against))
        self.heading.setWordWrap(True)
        self.files = QTableWidget(0, 4)
        self.files.setHorizontalHeaderLabels(
            [self.tr("Change"), self.tr("File"), self.tr("Before"), self.tr("After")])
        self.texts = QTableWidget(0, 3)
        self.texts.setHorizontalHeaderLabels(
            [self.tr("Change"), self.tr("Before"), self.tr("After")])
        for table in (self.files, self.texts):
            table.verticalHeader().hide()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.horizontalHeader().setStretchLastSection(True)
        self.files.setColumnWidth(0, 90)
        self.files.setColumnWidth(1, 420)
        self.files.setColumnWidth(2, 110)
        self.texts.setColumnWidth(0, 90)
        self.texts.setColumnWidth(1, 360)
        self.files_label = QLabel(self.tr("Files"))
        self.texts_label = QLabel(self.tr("Texts and captions"))
        split = QSplitter(Qt.Orientation.Vertical)
        for label, table in ((self.files_label, self.files), (self.texts_label, self.texts)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(label)
            lay.addWidget(table)
            split.addWidget(box)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        self.comparison: Comparison | None = None
        self.loaded = window.spawn(self._load(key, old, new), "Compare")

    async def _load(self, key: str, old: str, new: str | None) -> None:
        self.show_result(await self.window_.session.compare(key, old, new))

    def kind_word(self, kind: str) -> str:
        return {"added": self.tr("Added"), "removed": self.tr("Removed"),
                "modified": self.tr("Changed")}.get(kind, kind)

    def _kind_item(self, kind: str) -> QTableWidgetItem:
        item = QTableWidgetItem(self.kind_word(kind))
        item.setForeground(QBrush(QColor(KIND_COLOURS.get(kind, "#000000"))))
        return item

    def show_result(self, result: Comparison) -> None:
        self.comparison = result
        self.files.setRowCount(len(result.files))
        for row, f in enumerate(result.files):
            self.files.setItem(row, 0, self._kind_item(f.kind))
            self.files.setItem(row, 1, QTableWidgetItem(f.path))
            for col, size in ((2, f.old_size), (3, f.new_size)):
                self.files.setItem(row, col, QTableWidgetItem(
                    human_size(size) if size is not None else "–"))
        self.files_label.setText(
            self.tr("Files: %n changed", "", len(result.files)) if result.files
            else self.tr("Files: no file changed"))
        texts = result.texts or []
        self.texts.setRowCount(len(texts))
        for row, t in enumerate(texts):
            self.texts.setItem(row, 0, self._kind_item(t.kind))
            self.texts.setItem(row, 1, QTableWidgetItem(t.old or ""))
            self.texts.setItem(row, 2, QTableWidgetItem(t.new or ""))
        if result.texts is None:
            self.texts_label.setText(self.tr(
                "Texts and captions: not compared (the draft's content is not readable, "
                "e.g. encrypted)"))
        else:
            self.texts_label.setText(self.tr("Texts and captions: %n changed", "", len(texts))
                                     if texts else self.tr("Texts and captions: none changed"))


class RestoreAsNewDialog(QDialog):
    """Asks for the new draft's folder name; the original is not touched."""

    def __init__(self, window: Host, key: str, name: str, version: VersionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.key = key
        self.version = version
        self.setWindowTitle(self.tr("Restore as a new draft"))
        self.setMinimumWidth(600)
        stamp = time.strftime("%Y-%m-%d %H.%M", time.localtime(version.time))
        self.name_edit = QLineEdit(self.tr("%1 (restored %2)").replace("%1", name).replace(
            "%2", stamp))
        self.name_edit.selectAll()
        intro = QLabel(self.tr(
            "The version of %1 is written into a new draft folder beside the original. "
            "The original draft is not touched.").replace("%1", version_label(version.version)))
        intro.setWordWrap(True)
        note = QLabel(self.tr(
            "How the editor finds it: CapCut and JianYing list drafts from their own index "
            "(root_meta_info.json), which only they write. Close the editor and open it "
            "again so that it looks at its drafts folder. Until it lists the new draft, "
            "Draft Keeper marks it “Not in the editor's list”."))
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Restore as new draft"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("Name of the new draft folder:")))
        layout.addWidget(self.name_edit)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(buttons)
        # word-wrapped labels: the dialog takes the height they need at this width
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.done_task: Any = None

    def submit(self) -> Any:
        name = self.name_edit.text().strip()
        window = self.window_

        async def go() -> None:
            self.ok_button.setEnabled(False)
            try:
                result = await window.session.restore_as_new(self.key, self.version.version,
                                                             name)
            except DraftKeeperError as exc:
                self.problem.setText(error_words(exc))  # the dialog stays: fix the name
                self.problem.show()
                self.ok_button.setEnabled(True)
                return
            window.log_activity(self.tr("Restored the version of %1 as a new draft: %2")
                                .replace("%1", version_label(self.version.version))
                                .replace("%2", result.folder or name))
            self.accept()

        self.done_task = window.spawn(go(), "Restore as new draft")
        return self.done_task
