"""Where Draft Keeper keeps its data: store, settings, logs.

``DRAFTKEEPER_HOME`` puts everything under one folder (tests, portable installs); otherwise
the platform's user dirs (platformdirs) are used.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "draftkeeper"


def _home() -> Path | None:
    value = os.environ.get("DRAFTKEEPER_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_store_dir() -> Path:
    return data_dir() / "store"


def default_draft_root() -> Path:
    """The root used when none is configured or detected: created on demand."""
    return data_dir() / "drafts"


def settings_file() -> Path:
    return config_dir() / "settings.json"
