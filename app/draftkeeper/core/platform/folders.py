"""Where CapCut and JianYing keep their drafts on each system (whether or not they exist).

Windows: ``%LOCALAPPDATA%\\JianyingPro\\User Data\\Projects\\com.lveditor.draft`` and the
same under ``CapCut``; macOS: ``~/Movies/JianyingPro/...`` and ``~/Movies/CapCut/...``.
Neither editor runs on Linux, so there are none there.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath

from draftkeeper.core.platform import system as _system
from draftkeeper.core.platform.system import MACOS, WINDOWS

TYPE_CHECKING = False  # light: the command line's quick save imports this
if TYPE_CHECKING:
    from collections.abc import Mapping

EDITORS = ("JianyingPro", "CapCut")
TAIL = ("User Data", "Projects", "com.lveditor.draft")


def editor_draft_roots(system: str | None = None, env: Mapping[str, str] | None = None,
                       home: Path | None = None) -> list[PurePath]:
    """The editors' draft folders on ``system`` (paths of that system's kind)."""
    system = system or _system.SYSTEM
    env = os.environ if env is None else env
    if system == WINDOWS:
        local = env.get("LOCALAPPDATA")
        if not local:
            return []
        return [PureWindowsPath(local, editor, *TAIL) for editor in EDITORS]
    if system == MACOS:
        movies = (home or Path.home()) / "Movies"
        return [movies.joinpath(editor, *TAIL) for editor in EDITORS]
    return []
