"""Where a shared-store command gets its location, credentials and machine name."""

from __future__ import annotations

import json
import os
import socket

import pytest

from draftkeeper.core import paths
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.settings import table
from draftkeeper.core.settings.table import SPECS, Settings
from draftkeeper.core.shared.config import share_config


def test_the_environment_wins_over_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(share_url="s3://team-drafts/x", share_region="eu-central-1",
                        share_access_key_id="from-settings",
                        share_secret_access_key="settings-secret")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    cfg = share_config(settings)
    assert (cfg.access_key_id, cfg.secret_access_key) == ("from-settings", "settings-secret")
    assert cfg.location.region == "eu-central-1"
    assert cfg.machine == socket.gethostname()  # the default machine name
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "from-env")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_REGION", "ap-southeast-1")
    settings.machine_name = "studio"
    cfg = share_config(settings)
    assert (cfg.access_key_id, cfg.secret_access_key) == ("from-env", "env-secret")
    assert cfg.location.region == "ap-southeast-1" and cfg.machine == "studio"
    assert "env-secret" not in repr(cfg) and "settings-secret" not in repr(settings)


def test_secrets_are_secret_fields_in_a_file_for_this_user_only() -> None:
    assert SPECS["share_secret_access_key"].secret and SPECS["share_access_key_id"].secret
    table.save(Settings(share_url="s3://team-drafts/x", share_secret_access_key="s3cret"))
    path = paths.settings_file()
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert json.loads(path.read_text())["share_secret_access_key"] == "s3cret"


def test_no_share_set_is_a_clear_error() -> None:
    with pytest.raises(BadRequest) as caught:
        share_config(Settings())
    assert caught.value.reason == "share_not_set" and "--share URL" in caught.value.message
