"""cli/leanpath.py: pathlib loaded without re, fnmatch, warnings, ntpath and urllib.parse
behaves as pathlib does, and loads each of them when a method first needs it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LATER = ("re", "fnmatch", "warnings", "ntpath", "urllib.parse", "ipaddress")

# every pathlib method that uses one of them, each printed; then which of them are loaded
USES = r"""
import sys, warnings as _w
from pathlib import Path, PurePath, PureWindowsPath
folder = Path(sys.argv[1])
print(Path("/tmp/a b/é?#%~_.-x").as_uri(), PureWindowsPath("C:/a b/é").as_uri(),
      PureWindowsPath("//host/share/x y").as_uri())
print(sorted(p.name for p in folder.glob("*.json")), sorted(p.name for p in folder.rglob("*.t?t")))
print(PurePath("a/b/c.json").match("b/*.json"), PureWindowsPath("A/B.JSON").match("*.json"),
      PureWindowsPath("C:\\x\\y").parts, PureWindowsPath("C:/x") == PureWindowsPath("c:/X"))
with _w.catch_warnings(record=True) as caught:
    _w.simplefilter("always")
    with Path(".") as p:
        pass
print([str(c.message)[:30] for c in caught])
import pathlib
print(all(getattr(pathlib, n) is sys.modules[n] for n in ("re", "fnmatch", "warnings")))
"""


LOADED = f"import sys\nprint(sorted(n for n in {LATER!r} if n in sys.modules))\n"
LEAN = "from draftkeeper.cli import leanpath\nleanpath.load()\n"
PLAIN = "import pathlib\n"


def run(program: str, folder: Path, first: str) -> list[str]:
    """``program`` in a process that has loaded none of them (no site: the development
    venv's editable finder loads pathlib, re and urllib.parse at every start), after
    ``first`` (LEAN: ``leanpath.load()``; PLAIN: the plain ``import pathlib``)."""
    env = {k: v for k, v in os.environ.items() if k != "DK_FS_RULES"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "app"), sysconfig.get_paths()["purelib"]])
    proc = subprocess.run([sys.executable, "-S", "-c", first + LOADED + program, str(folder)],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_pathlib_loaded_lean_does_what_pathlib_does(tmp_path: Path) -> None:
    if sys.version_info[:2] != (3, 11):
        pytest.skip("lean on Python 3.11 only")
    for name in ("a.json", "b.json", "c.txt", "sub/d.txt", "sub/e.tyt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    lean = run(USES, tmp_path, LEAN)
    plain = run(USES, tmp_path, PLAIN)
    assert lean[0] == "[]"  # none of them loaded by pathlib's import
    assert plain[0] == str(sorted(LATER))  # (the measurement itself works)
    assert lean[1:] == plain[1:]  # then every method works as pathlib's own
    assert lean[1].startswith("file:///tmp/a%20b/%C3%A9%3F%23%25~_.-x file:///C:/a%20b/%C3%A9")
    assert lean[-1] == "True"  # pathlib uses the real modules from then on


def test_as_uri_loads_no_url_parser() -> None:
    """The store opens its database by a ``file:`` URI on every save: the path's bytes
    quoted as urllib.parse.quote_from_bytes quotes them, without it."""
    if sys.version_info[:2] != (3, 11):
        pytest.skip("lean on Python 3.11 only")
    program = ("import os\nfrom pathlib import Path\n"
               "names = [bytes([b]).decode('latin-1') for b in range(1, 256) if b != 47]\n"
               "print(Path('/' + ''.join(names) + '/x').as_uri())\n"
               + LOADED)
    lean = run(program, REPO, LEAN)
    plain = run(program, REPO, PLAIN)
    assert lean[1] == plain[1]
    assert lean[2] == "[]"


def test_pathlib_is_imported_plainly_while_another_thread_runs() -> None:
    program = "import pathlib\n" + LOADED
    first = ("import threading\n"
             "stop = threading.Event()\n"
             "threading.Thread(target=stop.wait).start()\n" + LEAN + "stop.set()\n")
    out = run(program, REPO, first)
    assert out[0] == out[1] == str(sorted(LATER))  # loaded with pathlib: plainly
