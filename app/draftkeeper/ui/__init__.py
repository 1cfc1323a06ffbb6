"""PySide6 window over the Qt-free core (draftkeeper.core)."""
