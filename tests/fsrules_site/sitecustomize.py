"""Puts the Windows or macOS file rules in place in a subprocess of the tests (the command
line's): ``pytest --fs-rules windows`` sets ``DK_FS_RULES`` and puts this folder first on
``PYTHONPATH``. See tests/fsrules.py."""

import os
import sys

if os.environ.get("DK_FS_RULES"):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    from tests.fsrules import install

    install(os.environ["DK_FS_RULES"], setattr)
