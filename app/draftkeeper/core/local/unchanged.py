"""A batch save's quick answer for the drafts whose working copy is their latest version
(``LocalEngine.save_many_sync``): from the index of latest versions and one stat walk
each, without listing versions or reading a manifest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from draftkeeper.core.backend import Batched, DraftScan, SavedState, SaveResult
from draftkeeper.core.drafts import roots
from draftkeeper.core.local.index import DraftIndex
from draftkeeper.core.store.manifests import iso

# a draft's scan when this command's sweep walked it (by its root and id), else None
Walked = Callable[[Path, str], DraftScan | None]


def answer_unchanged(index: DraftIndex, found: list[tuple[str, str, Path]],
                     root_of: dict[str, Path], reason: str, out: dict[str, Batched],
                     walked: Walked | None) -> list[tuple[str, str, Path]]:
    """Answer (into ``out``) the drafts of ``found`` ((key, draft id, folder)) whose
    working copy is their latest version, as ``Store.is_unchanged`` would from the
    manifest: only where stat data alone tells (no racy file) and where the answer
    changes nothing (a manual save pins a version that is not protected yet). The
    others, for the batch save. ``walked``: the sweep's walk of a draft, used instead of
    walking it again (``LocalEngine.walks_count_from``)."""
    entries = index.latest_many([draft_id for _k, draft_id, _f in found])
    rest: list[tuple[str, str, Path]] = []
    for item, e in zip(found, entries, strict=True):
        key, draft_id, folder = item
        if (e is None or not e.plain or e.draft_id != draft_id
                or (reason == "manual" and not e.protected)):
            rest.append(item)
            continue
        scan = walked(root_of[key], draft_id) if walked is not None else None
        if scan is not None:  # this command's sweep walked it: not again
            same = (scan.fingerprint == e.fingerprint
                    and scan.info.file_count == e.file_count)
        else:
            try:
                same = e.same_files(roots.walk_files(folder))
            except OSError:
                same = False  # vanished, unreadable: the save names it
        if not same:
            rest.append(item)
            continue
        out[key] = (
            SaveResult(draft_url=key, version=e.version, saved_at=iso(e.time),
                       unchanged=True),
            SavedState(fingerprint=e.fingerprint, last_saved_at=e.time, versions=e.versions,
                       last_version=e.version),
        )
    return rest
