"""History as a timeline: the dialog, its actions on a version (restore, pin,
restore as new, restore a file) and comparisons.

May import ``ui.dialogs``, ``ui.words``, ``ui.style`` and ``draftkeeper.core``.
"""
