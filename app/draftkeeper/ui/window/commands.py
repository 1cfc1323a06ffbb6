"""The main window's draft commands: save (selected, all), rescan, add a drafts folder or
a draft URL, create a sample, remove from the list (undoable for a while), open folder.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from draftkeeper.ui.dialogs.add import AddFolderDialog, AddUrlDialog
from draftkeeper.ui.window.parts import WindowPart
from draftkeeper.ui.words.basic import readable

UNDO_SECONDS = 60


class DraftCommands(WindowPart):
    """Each command runs through the session on the loop (``spawn``); its outcome goes
    to the Activity panel, its error to the status bar."""

    def save_selected(self) -> asyncio.Task[Any] | None:
        keys = self.selected_keys()
        if not keys:
            return None
        return self.spawn(
            self.session.scheduler.save_all(keys),
            QCoreApplication.translate("MainWindow", "Save"),
            report=False,
        )

    def save_all(self) -> asyncio.Task[Any]:
        return self.spawn(
            self.session.scheduler.save_all(),
            QCoreApplication.translate("MainWindow", "Save all"),
            report=False,
        )

    def rescan(self) -> asyncio.Task[Any]:
        return self.spawn(
            self.session.scheduler.refresh(), QCoreApplication.translate("MainWindow", "Rescan")
        )

    def add_folder(self) -> None:
        dialog = AddFolderDialog(self)
        if dialog.exec():
            self.add_folder_path(dialog.path.text().strip())

    def add_folder_path(self, folder: str) -> asyncio.Task[Any]:
        async def go() -> None:
            path = await self.session.add_root(folder)
            self.log_activity(
                QCoreApplication.translate("MainWindow", "Added drafts folder {path}").format(
                    path=path
                )
            )

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Add folder"))

    def add_url(self) -> None:
        dialog = AddUrlDialog(self.session.validate_draft_url, self)
        if dialog.exec():
            self.add_url_text(dialog.result_url)

    def add_url_text(self, url: str) -> asyncio.Task[Any]:
        async def go() -> None:
            added = await self.session.add_remote(url)
            self.log_activity(
                QCoreApplication.translate("MainWindow", "Added remote draft {url}").format(
                    url=readable(added)
                )
            )

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Add draft URL"))

    def create_sample(self) -> asyncio.Task[Any]:
        async def go() -> str:
            draft_id = await self.session.create_sample()
            self.log_activity(
                QCoreApplication.translate(
                    "MainWindow", "Created sample draft {id}; saving it"
                ).format(id=draft_id)
            )
            self.select_key(draft_id)
            await self.session.scheduler.save(draft_id)
            return draft_id

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Create sample draft"))

    def remove_selected(self) -> asyncio.Task[Any] | None:
        """Remove from list (the menu item and the Delete key): undoable from the status
        bar or with Ctrl+Z, and the status bar says the draft is no longer autosaved."""
        keys = self.selected_keys()
        if not keys:
            return None
        names = {k: self.model.status_at(self.model.row_of(k) or 0).info.name for k in keys}

        async def go() -> None:
            for key in keys:
                await self.session.remove(key)
            self._offer_undo(keys, names)

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Remove from list"))

    def _offer_undo(self, keys: list[str], names: dict[str, str]) -> None:
        self._undo_keys = list(keys)
        shown = (
            names[keys[0]]
            if len(keys) == 1
            else QCoreApplication.translate("MainWindow", "{n} drafts").format(n=len(keys))
        )
        self.undo_bar.text.setText(
            QCoreApplication.translate(
                "MainWindow", "Removed {name} from the list: no longer autosaved."
            ).format(name=shown)
        )
        self.undo_bar.show()
        self.act_undo.setEnabled(True)
        self._undo_timer.start()

    def _forget_undo(self) -> None:
        self._undo_keys = []
        self.undo_bar.hide()
        self.act_undo.setEnabled(False)

    def undo_remove(self) -> asyncio.Task[Any] | None:
        keys = list(getattr(self, "_undo_keys", []))
        if not keys:
            return None
        self._forget_undo()

        async def go() -> None:
            for key in keys:
                await self.session.unremove(key)
            self.log_activity(
                QCoreApplication.translate("MainWindow", "Back on the list: {names}").format(
                    names=", ".join(
                        self.model.status_at(r).info.name
                        for k in keys
                        if (r := self.model.row_of(k)) is not None
                    )
                )
            )
            if keys:
                self.select_key(keys[0])

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Undo remove"))

    def open_folder(self) -> None:
        keys = self.selected_keys()
        if len(keys) != 1 or self.session.is_remote(keys[0]):
            return
        row = self.model.row_of(keys[0])
        if row is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.model.status_at(row).info.path))
