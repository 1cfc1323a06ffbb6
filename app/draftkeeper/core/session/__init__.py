"""The Session: one Settings, the local and remote engines behind one Router, the
scheduler and the file watcher; the one path every command of the window and the CLI
takes.

May import ``saving``, ``local``, ``remote`` and everything below them.
"""
