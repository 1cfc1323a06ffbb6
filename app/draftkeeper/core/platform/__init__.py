"""Every rule that differs between Windows, macOS and Linux, in one place: which system's
rules apply (system.py, the only module that asks ``sys.platform``), file names (names.py:
reserved names, lengths, case and Unicode forms), file operations (files.py: reading with
full sharing, waiting out sharing violations, long paths, folder fsync, the OS lock), the
editors' draft folders (folders.py) and starting at login (autostart.py).

Imports nothing else of Draft Keeper: every other package may use it.
"""
