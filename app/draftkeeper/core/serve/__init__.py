"""The save_draft HTTP API served from the local engine (``draftkeeper serve`` and the
window's Local API), with its error texts in English and Chinese.

May import ``session`` and everything below it.
"""
