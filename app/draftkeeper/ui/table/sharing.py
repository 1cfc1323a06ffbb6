"""The draft table's share states (a part of DraftTableModel): where each saved local
draft is beside the shared store, said in its Status column."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.ui.words.status import describe, with_share

if TYPE_CHECKING:  # the shared store's module is loaded only when one is set
    from draftkeeper.core.shared.background import ShareState


class _Table(Protocol):
    """What the model gives this part."""

    share: dict[str, ShareState]
    now: Callable[[], float]
    _row_of: dict[str, int]
    dataChanged: Any

    def tick(self) -> None: ...
    def forget(self, key: str) -> None: ...
    def shown_row(self, row: int) -> int | None: ...
    def index(self, row: int, column: int) -> Any: ...
    def columnCount(self) -> int: ...


class ShareStates:
    share: dict[str, ShareState]  # draft key -> beside the shared store

    def set_share(self: _Table, state: ShareState | None) -> None:
        """A draft's share state changed (None: no shared store any more)."""
        if state is None:
            self.share.clear()
            self.tick()
            return
        self.share[state.draft_id] = state
        self.forget(state.draft_id)
        row = self._row_of.get(state.draft_id)
        shown = None if row is None else self.shown_row(row)
        if shown is not None:
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, self.columnCount() - 1))

    def status_text(self: _Table, s: DraftStatus) -> str:
        """The Status column's words: the save status, and for a saved local draft where
        it is beside the shared store."""
        text = describe(s, self.now())
        if s.state is State.CLEAN and not s.remote:
            return with_share(text, self.share.get(s.key))
        return text
