"""Colours and icons for save states, loaded from draftkeeper.resources (importlib.resources)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from draftkeeper.core.saving.status import State

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
    return (resources.files("draftkeeper.resources") / "icons" / name).read_bytes()


def colour(state: State) -> QColor:
    return QColor(COLOURS[state])


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


MIN_CONTRAST = 4.5


@cache
def _readable(hex_colour: str, backgrounds: tuple[str, ...]) -> QColor:
    base = QColor(hex_colour)
    dark = max(luminance(QColor(b)) for b in backgrounds) < 0.5
    hue, sat, light = base.hslHueF(), base.hslSaturationF(), base.lightnessF()
    step = 0.02 if dark else -0.02  # lighter on a dark palette, darker on a light one
    c = QColor(base)
    while not all(contrast(c, QColor(b)) >= MIN_CONTRAST for b in backgrounds):
        light = min(1.0, max(0.0, light + step))
        c = QColor.fromHslF(hue, sat, light)
        if light in (0.0, 1.0):
            break
    return c


def status_colour(state: State, palette: QPalette) -> QColor:
    """The state's hue, made light or dark enough to read at 4.5:1 on the table's rows
    (base and alternate base) of this palette."""
    backgrounds = (palette.color(QPalette.ColorRole.Base).name(),
                   palette.color(QPalette.ColorRole.AlternateBase).name())
    return _readable(COLOURS[state], backgrounds)


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
