"""Rules of the operating systems: starting at login (a freedesktop autostart entry,
the Windows Run key, a macOS LaunchAgent).

Imports nothing else of Draft Keeper.
"""
