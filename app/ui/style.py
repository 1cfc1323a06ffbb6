"""Colours and icons for save states, loaded from app.resources (importlib.resources)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.core.scheduler import State

COLOURS: dict[State, str] = {
    State.CLEAN: "#2e7d32",  # green
    State.UNSAVED: "#b26a00",  # amber
    State.QUEUED: "#546e7a",  # blue grey
    State.SAVING: "#1565c0",  # blue
    State.RETRYING: "#d84315",  # deep orange
    State.FAILED: "#c62828",  # red
    State.AT_RISK: "#ad1457",  # crimson: the last save failed (before this start)
    State.MISSING: "#757575",  # grey
    State.LOST: "#6a1b9a",  # purple: the server lost it, the content is kept here
}
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resource_bytes(name: str) -> bytes:
    return (resources.files("app.resources") / "icons" / name).read_bytes()


def colour(state: State) -> QColor:
    return QColor(COLOURS[state])


def _render_svg(data: bytes, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pix


@cache
def state_icon(state: State) -> QIcon:
    data = resource_bytes(f"status-{state.value}.svg")
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_render_svg(data, size))
    return icon


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in APP_ICON_SIZES:
        pix = QPixmap()
        pix.loadFromData(resource_bytes(f"draftkeeper-{size}.png"), "PNG")
        icon.addPixmap(pix)
    return icon
