"""Quitting is always safe and always ends: no nested event loop in a task; the dialog
names the drafts at risk, counts the deadline down, defaults to keeping the window open;
"Quit without saving" ends the process; SIGTERM and SIGINT save first, like `watch`."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from draftkeeper.core.saving.status import State
from tests.capcut_server import CapcutServer, Fault
from tests.helpers import bump, make_draft, stored_versions
from tests.ui.conftest import until
from tests.ui.test_window import versions_on_disk

REPO = Path(__file__).resolve().parents[2]
FAST = {"backoff_base_s": 0.05, "backoff_cap_s": 0.5, "scan_interval_s": 0.2,
        "quiet_period_s": 0.1}


def unavailable(n: int = 200) -> list[Fault]:
    return [Fault(status=503, headers={"Retry-After": "1"})] * n


def test_answer_no_keeps_everything_running_then_quit_ends(
        drive: Any, make_window: Any, tmp_path: Path, qtbot: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        with CapcutServer() as server:
            url = server.create()
            server.fail("save_draft", *unavailable())
            root = tmp_path / "root"
            make_draft(root, "local-one")
            window = await make_window(root, autosave_enabled=False, **FAST)
            window.flush_deadline = 1.5
            window.add_url_text(url)
            await until(lambda: window.model.row_of(url) is not None)
            window.select_key(url)
            window.save_selected()
            await until(lambda: window.session.scheduler.status(url).state is State.RETRYING)
            qtbot.keyClick(window.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
            await until(lambda: window.quit_dialog is not None)
            dialog = window.quit_dialog
            assert dialog is not None and dialog.keep_button.isDefault()
            assert QApplication.activeModalWidget() is dialog or dialog.isVisible()
            names = [dialog.drafts.item(i).text() for i in range(dialog.drafts.count())]
            assert any(n.startswith(url.rsplit("=", 1)[1]) for n in names)  # the remote one
            assert any(n.startswith("local-one — Never saved") for n in names) or (
                versions_on_disk(window, "local-one") == 1)
            assert dialog.countdown.text().startswith("Giving up in ")
            await until(lambda: window._asking, what="the dialog asks after the deadline")
            assert "not saved. Quit anyway?" in dialog.heading.text()
            assert versions_on_disk(window, "local-one") == 1  # saved before asking
            qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default: keep the window open
            await until(lambda: not window._closing, what="quit cancelled")
            assert window.isVisible()

            # everything still runs: the sweep finds a new draft and a change
            make_draft(root, "made-after")
            await until(lambda: window.model.row_of("made-after") is not None)
            bump(root / "local-one" / "draft_info.json", b"changed")
            await until(lambda: window.status_text("local-one") == "Unsaved changes")
            # no save stays "Saving…": with the server back, Ctrl+S saves the remote draft
            server.faults.clear()
            window.select_key(url)
            window.save_selected()
            await until(lambda: window.status_text(url).startswith("Saved"), limit=10)
            crashed = [r for r in caplog.records if "Cannot enter into task" in r.getMessage()
                       or (r.exc_info and "Cannot enter into task" in str(r.exc_info[1]))]
            assert crashed == []
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

            # Quit again, and quit without saving: the window closes at once
            server.fail("save_draft", *unavailable())
            window.save_selected()
            await until(lambda: window.session.scheduler.status(url).state is State.RETRYING)
            closed: list[bool] = []
            window.closed.connect(lambda: closed.append(True))
            window.act_quit.trigger()
            await until(lambda: window.quit_dialog is not None)
            window.quit_dialog.quit_button.click()
            await until(lambda: closed, limit=3, what="closed without waiting")
            assert window.left_unsaved  # it says what was not saved

    drive(scenario)


def _home_with(tmp_path: Path, **settings: Any) -> dict[str, str]:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"version": 1, **settings}))
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def test_the_process_ends_after_no_then_quit_without_saving(tmp_path: Path) -> None:
    with CapcutServer() as server:
        url = server.create()
        server.fail("save_draft", *unavailable())
        env = _home_with(tmp_path, roots=[str(tmp_path / "drafts")], remote_drafts=[url],
                         backoff_base_s=0.05, backoff_cap_s=0.5)
        (tmp_path / "drafts").mkdir()
        started = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "tests.ui.quit_driver"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=60)
        took = time.monotonic() - started
    assert "driver: keep window open" in r.stdout
    assert "driver: window still open: True; quit again" in r.stdout
    assert "driver: quit without saving" in r.stdout
    assert r.returncode == 4, r.stderr  # ended by itself, saying a draft was not saved
    assert f"not saved: {url}" in r.stderr
    assert "Cannot enter into task" not in r.stderr
    assert took < 30


def _start_window(env: dict[str, str]) -> subprocess.Popen[str]:
    p = subprocess.Popen([sys.executable, "-m", "draftkeeper"], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None
    line = p.stdout.readline()
    assert line.startswith("Draft Keeper window open"), line + p.stderr.read()  # type: ignore[union-attr]
    return p


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_saves_first_then_the_process_ends(tmp_path: Path, sig: int) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "unsaved-one")
    env = _home_with(tmp_path, roots=[str(root)], autosave_enabled=False)
    p = _start_window(env)  # it says it is open once its first sweep listed the draft
    p.send_signal(sig)
    _out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    store = Path(env["DRAFTKEEPER_HOME"]) / "data" / "store"
    assert len(stored_versions(store)) == 1  # saved before ending


def test_sigterm_with_a_draft_that_cannot_be_saved_ends_within_the_deadline(
        tmp_path: Path) -> None:
    with CapcutServer() as server:
        url = server.create()
        server.fail("save_draft", *unavailable())
        (tmp_path / "drafts").mkdir()
        env = _home_with(tmp_path, roots=[str(tmp_path / "drafts")], remote_drafts=[url],
                         autosave_enabled=False)
        p = _start_window(env)
        started = time.monotonic()
        p.send_signal(signal.SIGTERM)
        _out, err = p.communicate(timeout=30)
        took = time.monotonic() - started
    assert p.returncode == 4
    assert f"not saved: {url}" in err
    assert took < 10 + 2 + 5  # the deadline, the stop grace, start-up slack
