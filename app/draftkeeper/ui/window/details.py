"""The draft-manager part of the main window: cover thumbnails, durations and badges in
the list, deleted drafts (shown, or hidden by a switch), and the timeline for History.

Details come from the session (index reads and JSON parsing happen away from this
thread: worker threads, and the parser's processes for big drafts), the rows in view
first; covers are decoded into QImages in a worker thread, only the small thumbnails
become pixmaps here.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections import Counter
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from draftkeeper.core.drafts.details import DraftDetails
from draftkeeper.core.drafts.roots import ROOT_INDEX
from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.host import Host
from draftkeeper.ui.table.columns import THUMB
from draftkeeper.ui.table.model import BADGES, BADGES_ROLE, DURATION, KEY_ROLE, NAME

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView, QWidget

    from draftkeeper.ui.table.filtering import DraftFilterModel
    from draftkeeper.ui.table.model import DraftTableModel
    from draftkeeper.ui.timeline.dialog import TimelineDialog


class DraftsHost(Host, Protocol):
    """What the draft-manager part uses of the main window."""

    @property
    def model(self) -> DraftTableModel: ...
    @property
    def proxy(self) -> DraftFilterModel: ...
    @property
    def table(self) -> QTableView: ...
    @property
    def counts(self) -> Counter[State]: ...
    @property
    def states_known(self) -> bool: ...
    def chrome_soon(self) -> None: ...

ROW_HEIGHT = 40
INDEX_CHECK_MS = 5000
DETAILS_BATCH = 1000  # rows out of view get their details this many at a time
SETTLE_ROWS = 1000  # from this many rows, the start's objects leave the full collections
EARLY_MARGIN_S = 2.0  # file times are coarse on some file systems (FAT: 2 s)
BADGE_COLOURS = {
    "deleted": "#757575",
    "not-in-index": "#b26a00",
    "encrypted": "#5e35b1",
    "timelines": "#00838f",
    "media-offline": "#c62828",
}


def index_stamps(roots: set[str]) -> dict[str, float]:
    """Worker thread: when each root's root_meta_info.json last changed (0: none)."""
    out = {}
    for root in roots:
        try:
            out[root] = os.stat(os.path.join(root, ROOT_INDEX)).st_mtime
        except OSError:
            out[root] = 0.0
    return out


