"""Typed settings with defaults, loaded from and saved to one JSON file.

A settings file that is corrupt, or from an unknown version, is kept aside as a backup and
replaced by defaults; ``Settings.notice`` then says what happened so the UI can show it.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core import paths
from app.core.errors import BadRequest
from app.core.fsutil import atomic_write_bytes

SETTINGS_VERSION = 1
MIB = 1024 * 1024

# name: (minimum, maximum) for numeric settings
_RANGES: dict[str, tuple[float, float]] = {
    "autosave_interval_s": (5, 3600),
    "quiet_period_s": (0, 600),
    "scan_interval_s": (0.5, 3600),
    "min_autosave_gap_s": (0, 3600),
    "keep_last": (1, 10_000),
    "media_threshold_mib": (1, 1_000_000),
    "lock_timeout_s": (0.1, 600),
    "connect_timeout_s": (0.1, 300),
    "total_timeout_s": (0.1, 3600),
    "max_attempts": (1, 100),
    "backoff_base_s": (0.01, 600),
    "backoff_cap_s": (0.01, 3600),
    "max_parallel_saves": (1, 64),
}


@dataclass
class Settings:
    roots: list[str] = field(default_factory=list)
    store_dir: str | None = None
    include_media: bool = False
    media_threshold_mib: int = 64
    keep_last: int = 50
    lock_timeout_s: float = 10.0
    autosave_enabled: bool = True
    autosave_interval_s: float = 30.0
    quiet_period_s: float = 2.0
    scan_interval_s: float = 5.0
    min_autosave_gap_s: float = 10.0
    max_parallel_saves: int = 4
    max_attempts: int = 8
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0
    remote_base: str | None = None
    remote_drafts: list[str] = field(default_factory=list)
    ignored_drafts: list[str] = field(default_factory=list)  # local drafts removed from the list
    connect_timeout_s: float = 5.0
    total_timeout_s: float = 30.0
    language: str = "en"
    notice: str | None = field(default=None, compare=False)

    def validate(self) -> None:
        for name, (lo, hi) in _RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise BadRequest(f"Setting {name} must be a number, got {value!r}")
            if not lo <= value <= hi:
                raise BadRequest(f"Setting {name} must be between {lo:g} and {hi:g}, got {value}")
        if self.language not in ("en", "zh"):
            raise BadRequest(f"Setting language must be 'en' or 'zh', got {self.language!r}")
        if self.remote_base is not None and not self.remote_base.startswith(
            ("http://", "https://")
        ):
            raise BadRequest(f"Remote base must be an http(s) URL, got {self.remote_base!r}")
        for name in ("roots", "remote_drafts", "ignored_drafts"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BadRequest(f"Setting {name} must be a list of strings")

    @property
    def media_threshold_bytes(self) -> int:
        return int(self.media_threshold_mib * MIB)

    def store_path(self) -> Path:
        return Path(self.store_dir).expanduser() if self.store_dir else paths.default_store_dir()

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("notice")
        data["version"] = SETTINGS_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in dataclasses.fields(cls)} - {"notice"}
        unknown = set(data) - known - {"version"}
        if unknown:
            raise BadRequest(f"Unknown settings: {', '.join(sorted(unknown))}")
        settings = cls(**{k: v for k, v in data.items() if k in known})
        settings.validate()
        return settings


def load(path: Path | None = None) -> Settings:
    path = path or paths.settings_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("version", SETTINGS_VERSION) != SETTINGS_VERSION:
            raise ValueError(f"unknown settings version {data.get('version')!r}")
        return Settings.from_dict(data)
    except (ValueError, TypeError, BadRequest) as exc:
        backup = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        path.replace(backup)
        settings = Settings()
        settings.notice = (
            f"The settings file could not be read ({exc}); it was kept as {backup.name} "
            "and defaults are in use."
        )
        return settings


def save(settings: Settings, path: Path | None = None) -> None:
    settings.validate()
    path = path or paths.settings_file()
    data = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    atomic_write_bytes(path, data)
