"""Render the application icon's PNGs (16 to 512 px) from resources/icons/draftkeeper.svg.

    .venv/bin/python resources/make_icons.py

Run after changing the SVG; the PNGs are committed (Windows and macOS packaging use them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent / "icons"


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - rendering text/paths needs an app
    renderer = QSvgRenderer(str(ICONS / "draftkeeper.svg"))
    if not renderer.isValid():
        print("draftkeeper.svg does not parse", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        out = ICONS / f"draftkeeper-{size}.png"
        image.save(str(out))
        print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
