"""Starting the window: QApplication, the qasync event loop, the session."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtWidgets import QApplication

from app.core.session import Session
from app.core.settings import Settings
from app.ui.style import app_icon
from app.ui.window import MainWindow


def keep_ui_thread_responsive() -> None:
    """Saves run in worker threads; Python hands the GIL between threads every 5 ms by
    default, so with a dozen busy workers the UI thread could wait tens of ms for it. A
    1 ms switch interval bounds that wait (measured in bench/ui_stall.py)."""
    sys.setswitchinterval(0.001)


def run_gui(settings: Settings, close_after: float | None = None) -> int:
    keep_ui_thread_responsive()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Draft Keeper")
    app.setOrganizationName("draftkeeper")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the window closes only after saving
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def main() -> None:
        session = Session(settings)
        closed = asyncio.Event()
        await session.start()
        window = MainWindow(session)
        window.closed.connect(closed.set)
        if settings.notice:
            window.last_error = settings.notice
            window.log_activity(settings.notice)
        window.show()
        print(f"Draft Keeper window open: {window.model.rowCount()} draft(s)", flush=True)
        if close_after is not None:
            window.confirm_quit_unsaved = lambda keys: True
            loop.call_later(close_after, window.close)
        await closed.wait()
        await window.stop_api()
        await session.stop()  # saves in flight finish; nothing is cut off half-way

    with loop:
        loop.run_until_complete(main())
    return 0
