"""Dialogs refuse bad input with the reason, before anything is saved; window state
persists across restarts; screenshots of every screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from draftkeeper.core.saving.status import State
from draftkeeper.ui.dialogs.add import AddFolderDialog, AddUrlDialog
from draftkeeper.ui.table.model import VERSIONS
from tests.capcut_server import CapcutServer, Fault
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, make_draft
from tests.ui.conftest import until

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def shoot(widget: Any, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def test_add_url_dialog_refuses_a_url_without_draft_id(drive: Any, make_window: Any,
                                                       tmp_path: Path) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=False)
        dialog = AddUrlDialog(window.session.validate_draft_url, window)
        dialog.url.setText("https://host/openapi/capcut-mate/v1/get_draft?id=1")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        assert dialog.isVisible() is False or dialog.result() == 0
        assert dialog.error.text() == "Invalid draft_url format: no draft_id parameter"
        dialog.url.setText("just-an-id")
        dialog._try_accept()
        assert "needs a server" in dialog.error.text()
        dialog.url.setText("ftp://host/x?draft_id=abc")
        dialog._try_accept()
        assert "Not an http(s) draft_url" in dialog.error.text()
        assert window.session.settings.remote_drafts == []
        assert not (tmp_path / "settings.json").exists()  # nothing saved
        dialog.url.setText("http://127.0.0.1:9/openapi/capcut-mate/v1/get_draft?draft_id=abc")
        dialog._try_accept()
        assert dialog.result() == 1 and dialog.result_url.endswith("draft_id=abc")

    drive(scenario)


def test_add_folder_dialog_refuses_missing_and_unreadable(drive: Any, make_window: Any,
                                                          tmp_path: Path) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=False)
        dialog = AddFolderDialog(window)
        dialog.path.setText(str(tmp_path / "nope"))
        dialog._try_accept()
        assert dialog.error.text() == f"Folder does not exist: {tmp_path / 'nope'}"
        (tmp_path / "file.txt").write_text("x")
        dialog.path.setText(str(tmp_path / "file.txt"))
        dialog._try_accept()
        assert dialog.error.text().startswith("Not a folder")
        assert dialog.result() == 0

        # a good folder is added and its drafts appear
        other = tmp_path / "other"
        make_draft(other, "fresh")
        await window.add_folder_path(str(other))
        await until(lambda: window.model.row_of("fresh") is not None)
        saved = json.loads((tmp_path / "settings.json").read_text())
        assert str(other.resolve()) in saved["roots"]

    drive(scenario)


def test_settings_dialog_validates_and_applies_without_restart(drive: Any, make_window: Any,
                                                               tmp_path: Path) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=True)
        dialog = window.show_settings()
        dialog.fields["remote_base"].editor.setText("ftp://nope")
        dialog._try_accept()
        assert dialog.fields["remote_base"].error.text() == (
            "Not a usable URL: it must start with http:// or https://")
        assert dialog.isVisible()
        dialog.fields["remote_base"].editor.setText("http://127.0.0.1:9")
        dialog.fields["autosave_interval_s"].editor.setText("45")
        dialog.fields["max_attempts"].editor.setText("3")
        dialog._try_accept()
        await until(lambda: "autosave every 45 s" in window.counts_label.text())
        await until(lambda: window._settings_dialog is None, what="dialog closed once applied")
        assert window.session.settings.max_attempts == 3
        assert window.session.remote.base == "http://127.0.0.1:9"
        assert window.interval.text() == "45"
        saved = json.loads((tmp_path / "settings.json").read_text())
        assert saved["autosave_interval_s"] == 45 and saved["max_attempts"] == 3

    drive(scenario)


def test_window_state_persists_across_restarts(drive: Any, make_window: Any,
                                               draft_root: Path) -> None:
    async def scenario() -> None:
        first = await make_window(draft_root, autosave_enabled=False)
        first.resize(760, 560)  # within the offscreen screen (800x600): no clamping
        first.table.setColumnWidth(3, 321)  # the status column (the name stretches)
        first.table.sortByColumn(VERSIONS, Qt.SortOrder.DescendingOrder)
        first._save_window_state()
        second = await make_window(draft_root, autosave_enabled=False)
        header = second.table.horizontalHeader()
        assert header.sectionSize(3) == 321
        assert header.sortIndicatorSection() == VERSIONS
        assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert (second.size().width(), second.size().height()) == (760, 560)

    drive(scenario)


def test_screenshots(drive: Any, make_window: Any, draft_root: Path, tmp_path: Path) -> None:
    """Every screen, in a normal window size, with drafts in mixed states."""

    async def scenario() -> None:
        empty_root = tmp_path / "empty"
        empty_root.mkdir()
        empty = await make_window(empty_root, autosave_enabled=False)
        empty.resize(1180, 680)
        await until(lambda: empty.stack.currentIndex() == 1)
        shoot(empty, "empty-state")

        with CapcutServer() as server:
            ok_url, gone_url, busy_url = server.create(), server.draft_url("evicted"), \
                server.create()
            make_draft(draft_root, "我的旅行 vlog")
            make_draft(draft_root, "deleted-by-editor")
            window = await make_window(draft_root, autosave_enabled=False,
                                       backoff_base_s=5, backoff_cap_s=60)
            window.resize(1180, 680)
            sched = window.session.scheduler
            await sched.save("deleted-by-editor")
            for p in (draft_root / "deleted-by-editor").iterdir():
                p.unlink()
            (draft_root / "deleted-by-editor").rmdir()
            await sched.save(CAPTIONS_ID)
            bump(draft_root / CAPTIONS_ID / "draft_info.json", b"edited")
            await sched.save(TEMPLATE_ID)
            await sched.refresh()
            # remote rows: one retrying (503), one failed (2001), one saved
            for url in (busy_url, gone_url, ok_url):
                await window.session.add_remote(url)
            window.spawn(sched.save(gone_url), report=False)
            await until(lambda: sched.status(gone_url).state is State.FAILED)
            await sched.save(ok_url)
            # after a 503 the server counts as offline: later saves there wait for its probe
            # (each answer half a second late: the save before quit is still running when the
            # closing dialog is looked at, however fast the window's side of it is)
            server.fail("save_draft", *[Fault(status=503, headers={"Retry-After": "30"},
                                              delay=0.5)] * 3)
            window.spawn(sched.save(busy_url))
            await until(lambda: sched.status(busy_url).state is State.RETRYING)
            await until(lambda: sched.status("deleted-by-editor").state is State.MISSING)
            states = {s.state for s in sched.statuses()}
            assert {State.CLEAN, State.UNSAVED, State.RETRYING, State.FAILED,
                    State.MISSING} <= states
            window.select_key(CAPTIONS_ID)
            shoot(window, "main-window")

            dialog = window.show_history()
            assert dialog is not None
            await dialog.loaded
            dialog.select_row(0)
            shoot(dialog, "history-dialog")
            dialog.close()

            settings = window.show_settings()
            shoot(settings, "settings-dialog")
            settings.close()

            window.select_key(busy_url)
            remote_history = window.show_history()
            assert remote_history is not None
            await remote_history.loaded
            shoot(remote_history, "history-remote")
            remote_history.close()

            window.flush_deadline = 3.0
            window.close()  # drafts at risk: the save-before-quit dialog
            await until(lambda: window.quit_dialog is not None)
            dialog = window.quit_dialog
            await until(lambda: "Giving up in" in dialog.countdown.text())
            shoot(dialog, "closing")
            await until(lambda: window._asking, limit=20)
            # the server still answers 503: asked before quitting, naming the draft
            lines = [dialog.drafts.item(i).text() for i in range(dialog.drafts.count())]
            assert any(line.startswith(sched.status(busy_url).info.name) for line in lines)
            shoot(dialog, "quit-not-saved")
            dialog.quit_button.click()
            await until(lambda: not window.isVisible(), limit=20)

    drive(scenario)


def test_removed_local_draft_can_be_listed_again(drive: Any, make_window: Any,
                                                 draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        await until(lambda: window.model.rowCount() == 2)
        window.select_key(TEMPLATE_ID)
        await window.remove_selected()
        await until(lambda: window.model.row_of(TEMPLATE_ID) is None)
        assert (draft_root / TEMPLATE_ID).is_dir()  # nothing deleted
        await window.session.scheduler.refresh()
        assert window.model.row_of(TEMPLATE_ID) is None  # and it stays off the list
        dialog = window.show_settings()
        assert dialog.unhide.isVisibleTo(dialog) and dialog.unhide.isEnabled()
        dialog.unhide.click()
        dialog._try_accept()
        await until(lambda: window.model.row_of(TEMPLATE_ID) is not None)

    drive(scenario)
