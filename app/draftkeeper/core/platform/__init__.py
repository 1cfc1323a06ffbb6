"""Every rule that differs between Windows, macOS and Linux, in one place: which system's
rules apply (system.py, the only module that asks ``sys.platform``), file names (names.py:
reserved names, lengths, case and Unicode forms), file operations (files.py: reading with
full sharing, waiting out sharing violations, long paths, folder fsync, the OS lock, a
draft folder's walk), the editors' draft folders (folders.py), starting at login
(autostart.py) and starting a lean helper process (workers.py: no fork anywhere, the frozen
program's way in, no console window on Windows).

Imports nothing else of Draft Keeper: every other package may use it.
"""
