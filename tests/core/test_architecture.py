"""The package's shape, as the README's "How the code is laid out" says it: which package
may import which (the layering table, read from the README itself so that the two cannot
drift), no import circles, no re-exports, a Qt-free core, small modules and folders, and
every package folder installed."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "app"
PACKAGE = SRC / "draftkeeper"
MAX_LINES = 400
MAX_MODULES = 15
QT = ("PySide6", "qasync", "shiboken6")


@cache
def modules() -> dict[str, Path]:
    """Every module of draftkeeper by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _module_of(name: str) -> str | None:
    """The module an imported dotted name lives in (``a.b.C`` -> ``a.b``)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports() -> dict[str, set[str]]:
    """module -> the draftkeeper modules it imports anywhere: at the top, inside functions
    (lazily) and under TYPE_CHECKING alike, since each is a dependency of the code."""
    out: dict[str, set[str]] = defaultdict(set)
    for name, path in modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # ``from pkg import module`` imports the module; ``from mod import name`` mod
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base
                           for a in node.names]
            for target in targets:
                found = _module_of(target) if target.split(".")[0] == "draftkeeper" else None
                if found and found != name:
                    out[name].add(found)
    return out


@cache
def layering() -> dict[str, set[str]]:
    """The README's layering table: package -> the packages it may import."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`draftkeeper"):
            table[cells[0].strip("`")] = set(re.findall(r"`(draftkeeper[\w.]*\*?)`", cells[2]))
    for allowed in table.values():  # `pkg.*`: pkg and every row below it
        for wide in [a for a in allowed if a.endswith(".*")]:
            allowed.discard(wide)
            allowed.update(r for r in table if r == wide[:-2] or r.startswith(wide[:-1]))
    return table


def below(row: str) -> set[str]:
    """What a row may import: the rows it names, and what those may import (layers)."""
    seen: set[str] = set()
    todo = list(layering()[row])
    while todo:
        other = todo.pop()
        if other not in seen:
            seen.add(other)
            todo.extend(layering().get(other, ()))
    return seen


def layer_of(module: str) -> str:
    """The table's package a module belongs to: the longest row naming it or a parent."""
    rows = [p for p in layering() if module == p or module.startswith(p + ".")]
    assert rows, f"{module} is in no row of the README's layering table"
    return max(rows, key=len)


def test_the_layering_table_is_read_and_is_itself_layered() -> None:
    table = layering()
    assert {"draftkeeper.core", "draftkeeper.core.store", "draftkeeper.ui.window",
            "draftkeeper.cli"} <= set(table)
    for row, allowed in table.items():
        assert allowed <= set(table), f"{row} may import packages the table lacks"
    # no circle among the rows: a layering, bottom to top
    seen: set[str] = set()
    order: list[str] = []

    def visit(row: str, path: tuple[str, ...]) -> None:
        assert row not in path, f"the layering table has a circle: {' -> '.join(path)}"
        if row in seen:
            return
        for below in table[row] - {row}:
            visit(below, (*path, row))
        seen.add(row)
        order.append(row)

    for row in table:
        visit(row, ())


def test_no_package_imports_one_it_may_not() -> None:
    wrong = []
    for module, targets in imports().items():
        mine = layer_of(module)
        for target in targets:
            theirs = layer_of(target)
            if theirs != mine and theirs not in below(mine):
                wrong.append(f"{module} imports {target} ({mine} may not import {theirs})")
    assert wrong == []


def test_no_import_circles() -> None:
    graph = imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in modules():
        if module not in index:
            connect(module)
    assert circles == []


def _defined(path: Path) -> set[str]:
    names: set[str] = set()

    def collect(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(n.id for t in targets for n in ast.walk(t)
                             if isinstance(n, ast.Name))
            elif isinstance(node, ast.If | ast.Try):
                collect(node.body)
                collect(node.orelse)

    collect(ast.parse(path.read_text(encoding="utf-8")).body)
    return names


def test_every_import_names_the_module_that_defines_the_name() -> None:
    """No re-exports: ``from m import x`` only where m defines x (or x is a submodule)."""
    defined = {name: _defined(path) for name, path in modules().items()}
    files = [*PACKAGE.rglob("*.py"), *(REPO / "tests").rglob("*.py"),
             *(REPO / "bench").glob("*.py"), *(REPO / "packaging").glob("*.py")]
    wrong = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ImportFrom) and not node.level and node.module
                    and node.module.split(".")[0] == "draftkeeper"):
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in modules():
                        continue
                    if alias.name not in defined.get(node.module, set()):
                        wrong.append(f"{path.relative_to(REPO)}:{node.lineno}: "
                                     f"{alias.name} is not defined in {node.module}")
    assert wrong == []


def test_core_never_imports_qt() -> None:
    """Statically (every import, lazy ones too) and at run time (what modules pull in)."""
    core = [m for m in modules() if m.startswith("draftkeeper.core")]
    static = []
    for module in core:
        for node in ast.walk(ast.parse(modules()[module].read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            static += [f"{module}: {n}" for n in names if n.split(".")[0] in QT]
    assert static == []
    code = ("import sys\n" + "".join(f"import {m}\n" for m in core)
            + f"print([m for m in sys.modules if m.startswith({QT!r})])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"
    assert len(core) >= 40


def test_modules_and_folders_stay_small() -> None:
    long = {m: n for m, p in modules().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: split them by job"
    crowded = {}
    for folder in {p.parent for p in modules().values()}:
        count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
        if count > MAX_MODULES:
            crowded[str(folder.relative_to(SRC))] = count
    assert crowded == {}, f"folders of over {MAX_MODULES} modules: give them subpackages"


def test_every_package_says_what_it_owns() -> None:
    missing = [m for m, p in modules().items()
               if p.name == "__init__.py" and not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []


def test_the_wheel_lists_every_package_folder() -> None:
    """pyproject lists the packages (data folders too); a new folder must be listed, or the
    installed program lacks it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(SRC).parts) for p in PACKAGE.rglob("__init__.py")}
    data = {".".join(p.relative_to(SRC).parts) for p in PACKAGE.rglob("*")
            if p.is_dir() and p.name != "__pycache__" and not (p / "__init__.py").exists()}
    assert folders | data <= listed
    assert all(p == "draftkeeper" or p.startswith("draftkeeper.") for p in listed)
