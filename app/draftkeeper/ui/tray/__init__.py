"""The tray icon (the overall state) and desktop notifications about drafts at risk.

May import ``ui.words``, ``ui.style`` and ``draftkeeper.core``.
"""
