"""Start at login: a freedesktop autostart entry on Linux (``$XDG_CONFIG_HOME/autostart``),
the Run key on Windows, a LaunchAgent on macOS. No Qt: the window calls ``apply`` when
the ``start_at_login`` setting changes."""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from pathlib import Path

from draftkeeper.core.platform.system import MACOS, SYSTEM, WINDOWS

NAME = "draftkeeper"
LABEL = "io.github.draftkeeper"


def command() -> list[str]:
    """How to start the window: the frozen app itself, or this Python with ``-m draftkeeper``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "draftkeeper"]


def linux_entry(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".config")
    return Path(base) / "autostart" / f"{NAME}.desktop"


def mac_agent(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    return Path(env.get("HOME", str(Path.home()))) / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def desktop_entry(argv: list[str]) -> str:
    return ("[Desktop Entry]\nType=Application\nName=Draft Keeper\n"
            "Comment=Keeps CapCut / JianYing drafts safe\n"
            f"Exec={shlex.join(argv)}\nIcon=draftkeeper\nTerminal=false\n"
            "X-GNOME-Autostart-enabled=true\n")


def apply(enabled: bool, system: str = SYSTEM,
          env: dict[str, str] | None = None) -> Path | None:
    """Write or remove the platform's start-at-login entry; returns where it lives (None
    on Windows, where it is a registry value)."""
    argv = command()
    if system == WINDOWS:
        _windows_run_key(enabled, argv)
        return None
    if system == MACOS:
        path = mac_agent(env)
        data = plistlib.dumps({"Label": LABEL, "ProgramArguments": argv, "RunAtLoad": True})
    else:
        path = linux_entry(env)
        data = desktop_entry(argv).encode("utf-8")
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    else:
        path.unlink(missing_ok=True)
    return path


def _windows_run_key(enabled: bool, argv: list[str]) -> None:  # pragma: no cover (Windows)
    import winreg  # type: ignore[import-not-found,unused-ignore]

    key = winreg.OpenKey(winreg.HKEY_CURRENT_USER,  # type: ignore[attr-defined,unused-ignore]
                         r"Software\Microsoft\Windows\CurrentVersion\Run", 0,
                         winreg.KEY_SET_VALUE)  # type: ignore[attr-defined,unused-ignore]
    with key:
        if enabled:
            winreg.SetValueEx(key, "Draft Keeper", 0,  # type: ignore[attr-defined,unused-ignore]
                              winreg.REG_SZ,  # type: ignore[attr-defined,unused-ignore]
                              " ".join(f'"{a}"' for a in argv))
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, "Draft Keeper")  # type: ignore[attr-defined,unused-ignore]
