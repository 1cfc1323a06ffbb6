"""Rows before the session has started: the draft folders of the roots, listed by name
(one directory read per root), whose save state is not known yet. The table shows them
as "Checking…" until the scheduler's first sweep knows each one; the folder of a draft
it does not take up (removed from the list) leaves then."""

from __future__ import annotations

import os
from pathlib import Path

from draftkeeper.core.backend import DraftInfo
from draftkeeper.core.drafts import folders
from draftkeeper.core.saving.status import DraftStatus, State


def early_rows(roots: list[Path], ignored: set[str]) -> list[DraftStatus]:
    """Worker thread: a row per draft folder of ``roots``; its state is a stand-in (the
    table shows such rows as being checked, and the window counts none of them)."""
    rows: list[DraftStatus] = []
    seen: set[str] = set()
    for root in roots:
        names = folders.read_root_index(root)
        root_str = os.fspath(root)
        try:
            ids = folders.draft_ids(root)
        except OSError:  # unreadable now: the session's sweep says what it can
            continue
        for draft_id in ids:
            if draft_id in ignored or draft_id in seen:
                continue
            seen.add(draft_id)
            info = DraftInfo(draft_id=draft_id, name=names.get(draft_id, draft_id),
                             root=root_str, path=os.path.join(root_str, draft_id), size=0,
                             file_count=0, modified=0.0, draft_url=draft_id)
            rows.append(DraftStatus(key=info.key, state=State.QUEUED, info=info))
    return rows
