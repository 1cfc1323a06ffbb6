from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_core_never_imports_qt() -> None:
    core = REPO / "app" / "draftkeeper" / "core"
    modules = sorted(  # packages (app/draftkeeper/core/store/) are imported through their modules
        ".".join(p.relative_to(core).with_suffix("").parts)
        for p in core.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import sys\n"
        + "".join(f"import draftkeeper.core.{m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.startswith(('PySide6', 'qasync', 'shiboken'))]\n"
        + "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    assert len(modules) >= 8
