"""dev.py, the README's two commands without `make`: its paths on each system, the rule for
reinstalling (the Makefile's stamp), the commands it runs, and its usage. Nothing here
creates a virtual environment (too slow): the real runs are `make test` and CI's."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]


def load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", REPO / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = load_dev()


def test_windows_paths_are_in_scripts_with_exe() -> None:
    paths = dev.venv_paths("win32", Path(".venv"))
    assert paths.python.parts == (".venv", "Scripts", "python.exe")
    assert paths.draftkeeper.parts == (".venv", "Scripts", "draftkeeper.exe")
    assert paths.stamp.parts == (".venv", ".installed")


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_posix_paths_are_in_bin(platform: str) -> None:
    paths = dev.venv_paths(platform, Path(".venv"))
    assert paths.python.parts == (".venv", "bin", "python")
    assert paths.draftkeeper.parts == (".venv", "bin", "draftkeeper")
    assert paths.stamp.parts == (".venv", ".installed")


def test_this_system_paths_exist_in_the_venv_running_the_tests() -> None:
    # the tests run from the venv that make or dev.py made: its python is where dev.py looks
    venv = Path(sys.prefix)
    if venv == Path(sys.base_prefix):
        pytest.skip("not running in a virtual environment")
    paths = dev.venv_paths(sys.platform, venv)
    assert paths.python.exists()
    assert paths.draftkeeper.exists()


def test_the_stamp_is_the_makefiles() -> None:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    venv = re.search(r"^VENV := (\S+)$", text, re.M)
    stamp = re.search(r"^STAMP := \$\(VENV\)/(\S+)$", text, re.M)
    assert venv and stamp, "the Makefile no longer names VENV and STAMP as dev.py expects"
    assert REPO / venv.group(1) == dev.VENV
    assert dev.venv_paths().stamp == REPO / venv.group(1) / stamp.group(1)


def test_reinstall_when_pyproject_is_newer_than_the_stamp(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[project]\n")
    paths = dev.venv_paths(sys.platform, venv)
    assert dev.needs_install(paths, pyproject)  # no venv yet
    paths.python.parent.mkdir(parents=True)
    paths.python.write_text("")
    assert dev.needs_install(paths, pyproject)  # a venv but no stamp
    paths.stamp.write_text("")
    os.utime(pyproject, (1_000_000, 1_000_000))
    os.utime(paths.stamp, (2_000_000, 2_000_000))
    assert not dev.needs_install(paths, pyproject)
    os.utime(pyproject, (3_000_000, 3_000_000))
    assert dev.needs_install(paths, pyproject)  # pyproject.toml changed since


def test_commands_are_the_makefiles() -> None:
    paths = dev.venv_paths("win32", Path(".venv"))
    assert dev.command("run", ["list", "--json"], paths) == [
        str(Path(".venv", "Scripts", "draftkeeper.exe")), "list", "--json"]
    paths = dev.venv_paths("linux", Path(".venv"))
    assert dev.command("test", ["-k", "dev", "-x"], paths) == [
        str(Path(".venv", "bin", "python")), "-m", "pytest", "-k", "dev", "-x"]


def run_dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "dev.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_help() -> None:
    r = run_dev("--help")
    assert r.returncode == 0, r.stderr
    assert "python dev.py run" in r.stdout and "python dev.py test" in r.stdout


def test_unknown_command_exits_2_and_installs_nothing() -> None:
    r = run_dev("lint")
    assert r.returncode == 2
    assert "unknown command 'lint'" in r.stderr
    assert "installing" not in r.stderr


def test_readme_starts_with_the_two_make_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```sh",
        "make run    # run the app (creates .venv on first use)",
        "make test   # run the whole test suite",
        "```",
    ]
