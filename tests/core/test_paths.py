"""The user folders: the same as platformdirs gives, without its import cost on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from draftkeeper.core import paths

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the XDG rule is taken without platformdirs on Linux")

CASES = {
    "plain home": {},
    "XDG variables": {"XDG_DATA_HOME": "/x/data", "XDG_CONFIG_HOME": "/x/conf",
                      "XDG_STATE_HOME": "/x/state"},
    "relative XDG variables are ignored": {"XDG_DATA_HOME": "rel/data",
                                           "XDG_CONFIG_HOME": "rel", "XDG_STATE_HOME": "s"},
    "empty XDG variables": {"XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": ""},
}


@linux_only
@pytest.mark.parametrize("case", list(CASES))
def test_user_folders_are_platformdirs_folders(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAFTKEEPER_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CASES[case].items():
        monkeypatch.setenv(name, value)

    def expected(kind: str) -> Path:
        return Path(getattr(platformdirs, kind)("draftkeeper", appauthor=False))

    assert paths.data_dir() == expected("user_data_dir")
    assert paths.config_dir() == expected("user_config_dir")
    assert paths.log_dir() == expected("user_log_dir")
    home = Path("/x/data") if case == "XDG variables" else tmp_path / "home" / ".local/share"
    assert paths.data_dir() == home / "draftkeeper"


def test_draftkeeper_home_puts_everything_in_one_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTKEEPER_HOME", str(tmp_path))
    assert paths.default_store_dir() == tmp_path / "data" / "store"
    assert paths.settings_file() == tmp_path / "config" / "settings.json"
    assert paths.log_dir() == tmp_path / "logs"
