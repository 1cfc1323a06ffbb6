"""Remove from list can be undone (status bar Undo, Ctrl+Z; Delete = the menu item), and
the Activity panel says what happened: one line per event, local times, decoded ids."""

from __future__ import annotations

import asyncio
import calendar
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from draftkeeper.core.saving.status import State
from draftkeeper.ui.words.basic import version_label
from tests.capcut_server import CapcutServer
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot
from tests.ui.test_window import versions_on_disk


def test_delete_key_removes_and_ctrl_z_brings_it_back_autosaved(
        drive: Any, make_window: Any, draft_root: Path, qtbot: Any) -> None:
    async def scenario() -> None:
        # settings within their declared ranges: removing saves the settings file
        window = await make_window(draft_root, autosave_enabled=False, quiet_period_s=0.05,
                                   min_autosave_gap_s=0, scan_interval_s=0.5)
        await until(lambda: window.model.rowCount() == 2)
        sched = window.session.scheduler
        await sched.save(TEMPLATE_ID)
        window.select_key(TEMPLATE_ID)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_Delete)
        await until(lambda: window.model.row_of(TEMPLATE_ID) is None)
        await until(lambda: window.undo_bar.isVisible(), what="the undo offer")
        assert "no longer autosaved" in window.undo_bar.text.text()
        assert window.act_undo.isEnabled()
        window.resize(1180, 500)
        shoot(window, "undo-remove")
        qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: window.model.row_of(TEMPLATE_ID) is not None, what="back")
        assert not window.undo_bar.isVisible()
        assert TEMPLATE_ID not in window.session.settings.ignored_drafts
        # and protected again: a change is picked up by autosave and saved
        bump(draft_root / TEMPLATE_ID / "draft_info.json", b"after undo")
        await sched.refresh()
        assert window.status_text(TEMPLATE_ID) == "Unsaved changes"
        assert TEMPLATE_ID in sched.autosave_due()
        await until(lambda: versions_on_disk(window, TEMPLATE_ID) == 2, what="autosaved")

    drive(scenario)


def test_undo_button_brings_back_a_remote_draft(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.create()
            window = await make_window(autosave_enabled=False)
            await window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            window.select_key(url)
            window.act_remove.trigger()  # the menu item: the same as Delete
            await until(lambda: window.model.row_of(url) is None)
            assert url not in window.session.settings.remote_drafts
            # the row leaves at once; Undo shows once the removal's sweep is done
            await until(lambda: window.undo_bar.isVisible(), what="the Undo button")
            window.undo_bar.button.click()
            await until(lambda: window.model.row_of(url) is not None)
            assert url in window.session.settings.remote_drafts

    drive(scenario)


def test_ctrl_s_on_an_unchanged_draft_says_unchanged(
        drive: Any, make_window: Any, draft_root: Path, qtbot: Any) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        window.select_key(CAPTIONS_ID)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: window.status_text(CAPTIONS_ID).startswith("Saved"))
        version = window.session.local.store.version_ids(CAPTIONS_ID)[-1]
        qtbot.keyClick(window.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        name = window.model.status_at(window.model.row_of(CAPTIONS_ID) or 0).info.name
        want = f"{name}: Unchanged: already saved as version {version_label(version)}"
        await until(lambda: window.activity.lines()[-1:] == [want], what=want)
        assert window.activity.lines() == [
            f"{name}: Saved as version {version_label(version)}", want]
        assert versions_on_disk(window, CAPTIONS_ID) == 1

    drive(scenario)


def test_version_times_are_local_and_match_the_history_dialog(
        drive: Any, make_window: Any, draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        result = await window.session.scheduler.save(TEMPLATE_ID)
        local = version_label(result.version)
        assert local == time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(
            calendar.timegm(time.strptime(result.version[:15], "%Y%m%dT%H%M%S"))))
        assert local != result.version
        await until(lambda: any(local in line for line in window.activity.lines()))
        window.select_key(TEMPLATE_ID)
        dialog = window.show_history()
        assert dialog is not None
        await dialog.loaded  # type: ignore[attr-defined]
        assert dialog.table.item(0, 0).text() == local
        dialog.close()

    drive(scenario)


def test_manual_save_and_autosave_coinciding_log_one_line(
        drive: Any, make_window: Any, draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        sched = window.session.scheduler
        # this is about two saves coinciding: without file-system events, whose delivery
        # of the edit below may come after the saves (on a loaded machine) and rightly
        # show "Unsaved changes" until it is checked (a rewrite in the same clock tick
        # as a save is only told apart by hashing)
        watcher = window.session.watcher
        assert watcher is not None
        await asyncio.to_thread(watcher.stop)
        sched.events = False
        await sched.save(TEMPLATE_ID)
        bump(draft_root / TEMPLATE_ID / "draft_info.json", b"edit")
        await sched.refresh()
        before = len(window.activity.lines())
        manual = window.spawn(sched.save(TEMPLATE_ID), report=False)
        auto = window.spawn(sched.save(TEMPLATE_ID, reason="autosave"), report=False)
        await manual
        await auto
        await until(lambda: sched.status(TEMPLATE_ID).state is State.CLEAN)
        new = window.activity.lines()[before:]
        assert len(new) == 1, new
        assert new[0].endswith(f"Saved as version {version_label(sched.status(TEMPLATE_ID).last_version or '')}")

    drive(scenario)


def test_chinese_remote_ids_are_shown_decoded(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.create("我的草稿")
            assert "%E6" in url
            window = await make_window(autosave_enabled=False)
            await window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            line = window.activity.lines()[-1]
            assert line.endswith("draft_id=我的草稿"), line
            assert window.model.status_at(window.model.row_of(url) or 0).info.name == "我的草稿"

    drive(scenario)


def test_a_burst_of_saves_shows_its_newest_lines_in_order(qapp: Any) -> None:
    """A batch save of thousands of drafts sends a line each, hundreds at a time: the
    panel keeps its newest ACTIVITY_LIMIT lines, in the order they happened, each with
    its version's local time."""
    from draftkeeper.core.backend import DraftInfo
    from draftkeeper.core.saving.status import DraftStatus, StatusEvent
    from draftkeeper.ui.window.activity import ACTIVITY_LIMIT, ActivityPanel

    def status(i: int, state: State, version: str | None) -> DraftStatus:
        info = DraftInfo(draft_id=f"d{i}", name=f"draft {i}", root="/drafts",
                         path=f"/drafts/d{i}", size=1, file_count=1, modified=0.0,
                         draft_url=f"d{i}", remote=False)
        return DraftStatus(f"d{i}", state, info, last_version=version)

    panel = ActivityPanel()
    panel.add("Added drafts folder /drafts")
    version = "20261206T091233.000001Z"
    total = ACTIVITY_LIMIT * 2 + 7
    for i in range(total):
        panel.on_event(StatusEvent(f"d{i}", status(i, State.UNSAVED, None),
                                   status(i, State.SAVING, None)), time.time())  # not news
        panel.on_event(StatusEvent(f"d{i}", status(i, State.SAVING, None),
                                   status(i, State.CLEAN, version)), time.time())
    lines = panel.lines()
    label = version_label(version)
    assert len(lines) == ACTIVITY_LIMIT
    assert lines == [f"draft {i}: Saved as version {label}"
                     for i in range(total - ACTIVITY_LIMIT, total)]
    assert panel.item(0).toolTip() == f"version {version}"  # the newest, on top
    panel.add("Saved all")
    assert panel.lines()[-2:] == [f"draft {total - 1}: Saved as version {label}", "Saved all"]
    panel.deleteLater()
