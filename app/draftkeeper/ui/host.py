"""What the main window offers the dialogs and parts it opens: its Session, running a
coroutine on its loop (errors reported, the task kept until it ends), and its Activity log.

Dialogs take this narrow interface, not the window, so that no module below the window
imports it (MainWindow satisfies it)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from draftkeeper.core.session.session import Session

T = TypeVar("T")


class Host(Protocol):
    @property
    def session(self) -> Session: ...

    def spawn(self, coro: Awaitable[T], doing: str = "",
              report: bool = True) -> asyncio.Task[T]: ...

    def log_activity(self, text: str) -> None: ...
