"""The save scheduler and its parts: the status board, one save at a time per draft,
autosave, retries and slow retries, per-server limits, the flush at quit, and the clock
they run on. It drives any ``SaveBackend`` and knows neither engine.

May import ``store`` (the record of attempts), ``drafts``, ``settings`` and the shared leaves.
"""