def load_thumb(path: str) -> QImage | None:
    """Worker thread: a cover scaled to a thumbnail and centred in a cover-sized picture
    (QImage is safe off the GUI thread). Every picture of the name column is cover-sized:
    the table's own delegate lays them out alike (no Python per cell when painting)."""
    image = QImage(path)
    if image.isNull():
        return None
    scaled = image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    if scaled.size() == THUMB:
        return scaled
    out = QImage(THUMB, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.drawImage((THUMB.width() - scaled.width()) // 2,
                      (THUMB.height() - scaled.height()) // 2, scaled)
    painter.end()
    return out


class BadgeDelegate(QStyledItemDelegate):
    """Paints badges as small coloured pills."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, tuple[QFont, QFontMetrics]] = {}  # the cell's font -> the pills'
        self._widths: dict[tuple[str, str], int] = {}  # (font, text) -> pill width

    def _font(self, base: QFont) -> tuple[QFont, QFontMetrics]:
        kept = self._fonts.get(base.key())
        if kept is None:
            font = QFont(base)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            font.setBold(True)
            kept = self._fonts[base.key()] = (font, QFontMetrics(font))
        return kept

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        badges = index.data(BADGES_ROLE)
        if not badges:  # (most rows): the cell's background, as every cell's
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font, metrics = self._font(opt.font)
        painter.setFont(font)
        rect = opt.rect
        x = rect.left() + 4
        height = metrics.height() + 4
        y = rect.top() + (rect.height() - height) / 2
        for kind, text in badges:
            width = self._widths.get((font.key(), text))
            if width is None:
                width = self._widths[(font.key(), text)] = metrics.horizontalAdvance(text) + 12
            if x + width > rect.right():
                break
            pill = QRectF(x, y, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(BADGE_COLOURS.get(kind, "#546e7a")))
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x += width + 4
        painter.restore()


def framed(icon: QIcon) -> QPixmap:
    """A cover-sized stand-in: a light frame with the icon in its middle."""
    pix = QPixmap(THUMB)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#cfd8dc"))
    painter.setBrush(QColor("#eceff1"))
    painter.drawRoundedRect(QRectF(0.5, 0.5, THUMB.width() - 1, THUMB.height() - 1), 3, 3)
    side = 20
    icon.paint(painter, (THUMB.width() - side) // 2, (THUMB.height() - side) // 2, side, side)
    painter.end()
    return pix


class DraftsUi:
    """Wires the draft-manager features into the main window (``window``; ``parent`` owns
    the timers and the timeline dialogs)."""

    def __init__(self, window: DraftsHost, parent: QWidget) -> None:
        self.window = window
        self.parent = parent
        self.loaded: asyncio.Task[Any] | None = None  # the latest details load
        self._asked: dict[str, tuple[float, int]] = {}  # key -> (modified, size) asked for
        # rows being checked (listed before the session knew their files): when their
        # details were asked for; files older than that need not be read again
        self._early: dict[str, float] = {}
        self._thumb_of: dict[str, tuple[str, float]] = {}  # key -> cover (path, mtime)
        self._settled = False  # the start's objects are out of the full collections
        table = window.table
        table.setItemDelegateForColumn(BADGES, BadgeDelegate(table))
        window.model.frames = {False: framed(window.model.icon(False)),
                               True: framed(window.model.icon(True))}
        self._inserted: set[str] = set()  # deleted drafts this class put in the list
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        # beside the name: how long it is, and what to know about it (widths: ui/table/columns.py)
        header.moveSection(header.visualIndex(DURATION), NAME + 1)
        header.moveSection(header.visualIndex(BADGES), NAME + 2)
        self.show_deleted = QCheckBox(QCoreApplication.translate("DraftsUi",
                                                                 "Show deleted drafts"))
        self.show_deleted.setChecked(True)
        self.show_deleted.setToolTip(QCoreApplication.translate(
            "DraftsUi",
            "Drafts whose folder the editor deleted, kept in Draft Keeper's versions"))
        self.show_deleted.toggled.connect(window.proxy.set_show_deleted)
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        window.session.scheduler.subscribe_slices(self._on_events)
        # the editor rewrites its index without touching the drafts: look again now and then
        self._index_stamps: dict[str, float] = {}
        self._slow = QTimer(parent)
        self._slow.setInterval(INDEX_CHECK_MS)
        self._slow.timeout.connect(self.refresh)
        self._slow.start()
        self.refresh(include_deleted=True)

    def _on_events(self, events: list[StatusEvent]) -> None:
        for event in events:
            if event.key in self._inserted and event.old is None:
                # the scheduler found the draft again (brought back): it replaces our row
                self._inserted.discard(event.key)
                self.window.counts[State.MISSING] -= 1
            if event.new is None or event.old is None or event.new.info != event.old.info:
                self._timer.start()

    def refresh(self, include_deleted: bool = False) -> asyncio.Task[Any] | None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return None  # the window's loop has stopped (quitting): nothing to show
        self.loaded = self.window.spawn(self._load(include_deleted), "Draft details",
                                        report=False)
        return self.loaded

    async def _load(self, include_deleted: bool) -> None:
        await self._load_details()
        if not include_deleted or not self.window.states_known:
            return  # (while the session starts: the window asks again once it has)
        # drafts the editor deleted come after the drafts on disk: they need the store
        session = self.window.session
        model = self.window.model
        known = {s.key for s in model.listed()}
        for info in await session.deleted_drafts():
            if info.key in known:
                continue
            versions = len(await asyncio.to_thread(
                session.local.store.version_ids, info.draft_id))
            status = DraftStatus(
                key=info.key, state=State.MISSING, info=info,
                detail_kind="folder_gone", last_saved_at=info.modified,
                versions=versions)
            model.on_event(StatusEvent(info.key, None, status))
            self._inserted.add(info.key)
            self.window.counts[State.MISSING] += 1
            self.window.chrome_soon()
        await self._load_details()

    async def _load_details(self) -> None:
        """Details of the rows that need them: the rows in view first, then the others
        in batches, each shown as it comes (the others once the drafts' states are known:
        the session's first sweep comes before them)."""
        model = self.window.model
        rows = [s for s in model.listed() if not s.remote]
        stamps = await asyncio.to_thread(index_stamps, {s.info.root for s in rows})
        if stamps != self._index_stamps:
            self._index_stamps = stamps
            self._asked.clear()  # names, durations and "in the editor's list" may have moved
        checking = model.checking
        for s in rows:
            asked = self._early.get(s.key)
            if asked is not None and s.key not in checking:
                del self._early[s.key]
                if s.info.modified < asked - EARLY_MARGIN_S:  # not touched since: known
                    self._asked[s.key] = (s.info.modified, s.info.size)
        wanted = [s.info for s in rows
                  if self._asked.get(s.key) != (s.info.modified, s.info.size)]
        if not wanted:
            return
        in_view = self._keys_in_view()
        first = [i for i in wanted if i.key in in_view]
        rest = [i for i in wanted if i.key not in in_view]
        if not self.window.states_known:
            rest = []  # while the session's first sweep runs: the rows in view only
        now = time.time()
        for info in first + rest:
            self._asked[info.key] = (info.modified, info.size)
            if info.key in checking:
                self._early[info.key] = now
        batches = [first] if first else []
        batches += [rest[i:i + DETAILS_BATCH] for i in range(0, len(rest), DETAILS_BATCH)]
        for batch in batches:
            details = await self.window.session.draft_details(batch)
            thumbs = await asyncio.to_thread(self._thumbs, details)
            model.set_details(details, {k: QPixmap.fromImage(img) for k, img in thumbs.items()})
        if len(rows) >= SETTLE_ROWS and rest and not self._settled:
            # every row and its details are made: they live as long as the window, so the
            # cyclic collector's full passes leave them out (with 10,000 drafts a full
            # pass took 40-90 ms: a stall while scrolling)
            self._settled = True
            gc.freeze()

    def _keys_in_view(self) -> set[str]:
        """The keys of the rows the table shows now (a screenful)."""
        table, proxy = self.window.table, self.window.proxy
        first = table.rowAt(0)
        if first < 0:
            return set()
        last = table.rowAt(table.viewport().height() - 1)
        last = proxy.rowCount() - 1 if last < 0 else last
        return {proxy.index(r, 0).data(KEY_ROLE) for r in range(first, last + 1)}

    def _thumbs(self, details: dict[str, DraftDetails]) -> dict[str, QImage]:
        """Worker thread: covers that are new or changed since they were loaded."""
        out: dict[str, QImage] = {}
        for key, det in details.items():
            if det.cover is None:
                continue
            try:
                stamp = (det.cover, os.stat(det.cover).st_mtime)
            except OSError:
                continue
            if self._thumb_of.get(key) == stamp:
                continue
            image = load_thumb(det.cover)
            if image is not None:
                out[key] = image
                self._thumb_of[key] = stamp
        return out

    def show_timeline(self, status: DraftStatus) -> TimelineDialog:
        from draftkeeper.ui.timeline.dialog import TimelineDialog

        dialog = TimelineDialog(self.window, status, self.parent)
        dialog.show()
        return dialog
