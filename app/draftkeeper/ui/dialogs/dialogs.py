"""Dialogs: add folder, add draft URL, history and restore, settings.

Each validates its input through the core and shows the reason in the dialog; nothing is
applied until the input is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import BadRequest, DraftKeeperError, error_from_record
from draftkeeper.core.remote.urls import is_insecure
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import SPECS, Problem, Settings
from draftkeeper.ui.dialogs.fields import ERROR_STYLE, BadValue, SettingField, problem_text
from draftkeeper.ui.style import status_colour
from draftkeeper.ui.words.basic import human_size, local_time, plural
from draftkeeper.ui.words.reasons import error_words


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


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
            self.error.setText(error_words(exc))
            self.error.show()
            return
        self.accept()


class AddFolderDialog(_ValidatedDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add drafts folder"), parent)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("…/com.lveditor.draft or any folder of drafts"))
        self.path.setMinimumWidth(420)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("A folder whose subfolders are drafts (CapCut, JianYing "
                                        "or capcut-mate's output/draft):")))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Drafts folder"), self.path.text())
        if folder:
            self.path.setText(folder)

    def check(self) -> None:
        text = self.path.text().strip()
        if not text:
            raise BadRequest(self.tr("Choose a folder"))
        check_root(Path(text).expanduser())


class AddUrlDialog(_ValidatedDialog):
    def __init__(self, validate: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add draft URL"), parent)
        self._validate = validate
        self.url = QLineEdit()
        self.url.setPlaceholderText(
            self.tr("https://your-server/openapi/capcut-mate/v1/get_draft?draft_id=…"))
        self.url.setMinimumWidth(520)
        self.result_url = ""
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("The draft_url of a draft on a capcut-mate server. It is saved "
                              "through that server's save_draft API; its server can be "
                              "overridden in Settings."))
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


class SettingsDialog(QDialog):
    """Edits the settings as one transaction. OK checks every field (through ``check``,
    the session's own checks) and shows each problem next to its field; only when all are
    valid is ``apply_requested`` emitted. The window applies the changes and closes the
    dialog when they took effect (``applied``), or shows why not (``show_problems``)."""

    apply_requested = Signal(dict)

    def __init__(self, settings: Settings, roots_shown: list[str],
                 check: Callable[[dict[str, Any]], list[Problem]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.original = settings
        self._check = check
        self.changes: dict[str, Any] = {}
        # the settings shown, in order: one line each (name, label); limits, unit, help and
        # default come from the declaration in app/draftkeeper/core/settings/table.py
        shown = [
            ("store_dir", self.tr("Version store")),
            ("autosave_interval_s", self.tr("Autosave every")),
            ("quiet_period_s", self.tr("Quiet period")),
            ("keep_last", self.tr("Keep last versions")),
            ("include_media", self.tr("Also keep media files (assets/, Resources/, big files)")),
            ("remote_base", self.tr("Remote base URL")),
            ("remote_token", self.tr("Remote server token")),
            ("connect_timeout_s", self.tr("Connect timeout")),
            ("total_timeout_s", self.tr("Total timeout")),
            ("max_attempts", self.tr("Maximum attempts")),
            ("max_requests_per_server", self.tr("Requests per server")),
            ("api_enabled", self.tr("Serve the save_draft API to scripts on this computer")),
            ("api_port", self.tr("Local API port")),
            ("language", self.tr("Language (after a restart)")),
            ("close_to_tray", self.tr("Closing the window keeps saving in the system tray")),
            ("start_at_login", self.tr("Start Draft Keeper when I log in")),
        ]
        self.labels = {name: label for name, label in shown}
        self.labels["roots"] = self.tr("Draft folders")

        self.roots = QListWidget()
        self.roots.addItems(settings.roots or roots_shown)
        self.roots.setMinimumHeight(90)
        add_root = QPushButton(self.tr("Add…"))
        add_root.clicked.connect(self._add_root)
        remove_root = QPushButton(self.tr("Remove"))
        remove_root.clicked.connect(lambda: [self.roots.takeItem(self.roots.row(i))
                                             for i in self.roots.selectedItems()])
        root_buttons = QVBoxLayout()
        root_buttons.addWidget(add_root)
        root_buttons.addWidget(remove_root)
        root_buttons.addStretch()
        root_row = QHBoxLayout()
        root_row.addWidget(self.roots, 1)
        root_row.addLayout(root_buttons)
        self.roots_error = _error_label()
        roots_box = QVBoxLayout()
        roots_box.addLayout(root_row)
        roots_box.addWidget(self.roots_error)

        self.ignored = list(settings.ignored_drafts)
        self.unhide = QPushButton(plural("SettingsDialog", "Show %n removed draft(s) again",
                                         len(self.ignored)))
        self.unhide.setToolTip(", ".join(self.ignored))
        self.unhide.setVisible(bool(self.ignored))  # only when something was removed
        self.unhide.clicked.connect(self._unhide)

        form = QFormLayout()
        form.addRow(self.labels["roots"], roots_box)
        form.addRow("", self.unhide)
        self.fields: dict[str, SettingField] = {}
        for name, label in shown:
            value = settings.store_path() if name == "store_dir" else getattr(settings, name)
            f = SettingField(SPECS[name], value, label, self)
            self.fields[name] = f
            form.addRow("" if f.kind is bool else label, f.row)
        self.token_note = QLabel(self)  # where the token goes: none, or readable on the way
        # one short line (a wrapped label is not given its height in this form); more in
        # its tooltip
        self.token_note.setStyleSheet(
            f"color: {status_colour(State.UNSAVED, self.palette()).name()};")
        token_row = self.fields["remote_token"].row.layout()
        assert token_row is not None
        token_row.addWidget(self.token_note)
        for name in ("remote_base", "remote_token"):
            editor = self.fields[name].editor
            assert isinstance(editor, QLineEdit)
            editor.textChanged.connect(self._show_token_note)
        self._show_token_note()
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 0)

    def _show_token_note(self) -> None:
        base, token = (self.fields[name].editor for name in ("remote_base", "remote_token"))
        assert isinstance(base, QLineEdit) and isinstance(token, QLineEdit)
        note = more = ""
        if token.text().strip() and not base.text().strip():
            note = self.tr("Sent to no server until a remote base URL is set")
            more = self.tr("The token goes only to the remote base server.")
        elif token.text().strip() and is_insecure(base.text().strip()):
            note = self.tr("Sent over plain http: anyone on the network can read it")
            more = self.tr("Use https to reach another computer, or only a network you "
                           "trust.")
        self.token_note.setText(note)
        self.token_note.setToolTip(more)
        self.token_note.setVisible(bool(note))

    def _unhide(self) -> None:
        self.ignored = []
        self.unhide.setText(self.tr("Removed drafts will be listed again"))
        self.unhide.setEnabled(False)

    def _add_root(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Drafts folder"))
        if folder:
            self.add_root(folder)

    def add_root(self, folder: str) -> None:
        try:
            check_root(Path(folder).expanduser())
        except DraftKeeperError as exc:
            self.roots_error.setText(exc.message)
            self.roots_error.show()
            return
        self.roots_error.hide()
        self.roots.addItem(folder)

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The changes as typed, and the fields whose text is no value of their type (with
        why): those are left out of the changes."""
        changes: dict[str, Any] = {
            "roots": [self.roots.item(i).text() for i in range(self.roots.count())],
            "ignored_drafts": list(self.ignored),
        }
        bad: dict[str, str] = {}
        for name, f in self.fields.items():
            try:
                changes[name] = f.value()
            except BadValue as exc:
                bad[name] = str(exc)
        store = changes.get("store_dir")
        if not store or Path(store).expanduser() == self.original.store_path():
            changes["store_dir"] = self.original.store_dir  # unchanged: keep it as it was
        return changes, bad

    def show_problems(self, problems: list[Problem]) -> None:
        """Each problem next to its field; one not tied to a shown field at the bottom."""
        for f in self.fields.values():
            f.show_problem(None)
        self.roots_error.hide()
        self.error.hide()
        rest: list[str] = []
        for problem in problems:
            text = problem_text(problem, self.labels)
            if problem.name in self.fields:
                shown = self.fields[problem.name].error.text()
                self.fields[problem.name].show_problem(f"{shown}\n{text}" if shown else text)
            elif problem.name == "roots":
                self.roots_error.setText(text)
                self.roots_error.show()
            else:
                rest.append(problem.message)
        if rest:
            self.show_error("\n".join(rest))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.buttons.setEnabled(True)

    def _try_accept(self) -> None:
        changes, bad = self.collect()
        problems = self._check(changes)
        self.show_problems(problems)
        for name, text in bad.items():
            self.fields[name].show_problem(text)
        if problems or bad:
            return
        self.changes = changes
        self.buttons.setEnabled(False)  # until applied, or refused
        self.apply_requested.emit(changes)

    def applied(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()
