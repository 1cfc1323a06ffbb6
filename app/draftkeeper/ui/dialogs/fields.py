"""Editors for settings, derived from their declaration (``SPECS``): limits, unit, help and
default come from there. Typed values are never clamped: a value out of range, or one that
is not a number, is reported next to its field."""

from __future__ import annotations

import typing
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from draftkeeper.core.settings.table import SPECS, Problem, Spec

ERROR_STYLE = "color: #c62828;"
BAD_EDIT_STYLE = "QLineEdit { border: 1px solid #c62828; }"


def choice_labels(name: str) -> dict[str, str]:
    """How a setting's choices read in the window (a language in its own words)."""
    if name == "language":
        return {"auto": QCoreApplication.translate("Settings", "Automatic"),
                "en": "English", "zh": "简体中文"}
    return {}


def _base_type(spec: Spec) -> Any:
    args = [t for t in typing.get_args(spec.type) if t is not type(None)]
    return args[0] if args and typing.get_origin(spec.type) is not list else spec.type


def _number(value: float) -> str:
    return f"{value:g}"


def limits_text(spec: Spec) -> str:
    """'5 – 3600 s', from the declaration."""
    if spec.range is None:
        return ""
    lo, hi = spec.range
    unit = f" {spec.unit}" if spec.unit else ""
    return f"{_number(lo)} – {_number(hi)}{unit}"


class BadValue(Exception):
    """Typed text that is not a value of the field's type (the message is for people)."""


def parse_number(spec: Spec, text: str) -> float | int:
    text = text.strip().replace(",", ".")
    kind = _base_type(spec)
    try:
        value = float(text)
    except ValueError:
        raise BadValue(QCoreApplication.translate("Settings", "Enter a whole number") if kind is int
                       else QCoreApplication.translate("Settings", "Enter a number")) from None
    if kind is int:
        if not value.is_integer():
            raise BadValue(QCoreApplication.translate("Settings", "Enter a whole number"))
        return int(value)
    return value


def problem_text(problem: Problem, labels: dict[str, str]) -> str:
    """Words for one Problem, next to its field."""
    p = problem.params
    if problem.kind == "range":
        spec = SPECS.get(problem.name)
        unit = f" {spec.unit}" if spec is not None and spec.unit else ""
        return QCoreApplication.translate(
            "Settings", "Must be between {min} and {max}{unit}").format(
            min=_number(p["min"]), max=_number(p["max"]), unit=unit)
    if problem.kind == "url":
        return QCoreApplication.translate("Settings", "Not a usable URL: {reason}").format(
            reason=p.get("reason", ""))
    if problem.kind == "order":
        other = labels.get(p["other"], p["other"])
        return QCoreApplication.translate(
            "Settings", "Must not be more than “{other}”").format(other=other)
    if problem.kind == "folder":
        return str(p.get("reason", problem.message))
    if problem.kind == "token":
        return QCoreApplication.translate(
            "Settings", "Use printable ASCII text without spaces")
    if problem.kind == "choice":
        return QCoreApplication.translate("Settings", "Must be one of: {choices}").format(
            choices=", ".join(p["choices"]))
    return problem.message


class SettingField(QObject):
    """One setting in a form: its editor row, an error label under it, its value."""

    def __init__(self, spec: Spec, value: Any, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.label = label
        self.kind = _base_type(spec)
        self.row = QWidget(parent)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        help_text = QCoreApplication.translate("SettingsHelp", spec.help)
        self.editor: QCheckBox | QLineEdit | QComboBox
        if spec.choices is not None:
            self.editor = QComboBox()
            labels = choice_labels(spec.name)
            for choice in spec.choices:
                self.editor.addItem(labels.get(choice, choice), choice)
            self.editor.setCurrentIndex(max(0, self.editor.findData(value)))
            line.addWidget(self.editor)
            line.addStretch()
        elif self.kind is bool:
            self.editor = QCheckBox(label)
            self.editor.setChecked(bool(value))
            line.addWidget(self.editor)
        else:
            self.editor = QLineEdit("" if value is None else (
                _number(value) if self.kind in (int, float) else str(value)))
            self.editor.textChanged.connect(lambda _t: self.show_problem(None))
            line.addWidget(self.editor, 1)
            if spec.range is not None:
                self.editor.setPlaceholderText(limits_text(spec))
                self.editor.setMaximumWidth(120)
                hint = QLabel(limits_text(spec))
                hint.setStyleSheet("color: #666;")
                line.addWidget(hint)
                line.addStretch()
            elif spec.kind == "url":
                self.editor.setPlaceholderText(QCoreApplication.translate(
                    "Settings", "http://host:port (empty: from each draft)"))
            if spec.secret:  # a token or password: never in clear text on the screen
                self.editor.setEchoMode(QLineEdit.EchoMode.Password)
                self.editor.setPlaceholderText(QCoreApplication.translate(
                    "Settings", "empty: none"))
            if spec.kind == "folder":
                self.browse = QPushButton(QCoreApplication.translate("Settings", "Browse…"))
                self.browse.clicked.connect(self._browse)
                line.addWidget(self.browse)
        self.editor.setToolTip(help_text)
        self.error = QLabel(parent)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        column = QVBoxLayout(self.row)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(line)
        column.addWidget(self.error)

    def _browse(self) -> None:
        assert isinstance(self.editor, QLineEdit)
        folder = QFileDialog.getExistingDirectory(self.row, self.label, self.editor.text())
        if folder:
            self.editor.setText(folder)
            self.show_problem(None)

    def value(self) -> Any:
        """The typed value (BadValue when the text is not one); not range-checked here:
        the settings' own checks report that, the same for the window and the CLI."""
        if isinstance(self.editor, QCheckBox):
            return self.editor.isChecked()
        if isinstance(self.editor, QComboBox):
            return self.editor.currentData()
        text = self.editor.text().strip()
        if self.kind in (int, float):
            return parse_number(self.spec, text)
        if not text and type(None) in typing.get_args(self.spec.type):
            return None
        return text.rstrip("/") if self.spec.kind == "url" else text

    def show_problem(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))
        if isinstance(self.editor, QLineEdit):
            self.editor.setStyleSheet(BAD_EDIT_STYLE if text else "")


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label
