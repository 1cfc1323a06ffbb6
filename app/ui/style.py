"""Colours and icons for save states, drawn once and cached."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.core.scheduler import State

COLOURS: dict[State, str] = {
    State.CLEAN: "#2e7d32",  # green
    State.UNSAVED: "#b26a00",  # amber
    State.QUEUED: "#546e7a",  # blue grey
    State.SAVING: "#1565c0",  # blue
    State.RETRYING: "#d84315",  # deep orange
    State.FAILED: "#c62828",  # red
    State.MISSING: "#757575",  # grey
}

GLYPHS: dict[State, str] = {
    State.CLEAN: "check",
    State.UNSAVED: "dot",
    State.QUEUED: "dots",
    State.SAVING: "arrow",
    State.RETRYING: "clock",
    State.FAILED: "cross",
    State.MISSING: "question",
}


def colour(state: State) -> QColor:
    return QColor(COLOURS[state])


@cache
def state_icon(state: State) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_draw(state, size))
    return icon


def _draw(state: State, size: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = colour(state)
    m = size * 0.06
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    pen = QPen(QColor("white"), max(1.5, size * 0.12))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    s = size
    glyph = GLYPHS[state]
    if glyph == "check":
        path = QPainterPath(QPointF(s * 0.28, s * 0.52))
        path.lineTo(s * 0.44, s * 0.68)
        path.lineTo(s * 0.72, s * 0.34)
        p.drawPath(path)
    elif glyph == "dot":
        p.setBrush(QColor("white"))
        p.drawEllipse(QPointF(s / 2, s / 2), s * 0.08, s * 0.08)
    elif glyph == "dots":
        p.setBrush(QColor("white"))
        for x in (0.3, 0.5, 0.7):
            p.drawEllipse(QPointF(s * x, s / 2), s * 0.03, s * 0.03)
    elif glyph == "arrow":
        p.drawLine(QPointF(s / 2, s * 0.28), QPointF(s / 2, s * 0.7))
        p.drawLine(QPointF(s * 0.33, s * 0.53), QPointF(s / 2, s * 0.7))
        p.drawLine(QPointF(s * 0.67, s * 0.53), QPointF(s / 2, s * 0.7))
    elif glyph == "clock":
        p.drawLine(QPointF(s / 2, s / 2), QPointF(s / 2, s * 0.28))
        p.drawLine(QPointF(s / 2, s / 2), QPointF(s * 0.68, s * 0.6))
    elif glyph == "cross":
        p.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
        p.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(s * 0.62))
        p.setFont(font)
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "?")
    p.end()
    return pix


@cache
def app_icon() -> QIcon:
    """A document with a check: Draft Keeper's mark."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#1565c0"))
        p.drawRoundedRect(QRectF(s * 0.16, s * 0.06, s * 0.62, s * 0.84), s * 0.08, s * 0.08)
        p.setBrush(QColor("#e3f2fd"))
        for i in range(3):
            p.drawRect(QRectF(s * 0.26, s * (0.2 + i * 0.12), s * 0.4, s * 0.05))
        p.setBrush(QColor("#2e7d32"))
        p.drawEllipse(QRectF(s * 0.46, s * 0.5, s * 0.48, s * 0.48))
        pen = QPen(QColor("white"), max(1.5, s * 0.07))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath(QPointF(s * 0.58, s * 0.75))
        path.lineTo(s * 0.68, s * 0.85)
        path.lineTo(s * 0.84, s * 0.64)
        p.drawPath(path)
        p.end()
        icon.addPixmap(pix)
    return icon
