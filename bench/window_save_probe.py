"""Runs Draft Keeper's real entry point (the window) in this process and, once every row's
state is known, presses Save all as a user does (the window's own action), then waits for
every row to show "Saved". Watched through Qt's public API and the window's table model.

    python bench/window_save_probe.py OUT.json   (started by bench/window_save_all.py)

Marks (``time.monotonic()``): ``ready`` (every row listed, none "Checking…", every row's
details shown, the Save all action enabled, the session's file-system watches in place),
``pressed``, ``saved`` (every row clean), with
the CPU time of this process (every thread) and of its children at ``pressed`` and
``saved``, and how late a 5 ms heartbeat timer fired meanwhile (p99, max).
Written to OUT.json, then the window is asked to quit as by SIGTERM.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

POLL_MS = 10


def cpu() -> float:
    """CPU seconds of this process (every thread) and of its children, running or ended
    (a save may start a second process that hashes; it runs until the window quits)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = me.ru_utime + me.ru_stime + ended.ru_utime + ended.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # ppid; then utime, stime in ticks
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Probe(QObject):
    def __init__(self, out: str, count: int) -> None:
        super().__init__()
        self.out, self.count = out, count
        self.marks: dict[str, float] = {}
        self.window = None
        self.timer = QTimer()
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        # the window's heartbeat while it saves: how late a 5 ms timer fires (as
        # bench/ui_stall.py measures it), from the press to the last row saved
        self.beat = QTimer()
        self.beat.setInterval(5)
        self.beat.timeout.connect(self.on_beat)
        self.last_beat = 0.0
        self.late: list[float] = []

    def on_beat(self) -> None:
        now = time.monotonic()
        if self.last_beat:
            self.late.append(max(0.0, now - self.last_beat - 0.005))
        self.last_beat = now

    def watching(self) -> bool:
        """The session's file-system watches are in place: it sets them up once the
        details are shown, and adding them for 10,000 folders (watchfiles walks the root
        holding the GIL: ~0.2 s of the window's thread, ~0.5 s of CPU) is the end of the
        window's start, not part of the press. (10 s at most: a root with no events.)"""
        if not self.marks.get("details"):
            self.marks["details"] = time.monotonic()
        session = self.window.session  # type: ignore[attr-defined]
        events = getattr(session.scheduler, "events", True)
        return bool(events) or time.monotonic() - self.marks["details"] > 10

    def poll(self) -> None:
        if self.window is None:
            for w in QApplication.topLevelWidgets():
                if type(w).__name__ == "MainWindow":
                    self.window = w
            if self.window is None:
                return
        model = self.window.model  # type: ignore[attr-defined]
        rows = model.rowCount()
        if "pressed" not in self.marks:
            action = self.window.act_save_all  # type: ignore[attr-defined]
            # the window's start is over (bench/window_start.py measures it): every row
            # listed with its state and its details (covers, durations: parsed at the
            # start, in another process) and its file-system watches, so the press is
            # measured alone
            if (rows == self.count and not model.checking and action.isEnabled()
                    and len(model.details) >= self.count and self.watching()):
                self.marks["ready"] = time.monotonic()
                self.marks["cpu_pressed"] = cpu()
                self.marks["pressed"] = time.monotonic()
                action.trigger()  # as a click on the toolbar's Save all
                self.beat.start()
            return
        from draftkeeper.core.saving.status import State  # loaded by now

        # the window's own count of rows by state (the status bar's), not a scan of every
        # row each poll: the probe must not add per-row work to the window's thread
        if self.window.counts[State.CLEAN] >= self.count:  # type: ignore[attr-defined]
            self.marks["saved"] = time.monotonic()
            self.marks["cpu_saved"] = cpu()
            self.marks["rows"] = rows
            self.beat.stop()
            late = sorted(self.late) or [0.0]
            self.marks["beats"] = len(self.late)
            self.marks["late_p99"] = late[min(len(late) - 1, int(len(late) * 0.99))]
            self.marks["late_max"] = late[-1]
            self.timer.stop()
            with open(self.out, "w") as f:
                json.dump(self.marks, f)
            os.kill(os.getpid(), signal.SIGTERM)  # the window's forced quit


def main() -> int:
    out, count = sys.argv[1], int(sys.argv[2])
    app = QApplication([sys.argv[0]])  # the entry point uses this one (run_gui)
    probe = Probe(out, count)
    from draftkeeper.cli.front import main as draftkeeper

    code = draftkeeper([])
    del probe, app
    return code


if __name__ == "__main__":
    sys.exit(main())
