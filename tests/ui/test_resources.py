"""Resources load through importlib.resources (never paths relative to the working dir)."""

from __future__ import annotations

import configparser
from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from draftkeeper.core.saving.status import State
from draftkeeper.ui.style import APP_ICON_SIZES, app_icon, state_icon


def test_icons_load_from_the_package_wherever_we_run(qapp: QApplication, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    state_icon.cache_clear()
    app_icon.cache_clear()
    for state in State:
        icon = state_icon(state)
        assert not icon.isNull()
        assert icon.pixmap(16, 16).toImage().pixelColor(8, 8).alpha() > 0, state
    sizes = {s.width() for s in app_icon().availableSizes()}
    assert sizes == set(APP_ICON_SIZES)


def test_desktop_entry() -> None:
    text = (resources.files("draftkeeper.resources") / "draftkeeper.desktop").read_text()
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read_string(text)
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "draftkeeper" and desktop["Icon"] == "draftkeeper"
    assert "AudioVideo" in desktop["Categories"]
