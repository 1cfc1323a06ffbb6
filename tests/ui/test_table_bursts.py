"""The table under a burst of status events (a batch save publishes hundreds of drafts at
once): every row shows its new status, and the view repaints once per burst."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from draftkeeper.core.saving.status import State, StatusEvent
from tests.ui.test_notifier import change, status


def test_a_burst_of_status_changes_repaints_the_rows_once(qapp: Any, qtbot: Any) -> None:
    """A batch save changes hundreds of rows in one go: the table shows every row's new
    status, and its view is told once per burst (not once per row) which rows to paint."""
    from PySide6.QtWidgets import QTableView

    from draftkeeper.ui.table.model import STATUS, DraftTableModel

    model = DraftTableModel()
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    for i in range(300):
        model.on_event(StatusEvent(f"d{i:03}", None, status(f"d{i:03}", State.UNSAVED)))
    painted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles=(): painted.append(
        (top.row(), bottom.row())))
    for i in range(20, 280, 7):  # a chunk of a batch, published at once
        model.on_event(change(f"d{i:03}", State.SAVING, State.CLEAN))
    assert model.cell("d020", STATUS) == "Saved" and model.cell("d021", STATUS) != "Saved"
    assert painted == []  # not yet: once the burst is over
    qtbot.waitUntil(lambda: bool(painted))
    assert painted == [(20, 279)]  # one span over the changed rows
    assert model.index(20, STATUS).data() == "Saved"


def test_save_all_of_hundreds_of_drafts_reaches_every_part_of_the_window(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    """Save all of 600 drafts (published a slice of hundreds at a time) and one remote
    draft whose server is down: every local row ends "Saved", the status bar counts them,
    the Activity panel shows the newest 500 lines in the order things happened, and the
    failure gives one notification and shows in the status bar."""
    from draftkeeper.core.urls import make_draft_url
    from draftkeeper.ui.table.model import STATUS
    from draftkeeper.ui.window.activity import ACTIVITY_LIMIT, is_news
    from tests.helpers import make_draft
    from tests.ui.conftest import until
    from tests.ui.test_dialogs import shoot
    from tests.ui.test_window_api import free_port

    root = tmp_path / "drafts"
    keys = [f"d{i:03}" for i in range(600)]
    for key in keys:
        make_draft(root, key, {"draft_content.json": f'{{"tracks": ["{key}"]}}'.encode(),
                               "draft_meta_info.json": b'{"draft_name": "x"}'})

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False, max_attempts=1)
        window.resize(800, 680)
        shown: list[tuple[str, str, bool]] = []
        window.notifier.show = lambda *n: shown.append(n)  # what the tray would show
        port = free_port()  # nothing listens there
        remote = await window.session.add_remote(
            make_draft_url(f"http://127.0.0.1:{port}", "far-away"))
        scheduler = window.session.scheduler
        await until(lambda: window.model.rowCount() == 601 and not window.model.checking)
        news: list[str] = []  # what happened, in order, as a listener of each change sees it
        scheduler.subscribe(lambda e: news.append(e.key) if is_news(e) else None)
        window.act_save_all.trigger()  # the toolbar's Save all
        await until(lambda: window.counts[State.CLEAN] == 600
                    and scheduler.status(remote).state is State.FAILED, limit=60)
        assert {window.model.cell(k, STATUS).split(" ", 1)[0] for k in keys} == {"Saved"}
        assert window.model.cell(remote, STATUS).startswith("Failed")
        await until(lambda: window.counts_label.text()
                    == "601 drafts · 1 failed · autosave off", what="the status bar's counts")
        lines = window.activity.lines()
        assert len(lines) == ACTIVITY_LIMIT
        name = {k: window.model.status_at(window.model.row_of(k)).info.name
                for k in [*keys, remote]}
        assert [line.split(": ", 1)[0] for line in lines] == [
            name[k] for k in news[-ACTIVITY_LIMIT:]]
        assert sum(line.endswith(" Saved") or ": Saved as version " in line
                   for line in lines) >= ACTIVITY_LIMIT - 1
        window.notifier.flush()
        assert [(title, bad) for title, _text, bad in shown] == [
            (f"1 draft on http://127.0.0.1:{port} cannot be saved", True)]
        await until(lambda: window.error_label.text() != "")
        shoot(window, "save-all-600")

    drive(scenario)
