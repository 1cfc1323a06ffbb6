"""The command line's code cache (app/draftkeeper/cli/codecache.py): built by the quick
exit, then not rewritten; an edited source runs as edited; a damaged cache, a folder that
cannot be written or a module that raises at import change nothing a user sees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import draftkeeper
from tests.conftest import CAPTIONS_ID

TAG = sys.implementation.cache_tag
RUN = "import sys; from draftkeeper.cli.front import run; sys.exit(run())"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package, on its own (edited by the tests): the folder holding it."""
    top = tmp_path / "site"
    shutil.copytree(Path(draftkeeper.__file__).parent, top / "draftkeeper",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return top


def cache_of(top: Path) -> Path:
    return top / "draftkeeper" / "__pycache__" / f"draftkeeper-codecache.{TAG}.bin"


def env_for(top: Path, tmp_path: Path, **more: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(top), DRAFTKEEPER_HOME=str(tmp_path / "home"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # (a sandbox's; a user's Python writes bytecode)
    return {**env, **more}


def dk(top: Path, tmp_path: Path, *argv: str, **more: str) -> subprocess.CompletedProcess[str]:
    """The program as its console script starts it, with the package copy ``top``."""
    return subprocess.run([sys.executable, "-c", RUN, *argv], capture_output=True, text=True,
                          env=env_for(top, tmp_path, **more), timeout=120, check=False)


def served(top: Path, tmp_path: Path, module: str) -> bool:
    """Whether a process with the code cache installed gets ``module`` from it."""
    code = ("import sys, importlib; from draftkeeper.cli import codecache; codecache.install(); "
            f"m = importlib.import_module({module!r}); "
            "print(type(m.__spec__.loader).__module__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env_for(top, tmp_path), timeout=60, check=True)
    return proc.stdout.strip() == "draftkeeper.cli.codecache"


def stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_the_cache_is_written_once_then_serves_and_is_not_rewritten(
        package: Path, tmp_path: Path) -> None:
    first = dk(package, tmp_path, "--help")
    assert first.returncode == 0 and "usage" in first.stdout, first.stderr
    cache = cache_of(package)
    assert cache.is_file()
    written = stamp(cache)
    again = dk(package, tmp_path, "--help")
    assert again.stdout == first.stdout and again.returncode == 0
    assert stamp(cache) == written  # settled: nothing new was loaded
    assert served(package, tmp_path, "draftkeeper.cli.parser")
    # another command adds what it loads, once
    dk(package, tmp_path, "list", "--root", str(tmp_path / "nowhere"))
    grown = stamp(cache)
    assert grown != written
    dk(package, tmp_path, "list", "--root", str(tmp_path / "nowhere"))
    assert stamp(cache) == grown
    assert served(package, tmp_path, "draftkeeper.cli.parser")
    # --version loads nothing the cache could hold: no cache file for it
    shutil.rmtree(cache.parent)
    assert dk(package, tmp_path, "--version").stdout == f"draftkeeper {draftkeeper.__version__}\n"
    assert not cache.exists()


def test_a_save_through_the_cache_is_the_same_save(
        package: Path, tmp_path: Path, draft_root: Path) -> None:
    argv = ("save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "store"))
    content = draft_root / CAPTIONS_ID / "draft_content.json"
    for _ in range(3):
        content.write_bytes(content.read_bytes() + b" ")
        proc = dk(package, tmp_path, *argv)
        assert proc.returncode == 0 and proc.stdout.startswith("saved"), proc.stderr
    assert served(package, tmp_path, "draftkeeper.core.store.snapshot")
    written = stamp(cache_of(package))
    assert dk(package, tmp_path, *argv).stdout.startswith("unchanged")
    assert stamp(cache_of(package)) == written


def test_an_edited_module_runs_as_edited(package: Path, tmp_path: Path) -> None:
    source = package / "draftkeeper" / "cli" / "parser.py"
    original = source.read_text(encoding="utf-8")
    source.write_text(original + "\nimport sys as _s\n_s.stderr.write('mark-A\\n')\n",
                      encoding="utf-8")
    for _ in range(2):
        assert "mark-A" in dk(package, tmp_path, "--help").stderr
    assert served(package, tmp_path, "draftkeeper.cli.parser")
    written = source.stat().st_mtime_ns
    # the same size, another mtime
    source.write_text(source.read_text(encoding="utf-8").replace("mark-A", "mark-B"),
                      encoding="utf-8")
    os.utime(source, ns=(written + 10**9, written + 10**9))
    assert "mark-B" in dk(package, tmp_path, "--help").stderr
    # another size, the same mtime
    source.write_text(source.read_text(encoding="utf-8").replace("mark-B", "mark-CC"),
                      encoding="utf-8")
    os.utime(source, ns=(written + 10**9, written + 10**9))
    for _ in range(2):  # (the second run: from the rewritten cache)
        assert "mark-CC" in dk(package, tmp_path, "--help").stderr
    assert served(package, tmp_path, "draftkeeper.cli.parser")
    # a module gone: the normal import says so
    source.unlink()
    proc = dk(package, tmp_path, "--help")
    assert proc.returncode != 0 and "draftkeeper.cli.parser" in proc.stderr


@pytest.mark.parametrize("damage", ["empty", "truncated", "header", "flipped", "directory"])
def test_a_damaged_cache_changes_nothing(package: Path, tmp_path: Path, damage: str) -> None:
    expected = dk(package, tmp_path, "--help")
    cache = cache_of(package)
    data = cache.read_bytes()
    if damage == "empty":
        cache.write_bytes(b"")
    elif damage == "truncated":
        cache.write_bytes(data[:len(data) // 2])
    elif damage == "header":
        cache.write_bytes(b"X" + data[1:])
    elif damage == "flipped":  # every 97th byte of the code changed
        damaged = bytearray(data)
        for at in range(len(data) // 3, len(data), 97):
            damaged[at] ^= 0x20
        cache.write_bytes(bytes(damaged))
    else:
        cache.unlink()
        cache.mkdir()
    for _ in range(2):
        proc = dk(package, tmp_path, "--help")
        assert (proc.returncode, proc.stdout, proc.stderr) == (
            expected.returncode, expected.stdout, expected.stderr)
    if damage != "directory":  # (rewritten by the first of them)
        assert served(package, tmp_path, "draftkeeper.cli.parser")


def test_a_package_folder_that_cannot_be_written_means_no_cache(
        package: Path, tmp_path: Path) -> None:
    pycache = package / "draftkeeper" / "__pycache__"
    pycache.write_bytes(b"")  # no folder can be made there (as root, too)
    for _ in range(2):
        proc = dk(package, tmp_path, "--help")
        assert proc.returncode == 0 and "usage" in proc.stdout, proc.stderr
    assert pycache.is_file()
    if os.name == "posix" and os.geteuid() != 0:
        pycache.unlink()
        (package / "draftkeeper").chmod(0o555)
        try:
            proc = dk(package, tmp_path, "--help")
            assert proc.returncode == 0 and "usage" in proc.stdout, proc.stderr
            assert not cache_of(package).exists()
        finally:
            (package / "draftkeeper").chmod(0o755)


def test_no_cache_without_bytecode(package: Path, tmp_path: Path) -> None:
    proc = dk(package, tmp_path, "--help", PYTHONDONTWRITEBYTECODE="1")
    assert proc.returncode == 0
    assert not cache_of(package).exists()


def test_a_module_that_raises_at_import_raises_every_time(
        package: Path, tmp_path: Path) -> None:
    dk(package, tmp_path, "--help")
    source = package / "draftkeeper" / "cli" / "parser.py"
    original = source.read_text(encoding="utf-8")
    source.write_text(original + "\nraise RuntimeError('parser is broken')\n", encoding="utf-8")
    for _ in range(2):
        proc = dk(package, tmp_path, "--help")
        assert proc.returncode != 0
        assert "RuntimeError: parser is broken" in proc.stderr
        assert "raise RuntimeError('parser is broken')" in proc.stderr  # the source line
    source.write_text(original, encoding="utf-8")
    os.utime(source, ns=(source.stat().st_mtime_ns + 10**9,) * 2)
    assert "usage" in dk(package, tmp_path, "--help").stdout


def test_a_served_module_is_the_normal_module(package: Path, tmp_path: Path) -> None:
    """Its spec, file attributes, resources and tracebacks: as the normal import's."""
    check = """
import importlib, importlib.resources, inspect, os, sys, traceback
cache = sys.argv[1] == "cache"
if cache:
    from draftkeeper.cli import codecache
    codecache.install()
from draftkeeper.core import urls
import draftkeeper.core.store as store
assert (type(urls.__spec__.loader).__module__ == "draftkeeper.cli.codecache") == cache
for m in (urls, store):
    s = m.__spec__
    print(m.__name__, s.name, s.origin, s.has_location, s.submodule_search_locations,
          m.__file__, m.__cached__, getattr(m, "__path__", None), m.__package__)
print(sorted(p.name for p in importlib.resources.files(store).iterdir()
             if p.name.endswith(".py")))
print(inspect.getsource(urls.validate_draft_id).splitlines()[0])
try:
    urls.validate_draft_id(123)
except Exception:
    print(traceback.format_exc().split("\\n", 1)[1])
"""
    dk(package, tmp_path, "save", "x", "--root", str(tmp_path / "nowhere"))  # builds it
    assert "draftkeeper.core.urls" in Path(cache_of(package)).read_bytes().decode("latin-1")
    out = {}
    for how in ("cache", "normal"):
        proc = subprocess.run([sys.executable, "-c", check, how], capture_output=True,
                              text=True, env=env_for(package, tmp_path), timeout=60)
        assert proc.returncode == 0, proc.stderr
        out[how] = proc.stdout
    assert out["cache"] == out["normal"]
    assert "urls.py" in out["cache"] and "if draft_id.isascii()" in out["cache"]


def test_without_pread_the_whole_file_is_read(package: Path, tmp_path: Path) -> None:
    """(Windows has no os.pread: the cache is read whole, and no file is left open.)"""
    no_pread = "import os; del os.pread; " + RUN
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", no_pread, "--help"], capture_output=True,
                              text=True, env=env_for(package, tmp_path), timeout=60)
        assert proc.returncode == 0 and "usage" in proc.stdout, proc.stderr
    check = ("import os; del os.pread; import importlib; from draftkeeper.cli import codecache; "
             "c = codecache.install(); m = importlib.import_module('draftkeeper.cli.parser'); "
             "print(type(m.__spec__.loader).__module__, c.fd, len(c.data) > 0)")
    proc = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                          env=env_for(package, tmp_path), timeout=60)
    assert proc.stdout.split() == ["draftkeeper.cli.codecache", "-1", "True"], proc.stderr
