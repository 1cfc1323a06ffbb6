"""Entry point of the packaged program (PyInstaller runs this file)."""

import multiprocessing

from draftkeeper.cli.front import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the JSON-parsing process pool in a frozen program
    raise SystemExit(run())
