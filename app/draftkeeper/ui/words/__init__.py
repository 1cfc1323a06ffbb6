"""Words for people in the window, made through Qt's translations: statuses, times,
sizes and counts, and errors from their reason and parameters; and the choice of language.

May import only ``draftkeeper.core``.
"""
