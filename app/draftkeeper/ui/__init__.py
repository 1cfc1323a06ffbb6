"""The PySide6 window over the core (``draftkeeper.core``), on a qasync loop: words (through
``tr()``), style, the table, dialogs, tray, timeline, and the window that composes them;
``app.py`` starts it. The UI shows the core's state and sends it commands.
"""
