"""The table under a burst of status events (a batch save publishes hundreds of drafts at
once): every row shows its new status, and the view repaints once per burst."""

from __future__ import annotations

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
