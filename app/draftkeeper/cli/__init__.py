"""The command line: argparse commands over the Session (a local save or restore over the
same store code without it), the answers to ``--version`` and an unchanged local save in
front of them, and the English words a terminal shows.

May import ``draftkeeper.core`` (any of it) and, to open the window, ``draftkeeper.ui.app``.
"""
