"""File names as each system takes them: the names Windows refuses or changes, a name's
length as the file system counts it, and the comparison of two names as the file system
makes it (case-folded on Windows and macOS, and in one Unicode form on macOS).

CapCut and JianYing keep drafts on NTFS and APFS, and often on exFAT drives; a version
made on Linux, or a draft that came from a capcut-mate server, may hold names those
cannot keep apart or cannot hold at all.
"""

from __future__ import annotations

import os

from draftkeeper.core.platform import system as _system
from draftkeeper.core.platform.system import MACOS, WINDOWS, case_insensitive

TYPE_CHECKING = False  # light: the command line's quick save imports this
if TYPE_CHECKING:
    from collections.abc import Iterable

# CON, PRN, AUX, NUL, COM0-9, LPT0-9 (and with a superscript digit), with any extension:
# Windows opens the device instead of a file (compiled on Windows only, at first use)
_RESERVED = r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$"
_BAD_CHARS = set('<>:"|?*\\') | {chr(c) for c in range(32)}


def name_problem(name: str, system: str | None = None) -> str | None:
    """Why ``name`` (one path component) cannot be a file name on ``system``: "reserved",
    "characters" or "trailing"; None if it can."""
    if (system or _system.SYSTEM) != WINDOWS:
        return None
    import re  # (Windows only: re is no part of a save elsewhere)

    if re.match(_RESERVED, name, re.IGNORECASE):
        return "reserved"
    if any(c in _BAD_CHARS for c in name):
        return "characters"
    if name.endswith((".", " ")):
        return "trailing"
    return None


def fold(name: str, system: str | None = None) -> str:
    """The key under which ``system``'s file system finds ``name``: the name itself on
    Linux, case-folded on Windows (NTFS ignores case but not Unicode forms), and also in
    one Unicode form on macOS (APFS and HFS+ ignore both)."""
    system = system or _system.SYSTEM
    if not case_insensitive(system):
        return name
    if system == MACOS and not name.isascii():
        import unicodedata  # only for names that are not ASCII

        name = unicodedata.normalize("NFC", name)
    return name.casefold()


def composed(name: str) -> str:
    """``name`` in NFC, the form URLs and JSON bring: macOS lists names decomposed (NFD),
    so a draft id from a capcut-mate URL and the folder on disk are compared in NFC."""
    if name.isascii():
        return name
    import unicodedata

    return unicodedata.normalize("NFC", name)


def collisions(paths: Iterable[str], system: str | None = None) -> list[list[str]]:
    """Groups of relative paths that ``system`` cannot keep apart (``Cover.jpg`` and
    ``cover.jpg``; a name in NFC and the same name in NFD), each sorted."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault("/".join(fold(p, system) for p in path.split("/")), []).append(path)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def name_max(folder: str | os.PathLike[str]) -> int:
    """The longest name ``folder``'s file system takes, in ``name_length`` units (255 on
    NTFS, APFS, ext4; Windows has no ``pathconf``)."""
    pathconf = getattr(os, "pathconf", None)
    if pathconf is None:
        return 255
    try:
        return int(pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def name_length(name: str, system: str | None = None) -> int:
    """A name's length as its file system counts it: UTF-16 units on Windows (NTFS keeps a
    name of 255 Chinese characters), bytes of the file-system encoding elsewhere (ext4 and
    APFS keep 85 Chinese characters: 3 bytes each in UTF-8)."""
    if (system or _system.SYSTEM) == WINDOWS:
        return len(name.encode("utf-16-le")) // 2
    return len(os.fsencode(name))
