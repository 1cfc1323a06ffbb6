"""The translation catalogues: extract every string the window translates, update the Qt
Linguist sources in resources/translations/ and build them to .qm (``make translations``).

Strings are found in app/draftkeeper/ui with ``ast``: ``self.tr("…")`` (context: the enclosing
class; PySide6 looks a translation up along the class's MRO, so a mixin's strings keep its
name), ``QCoreApplication.translate("Context", "…")``, and the help text of every setting
(context ``SettingsHelp``, from ``SPECS``). A third argument to ``tr`` (fourth to ``translate``)
makes it a plural (numerus) message. Existing translations are kept; new strings are added
unfinished (the catalogue test then fails until they are translated). Plurals go through
``draftkeeper.ui.words.status.plural("Context", "%n draft(s)", n)`` (numerus messages); English
needs no catalogue: ``plural`` turns the "(s)" into "" or "s".

    python packaging/translations.py          # update the .ts files and build the .qm
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "app" / "draftkeeper" / "ui"
FOLDER = ROOT / "resources" / "translations"
LANGUAGES = {"zh_CN": "draftkeeper_zh_CN.ts"}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    numerus: bool
    where: str  # file:line of the first use


class _Finder(ast.NodeVisitor):
    def __init__(self, where: str) -> None:
        self.where = where
        self.classes: list[str] = []
        self.found: list[Message] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        f = node.func
        args = node.args
        if isinstance(f, ast.Attribute) and f.attr == "tr" and self.classes and args:
            self._add(self.classes[-1], args[0], len(args) >= 3 or _has_n(node), node)
        elif (getattr(f, "id", getattr(f, "attr", "")) == "plural" and len(args) >= 3
              and isinstance(args[0], ast.Constant)):
            self._add(str(args[0].value), args[1], True, node)
        elif (isinstance(f, ast.Attribute) and f.attr == "translate"
              and len(args) >= 2 and isinstance(args[0], ast.Constant)):
            self._add(str(args[0].value), args[1], len(args) >= 4 or _has_n(node), node)
        self.generic_visit(node)

    def _add(self, context: str, arg: ast.expr, numerus: bool, node: ast.Call) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            self.found.append(Message(context, arg.value, numerus,
                                      f"{self.where}:{node.lineno}"))


def _has_n(node: ast.Call) -> bool:
    return any(k.arg == "n" for k in node.keywords)


def extract(folder: Path = UI) -> list[Message]:
    """Every translated string of the window, in order of first use."""
    seen: dict[tuple[str, str, bool], Message] = {}
    for path in sorted(folder.rglob("*.py")):
        finder = _Finder(str(path.relative_to(ROOT)))
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        for m in finder.found:
            seen.setdefault((m.context, m.source, m.numerus), m)
    sys.path.insert(0, str(ROOT))
    from draftkeeper.core.settings.table import SPECS

    for spec in SPECS.values():
        seen.setdefault(("SettingsHelp", spec.help, False),
                        Message("SettingsHelp", spec.help, False,
                                "app/draftkeeper/core/settings/table.py"))
    return list(seen.values())


def read_ts(path: Path) -> dict[tuple[str, str, bool], list[str] | None]:
    """(context, source, numerus) -> translation forms, None when unfinished or empty."""
    found: dict[tuple[str, str, bool], list[str] | None] = {}
    if not path.exists():
        return found
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            numerus = message.get("numerus") == "yes"
            t = message.find("translation")
            if t is None or t.get("type") in ("unfinished", "obsolete", "vanished"):
                forms = None
            elif numerus:
                forms = [f.text or "" for f in t.iter("numerusform")]
            else:
                forms = [t.text or ""]
            if forms is not None and not all(forms):
                forms = None
            found[(name, source, numerus)] = forms
    return found


def write_ts(path: Path, language: str, messages: list[Message],
             translations: dict[tuple[str, str, bool], list[str] | None]) -> int:
    """Write the catalogue; returns the number of unfinished messages."""
    root = ET.Element("TS", version="2.1", language=language)
    contexts: dict[str, ET.Element] = {}
    unfinished = 0
    for m in sorted(messages, key=lambda m: m.context):
        if m.context not in contexts:
            contexts[m.context] = ET.SubElement(root, "context")
            ET.SubElement(contexts[m.context], "name").text = m.context
        message = ET.SubElement(contexts[m.context], "message")
        if m.numerus:
            message.set("numerus", "yes")
        ET.SubElement(message, "location", filename=m.where.split(":")[0],
                      line=m.where.split(":")[1] if ":" in m.where else "0")
        ET.SubElement(message, "source").text = m.source
        t = ET.SubElement(message, "translation")
        forms = translations.get((m.context, m.source, m.numerus))
        if forms is None:
            t.set("type", "unfinished")
            unfinished += 1
        elif m.numerus:
            for form in forms:
                ET.SubElement(t, "numerusform").text = form
        else:
            t.text = forms[0]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")
    return unfinished


def lrelease() -> str:
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "lrelease", "lrelease-qt6"):
        found = shutil.which(name, path=str(here)) or shutil.which(name)
        if found:
            return found
    raise SystemExit("lrelease not found (it comes with PySide6-Essentials: pyside6-lrelease)")


def main() -> int:
    messages = extract()
    for language, name in LANGUAGES.items():
        path = FOLDER / name
        left = write_ts(path, language, messages, read_ts(path))
        print(f"{name}: {len(messages)} messages, {left} unfinished")
    tool = lrelease()
    for ts in sorted(FOLDER.glob("*.ts")):
        subprocess.run([tool, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
