"""The window, offscreen, driven from coroutines on the qasync loop."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester

from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.ui.table.model import DRAFT_ID, KEY_ROLE, NAME
from draftkeeper.ui.window.window import MainWindow
from draftkeeper.ui.words.status import describe
from tests.capcut_server import CapcutServer, Fault
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, make_draft, read_tree
from tests.ui.conftest import FAST, until


def texts_of(window: MainWindow, key: str) -> list[str]:
    """Every status text the row shows from now on, as the scheduler's events arrive."""
    seen: list[str] = []

    def record(event: StatusEvent) -> None:
        if event.key == key and event.new is not None:
            seen.append(describe(event.new, window.now()))

    window.session.scheduler.subscribe(record)
    return seen


def versions_on_disk(window: MainWindow, draft_id: str) -> int:
    return len(window.session.local.store.version_ids(draft_id))


def toolbar_button(window: MainWindow, action: Any) -> Any:
    from PySide6.QtWidgets import QToolBar

    bar = window.findChild(QToolBar, "main-toolbar")
    return bar.widgetForAction(action)


def test_click_save_shows_saving_then_saved(drive: Any, make_window: Any, draft_root: Path,
                                            qtbot: Any) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        assert window.status_text(CAPTIONS_ID) == "Never saved"
        seen = texts_of(window, CAPTIONS_ID)
        window.select_key(CAPTIONS_ID)
        qtbot.mouseClick(toolbar_button(window, window.act_save), Qt.MouseButton.LeftButton)
        await until(lambda: window.status_text(CAPTIONS_ID).startswith("Saved"))
        assert "Saving…" in seen
        assert seen[-1] == "Saved 0 seconds ago"
        assert versions_on_disk(window, CAPTIONS_ID) == 1
        assert window.status_text(TEMPLATE_ID) == "Never saved"  # only the selected one

    drive(scenario)


