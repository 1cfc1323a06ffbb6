"""Settings from the main window: the Settings dialog (all changes apply, or none), a
version store that cannot be used (the banner, choosing another), the login entry and
the Local API, each following the settings.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from draftkeeper.core import paths
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.platform import autostart
from draftkeeper.core.settings.table import SettingError
from draftkeeper.ui.dialogs.settings import SettingsDialog
from draftkeeper.ui.window.parts import WindowPart


class SettingsFlow(WindowPart):
    """Applies settings through the session, then brings the window, the login entry and
    the Local API in line with them."""

    def show_settings(self) -> SettingsDialog:
        """The Settings dialog; only one at a time (a second open raises the first)."""
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return self._settings_dialog
        dialog = SettingsDialog(
            self.session.settings,
            [str(r) for r in self.session.roots],
            self.session.check_settings,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.apply_requested.connect(lambda changes: self.apply_settings(changes, dialog))
        dialog.finished.connect(lambda _r: setattr(self, "_settings_dialog", None))
        self._settings_dialog = dialog
        dialog.show()
        return dialog

    def apply_settings(
        self, changes: dict[str, Any], dialog: SettingsDialog | None = None
    ) -> asyncio.Task[Any]:
        """All changes apply, or none: a refusal shows next to its fields in the dialog."""

        async def go() -> None:
            paused = self.paused_until is not None
            try:
                # a pause is not a setting: what is saved is autosave as it was before it
                await self.session.apply_settings(
                    {"autosave_enabled": True, **changes} if paused else changes
                )
                if paused:
                    self.session.scheduler.set_autosave(False)
            except SettingError as exc:
                if dialog is None:
                    raise
                dialog.show_problems(exc.problems)
                dialog.buttons.setEnabled(True)
                return
            except DraftKeeperError as exc:
                if dialog is None:
                    raise
                dialog.show_error(exc.message)
                return
            self.set_error(QCoreApplication.translate("MainWindow", "Settings"), None)
            self._settings_applied()
            self.log_activity(QCoreApplication.translate("MainWindow", "Settings saved"))
            if dialog is not None:
                dialog.applied()
            await self.apply_api()  # a refused address is reported like any failed command

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Settings"))

    def _settings_applied(self) -> None:
        s = self.session.settings
        self.act_autosave.blockSignals(True)
        self.act_autosave.setChecked(s.autosave_enabled)
        self.act_autosave.blockSignals(False)
        self.interval.setText(f"{s.autosave_interval_s:g}")
        self.interval.setStyleSheet("")
        self.set_error("interval", None)
        self._show_store_problem()
        self._apply_start_at_login()
        self._refresh_chrome()

    def _apply_start_at_login(self) -> None:
        """The login entry follows the setting when it changes."""
        wanted = self.session.settings.start_at_login
        if wanted == self._start_at_login:
            return
        try:
            autostart.apply(wanted)
        except OSError as exc:
            self.set_error(
                "start at login",
                QCoreApplication.translate("MainWindow", "Start at login: {error}").format(
                    error=exc
                ),
            )
            return
        self._start_at_login = wanted
        self.set_error("start at login", None)

    def _show_store_problem(self) -> None:
        problem = self.session.store_problem
        if problem is None:
            self.store_banner.hide()
        else:
            self.store_banner.show_problem(problem, str(paths.default_store_dir()))
        for action in (self.act_save, self.act_save_all, self.act_sample):
            action.setVisible(True)
        self._update_actions()

    def choose_store(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, QCoreApplication.translate("MainWindow", "Version store")
        )
        if folder:
            self.use_store(folder)

    def use_store(self, folder: str | None) -> asyncio.Task[Any]:
        """Switch to another store (None: the default); saving starts once it works."""

        async def go() -> None:
            try:
                await self.session.apply_settings({"store_dir": folder})
            except DraftKeeperError as exc:
                problems = getattr(exc, "problems", None)
                text = problems[0].params.get("reason", exc.message) if problems else (exc.message)
                self.store_banner.show_problem(text, str(paths.default_store_dir()))
                return
            self.log_activity(
                QCoreApplication.translate("MainWindow", "Versions are kept in {path}").format(
                    path=self.session.settings.store_path()
                )
            )
            self._settings_applied()

        return self.spawn(go(), QCoreApplication.translate("MainWindow", "Version store"))

    async def apply_api(self) -> None:
        """Start, restart or stop the Local API to match the settings."""
        from draftkeeper.core.serve.server import (  # aiohttp only when the API is on
            ApiOptions,
            ApiServer,
        )

        settings = self.session.settings
        if self.api is not None:
            if settings.api_enabled and self.api.options == ApiOptions.from_settings(settings):
                return
            await self.stop_api()
        if not settings.api_enabled:
            return
        api = ApiServer(self.session)  # refuses an address off loopback without a token
        url = await api.start()
        self.api = api
        if self.api_label is None:
            self.api_label = QLabel()
            self.statusBar().addPermanentWidget(self.api_label)
        self.api_label.setText(
            QCoreApplication.translate("MainWindow", "Local API: {url}").format(url=url)
        )
        self.api_label.show()
        self.log_activity(
            QCoreApplication.translate(
                "MainWindow", "Local API serving save_draft on {url}"
            ).format(url=url)
        )

    async def stop_api(self) -> None:
        api, self.api = self.api, None
        if api is None:
            return
        await api.stop()
        if self.api_label is not None:
            self.api_label.hide()
        self.log_activity(QCoreApplication.translate("MainWindow", "Local API stopped"))
