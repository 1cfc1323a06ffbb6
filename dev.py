"""The README's two commands for systems without `make` (Windows above all).

    python dev.py run [ARGS...]          # like `make run ARGS="..."`: the app, or a command
    python dev.py test [PYTEST_ARGS...]  # like `make test PYTEST_ARGS="..."`: the test suite

On Windows use `py dev.py run` / `py dev.py test`. The first use creates `.venv` with the
Python that runs this file and installs the project into it (`-e .[test,dev]`); later uses
reuse it until pyproject.toml changes. The stamp is the Makefile's own `.venv/.installed`,
so `make` and this file agree about when to reinstall.

Why a script and not nox or uv: this needs nothing but Python, which a fresh Windows
machine with python.org's installer already has (as `py`). nox or uv would have to be
installed first, before the first command of the README could work, and would stand
between the user and the same two steps the Makefile does. Only the standard library is
used, and the file itself runs on Python 3.7 and newer, so that an older Python is told
plainly that Draft Keeper needs 3.11.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)  # pyproject's requires-python

USAGE = """\
usage: python dev.py run [ARGS...]
       python dev.py test [PYTEST_ARGS...]

  run    the app (`draftkeeper`) from .venv; ARGS go to it (e.g. `run list`)
  test   the test suite (`python -m pytest`) from .venv; PYTEST_ARGS go to pytest

The first use creates .venv and installs the project with its test and dev extras; it is
reinstalled when pyproject.toml is newer than .venv/.installed (as `make` does).
On Windows: `py dev.py run`, `py dev.py test`.
"""


class VenvPaths:
    """Where a virtual environment keeps what `make` and this file use."""

    def __init__(self, venv: Path, platform: str) -> None:
        windows = platform == "win32"
        # venv puts executables in Scripts\ with .exe on Windows, in bin/ elsewhere
        self.bin = venv / ("Scripts" if windows else "bin")
        suffix = ".exe" if windows else ""
        self.python = self.bin / f"python{suffix}"
        self.draftkeeper = self.bin / f"draftkeeper{suffix}"  # the console script
        self.stamp = venv / ".installed"  # the Makefile's $(STAMP)


def venv_paths(platform: str = sys.platform, venv: Path = VENV) -> VenvPaths:
    """The paths in `venv` on `platform` (a `sys.platform` value: win32, linux, darwin)."""
    return VenvPaths(venv, platform)


def needs_install(paths: VenvPaths, pyproject: Path = ROOT / "pyproject.toml") -> bool:
    """Make's rule for `$(STAMP): pyproject.toml`: no stamp, or pyproject.toml newer."""
    if not paths.stamp.exists() or not paths.python.exists():
        return True
    return pyproject.stat().st_mtime > paths.stamp.stat().st_mtime


def command(name: str, args: list[str], paths: VenvPaths) -> list[str]:
    """The command line `make run` / `make test` would run."""
    if name == "run":
        return [str(paths.draftkeeper), *args]
    return [str(paths.python), "-m", "pytest", *args]


def install(paths: VenvPaths) -> None:
    """What the Makefile's stamp rule does: venv, pip upgraded, the project, the stamp."""
    if not paths.python.exists():
        print(f"dev.py: creating {VENV} with {sys.executable}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print("dev.py: installing the project into .venv (-e .[test,dev])", file=sys.stderr)
    pip = [str(paths.python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test,dev]"], check=True)
    paths.stamp.touch()  # now newer than pyproject.toml (touch also dates an existing stamp)


def wait(argv: list[str], cwd: Path | None) -> int:
    """Run `argv` and return its exit code. Ctrl+C reaches the child as well (same console),
    and the app answers it by saving what is at risk before it ends: wait for that instead
    of killing it."""
    proc = subprocess.Popen(argv, cwd=cwd)
    while True:
        try:
            code = proc.wait()
        except KeyboardInterrupt:
            continue
        # a POSIX child ended by a signal reports -N; a shell would say 128 + N
        return 128 - code if code < 0 else code


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    name, args = argv[0], argv[1:]
    if name not in ("run", "test"):
        print(USAGE, end="", file=sys.stderr)
        print(f"dev.py: unknown command {name!r} (run or test)", file=sys.stderr)
        return 2
    if sys.version_info < MIN_PYTHON:
        print(f"dev.py: Draft Keeper needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; "
              f"this is {sys.version.split()[0]} ({sys.executable}). On Windows: "
              "py -3.11 dev.py ...", file=sys.stderr)
        return 2
    paths = venv_paths()
    if needs_install(paths):
        try:
            install(paths)
        except subprocess.CalledProcessError as e:
            print(f"dev.py: installing failed (exit {e.returncode}): {e.cmd}", file=sys.stderr)
            return 1
    # `make test` runs in the repository (pytest finds its settings in pyproject.toml);
    # `run` stays in the caller's folder, so that paths in ARGS mean what they say
    return wait(command(name, args, paths), cwd=ROOT if name == "test" else None)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