def test_ctrl_s_and_ctrl_shift_s(drive: Any, make_window: Any, draft_root: Path,
                                 qtbot: Any) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        window.select_key(TEMPLATE_ID)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: versions_on_disk(window, TEMPLATE_ID) == 1)
        assert versions_on_disk(window, CAPTIONS_ID) == 0
        qtbot.keyClick(window.table, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        await until(lambda: versions_on_disk(window, CAPTIONS_ID) == 1)
        await until(lambda: window.counts_label.text().startswith("2 drafts · autosave off"))

    drive(scenario)


def test_autosave_after_a_file_changes(drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        root = tmp_path / "root"
        folder = make_draft(root, "d1")
        window = await make_window(root, **FAST)
        await until(lambda: versions_on_disk(window, "d1") == 1, what="first autosave")
        await until(lambda: window.status_text("d1").startswith("Saved"))
        bump(folder / "draft_content.json", b'{"tracks": ["edited"]}')
        await until(lambda: versions_on_disk(window, "d1") == 2, what="autosave after edit")
        history = await window.session.history("d1")
        assert [v.reason for v in history] == ["autosave", "autosave"]
        await until(lambda: window.status_text("d1").startswith("Saved"))

    drive(scenario)


def test_remote_503_shows_retrying_countdown_then_saved(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.create()
            server.fail("save_draft", Fault(status=503, body={"detail": "Service unavailable"},
                                            headers={"Retry-After": "2"}))
            window = await make_window(autosave_enabled=False, backoff_base_s=0.05,
                                       backoff_cap_s=5)
            window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            seen = texts_of(window, url)
            window.select_key(url)
            window.save_selected()
            await until(lambda: window.status_text(url).startswith("Retrying"))
            assert re.fullmatch(r"Retrying in [0-2] seconds? \(1/8\)", window.status_text(url))
            await until(lambda: "HTTP 503" in window.error_label.text())
            await until(lambda: window.status_text(url).startswith("Saved"), limit=10)
            assert server.count() == 2
            assert any(t.startswith("Retrying in") for t in seen)
            row = window.model.row_of(url)
            assert row is not None and window.model.status_at(row).remote

    drive(scenario)


def test_code_2001_shows_failed_with_server_message(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.draft_url("evicted")
            window = await make_window(autosave_enabled=False)
            window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            window.select_key(url)
            window.save_selected()
            await until(lambda: window.status_text(url).startswith("Failed"))
            assert window.status_text(url) == (
                "Failed: Draft does not exist on the server: draft not found")
            assert server.count() == 1
            assert "draft not found" in window.activity.lines()[-1]

    drive(scenario)


def test_restore_from_history_dialog(drive: Any, make_window: Any, draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        folder = draft_root / CAPTIONS_ID
        original = read_tree(folder)
        await window.session.scheduler.save(CAPTIONS_ID)
        bump(folder / "draft_info.json", b"the editor broke it")
        (folder / "stray.bak").write_bytes(b"x")
        await window.session.scheduler.refresh()  # the broken state is not saved
        await until(lambda: window.status_text(CAPTIONS_ID) == "Unsaved changes")
        window.select_key(CAPTIONS_ID)
        dialog = window.show_history()
        assert dialog is not None
        await dialog.loaded
        assert dialog.table.rowCount() == 1
        asked: list[str] = []
        dialog.confirm = lambda text: asked.append(text) or True
        dialog.select_row(0)
        dialog.restore_button.click()
        await until(lambda: any("restored version" in line for line in window.activity.lines()))
        assert read_tree(folder) == original
        assert "saved as a new version first" in asked[0]
        assert "Close CapCut / JianYing before restoring" in asked[0]
        # the broken state, kept first; then the restored state, equal to the working copy
        await until(lambda: dialog.table.rowCount() == 3)
        assert dialog.table.item(0, 1).text().startswith("Restored from ")
        assert dialog.table.item(1, 1).text() == "Before restore"
        await until(lambda: window.status_text(CAPTIONS_ID).startswith("Saved"))

    drive(scenario)


def test_empty_state_and_sample_draft(drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        root = tmp_path / "empty"
        root.mkdir()
        window = await make_window(root, autosave_enabled=False)
        assert window.stack.currentIndex() == 1
        assert "keeps your CapCut and JianYing drafts safe" in window.empty_text.text()
        button: QPushButton = window.empty_buttons["Create a sample draft"]
        button.click()
        await until(lambda: window.model.rowCount() == 1)
        await until(lambda: window.stack.currentIndex() == 0)  # the table replaces the text
        [status] = window.model.statuses()
        await until(lambda: window.status_text(status.key).startswith("Saved"))
        assert versions_on_disk(window, status.key) == 1
        files = read_tree(root / status.key)
        assert {"draft_content.json", "draft_meta_info.json", "draft_info.json"} <= set(files)
        # people find it in the list by a name they recognise, not a timestamp
        assert status.key == "Draft Keeper sample"
        name = window.proxy.index(0, NAME).data()
        assert name == "Draft Keeper sample"
        assert window.table.isColumnHidden(DRAFT_ID)  # its id is its name
        await window.create_sample()  # a second one is numbered
        await until(lambda: window.model.rowCount() == 2)
        names = sorted(window.proxy.index(r, NAME).data() for r in range(2))
        assert names == ["Draft Keeper sample", "Draft Keeper sample 2"]

    drive(scenario)


def test_closing_saves_unsaved_drafts_first(drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        root = tmp_path / "root"
        make_draft(root, "d1")
        make_draft(root, "d2")
        window = await make_window(root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))
        window.close()
        assert window.isVisible()  # not yet: saving first
        await until(lambda: closed, what="window closed")
        assert versions_on_disk(window, "d1") == 1 and versions_on_disk(window, "d2") == 1
        assert not window.isVisible()

    drive(scenario)


def test_model_passes_qmodeltester(drive: Any, make_window: Any, draft_root: Path,
                                   qtbot: Any) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, **FAST)
        ModelTester(qtbot).check(window.model, force_py=True)
        ModelTester(qtbot).check(window.proxy, force_py=True)
        make_draft(draft_root, "new-one")
        await until(lambda: window.model.row_of("new-one") is not None)
        await until(lambda: all(s.state is State.CLEAN for s in window.model.statuses()))
        shutil.rmtree(draft_root / "new-one")
        await until(lambda: window.model.status_at(
            window.model.row_of("new-one") or 0).state is State.MISSING)

    drive(scenario)


def test_filter_box(drive: Any, make_window: Any, draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        window.filter.setText("TEMPLATE")
        assert window.proxy.rowCount() == 1
        window.filter.setText("")
        assert window.proxy.rowCount() == 2

    drive(scenario)


def test_filtered_table_keeps_the_selection_and_follows_drafts(
        drive: Any, make_window: Any, draft_root: Path, qtbot: Any) -> None:
    """The filter works on the table's own rows (no proxy per row): drafts that come, go
    or are deleted while a filter is typed land where the filter says, the selected
    draft stays selected while it matches, and the status bar still counts every draft."""
    async def scenario() -> None:
        window = await make_window(draft_root, **FAST)
        ModelTester(qtbot).check(window.proxy, force_py=True)
        await until(lambda: window.model.rowCount() == 2)
        window.select_key(CAPTIONS_ID)
        window.filter.setText(CAPTIONS_ID.upper())
        assert window.proxy.rowCount() == 1
        assert window.selected_keys() == [CAPTIONS_ID]
        make_draft(draft_root, "zq-extra")
        await window.session.scheduler.refresh()  # (or its file-system event)
        await until(lambda: window.model.row_of("zq-extra") is not None, what="new draft")
        assert window.proxy.rowCount() == 1  # listed, but the filter hides it
        assert window.selected_keys() == [CAPTIONS_ID]
        await until(lambda: window.counts_label.text().startswith("3 drafts"), what="count")
        window.filter.setText("zq-")
        assert [window.proxy.index(0, NAME).data(KEY_ROLE)] == ["zq-extra"]
        assert window.selected_keys() == []  # hidden: no longer selected
        await until(lambda: window.model.status_at(
            window.model.row_of("zq-extra") or 0).state is State.CLEAN, what="saved")
        window.drafts_ui.show_deleted.setChecked(False)
        shutil.rmtree(draft_root / "zq-extra")
        await window.session.scheduler.refresh()
        await until(lambda: window.proxy.rowCount() == 0, what="deleted draft hidden")
        await until(lambda: not window.no_match.isHidden(), what="no match")
        assert window.no_match.text() == "No draft matches “zq-”."
        window.drafts_ui.show_deleted.setChecked(True)
        assert window.proxy.rowCount() == 1
        await until(window.no_match.isHidden, what="the draft matches again")
        window.filter.clear()
        assert window.proxy.rowCount() == 3

    drive(scenario)


def test_quit_without_saving_closes_at_once(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.create()
            server.fail("save_draft", Fault(delay=5))  # a save that takes a while
            window = await make_window(autosave_enabled=False)
            window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            closed: list[bool] = []
            window.closed.connect(lambda: closed.append(True))
            window.close()
            await until(lambda: window.quit_dialog is not None)
            await until(lambda: server.count() == 1)  # the flush's save is in flight
            window.quit_dialog.quit_button.click()
            await until(lambda: closed, limit=3, what="closed without waiting for the save")

    drive(scenario)
