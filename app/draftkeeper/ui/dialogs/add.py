"""Dialogs that add drafts to the list: a drafts folder, or a draft URL on a capcut-mate
server. Each validates its input through the core and shows the reason in the dialog;
nothing is added until the input is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import BadRequest, DraftKeeperError
from draftkeeper.ui.dialogs.fields import (
    error_label,
)
from draftkeeper.ui.words.reasons import error_words


class _ValidatedDialog(QDialog):
    """OK runs ``check``; a DraftKeeperError keeps the dialog open and shows its message."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = error_label()
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
