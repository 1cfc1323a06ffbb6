"""The main window's status bar (draft counts, errors by source, the undo bar), its
Activity panel, and how both follow the scheduler's events.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.ui.window.activity import ActivityPanel
from draftkeeper.ui.window.commands import UNDO_SECONDS
from draftkeeper.ui.window.notices import ElidedLabel, UndoBar
from draftkeeper.ui.window.parts import WindowPart
from draftkeeper.ui.words import basic
from draftkeeper.ui.words import status as words
from draftkeeper.ui.words.reasons import status_error

if TYPE_CHECKING:  # the shared store's module is loaded only when one is set
    from draftkeeper.core.shared.background import ShareState


class WindowStatus(WindowPart):
    """Counts, errors and the activity log: each error comes from one source and leaves
    when that source works again; the chrome is refreshed once per burst of events."""

    def _make_status_bar(self) -> None:
        self._share_waited = set()
        # each text has its own place and gives way (elided) instead of overlapping
        self.counts_label = ElidedLabel()
        self.counts_label.setMinimumWidth(240)  # the counts always show; the others give way
        self.error_label = ElidedLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setMaximumWidth(420)
        self.undo_bar = UndoBar()
        self.undo_bar.undo.connect(self.undo_remove)
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.undo_bar)
        self.statusBar().addPermanentWidget(self.error_label)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._forget_undo)

    def _make_activity_dock(self) -> None:
        self.activity = ActivityPanel()
        dock = QDockWidget(QCoreApplication.translate("MainWindow", "Activity"), self)
        dock.setObjectName("activity-dock")
        dock.setWidget(self.activity)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.activity_dock = dock
        self.resizeDocks([dock], [150], Qt.Orientation.Vertical)

    def _on_events(self, events: list[StatusEvent]) -> None:
        """Status changes, a slice of a batch's drafts at once (or one alone)."""
        self.model.on_events(events)
        self.notifier.on_events(events)
        counts = self.counts
        for event in events:
            if event.old is not None:
                counts[event.old.state] -= 1
            if event.new is not None:
                counts[event.new.state] += 1
        self._log_events(events)
        self.chrome_soon(rows_same=all(
            e.old is not None and e.new is not None and e.old.info is e.new.info
            for e in events))

    _share_waited: set[str]  # drafts that waited for the shared store (Activity says so)

    def _on_share(self, state: ShareState | None) -> None:
        """A draft's place beside the shared store changed (the background uploads)."""
        before = self.model.share.get(state.draft_id) if state is not None else None
        self.model.set_share(state)
        self.chrome_soon()
        if state is None or before is None or before.kind == state.kind:
            return
        # an outage, and its end: once per draft in the Activity panel
        if state.kind == "pending":
            self._share_waited.add(state.draft_id)
        elif state.kind == "shared" and state.draft_id in self._share_waited:
            self._share_waited.discard(state.draft_id)
        else:
            return
        row = self.model.row_of(state.draft_id)
        name = self.model.status_at(row).info.name if row is not None else state.draft_id
        self.log_activity(QCoreApplication.translate("MainWindow", "{name}: {share}").format(
            name=name, share=words.share_words(state)))

    def not_shared(self) -> int:
        """How many drafts are not yet (all) on the shared store."""
        return sum(1 for share in self.model.share.values() if share.kind != "shared")

    _columns_due = True  # rows came, went or were renamed since the columns were fitted

    def chrome_soon(self, rows_same: bool = False) -> None:
        """Status bar and actions follow events, once per burst (saving 100 drafts sends
        hundreds of events in one go; relayouting per event would stall the window).
        ``rows_same``: only states changed (the columns shown stay as they are)."""
        if not rows_same:
            self._columns_due = True
        if not self._chrome_timer.isActive():
            self._chrome_timer.start()

    def _chrome_due(self) -> None:
        self._refresh_chrome(columns=self._columns_due)

    def _log_events(self, events: list[StatusEvent]) -> None:
        errors = self._errors
        for event in events:
            new = event.new
            if new is not None and new.state in (State.FAILED, State.RETRYING):
                source = f"draft:{new.key}"
                errors.pop(source, None)  # the newest error shows
                errors[source] = QCoreApplication.translate(
                    "MainWindow", "{name}: {error}"
                ).format(name=new.info.name, error=status_error(new))
            elif errors and (new is None or new.state is not State.SAVING):
                errors.pop(f"draft:{event.key}", None)
        self.activity.on_events(events, self.now())

    def log_activity(self, text: str) -> None:
        self.activity.add(text)

    def set_error(self, source: str, text: str | None) -> None:
        self._errors.pop(source, None)
        if text:
            self._errors[source] = text
        self._refresh_chrome()

    @property
    def last_error(self) -> str:
        return next(reversed(self._errors.values()), "")

    def _refresh_chrome(self, columns: bool = True) -> None:
        """``columns``: which columns to show is worked out again (10,000 rows)."""
        total = self.model.total()
        parts = [basic.plural("MainWindow", "%n draft(s)", total)]
        for state in (
            State.UNSAVED,
            State.SAVING,
            State.QUEUED,
            State.RETRYING,
            State.FAILED,
            State.AT_RISK,
            State.MISSING,
            State.LOST,
        ):
            if self.counts[state]:
                parts.append(
                    QCoreApplication.translate("MainWindow", "{n} {state}").format(
                        n=basic.number(self.counts[state]), state=words.state_word(state)
                    )
                )
        not_shared = self.not_shared()
        if not_shared:
            parts.append(basic.plural("MainWindow", "%n not yet on the shared store",
                                      not_shared))
        s = self.session.settings
        if self.session.store_problem is not None:
            parts = [
                QCoreApplication.translate(
                    "MainWindow", "Nothing is saved: the version store cannot be used"
                )
            ]
        else:
            parts.append(
                QCoreApplication.translate("MainWindow", "autosave every {s} s").format(
                    s=basic.number(s.autosave_interval_s)
                )
                if s.autosave_enabled
                else QCoreApplication.translate("MainWindow", "autosave off")
            )
        self.counts_label.setText(" · ".join(parts))
        self.error_label.setText(self.last_error)
        self.error_label.setToolTip("\n".join(self._errors.values()))
        self.stack.setCurrentIndex(0 if total else 1)
        if columns:
            self._columns_due = False
            self.columns.update(self.model.statuses())
        self._show_no_match()
        paused = (
            basic.local_time(self.paused_until)[-8:-3] if self.paused_until is not None else None
        )
        self.tray.update(self.counts, paused, not_shared)
        self.tray.act_pause.setEnabled(paused is None and s.autosave_enabled)
        self.act_autosave.blockSignals(True)
        self.act_autosave.setChecked(s.autosave_enabled)
        self.act_autosave.blockSignals(False)
        if not total:
            roots = ", ".join(str(r) for r in self.session.roots)
            self.empty_where.setText(
                QCoreApplication.translate("MainWindow", "Looking in: {roots}").format(roots=roots)
            )
            self.empty_title.setText(
                QCoreApplication.translate("MainWindow", "No drafts yet")
                if self.session.store_problem is None
                else QCoreApplication.translate(
                    "MainWindow", "Drafts are listed once the store works"
                )
            )
        self._update_actions()
