"""Dialogs: add a folder or a draft URL, remote history, settings (editors derived
from the settings' declarations) and pull into the editor.

May import ``ui.words``, ``ui.style`` and ``draftkeeper.core``.
"""
