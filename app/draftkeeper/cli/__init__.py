"""The command line: argparse commands over the Session, the quick answer to an unchanged
local save in front of them, and the English words a terminal shows.

May import ``draftkeeper.core`` (any of it) and, to open the window, ``draftkeeper.ui.app``.
"""
