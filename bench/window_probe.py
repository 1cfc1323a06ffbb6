"""Runs Draft Keeper's real entry point (``draftkeeper`` with no command: the window) in
this process and watches the window from outside, through Qt's public API only: an event
filter for the table's first paint with rows, and a timer that reads the table's model.

    python bench/window_probe.py OUT.json   (started by bench/window_start.py)

Marks: the table's first paint with rows, details of the rows visible then, details of
every row, and every row's save state known (no row "Checking…").
Times are ``time.monotonic()`` (the same clock in every process on Linux): the parent
knows when it started this process. Written to OUT.json when every row has its details,
then the window is asked to quit as by SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView

POLL_MS = 20
T_IMPORTED = time.monotonic()


class Probe(QObject):
    def __init__(self, out: str) -> None:
        super().__init__()
        self.out = out
        self.marks: dict[str, float] = {"imported": T_IMPORTED}
        self.window = None
        self.table: QTableView | None = None
        self.visible_keys: list[str] | None = None
        self.seen = -1
        self.timer = QTimer()
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def mark(self, name: str) -> None:
        if name not in self.marks:
            self.marks[name] = time.monotonic()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and self.table is not None
                and obj is self.table.viewport() and self.table.model().rowCount() > 0):
            self.mark("first_paint_with_rows")
        return False

    def find_window(self) -> None:
        for w in QApplication.topLevelWidgets():
            if type(w).__name__ == "MainWindow":
                self.window = w
                self.mark("window_made")
                self.table = w.table  # type: ignore[attr-defined]
                self.table.viewport().installEventFilter(self)
                return

    def done_for(self, keys: list[str]) -> bool:
        model = self.window.model  # type: ignore[union-attr]
        for key in keys:
            det = model.details.get(key)
            if det is None or (det.cover is not None and key not in model.thumbs):
                return False
        return True

    def poll(self) -> None:
        if self.window is None:
            self.find_window()
            if self.window is None:
                return
        model = self.window.model
        table = self.table
        assert table is not None
        rows = model.rowCount()
        if rows == 0 or "first_paint_with_rows" not in self.marks:
            return
        if self.visible_keys is None:
            proxy = table.model()
            first = max(0, table.rowAt(0))
            last = table.rowAt(table.viewport().height() - 1)
            last = proxy.rowCount() - 1 if last < 0 else last
            from draftkeeper.ui.table.model import KEY_ROLE  # loaded by now

            self.visible_keys = [proxy.index(r, 0).data(KEY_ROLE)
                                 for r in range(first, last + 1)]
            self.marks["visible_rows"] = len(self.visible_keys)
            self.marks["rows_at_first_paint"] = rows
        if "visible_details" not in self.marks and self.done_for(self.visible_keys):
            self.mark("visible_details")
        if "states_known" not in self.marks and not getattr(model, "checking", ()):
            self.mark("states_known")  # no row is "Checking…" any more
        if len(model.details) != self.seen and len(model.details) >= rows:
            self.seen = len(model.details)
            keys = [model.status_at(r).key for r in range(rows)]
            if "visible_details" in self.marks and self.done_for(keys):
                self.mark("all_details")
        if "all_details" in self.marks and "states_known" in self.marks:
            self.marks["rows"] = rows
            self.marks["details"] = len(model.details)
            self.finish()

    def finish(self) -> None:
        self.timer.stop()
        with open(self.out, "w") as f:
            json.dump(self.marks, f)
        os.kill(os.getpid(), signal.SIGTERM)  # the window's forced quit


def main() -> int:
    out = sys.argv[1]
    app = QApplication([sys.argv[0]])  # the entry point uses this one (run_gui)
    probe = Probe(out)
    from draftkeeper.cli.front import main as draftkeeper

    code = draftkeeper([])
    del probe, app
    return code


if __name__ == "__main__":
    sys.exit(main())
