"""The draft table's model (one row per draft, fed by status events), its filter and
its columns.

May import ``ui.words``, ``ui.style`` and ``draftkeeper.core``.
"""
