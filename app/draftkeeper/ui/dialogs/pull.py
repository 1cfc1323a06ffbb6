"""Pull into editor: which drafts folder, and which state (the server's latest, or a
version kept here). The window runs the pull once the dialog is accepted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.backend import VersionInfo
from draftkeeper.ui.words.basic import version_label


class PullDialog(QDialog):
    def __init__(self, name: str, roots: list[Path], kept: list[VersionInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pull {name} into the editor").format(name=name))
        self.folder = QComboBox()
        for root in roots:
            self.folder.addItem(str(root), str(root))
        self.version = QComboBox()
        self.version.addItem(self.tr("Latest (asks the server; else the newest kept here)"),
                             None)
        for v in kept:
            self.version.addItem(self.tr("Version {time}").format(time=version_label(v.version)),
                                 v.version)
        hint = QLabel(self.tr("The draft is written into the folder in one step. A draft "
                              "already there is saved as a version first, never overwritten."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pull_button = buttons.addButton(self.tr("Pull"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Drafts folder"), self.folder)
        form.addRow(self.tr("State"), self.version)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch()
        layout.addWidget(buttons)
        self.resize(560, 0)
        hint.setMinimumHeight(hint.heightForWidth(520))  # wrapped text is never clipped

    def chosen(self) -> tuple[Path, str | None]:
        version = self.version.currentData()
        return Path(str(self.folder.currentData())), (str(version) if version else None)
