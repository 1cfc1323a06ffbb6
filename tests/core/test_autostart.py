"""Start at login: the freedesktop autostart entry is written and removed."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import sys
from pathlib import Path

from draftkeeper.core.platform import autostart


def test_linux_autostart_entry_written_and_removed(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path / "home")}
    path = autostart.apply(True, "linux", env)
    assert path == tmp_path / "config" / "autostart" / "draftkeeper.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(path)
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Draft Keeper"
    assert shlex.split(desktop["Exec"]) == [sys.executable, "-m", "draftkeeper"]
    autostart.apply(True, "linux", env)  # again: still one entry
    assert list(path.parent.iterdir()) == [path]
    autostart.apply(False, "linux", env)
    assert not path.exists()
    autostart.apply(False, "linux", env)  # removing what is not there is fine


def test_linux_without_xdg_config_home_uses_dot_config(tmp_path: Path) -> None:
    path = autostart.apply(True, "linux", {"HOME": str(tmp_path)})
    assert path == tmp_path / ".config" / "autostart" / "draftkeeper.desktop"
    assert path.is_file()


def test_macos_launch_agent(tmp_path: Path) -> None:
    path = autostart.apply(True, "macos", {"HOME": str(tmp_path)})
    assert path is not None and path.parent == tmp_path / "Library" / "LaunchAgents"
    agent = plistlib.loads(path.read_bytes())
    assert agent["RunAtLoad"] is True and agent["ProgramArguments"][1:] == ["-m", "draftkeeper"]
    autostart.apply(False, "macos", {"HOME": str(tmp_path)})
    assert not path.exists()
