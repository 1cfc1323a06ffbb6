"""Desktop notifications when drafts become at risk (a save failed) and when they are
saved again, coalesced per server: an offline server gives one notification, not one per
draft. Pure logic over status events; the window passes how to show one and when to
flush (a timer), so tests drive it directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.words.basic import plural
from draftkeeper.ui.words.reasons import status_error

RISK = frozenset({State.FAILED, State.AT_RISK})
# a draft at risk stays so through its next attempts (queued, saving, retrying) until one
# of these
SETTLED = frozenset({State.CLEAN, State.UNSAVED, State.MISSING})
COALESCE_S = 3.0  # failures arriving this close together make one notification


@dataclass
class _Server:
    failing: dict[str, DraftStatus] = field(default_factory=dict)  # key -> its failed status
    announced: bool = False  # "cannot be saved" was shown; the next news is the recovery
    new: list[str] = field(default_factory=list)  # failed since the last notification
    recovered: list[str] = field(default_factory=list)  # names saved again since then


def server_of(status: DraftStatus) -> str:
    """Where a draft is saved: its server for a remote draft, "" for this computer."""
    return status.info.root if status.remote else ""


class RiskNotifier:
    def __init__(self, show: Callable[[str, str, bool], None],
                 schedule: Callable[[], None] = lambda: None) -> None:
        """``show(title, text, bad)`` shows one notification; ``schedule()`` asks for
        ``flush()`` to be called once the burst is over (the window: a timer)."""
        self.show = show
        self.schedule = schedule
        self.servers: dict[str, _Server] = {}
        self._failing: set[str] = set()  # the drafts failing, whatever their server

    def on_events(self, events: list[StatusEvent]) -> None:
        """``on_event`` of each (a slice of a batch: mostly drafts saving or saved that
        never failed, which are no news here)."""
        failing = self._failing
        for event in events:
            new = event.new
            if (new is None or new.state not in RISK) and event.key not in failing:
                continue
            self.on_event(event)

    def on_event(self, event: StatusEvent) -> None:
        new = event.new
        status = new or event.old
        if status is None:
            return
        server = self.servers.setdefault(server_of(status), _Server())
        if new is not None and new.state in RISK:
            if event.key not in server.failing:  # a retry failing again is no news
                server.new.append(event.key)
                self.schedule()
            server.failing[event.key] = new
            self._failing.add(event.key)
        elif event.key in server.failing and (new is None or new.state in SETTLED):
            del server.failing[event.key]  # saved again, or no longer listed
            self._failing.discard(event.key)
            if event.key in server.new:
                server.new.remove(event.key)
            elif new is not None and new.state is State.CLEAN:
                server.recovered.append(status.info.name)
            self.schedule()

    def flush(self) -> None:
        """One notification per server with news since the last flush."""
        for where, server in self.servers.items():
            if server.new and not server.announced:
                self._failed(where, [server.failing[k] for k in server.new])
                server.announced = True
            server.new = []  # while announced, more failures are part of the same outage
            if server.announced and not server.failing:
                if server.recovered:
                    self._recovered(where, server.recovered)
                server.announced = False
            if not server.announced:
                server.recovered = []

    def _failed(self, where: str, drafts: list[DraftStatus]) -> None:
        n = len(drafts)
        if where:
            title = plural("Notifier", "%n draft(s) on {server} cannot be saved", n).format(
                server=where)
        else:
            title = plural("Notifier", "%n draft(s) cannot be saved", n)
        names = ", ".join(d.info.name for d in drafts[:5]) + ("…" if n > 5 else "")
        why = status_error(drafts[0])
        text = QCoreApplication.translate(
            "Notifier", "{names}: {why}. Draft Keeper keeps trying.").format(
            names=names, why=why.rstrip("."))
        self.show(title, text, True)

    def _recovered(self, where: str, names: list[str]) -> None:
        n = len(names)
        if where:
            title = plural("Notifier", "%n draft(s) on {server} saved again", n).format(
                server=where)
        else:
            title = plural("Notifier", "%n draft(s) saved again", n)
        self.show(title, ", ".join(names[:5]) + ("…" if n > 5 else ""), False)
