"""A good desktop citizen: tray, close to tray, keyboard, layout at 1024x640, readable
status colours on a dark palette, a status bar whose texts never overlap."""

from __future__ import annotations

import errno
import json
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.saving.status import State
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.ui.style import MIN_CONTRAST, contrast, status_colour
from draftkeeper.ui.table.model import DRAFT_ID, NAME, STATUS, WHERE
from tests.helpers import bump, make_draft
from tests.ui.conftest import FAST, until
from tests.ui.test_dialogs import shoot


def at_risk_root(tmp_path: Path) -> Path:
    root = tmp_path / "drafts"
    make_draft(root, "ok-draft")
    make_draft(root, "risky-draft")
    log = AttemptLog(tmp_path / "store" / "attempts")
    error = SaveFailed(f"Save failed: no space left on device (errno {errno.ENOSPC})")
    log.append(Attempt.failure("risky-draft", time.time() - 180, "autosave", error))
    return root


def test_tray_follows_the_drafts_and_its_menu(drive: Any, make_window: Any,
                                             tmp_path: Path) -> None:
    root = at_risk_root(tmp_path)

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        tray = window.tray
        await until(lambda: window.model.rowCount() == 2)
        await until(lambda: "at risk" in tray.icon.toolTip())
        assert tray.icon.toolTip() == "Draft Keeper: 1 draft at risk"
        assert [a.text() for a in tray.menu.actions() if a.text()] == [
            "Show window", "Save all", "Pause autosave for 1 hour", "Quit"]
        tray.menu.adjustSize()
        shoot(tray.menu, "tray-menu")
        tray.act_save_all.trigger()  # the menu's Save all saves through the window
        await until(lambda: tray.icon.toolTip() == "Draft Keeper: All drafts saved",
                    what="all saved in the tray")
        bump(root / "ok-draft" / "draft_content.json", b'{"tracks": [1]}')
        await window.session.scheduler.refresh()
        await until(lambda: "Saving 1 draft" in tray.icon.toolTip())
        # pause: autosave rests for an hour, the tooltip says until when
        window.act_autosave.setChecked(True)
        tray.act_pause.trigger()
        assert not window.session.scheduler.settings.autosave_enabled
        assert not window.act_autosave.isChecked()
        assert "Autosave paused until" in tray.icon.toolTip()
        assert not tray.act_pause.isEnabled()
        # settings saved during the pause keep autosave on in the file, and the pause on
        await window.apply_settings({"keep_last": 7})
        saved = json.loads((tmp_path / "settings.json").read_text())
        assert saved["keep_last"] == 7 and saved["autosave_enabled"] is True
        assert not window.session.scheduler.settings.autosave_enabled
        window.resume_autosave()
        assert window.session.scheduler.settings.autosave_enabled
        assert tray.act_pause.isEnabled()

    drive(scenario)


def test_close_to_tray_keeps_saving_and_quit_ends(drive: Any, make_window: Any,
                                                 tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, window_kw={"tray_available": lambda: True},
                                   **FAST)
        shown: list[tuple[str, str, bool]] = []
        window.tray.notify = lambda *n: shown.append(n)
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))
        await until(lambda: window.status_text("d1").startswith("Saved"))
        window.close()
        assert not window.isVisible() and not closed
        assert shown and shown[0][0] == "Draft Keeper is still saving"  # the first time
        # autosave goes on while the window is hidden
        versions = window.session.scheduler.status("d1").versions
        bump(root / "d1" / "draft_content.json", b'{"tracks": [1]}')
        await until(lambda: window.session.scheduler.status("d1").versions > versions,
                    what="an autosave while in the tray")
        window.show()
        window.close()  # the second time: no notice again
        assert len(shown) == 1
        window.tray.act_quit.trigger()  # Quit from the tray: through the quit flow
        await until(lambda: closed, what="the window to quit")

    drive(scenario)


