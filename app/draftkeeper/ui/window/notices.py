"""Notices over the draft list: a store that cannot be used, and undo of a removal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class ElidedLabel(QLabel):
    """One line of text that shrinks with an ellipsis (the full text in its tooltip
    unless one is set) instead of pushing or overlapping its neighbours."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setWordWrap(False)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.maximumWidth()), hint.height())

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
        painter.end()


class EmptyPage(QWidget):
    """No drafts yet: what the app does, and buttons to start."""

    def __init__(self, actions: list[tuple[str, Callable[[], Any]]]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.title = QLabel(self.tr("No drafts yet"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.text = QLabel(self.tr(
            "Draft Keeper keeps your CapCut and JianYing drafts safe: it saves each draft as a "
            "version you can restore, by a click and automatically in the background.\n"
            "Point it at the folder that holds your drafts, or add a draft that lives on a "
            "capcut-mate server, and its save status shows here live."
        ))
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(640)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.buttons: dict[str, QPushButton] = {}
        for label, slot in actions:
            button = QPushButton(label)
            button.setMinimumHeight(32)
            button.clicked.connect(slot)
            self.buttons[label] = button
            buttons.addWidget(button)
        buttons.addStretch()
        centre = QHBoxLayout()
        centre.addStretch()
        centre.addWidget(self.text)
        centre.addStretch()
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addLayout(centre)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        self.where = QLabel()
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.where.setStyleSheet("color: #666;")
        layout.addSpacing(12)
        layout.addWidget(self.where)
        layout.addStretch(3)


class StoreBanner(QFrame):
    """The version store cannot be used: says why, nothing is being saved, and offers a
    way out. The window stays usable around it."""

    choose = Signal()
    use_default = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("store-banner")
        self.setStyleSheet(
            "#store-banner { background: #fdecea; border: 1px solid #e57373; "
            "border-radius: 4px; } #store-banner QLabel { color: #8e1c1c; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose another store…"))
        self.default_button = QPushButton(self.tr("Use the default store"))
        self.choose_button.clicked.connect(self.choose)
        self.default_button.clicked.connect(self.use_default)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(self.text, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.default_button)
        self.hide()

    def show_problem(self, problem: str, default_store: str) -> None:
        self.text.setText(self.tr(
            "<b>Nothing is being saved: the version store cannot be used.</b><br>{problem}"
        ).format(problem=problem))
        self.default_button.setToolTip(default_store)
        self.show()


class UndoBar(QWidget):
    """'Removed X from the list. [Undo]' in the status bar."""

    undo = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ElidedLabel()
        self.text.setMaximumWidth(360)
        self.button = QPushButton(self.tr("Undo"))
        self.button.setToolTip(self.tr("Put it back on the list and autosave it (Ctrl+Z)"))
        self.button.clicked.connect(self.undo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text)
        row.addWidget(self.button)
        self.hide()
