"""Where Draft Keeper keeps its data: store, settings, logs.

``DRAFTKEEPER_HOME`` puts everything under one folder (tests, portable installs); otherwise
the platform's user dirs are used: platformdirs' answer, which on Linux is the XDG base
directory rule, taken here without importing platformdirs (it costs a command-line start
about 7 ms; tests/core/test_paths.py checks that both give the same folders).
"""

from __future__ import annotations

import os
from pathlib import Path

from draftkeeper.core.platform.system import LINUX, SYSTEM

APP_NAME = "draftkeeper"
LOG_NAME = "draftkeeper.log"
LOG_MAX_BYTES = 1024 * 1024  # then it rolls over (3 old files kept)
# platformdirs' name -> (XDG variable, folder under HOME, folder inside) on Linux
_XDG = {
    "user_data_dir": ("XDG_DATA_HOME", ".local/share", ""),
    "user_config_dir": ("XDG_CONFIG_HOME", ".config", ""),
    "user_log_dir": ("XDG_STATE_HOME", ".local/state", "log"),
}


def _home() -> Path | None:
    value = os.environ.get("DRAFTKEEPER_HOME")
    return Path(value).expanduser() if value else None


def _user_dir(kind: str) -> Path:
    if SYSTEM == LINUX:
        variable, default, inside = _XDG[kind]
        base = os.environ.get(variable, "")
        if not os.path.isabs(base):
            home = os.environ.get("HOME", "")
            base = os.path.join(home, default) if os.path.isabs(home) else ""
        if base:
            return Path(base, APP_NAME, inside) if inside else Path(base, APP_NAME)
    import platformdirs  # other systems, and a Linux without an absolute HOME

    return Path(getattr(platformdirs, kind)(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else _user_dir("user_data_dir")


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else _user_dir("user_config_dir")


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else _user_dir("user_log_dir")


def default_store_dir() -> Path:
    return data_dir() / "store"


def default_draft_root() -> Path:
    """The root used when none is configured or detected: created on demand."""
    return data_dir() / "drafts"


def settings_file() -> Path:
    return config_dir() / "settings.json"


def log_file() -> Path:
    return log_dir() / LOG_NAME
