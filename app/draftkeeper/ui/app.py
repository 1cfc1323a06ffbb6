"""Starting the window: QApplication, the qasync event loop, the session."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes.util
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Mapping

import qasync
from PySide6.QtWidgets import QApplication

from draftkeeper.core.platform.system import LINUX, SYSTEM
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.style import app_icon
from draftkeeper.ui.window.window import MainWindow
from draftkeeper.ui.words.i18n import Translations

log = logging.getLogger(__name__)
STOP_GRACE_S = 2.0  # after the window closed: saves still in flight may finish this long
EXIT_NOT_SAVED = 4  # as `watch`: the window quit while drafts were not saved
EXIT_NO_DISPLAY = 1
# what Qt's xcb platform plugin loads: library -> (Debian/Ubuntu package, Fedora package)
XCB_LIBRARIES = {
    "xcb-cursor": ("libxcb-cursor0", "xcb-util-cursor"),
    "xcb-icccm": ("libxcb-icccm4", "xcb-util-wm"),
    "xcb-keysyms": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "xcb-image": ("libxcb-image0", "xcb-util-image"),
    "xcb-render-util": ("libxcb-render-util0", "xcb-util-renderutil"),
    "xcb-randr": ("libxcb-randr0", "libxcb"),
    "xcb-shape": ("libxcb-shape0", "libxcb"),
    "xcb-xkb": ("libxcb-xkb1", "libxcb"),
    "xkbcommon-x11": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
}


def missing_platform_packages(
    env: Mapping[str, str] = os.environ, system: str = SYSTEM,
    find: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[tuple[str, str]]:
    """The (Debian, Fedora) packages Qt's xcb plugin needs and cannot find, when the
    window would open on X11 (Linux, QT_QPA_PLATFORM unset or xcb, no Wayland session)."""
    if system != LINUX:
        return []
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return []
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return []
    return [pkgs for lib, pkgs in XCB_LIBRARIES.items() if find(lib) is None]


def platform_message(missing: list[tuple[str, str]]) -> str:
    debian = " ".join(dict.fromkeys(d for d, _f in missing))
    fedora = " ".join(dict.fromkeys(f for _d, f in missing))
    return (f"error: the window needs system libraries that are missing; install them with "
            f"`sudo apt install {debian}` (Debian/Ubuntu) or `sudo dnf install {fedora}` "
            f"(Fedora), then start Draft Keeper again")


def keep_ui_thread_responsive() -> None:
    """Saves run in worker threads; Python hands the GIL between threads every 5 ms by
    default, so with a dozen busy workers the UI thread could wait tens of ms for it. A
    1 ms switch interval bounds that wait (measured in bench/ui_stall.py)."""
    sys.setswitchinterval(0.001)


class SignalWakeup:
    """SIGTERM and SIGINT reach the window while Qt's event loop waits in C: the signal's
    byte is written to a socket (``signal.set_wakeup_fd``) the asyncio loop reads."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, loop: asyncio.AbstractEventLoop, on_signal: Callable[[int], None]):
        self.loop = loop
        self.on_signal = on_signal
        self.read, self.write = socket.socketpair()
        for s in (self.read, self.write):
            s.setblocking(False)
        self.old_fd = signal.set_wakeup_fd(self.write.fileno())
        self.old = {sig: signal.signal(sig, lambda *_: None) for sig in self.SIGNALS}
        loop.add_reader(self.read.fileno(), self._readable)

    def _readable(self) -> None:
        with contextlib.suppress(BlockingIOError):
            for number in self.read.recv(64):
                self.on_signal(number)

    def close(self) -> None:
        self.loop.remove_reader(self.read.fileno())
        signal.set_wakeup_fd(self.old_fd)
        for sig, handler in self.old.items():
            signal.signal(sig, handler)
        self.read.close()
        self.write.close()


def run_gui(settings: Settings, close_after: float | None = None) -> int:
    keep_ui_thread_responsive()
    if QApplication.instance() is None:
        missing = missing_platform_packages()
        if missing:  # one clear line instead of Qt's abort about its platform plugin
            print(platform_message(missing), file=sys.stderr)
            return EXIT_NO_DISPLAY
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    translations = Translations()
    translations.install(settings.language)
    app.setApplicationName("Draft Keeper")
    app.setOrganizationName("draftkeeper")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the window closes only after saving
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    left: list[str] = []

    async def main() -> None:
        session = Session(settings)
        closed = asyncio.Event()
        # the window first, with the drafts' folders as rows being checked: the session's
        # start reads every draft's files and versions (seconds for 10,000 drafts)
        window = MainWindow(session)
        window.closed.connect(closed.set)
        if settings.notice:
            window.set_error("settings file", settings.notice)
            window.log_activity(settings.notice)
        wakeup = SignalWakeup(loop, lambda _sig: window.request_quit(forced=True))
        window.show()
        if session.store_problem is None:
            await window.list_early()
        await session.start(states_known=window.states_arrived)
        window.session_started()
        print(f"Draft Keeper window open: {window.model.rowCount()} draft(s)", flush=True)
        if close_after is not None:
            loop.call_later(close_after, lambda: window.request_quit(forced=True))
        try:
            await closed.wait()
        finally:
            wakeup.close()
        left.extend(window.left_unsaved)
        await window.stop_api()
        # saves still running get a moment to finish (a local save is never cut off: it
        # runs in a thread that finishes before the process ends); then the process ends
        stopping = asyncio.ensure_future(session.stop())
        done, _ = await asyncio.wait([stopping], timeout=STOP_GRACE_S)
        if not done:
            log.warning("quit: saves still in flight after %.0f s are cut off", STOP_GRACE_S)
            stopping.cancel()
        rest = asyncio.all_tasks() - {asyncio.current_task()}
        for task in rest:
            task.cancel()
        if rest:
            await asyncio.wait(rest, timeout=1.0)

    with loop:
        loop.run_until_complete(main())
    translations.remove()
    if left:
        print(f"quit with {len(left)} draft(s) not saved: {', '.join(left)}", file=sys.stderr)
        return EXIT_NOT_SAVED
    return 0
