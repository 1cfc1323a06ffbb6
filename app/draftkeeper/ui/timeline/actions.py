"""The actions of the timeline on a version: restore (or bring a deleted draft back),
restore as a new draft, restore one file, compare, pin and name. A mixin of
TimelineDialog (dialog.py); every command runs through the window's session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QWidget

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.urls import parse_draft_id
from draftkeeper.ui.words.basic import version_label

if TYPE_CHECKING:
    from draftkeeper.ui.host import Host


class TimelineActions:
    window_: Host
    key: str
    name: str
    deleted: bool
    restore_button: QPushButton
    confirm: Callable[[str], bool]

    def as_widget(self) -> QWidget:
        return cast(QWidget, self)  # the dialog this is mixed into

    if TYPE_CHECKING:  # provided by the dialog (and QObject)
        def tr(self, text: str, disambiguation: str | None = None, n: int = -1) -> str: ...

        def selected(self) -> list[VersionInfo]: ...

        def reload(self) -> Any: ...

    def _confirm_with_box(self, text: str) -> bool:
        answer = QMessageBox.question(self.as_widget(), self.tr("Restore"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_restore(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        v = chosen[0]
        when = version_label(v.version)
        if self.deleted:
            text = self.tr("Bring the draft's folder back from the version of %1?").replace(
                "%1", when)
        else:
            text = self.tr(
                "Restore the version of %1?\n\nThe draft's current state is saved as a new "
                "version first, so this restore can be undone from this list.\n\n"
                "Close CapCut / JianYing before restoring: an open editor can overwrite the "
                "restored files with what it has in memory.").replace("%1", when)
        if v.not_kept:
            text += "\n\n" + self.tr("%n media file(s) were not kept in this version and "
                                     "stay as they are.", "", len(v.not_kept))
        if self.confirm(text):
            self.restore(v.version)

    def restore(self, version: str) -> Any:
        window = self.window_

        async def go() -> None:
            result = await window.session.restore(self.key, version)
            extra = (self.tr("; %n file(s) moved aside", "", len(result.moved_aside))
                     if result.moved_aside else "")
            window.log_activity(self.tr("%1: restored version %2 (%3 file(s) written%4)")
                                .replace("%1", self.name).replace("%2", version_label(version))
                                .replace("%3", str(len(result.written))).replace("%4", extra))
            self.deleted = False
            self.restore_button.setText(self.tr("Restore…"))
            await self.reload()

        return window.spawn(go(), "Restore")

    def restore_as_new(self) -> Any:
        from draftkeeper.ui.timeline.compare import RestoreAsNewDialog

        chosen = self.selected()
        if len(chosen) != 1:
            return None
        dialog = RestoreAsNewDialog(self.window_, self.key, self.name, chosen[0], self.as_widget())
        dialog.open()
        return dialog

    def restore_file(self) -> Any:
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        dialog = QInputDialog(self.as_widget())
        dialog.setWindowTitle(self.tr("Restore a file"))
        dialog.setLabelText(self.tr(
            "Bring back one file of the version of %1; every other file stays as it is. "
            "The current state is saved first.").replace("%1", version_label(chosen[0].version)))
        files = self.files_of(chosen[0])
        dialog.setComboBoxItems(files)
        dialog.setComboBoxEditable(False)
        version = chosen[0].version
        dialog.textValueSelected.connect(lambda rel: self._restore_one(version, rel))
        dialog.open()
        return dialog

    def files_of(self, v: VersionInfo) -> list[str]:
        store = self.window_.session.local.store
        manifest = store.manifest(parse_draft_id(self.key), v.version)
        return [f.path for f in manifest.files if f.kept]

    def _restore_one(self, version: str, rel: str) -> Any:
        window = self.window_

        async def go() -> None:
            await window.session.restore_file(self.key, version, rel)
            window.log_activity(self.tr("%1: restored %2 from the version of %3").replace(
                "%1", self.name).replace("%2", rel).replace("%3", version_label(version)))
            await self.reload()

        return window.spawn(go(), "Restore")

    def compare_selected(self) -> Any:
        from draftkeeper.ui.timeline.compare import CompareDialog

        chosen = self.selected()
        if len(chosen) == 2:
            older, newer = sorted(chosen, key=lambda v: v.version)
            dialog = CompareDialog(self.window_, self.key, older.version, newer.version,
                                   self.as_widget())
        elif len(chosen) == 1 and not self.deleted:
            dialog = CompareDialog(self.window_, self.key, chosen[0].version, None,
                                   self.as_widget())
        else:
            return None
        dialog.show()
        return dialog

    def toggle_pin(self) -> Any:
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        v = chosen[0]
        if v.pinned:
            return self.pin(v.version, False)
        dialog = QInputDialog(self.as_widget())
        dialog.setWindowTitle(self.tr("Pin version"))
        dialog.setLabelText(self.tr("A pinned version is never thinned. Name it (optional), "
                                    "e.g. “sent to client”:"))
        dialog.setTextValue(v.label)
        dialog.textValueSelected.connect(lambda text: self.pin(v.version, True, text))
        dialog.open()
        return dialog

    def pin(self, version: str, pinned: bool, label: str | None = None) -> Any:
        window = self.window_

        async def go() -> None:
            await window.session.pin(self.key, version, pinned, label)
            await self.reload()

        return window.spawn(go(), "Pin")
