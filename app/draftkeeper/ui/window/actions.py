"""The main window's actions, toolbar and menus, and which actions the selection enables.

A part of MainWindow (window.py); its words keep the window's translation context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar

from draftkeeper.core.settings.table import SPECS
from draftkeeper.ui.dialogs.fields import limits_text
from draftkeeper.ui.window.parts import WindowPart


class WindowActions(WindowPart):
    """The actions (with their keys and tips), the toolbar with the autosave interval,
    the menus; actions are enabled as the selection and the store allow."""

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: Any = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _make_actions(self) -> None:
        self.act_save = self._action(
            QCoreApplication.translate("MainWindow", "Save"),
            self.save_selected,
            QKeySequence.StandardKey.Save,
            QCoreApplication.translate("MainWindow", "Save the selected drafts now (Ctrl+S)"),
        )
        self.act_save_all = self._action(
            QCoreApplication.translate("MainWindow", "Save all"),
            self.save_all,
            "Ctrl+Shift+S",
            QCoreApplication.translate(
                "MainWindow", "Save every draft with unsaved changes (Ctrl+Shift+S)"
            ),
        )
        self.act_autosave = QAction(QCoreApplication.translate("MainWindow", "Autosave"), self)
        self.act_autosave.setCheckable(True)
        self.act_autosave.setChecked(self.session.settings.autosave_enabled)
        self.act_autosave.setToolTip(
            QCoreApplication.translate("MainWindow", "Save changed drafts automatically")
        )
        self.act_autosave.toggled.connect(self._autosave_changed)
        self.act_add_folder = self._action(
            QCoreApplication.translate("MainWindow", "Add drafts folder…"),
            self.add_folder,
            None,
            QCoreApplication.translate("MainWindow", "Add a folder whose subfolders are drafts"),
        )
        self.act_add_url = self._action(
            QCoreApplication.translate("MainWindow", "Add draft URL…"),
            self.add_url,
            None,
            QCoreApplication.translate("MainWindow", "Add a draft kept on a capcut-mate server"),
        )
        self.act_sample = self._action(
            QCoreApplication.translate("MainWindow", "Create a sample draft"), self.create_sample
        )
        self.act_remove = self._action(
            QCoreApplication.translate("MainWindow", "Remove from list"),
            self.remove_selected,
            QKeySequence.StandardKey.Delete,
            QCoreApplication.translate(
                "MainWindow",
                "Stop listing and autosaving the selected drafts (nothing is deleted; "
                "Ctrl+Z undoes it)",
            ),
        )
        self.act_undo = self._action(
            QCoreApplication.translate("MainWindow", "Undo remove"),
            self.undo_remove,
            QKeySequence.StandardKey.Undo,
            QCoreApplication.translate("MainWindow", "Put the draft just removed back on the list"),
        )
        self.act_undo.setEnabled(False)
        self.act_open = self._action(
            QCoreApplication.translate("MainWindow", "Open folder"),
            self.open_folder,
            None,
            QCoreApplication.translate("MainWindow", "Open the draft's folder"),
        )
        self.act_history = self._action(
            QCoreApplication.translate("MainWindow", "History…"),
            self.show_history,
            "Ctrl+H",
            QCoreApplication.translate(
                "MainWindow", "Versions of the selected draft, and restore (Enter)"
            ),
        )
        self.act_pull = self._action(
            QCoreApplication.translate("MainWindow", "Pull into editor…"),
            self.ask_pull,
            None,
            QCoreApplication.translate(
                "MainWindow",
                "Write the selected remote draft into the drafts folder, ready to open "
                "in the editor (a local draft already there is saved as a version first)",
            ),
        )
        self.act_settings = self._action(
            QCoreApplication.translate("MainWindow", "Settings…"),
            self.show_settings,
            "Ctrl+,",
            QCoreApplication.translate("MainWindow", "Settings (Ctrl+,)"),
        )
        self.act_about = self._action(
            QCoreApplication.translate("MainWindow", "About Draft Keeper"), self.show_about
        )
        self.act_quit = self._action(
            QCoreApplication.translate("MainWindow", "Quit"),
            self.quit_app,
            QKeySequence.StandardKey.Quit,
        )
        if self.act_quit.shortcut().isEmpty():  # platforms without a standard quit key
            self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

    def _make_toolbar_and_menus(self) -> None:
        bar = QToolBar(QCoreApplication.translate("MainWindow", "Main toolbar"))
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        for a in (self.act_save, self.act_save_all):
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.act_autosave)
        spec = SPECS["autosave_interval_s"]
        every = QLabel(QCoreApplication.translate("MainWindow", " every "))
        bar.addWidget(every)
        self.interval = QLineEdit(f"{self.session.settings.autosave_interval_s:g}")
        self.interval.setMaximumWidth(60)
        self.interval.setToolTip(
            QCoreApplication.translate("MainWindow", "Autosave interval, {limits}").format(
                limits=limits_text(spec)
            )
        )
        self.interval.editingFinished.connect(self._interval_changed)
        bar.addWidget(self.interval)
        bar.addWidget(QLabel(f" {spec.unit} "))
        bar.addSeparator()
        for a in (
            self.act_add_folder,
            self.act_add_url,
            self.act_remove,
            self.act_open,
            self.act_history,
            self.act_pull,
            self.act_settings,
        ):
            bar.addAction(a)

        menu = self.menuBar()
        file_menu = menu.addMenu(QCoreApplication.translate("MainWindow", "&File"))
        for a in (self.act_add_folder, self.act_add_url, self.act_sample):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        draft_menu = menu.addMenu(QCoreApplication.translate("MainWindow", "&Draft"))
        for a in (
            self.act_save,
            self.act_save_all,
            self.act_history,
            self.act_open,
            self.act_pull,
            self.act_remove,
            self.act_undo,
        ):
            draft_menu.addAction(a)
        settings_menu = menu.addMenu(QCoreApplication.translate("MainWindow", "&Settings"))
        settings_menu.addAction(self.act_autosave)
        settings_menu.addAction(self.act_settings)
        help_menu = menu.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
        help_menu.addAction(self.act_about)
        # shortcuts work wherever the focus is in the window, menus open or not
        self.act_find = self._action(
            QCoreApplication.translate("MainWindow", "Filter"), self.focus_filter, "Ctrl+F"
        )
        self.act_rescan = self._action(
            QCoreApplication.translate("MainWindow", "Rescan"),
            self.rescan,
            "F5",
            QCoreApplication.translate("MainWindow", "Look for new and changed drafts now (F5)"),
        )
        draft_menu.addAction(self.act_rescan)
        for key in ("Return", "Enter"):  # Enter on the table opens the draft's history
            QShortcut(
                QKeySequence(key),
                self.table,
                self.show_history,
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        self.addActions(
            [
                self.act_save,
                self.act_save_all,
                self.act_history,
                self.act_remove,
                self.act_undo,
                self.act_settings,
                self.act_quit,
                self.act_find,
                self.act_rescan,
            ]
        )

    def _update_actions(self) -> None:
        keys = self.selected_keys()
        one = len(keys) == 1
        usable = self.session.store_problem is None
        self.act_save_all.setEnabled(usable)
        self.act_sample.setEnabled(usable)
        self.act_save.setEnabled(bool(keys) and usable)
        self.act_remove.setEnabled(bool(keys))
        self.act_history.setEnabled(one)
        self.act_open.setEnabled(one and not self.session.is_remote(keys[0]))
        self.act_pull.setEnabled(one and usable and self.session.is_remote(keys[0]))
