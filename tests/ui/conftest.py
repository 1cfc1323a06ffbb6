from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.window.window import MainWindow

T = TypeVar("T")
_CLOSED_WINDOWS: list[MainWindow] = []

# small timings so that autosave and retries happen within a test (bypasses the settings
# file's ranges on purpose)
FAST: dict[str, Any] = {
    "autosave_interval_s": 0.3,
    "quiet_period_s": 0.1,
    "min_autosave_gap_s": 0.0,
    "scan_interval_s": 0.2,
    "backoff_base_s": 0.05,
    "backoff_cap_s": 0.5,
}


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop: asyncio tasks run only while it runs (see ``drive``)."""
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing waits for saves
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


Drive = Callable[[Callable[[], Awaitable[T]]], T]


@pytest.fixture
def drive(qloop: qasync.QEventLoop) -> Drive[Any]:
    """Run a test's coroutine on the qasync loop (Qt events and asyncio tasks both run)."""

    def run(scenario: Callable[[], Awaitable[T]], limit: float = 60) -> T:
        return qloop.run_until_complete(asyncio.wait_for(scenario(), limit))

    return run


async def until(predicate: Callable[[], Any], limit: float = 15, what: str = "") -> None:
    """Wait for a condition while the loop runs (the limit only guards against a hang)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.02)


@pytest.fixture
def make_window(
    tmp_path: Path, qtbot: Any, qloop: qasync.QEventLoop
) -> Iterator[Callable[..., Awaitable[MainWindow]]]:
    sessions: list[Session] = []
    windows: list[MainWindow] = []

    async def make(root: Path | None = None, window_kw: dict[str, Any] | None = None,
                   **settings: Any) -> MainWindow:
        if root is None:
            root = tmp_path / "drafts"
            root.mkdir(exist_ok=True)
        settings.setdefault("roots", [str(root)])  # more than one: pass roots=[...]
        s = Settings(store_dir=str(tmp_path / "store"), **settings)
        session = Session(s, settings_path=tmp_path / "settings.json")
        await session.start()
        window = MainWindow(session, **(window_kw or {}))
        window.show()
        window.activateWindow()  # keyboard shortcuts go to the active window
        await until(lambda: QApplication.activeWindow() is window, what="active window")
        sessions.append(session)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w._quit_ready = True  # no save-before-quit flow in teardown
        w.close()
        # kept, not deleted: a deleteLater() would run inside the next test's event loop,
        # while qasync callbacks of this test may still point at the window
        _CLOSED_WINDOWS.append(w)
    for session in sessions:
        qloop.run_until_complete(session.stop())
