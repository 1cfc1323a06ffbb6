"""Every word the window shows is translatable, and the Chinese catalogue is complete."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import translations  # noqa: E402

# calls whose string arguments people read: Qt text setters, widgets and actions made
# with a text, message boxes, and the window's own helpers that show text
SINKS = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setPlaceholderText",
    "setWhatsThis", "setTitle", "showMessage", "addMenu", "addAction", "addButton",
    "addTab", "addItem", "addItems", "setHorizontalHeaderLabels", "setHeaderLabels",
    "setLabelText", "setInformativeText", "setDetailedText", "setSuffix",
    "setPrefix", "QAction", "QLabel", "QPushButton", "QCheckBox", "QRadioButton",
    "QGroupBox", "QToolBar", "QDockWidget", "QMenu", "QListWidgetItem", "QMessageBox",
    "information", "warning", "critical", "question", "about", "getExistingDirectory",
    "getOpenFileName", "getSaveFileName", "log_activity", "set_error",
    "_action", "EmptyPage", "notify", "show_problem", "show_error",
}
LETTERS = re.compile(r"[A-Za-z]{2,}")
KEYS = re.compile(r"^((Ctrl|Alt|Shift|Meta)\+)+\S+$|^F\d+$")  # key sequences
KEY_FIRST = {"set_error"}  # the first argument names where an error came from


def _visible(node: ast.AST) -> list[str]:
    """Literal words in an argument: a string, an f-string's text, or a list of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if KEYS.match(node.value):
            return []
        return [node.value] if LETTERS.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return [text] if LETTERS.search(text) else []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [t for e in node.elts for t in _visible(e)]
    if isinstance(node, ast.IfExp):
        return _visible(node.body) + _visible(node.orelse)
    if isinstance(node, ast.BinOp):
        return _visible(node.left) + _visible(node.right)
    return []


def unwrapped(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        if called not in SINKS or (isinstance(f, ast.Attribute)
                                   and getattr(f.value, "id", "") in ("log", "logging")):
            continue
        args = node.args[1:] if called in KEY_FIRST else node.args
        for arg in [*args, *(k.value for k in node.keywords)]:
            found += [f"{name}:{node.lineno}: {t!r}" for t in _visible(arg)]
    return found


def test_the_scan_finds_an_unwrapped_string() -> None:
    code = ("class W:\n def f(self):\n  self.label.setText('Saved')\n"
            "  QLabel(self.tr('Fine'))\n  self.setWindowTitle(f'History of {x}')\n")
    assert unwrapped(code, "x.py") == ["x.py:3: 'Saved'", "x.py:5: 'History of '"]


def test_every_visible_string_in_app_ui_is_wrapped_for_translation() -> None:
    found = []
    for path in sorted((ROOT / "app" / "draftkeeper" / "ui").rglob("*.py")):
        found += unwrapped(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "strings people read, not wrapped in tr():\n" + "\n".join(found)


PLACEHOLDER = re.compile(r"\{[a-z_]*[^}]*\}|%n|%\d")


def test_the_chinese_catalogue_has_every_string_translated() -> None:
    catalogue = translations.read_ts(translations.FOLDER / "draftkeeper_zh_CN.ts")
    missing, unfinished, broken = [], [], []
    for m in translations.extract():
        key = (m.context, m.source, m.numerus)
        if key not in catalogue:
            missing.append(f"{m.where}: {m.context}: {m.source!r}")
        elif catalogue[key] is None:
            unfinished.append(f"{m.context}: {m.source!r}")
        else:
            for form in catalogue[key] or []:
                if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(m.source)):
                    broken.append(f"{m.context}: {m.source!r} -> {form!r}")
    assert not missing, "not in draftkeeper_zh_CN.ts (run make translations):\n" + "\n".join(
        missing)
    assert not unfinished, "unfinished in draftkeeper_zh_CN.ts:\n" + "\n".join(unfinished)
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


@pytest.mark.usefixtures("qapp")
def test_the_shipped_qm_holds_every_translation() -> None:
    translator = QTranslator()
    assert translator.load(str(translations.FOLDER / "draftkeeper_zh_CN.qm"))
    stale = []
    for m in translations.extract():
        got = translator.translate(m.context, m.source, None, 2 if m.numerus else -1)
        if not got:
            stale.append(f"{m.context}: {m.source!r}")
    assert not stale, "draftkeeper_zh_CN.qm is older than the .ts (make translations):\n" + (
        "\n".join(stale))


def test_tr_is_called_on_self_only() -> None:
    """``other.tr("…")`` looks the text up under the other object's class, which the
    catalogue cannot know: use ``self.tr`` or ``QCoreApplication.translate("Context", …)``."""
    found = []
    for path in sorted((ROOT / "app" / "draftkeeper" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "tr"
                    and not (isinstance(node.func.value, ast.Name)
                             and node.func.value.id == "self")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "tr() called on another object:\n" + "\n".join(found)
