"""The settings file's envelope: a JSON object with a ``version``. Light on purpose: the
command line's quick save reads the two settings it needs (``store_dir``, ``roots``) through
this before anything heavy is imported; ``settings.load`` reads the whole file through it
and checks every value."""

from __future__ import annotations

from draftkeeper.core import plainjson

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SETTINGS_VERSION = 1


def parse(raw: bytes) -> dict[str, Any]:
    """The settings as a dict; ValueError naming what is wrong with the file."""
    data = plainjson.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if data.get("version", SETTINGS_VERSION) != SETTINGS_VERSION:
        raise ValueError(f"unknown settings version {data.get('version')!r}")
    return data
