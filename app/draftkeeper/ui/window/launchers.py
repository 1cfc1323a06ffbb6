"""The main window's dialogs on one draft: its history (the timeline of a local draft,
the versions of a remote one, with restore), pulling a remote draft into the editor's
folder, and About.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from draftkeeper import __version__
from draftkeeper.core import logs, paths
from draftkeeper.ui.dialogs.history import HistoryDialog
from draftkeeper.ui.dialogs.pull import PullDialog
from draftkeeper.ui.window.parts import WindowPart
from draftkeeper.ui.words import basic
from draftkeeper.ui.words.basic import human_size, version_label


class DialogLaunchers(WindowPart):
    """Opens the dialogs without a nested event loop; what they ask for runs through the
    session like any other command."""

    def _one_remote(self) -> tuple[str, str] | None:
        """(key, name) of the one selected draft when it is a remote one."""
        keys = self.selected_keys()
        if len(keys) != 1 or not self.session.is_remote(keys[0]):
            return None
        row = self.model.row_of(keys[0])
        return keys[0], self.model.status_at(row).info.name if row is not None else keys[0]

    def ask_pull(self) -> asyncio.Task[Any] | None:
        """Ask which drafts folder and which state (latest, or a version kept here), then
        pull; the dialog opens without a nested event loop."""
        selected = self._one_remote()
        if selected is None:
            return None
        key, name = selected

        async def go() -> None:
            history = await self.session.history(key)
            kept = [v for v in history if v.reason != "remote" and v.damaged is None]
            dialog = PullDialog(name, self.session.roots, kept, self)
            self.pull_dialog = dialog
            dialog.accepted.connect(lambda: self.pull_selected(*dialog.chosen()))
            dialog.open()

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Pull"))

    def pull_selected(
        self, root: Path | None = None, version: str | None = None
    ) -> asyncio.Task[Any] | None:
        """Pull the selected remote draft into ``root`` (the first drafts folder unless
        given), its ``version`` or the latest; progress in the status bar, the outcome in
        the activity panel."""
        selected = self._one_remote()
        if selected is None:
            return None
        key, name = selected
        received = 0

        def progress(n: int) -> None:
            nonlocal received
            received += n
            self.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Pulling {name}: {size} received").format(
                    name=name, size=human_size(received)
                )
            )

        async def go() -> None:
            self.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Pulling {name}…").format(name=name)
            )
            try:
                result = await self.session.pull(key, root, version, progress=progress)
            finally:
                self.statusBar().clearMessage()
            self.log_activity(
                QCoreApplication.translate(
                    "MainWindow", "{name}: pulled into {folder} (version {version}, {files} files)"
                ).format(
                    name=name, folder=result.folder, version=result.version, files=result.files
                )
            )
            self.select_key(result.draft_id)  # the pulled draft, now a local one

        self.act_pull.setEnabled(False)
        task = self.spawn(go(), QCoreApplication.translate("MainWindow", "Pull"))
        task.add_done_callback(lambda _t: self._update_actions())
        return task

    def show_history(self) -> QDialog | None:
        keys = self.selected_keys()
        if len(keys) != 1:
            return None
        key = keys[0]
        row = self.model.row_of(key)
        assert row is not None
        status = self.model.status_at(row)
        if not status.remote:
            return self.drafts_ui.show_timeline(status)
        dialog = HistoryDialog(status.info.name, status.remote, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        async def load() -> None:
            dialog.show_versions(await self.session.history(key))

        async def restore(version: str) -> None:
            result = await self.session.restore(key, version)
            text = basic.plural(
                "MainWindow",
                "{name}: restored version {version} (%n file(s) written)",
                len(result.written),
            ).format(name=status.info.name, version=version_label(version))
            if result.moved_aside:
                text += basic.plural(
                    "MainWindow", "; %n file(s) moved aside", len(result.moved_aside)
                )
            self.log_activity(text)
            await load()

        dialog.restore_requested.connect(
            lambda v: self.spawn(restore(v), QCoreApplication.translate("MainWindow", "Restore"))
        )
        dialog.loaded = self.spawn(load(), QCoreApplication.translate("MainWindow", "History"))  # type: ignore[attr-defined]
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            QCoreApplication.translate("MainWindow", "About Draft Keeper"),
            QCoreApplication.translate(
                "MainWindow",
                "<h3>Draft Keeper {version}</h3>"
                "<p>Keeps CapCut / JianYing drafts safe: live save status, autosave, "
                "versions and restore, locally or through a capcut-mate server.</p>"
                "<p>Versions: {store}<br>Settings: {settings}<br>Log file: {log}</p>",
            ).format(
                version=__version__,
                store=self.session.settings.store_path(),
                settings=paths.settings_file(),
                log=logs.log_file(),
            ),
        )
