"""Notifications when drafts become at risk and when they are saved again: one per
server, however many drafts fail on it."""

from __future__ import annotations

from typing import Any

from draftkeeper.core.backend import DraftInfo
from draftkeeper.core.saving.status import DraftStatus, State, StatusEvent
from draftkeeper.ui.tray.notifier import RiskNotifier
from tests.capcut_server import CapcutServer, Fault
from tests.ui.conftest import until


def status(key: str, state: State, server: str = "") -> DraftStatus:
    info = DraftInfo(draft_id=key, name=f"name-{key}", root=server or "/drafts",
                     path=f"/drafts/{key}", size=1, file_count=1, modified=0.0,
                     draft_url=key, remote=bool(server))
    return DraftStatus(key, state, info, error_message="The server is offline")


def change(key: str, old: State, new: State, server: str = "") -> StatusEvent:
    return StatusEvent(key, status(key, old, server), status(key, new, server))


def test_ten_drafts_failing_on_one_server_give_one_notification(qapp: Any) -> None:
    shown: list[tuple[str, str, bool]] = []
    notifier = RiskNotifier(lambda *n: shown.append(n))
    for i in range(10):
        notifier.on_event(change(f"d{i}", State.RETRYING, State.FAILED, "http://a:1"))
    notifier.on_event(change("local", State.SAVING, State.FAILED))
    notifier.flush()
    assert [(t, bad) for t, _text, bad in shown] == [
        ("10 drafts on http://a:1 cannot be saved", True), ("1 draft cannot be saved", True)]
    assert "name-d0, name-d1" in shown[0][1] and "keeps trying" in shown[0][1]
    # more drafts failing on the same server: the same outage, no new notification
    notifier.on_event(change("d10", State.SAVING, State.FAILED, "http://a:1"))
    notifier.flush()
    assert len(shown) == 2
    # some recover: nothing yet; all recover: one notification
    for i in range(5):
        notifier.on_event(change(f"d{i}", State.FAILED, State.CLEAN, "http://a:1"))
    notifier.flush()
    assert len(shown) == 2
    for i in [*range(5, 10), 10]:
        notifier.on_event(change(f"d{i}", State.FAILED, State.CLEAN, "http://a:1"))
    notifier.flush()
    assert shown[2][0] == "11 drafts on http://a:1 saved again" and shown[2][2] is False
    # the server fails again later: a new notification
    notifier.on_event(change("d3", State.SAVING, State.AT_RISK, "http://a:1"))
    notifier.flush()
    assert shown[3][0] == "1 draft on http://a:1 cannot be saved"


def test_a_failure_that_recovers_before_the_burst_ends_says_nothing(qapp: Any) -> None:
    shown: list[Any] = []
    asked: list[int] = []
    notifier = RiskNotifier(lambda *n: shown.append(n), lambda: asked.append(1))
    notifier.on_event(change("a", State.SAVING, State.FAILED))
    notifier.on_event(change("a", State.FAILED, State.CLEAN))
    notifier.flush()
    assert shown == [] and asked  # a flush was asked for


def test_window_notifies_once_for_ten_remote_drafts_failing(drive: Any,
                                                           make_window: Any) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            urls = [server.create() for _ in range(10)]
            window = await make_window(autosave_enabled=False, max_attempts=1)
            timer = window._notify_timer
            shown: list[tuple[str, str, bool]] = []
            window.tray.notify = lambda *n: shown.append(n)  # where the desktop shows it

            def burst_over() -> None:  # (the wait after the last failure, made short)
                timer.setInterval(0)
                timer.start()

            for url in urls:
                await window.add_url_text(url)
            server.fail("save_draft", *[Fault(status=503, body={"detail": "Unavailable"})
                                        for _ in urls])
            # the drafts fail a couple at a time (two requests at once per server), each
            # failure restarting the wait: however slow the machine, the burst lasts
            # until the tenth
            timer.setInterval(600_000)
            window.save_all()
            await until(lambda: window.counts[State.FAILED] == 10, what="ten failed")
            assert shown == []  # the burst goes on
            burst_over()
            await until(lambda: shown, what="a notification")
            assert len(shown) == 1 and shown[0][0].startswith("10 drafts on ")
            assert shown[0][2] is True
            await until(lambda: window.tray.icon.toolTip() == "Draft Keeper: 10 drafts at risk")
            timer.setInterval(600_000)
            await window.save_all()  # the server is back
            await until(lambda: window.counts[State.CLEAN] == 10, what="ten saved")
            burst_over()
            await until(lambda: len(shown) == 2, what="the recovery notification")
            where = shown[0][0].removeprefix("10 drafts on ").removesuffix(" cannot be saved")
            assert shown[1][0] == f"10 drafts on {where} saved again"
            await until(lambda: window.tray.icon.toolTip() == "Draft Keeper: All drafts saved")

    drive(scenario)