def test_keyboard(drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 1)
        window.select_key("d1")
        window.table.setFocus()
        await until(lambda: window.table.hasFocus())
        QTest.keyClick(window.table, Qt.Key.Key_Tab)
        await until(lambda: QApplication.focusWidget() is not window.table,
                    what="Tab to leave the table")
        QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is window.filter
        QTest.keyClicks(window.filter, "nothing like it")
        assert window.no_match.isVisible()
        assert window.no_match.text() == "No draft matches “nothing like it”."
        window.filter.clear()
        assert not window.no_match.isVisible()
        QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: window._settings_dialog is not None, what="Ctrl+, settings")
        window._settings_dialog.reject()
        window.select_key("d1")
        window.table.setFocus()
        assert [k.toString() for k in window.act_rescan.shortcuts()] == ["F5"]
        QTest.keyClick(window.table, Qt.Key.Key_Return)  # Enter on the table: History
        def history() -> list[QDialog]:
            return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)
                    and w.isVisible() and w.windowTitle().startswith("History of")]

        await until(history, what="Enter to open History")
        for w in history():
            w.close()

    drive(scenario)


def test_every_column_fits_at_1024x640(drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    for draft_id in ("a-rather-long-draft-name-that-is-cut-in-the-table-" + "x" * 40, "short"):
        make_draft(root, draft_id, {"draft_content.json": b'{"tracks": []}',
                                    "draft_meta_info.json": f'{{"draft_name": "{draft_id}"}}'
                                    .encode()})

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        window.resize(1024, 640)
        await until(lambda: window.model.rowCount() == 2)
        table = window.table
        # one folder, every id its name: the draft id and the folder say nothing new
        assert table.isColumnHidden(DRAFT_ID) and table.isColumnHidden(WHERE)
        await until(lambda: table.viewport().width() < 1024)
        QApplication.processEvents()
        assert table.horizontalScrollBar().maximum() == 0
        header = table.horizontalHeader()
        visible = [c for c in range(header.count()) if not table.isColumnHidden(c)]
        assert len(visible) == header.count() - 2
        right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in visible)
        assert right <= table.viewport().width()
        assert header.sectionSize(NAME) >= 150  # the name takes the room that is left
        # a cut name shows in full on hover
        row = window.proxy.mapFromSource(window.model.index(
            window.model.row_of(window.model.statuses()[0].key) or 0, NAME))
        assert window.model.statuses()[0].info.name in str(row.data(Qt.ItemDataRole.ToolTipRole))
        shoot(window, "window-1024x640")
        # the header's menu shows a column, and the choice is remembered
        menu = window.columns.build_menu(window.model.statuses())
        where = next(a for a in menu.actions() if a.text() == "Where")
        where.setChecked(True)
        assert not table.isColumnHidden(WHERE)
        again = await make_window(root, autosave_enabled=False)
        await until(lambda: again.model.rowCount() == 2)
        assert not again.table.isColumnHidden(WHERE) and again.table.isColumnHidden(DRAFT_ID)

    drive(scenario)


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
                         (QPalette.ColorRole.Text, "#e0e0e0"),
                         (QPalette.ColorRole.WindowText, "#e0e0e0"),
                         (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#e0e0e0"),
                         (QPalette.ColorRole.Highlight, "#3d6fb4")):
        p.setColor(role, QColor(colour))
    return p


def test_status_colours_are_readable_on_dark_and_light(drive: Any, make_window: Any,
                                                       tmp_path: Path) -> None:
    light = QApplication.palette()
    for palette in (light, dark_palette()):
        for state in State:
            c = status_colour(state, palette)
            for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
                assert contrast(c, palette.color(role)) >= MIN_CONTRAST, (state, role)
    root = at_risk_root(tmp_path)

    async def scenario() -> None:
        QApplication.setPalette(dark_palette())
        try:
            window = await make_window(root, autosave_enabled=False)
            window.resize(1024, 400)
            await until(lambda: window.model.rowCount() == 2)
            index = window.model.index(window.model.row_of("risky-draft") or 0, STATUS)
            shown = window.model.data(index, Qt.ItemDataRole.ForegroundRole).color()
            assert contrast(shown, QColor("#1e1e1e")) >= MIN_CONTRAST
            shoot(window, "window-dark")
        finally:
            QApplication.setPalette(light)

    drive(scenario)


