"""The Settings dialog: every setting's editor (derived from its declaration), checked as
one transaction; each problem shows next to its field, and nothing applies until all are
valid.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.remote.urls import is_insecure
from draftkeeper.core.saving.status import State
from draftkeeper.core.settings.table import SPECS, Problem, Settings
from draftkeeper.ui.dialogs.fields import BadValue, SettingField, error_label, problem_text
from draftkeeper.ui.style import status_colour
from draftkeeper.ui.words.basic import plural


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
            ("share_url", self.tr("Shared store (S3 URL)")),
            ("share_region", self.tr("Shared store region")),
            ("share_access_key_id", self.tr("Access key id")),
            ("share_secret_access_key", self.tr("Secret access key")),
            ("share_passphrase", self.tr("Team passphrase")),
            ("machine_name", self.tr("This machine's name")),
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
        self.roots_error = error_label()
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
        # the shared store's settings on a page of their own
        share_form = QFormLayout()
        self.share_note = QLabel(self)  # what the bucket holds: plain, or encrypted
        self.share_note.setStyleSheet(
            f"color: {status_colour(State.UNSAVED, self.palette()).name()};")
        self.share_note.setWordWrap(True)
        self.fields: dict[str, SettingField] = {}
        for name, label in shown:
            value = settings.store_path() if name == "store_dir" else getattr(settings, name)
            f = SettingField(SPECS[name], value, label, self)
            self.fields[name] = f
            into = share_form if name.startswith("share_") or name == "machine_name" else form
            into.addRow("" if f.kind is bool else label, f.row)
        share_form.addRow("", self.share_note)
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
        for name in ("share_url", "share_passphrase"):
            editor = self.fields[name].editor
            assert isinstance(editor, QLineEdit)
            editor.textChanged.connect(self._show_share_note)
        self._show_share_note()
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.pages = QTabWidget(self)
        for page_form, title in ((form, self.tr("General")),
                                 (share_form, self.tr("Shared store"))):
            page = QWidget()
            page.setLayout(page_form)
            self.pages.addTab(page, title)
        layout.addWidget(self.pages)
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

    def _show_share_note(self) -> None:
        url, passphrase = (self.fields[name].editor
                           for name in ("share_url", "share_passphrase"))
        assert isinstance(url, QLineEdit) and isinstance(passphrase, QLineEdit)
        if not url.text().strip():
            note = self.tr("No shared store: versions are kept on this computer only.")
        elif passphrase.text():
            note = self.tr("Drafts are encrypted on this computer before they are uploaded; "
                           "every machine of the team needs the same passphrase.")
        else:
            note = self.tr("Without a passphrase the bucket holds plain (compressed) "
                           "contents: whoever can read the bucket can read the drafts.")
        self.share_note.setText(note)

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
        """Each problem next to its field (its page brought up); one not tied to a shown
        field at the bottom."""
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
        self._bring_forward([p.name for p in problems])

    def _bring_forward(self, names: list[str]) -> None:
        """Show the page of the first field named (where a problem is)."""
        for name in names:
            f = self.fields.get(name)
            for i in range(self.pages.count()):
                page = self.pages.widget(i)
                if f is not None and page is not None and page.isAncestorOf(f.row):
                    self.pages.setCurrentIndex(i)
                    return

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
        if bad:
            self._bring_forward(list(bad))
        if problems or bad:
            return
        self.changes = changes
        self.buttons.setEnabled(False)  # until applied, or refused
        self.apply_requested.emit(changes)

    def applied(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()
