"""Entry point of the packaged program (PyInstaller runs this file)."""

import sys

from draftkeeper.core.platform.workers import WORKER_ARG, serve

if __name__ == "__main__":
    if sys.argv[1:2] == [WORKER_ARG]:  # a helper process (a batch save's, the parser's)
        serve()  # before anything else is imported: it stays lean
        raise SystemExit(0)
    from draftkeeper.cli.front import run

    raise SystemExit(run())
