"""Which operating system's rules apply: the one place that asks ``sys.platform``.

``SYSTEM`` is ``"windows"``, ``"macos"`` or ``"linux"`` (every other POSIX system counts
as Linux). The other modules of this package take a ``system`` argument that defaults to
it, so that the rules of one system can be checked on another.
"""

from __future__ import annotations

import sys

WINDOWS, MACOS, LINUX = "windows", "macos", "linux"


def detect(platform: str = sys.platform) -> str:
    if platform.startswith("win"):
        return WINDOWS
    if platform == "darwin":
        return MACOS
    return LINUX


# whose file rules apply (the tests' rules mode sets it to check another system's rules)
SYSTEM = detect()


def case_insensitive(system: str | None = None) -> bool:
    """Whether the system's usual file systems tell ``Cover.jpg`` and ``cover.jpg`` apart
    (NTFS and APFS/HFS+ by default, and exFAT/FAT everywhere, do not)."""
    return (system or SYSTEM) in (WINDOWS, MACOS)
