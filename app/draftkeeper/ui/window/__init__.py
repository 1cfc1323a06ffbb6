"""The main window and its parts: the draft table's view, actions and menus, the
status bar and Activity panel, tray wiring, autosave controls, draft commands, the
launchers of dialogs, settings and the store, quitting safely.

May import the other ``ui`` packages and ``draftkeeper.core``.
"""