def test_status_bar_texts_never_overlap(drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        window.resize(1024, 640)
        await until(lambda: window.model.rowCount() == 1)
        window.set_error("x", "A very long error message that goes on " * 8)
        window._offer_undo(["d1"], {"d1": "a draft with a long long long name " * 3})
        await until(lambda: window.undo_bar.isVisible())
        QApplication.processEvents()
        bar = window.statusBar()
        boxes = [(w, w.geometry()) for w in bar.findChildren(QWidget)
                 if w.isVisible() and w.parent() is bar and w.width() > 0]
        assert len(boxes) >= 3
        for i, (a, ra) in enumerate(boxes):
            for b, rb in boxes[i + 1:]:
                assert not ra.intersects(rb), (a, b)
            assert ra.right() <= bar.width()
        labels = [w for w in bar.findChildren(QLabel) if w.isVisible()]
        elided = [w for w in labels if getattr(w, "shown_text", lambda: "")().endswith("…")]
        assert len(elided) == 2  # the long error and the long undo offer, each in its place
        assert window.counts_label.width() > 100 and "1 draft" in window.counts_label.shown_text()
        shoot(bar, "status-bar")

    drive(scenario)


def test_start_at_login_from_settings(drive: Any, make_window: Any, tmp_path: Path,
                                      monkeypatch: Any) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    entry = tmp_path / "xdg" / "autostart" / "draftkeeper.desktop"

    async def scenario() -> None:
        window = await make_window(autosave_enabled=False)
        await window.apply_settings({"start_at_login": True})
        assert entry.is_file()
        await window.apply_settings({"start_at_login": False})
        assert not entry.exists()

    drive(scenario)


def test_an_old_login_entry_is_written_anew_at_start(drive: Any, make_window: Any,
                                                    tmp_path: Path, monkeypatch: Any) -> None:
    """Releases before the package was draftkeeper started the window with ``-m app``:
    with start at login on, opening the window makes the entry start this program."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    entry = tmp_path / "xdg" / "autostart" / "draftkeeper.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nExec=/usr/bin/python3 -m app\n")

    async def scenario() -> None:
        await make_window(autosave_enabled=False, start_at_login=True)
        exec_line = next(line for line in entry.read_text().splitlines()
                         if line.startswith("Exec="))
        assert exec_line.endswith("-m draftkeeper")

    drive(scenario)


def test_missing_xcb_libraries_give_one_clear_line() -> None:
    from draftkeeper.ui.app import missing_platform_packages, platform_message

    have = {"xcb-cursor"}  # the case of the issue: cursor0 there, icccm4 and keysyms1 not

    def find(lib: str) -> str | None:
        return f"lib{lib}.so" if lib in have or lib not in ("xcb-icccm", "xcb-keysyms") else None

    missing = missing_platform_packages({}, "linux", find)
    assert missing == [("libxcb-icccm4", "xcb-util-wm"), ("libxcb-keysyms1", "xcb-util-keysyms")]
    line = platform_message(missing)
    assert "\n" not in line and "apt install libxcb-icccm4 libxcb-keysyms1" in line
    assert "dnf install xcb-util-wm xcb-util-keysyms" in line
    assert missing_platform_packages({"QT_QPA_PLATFORM": "offscreen"}, "linux", find) == []
    assert missing_platform_packages({"WAYLAND_DISPLAY": "wayland-0"}, "linux", find) == []
    assert missing_platform_packages({}, "win32", find) == []


def test_the_window_fits_a_1080p_screen_at_200_percent(drive: Any, make_window: Any,
                                                       tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 1)
        hint = window.minimumSizeHint()
        # 1920x1080 at 200% leaves 960x540 logical pixels, less a panel
        assert hint.width() <= 960 and hint.height() <= 500, hint

    drive(scenario)
