"""Dialogs: add folder, add draft URL, history and restore, settings.

Each validates its input through the core and shows the reason in the dialog; nothing is
applied until the input is valid.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.backend import VersionInfo
from app.core.drafts import check_root
from app.core.errors import BadRequest, DraftKeeperError
from app.core.settings import SPECS, Settings
from app.ui.model import human_size

ERROR_STYLE = "color: #c62828;"


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


Spin = TypeVar("Spin", QSpinBox, QDoubleSpinBox)


def _spin(box: Spin, lo: float, hi: float, value: float, suffix: str = "") -> Spin:
    box.setRange(lo, hi)  # type: ignore[arg-type]
    box.setSuffix(suffix)
    box.setValue(value)  # type: ignore[arg-type]
    return box


class _ValidatedDialog(QDialog):
    """OK runs ``check``; a DraftKeeperError keeps the dialog open and shows its message."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)

    def check(self) -> None:
        raise NotImplementedError

    def _try_accept(self) -> None:
        try:
            self.check()
        except DraftKeeperError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.accept()


class AddFolderDialog(_ValidatedDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add drafts folder", parent)
        self.path = QLineEdit()
        self.path.setPlaceholderText("…/com.lveditor.draft or any folder of drafts")
        self.path.setMinimumWidth(420)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A folder whose subfolders are drafts (CapCut, JianYing or "
                                "capcut-mate's output/draft):"))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Drafts folder", self.path.text())
        if folder:
            self.path.setText(folder)

    def check(self) -> None:
        text = self.path.text().strip()
        if not text:
            raise BadRequest("Choose a folder")
        check_root(Path(text).expanduser())


class AddUrlDialog(_ValidatedDialog):
    def __init__(self, validate: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__("Add draft URL", parent)
        self._validate = validate
        self.url = QLineEdit()
        self.url.setPlaceholderText(
            "https://your-server/openapi/capcut-mate/v1/get_draft?draft_id=…")
        self.url.setMinimumWidth(520)
        self.result_url = ""
        layout = QVBoxLayout(self)
        hint = QLabel("The draft_url of a draft on a capcut-mate server. It is saved through "
                      "that server's save_draft API; its server can be overridden in Settings.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.url)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def check(self) -> None:
        self.result_url = self._validate(self.url.text())


class HistoryDialog(QDialog):
    """The versions of one draft; Restore asks first, then runs through the session."""

    restore_requested = Signal(str)  # version id

    def __init__(self, name: str, remote: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remote = remote
        self.setWindowTitle(f"History of {name}")
        self.resize(760, 420)
        self.table = QTableWidget(0, 3 if remote else 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        headers = (["Time", "Outcome", "Message"] if remote
                   else ["Time", "Reason", "Files", "Size", "Files not kept"])
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._ask_restore)
        if remote:
            self.restore_button.setToolTip("Remote drafts are restored on their server")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        close = QPushButton("Close")
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
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(v.time))
            if self.remote:
                cells = [when, v.outcome, v.message]
            else:
                not_kept = ", ".join(v.not_kept) if v.not_kept else ""
                cells = [when, v.reason, str(v.file_count), human_size(v.bytes), not_kept]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.version)
                if col == 0:
                    item.setToolTip(f"version {v.version}")
                self.table.setItem(row, col, item)
        if not versions:
            self.note.setText("No versions yet." if not self.remote else "No saves yet.")
        elif self.remote:
            self.note.setText("Saves of this draft on its server, newest first.")
        else:
            self.note.setText(f"{len(versions)} version(s), newest first.")
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
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(version.time))
        text = (
            f"Restore the version of {when}?\n\n"
            "The draft's current state is saved as a new version first, so this restore "
            "can be undone from this list.\n\n"
            "Close CapCut / JianYing before restoring: an open editor can overwrite the "
            "restored files with what it has in memory."
        )
        if version.not_kept:
            text += (f"\n\n{len(version.not_kept)} media file(s) were not kept in this version "
                     "and stay as they are.")
        if self.confirm(text):
            self.restore_requested.emit(version.version)

    def _confirm_with_box(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Restore version", text,
                          QMessageBox.StandardButton.Cancel, self)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore


class SettingsDialog(_ValidatedDialog):
    """Edits a copy of the settings; ``changes`` holds what to apply once OK is valid."""

    def __init__(self, settings: Settings, roots_shown: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__("Settings", parent)
        self.original = settings
        self.changes: dict[str, Any] = {}
        self.roots = QListWidget()
        self.roots.addItems(settings.roots or roots_shown)
        self.roots.setMinimumHeight(90)
        add_root = QPushButton("Add…")
        add_root.clicked.connect(self._add_root)
        remove_root = QPushButton("Remove")
        remove_root.clicked.connect(lambda: [self.roots.takeItem(self.roots.row(i))
                                             for i in self.roots.selectedItems()])
        root_buttons = QVBoxLayout()
        root_buttons.addWidget(add_root)
        root_buttons.addWidget(remove_root)
        root_buttons.addStretch()
        root_row = QHBoxLayout()
        root_row.addWidget(self.roots, 1)
        root_row.addLayout(root_buttons)

        self.store = QLineEdit(str(settings.store_path()))
        self.interval = _spin(QSpinBox(), 5, 3600, int(settings.autosave_interval_s), " s")
        self.quiet = _spin(QDoubleSpinBox(), 0, 600, settings.quiet_period_s, " s")
        self.keep_last = _spin(QSpinBox(), 1, 10_000, settings.keep_last)
        self.keep_last.setToolTip("Newest versions kept per draft; older ones are thinned to "
                                  "one per hour for a day and one per day for 30 days")
        self.include_media = QCheckBox("Also keep media files (assets/, Resources/, over 64 MiB)")
        self.include_media.setChecked(settings.include_media)
        self.remote_base = QLineEdit(settings.remote_base or "")
        self.remote_base.setPlaceholderText("taken from each draft_url")
        self.connect_timeout = _spin(QDoubleSpinBox(), 0.1, 300, settings.connect_timeout_s, " s")
        self.total_timeout = _spin(QDoubleSpinBox(), 0.1, 3600, settings.total_timeout_s, " s")
        self.max_attempts = _spin(QSpinBox(), 1, 100, settings.max_attempts)

        self.ignored = list(settings.ignored_drafts)
        self.unhide = QPushButton(f"Show {len(self.ignored)} removed draft(s) again")
        self.unhide.setToolTip(", ".join(self.ignored))
        self.unhide.setVisible(bool(self.ignored))  # only when something was removed
        self.unhide.clicked.connect(self._unhide)

        form = QFormLayout()
        form.addRow("Draft folders", root_row)
        form.addRow("", self.unhide)
        form.addRow("Version store", self.store)
        form.addRow("Autosave every", self.interval)
        form.addRow("Quiet period", self.quiet)
        form.addRow("Keep last versions", self.keep_last)
        form.addRow("", self.include_media)
        form.addRow("Remote base URL", self.remote_base)
        form.addRow("Connect timeout", self.connect_timeout)
        form.addRow("Total timeout", self.total_timeout)
        form.addRow("Maximum attempts", self.max_attempts)
        # Local API: on/off and port (address, token and CORS origin: the settings file)
        self.api_enabled = QCheckBox(self.tr("Serve the save_draft API to scripts on this "
                                             "computer"))
        self.api_enabled.setChecked(settings.api_enabled)
        self.api_enabled.setToolTip(SPECS["api_enabled"].help)
        lo, hi = SPECS["api_port"].range or (1, 65535)
        self.api_port = _spin(QSpinBox(), int(lo), int(hi), settings.api_port)
        self.api_port.setPrefix(self.tr("port "))
        self.api_port.setToolTip(SPECS["api_port"].help)
        self.api_port.setEnabled(settings.api_enabled)
        self.api_enabled.toggled.connect(self.api_port.setEnabled)
        api_row = QHBoxLayout()
        api_row.addWidget(self.api_enabled)
        api_row.addWidget(self.api_port)
        api_row.addStretch()
        form.addRow(self.tr("Local API"), api_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

    def _unhide(self) -> None:
        self.ignored = []
        self.unhide.setText("Removed drafts will be listed again")
        self.unhide.setEnabled(False)

    def _add_root(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Drafts folder")
        if folder:
            self.add_root(folder)

    def add_root(self, folder: str) -> None:
        try:
            check_root(Path(folder).expanduser())
        except DraftKeeperError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.roots.addItem(folder)

    def check(self) -> None:
        roots = [self.roots.item(i).text() for i in range(self.roots.count())]
        for root in roots:
            check_root(Path(root).expanduser())
        store = self.store.text().strip()
        changes: dict[str, Any] = {
            "roots": roots,
            "store_dir": store if store and Path(store) != self.original.store_path() else
            self.original.store_dir,
            "autosave_interval_s": float(self.interval.value()),
            "quiet_period_s": float(self.quiet.value()),
            "keep_last": int(self.keep_last.value()),
            "include_media": self.include_media.isChecked(),
            "remote_base": self.remote_base.text().strip().rstrip("/") or None,
            "connect_timeout_s": float(self.connect_timeout.value()),
            "total_timeout_s": float(self.total_timeout.value()),
            "max_attempts": int(self.max_attempts.value()),
            "ignored_drafts": list(self.ignored),
            "api_enabled": self.api_enabled.isChecked(),
            "api_port": int(self.api_port.value()),
        }
        dataclasses.replace(self.original, **changes).validate()
        self.changes = changes
