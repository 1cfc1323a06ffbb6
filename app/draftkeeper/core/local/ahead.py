"""New drafts walked and hashed by the second process while `save --all` sweeps them.

`save --all` sweeps the roots (one walk of every draft, for the list and the unchanged
check), then saves every draft in batches (``store/batch.py``), where a second process
walks and hashes part of each group's new drafts (``blobs/hashers.py``). During the sweep
that process had nothing to do: the sweep is one thread's work, 0.5 s of 10,000 drafts.
``walk_ahead`` hands it the new drafts before the sweep starts, so that the batch's
groups find their walks and digests made (``Hasher.taken``), and the saving thread reads
none of their files. ``LocalEngine.ahead`` asks for it, for the next sweep only: `save
--all` sets it (a window or `watch` sweeps again and again, and their saves are not all
asked for at once).

Only drafts with no version yet (what the batch hands over), at most ``AHEAD_DRAFTS``
of them (the walks wait in memory for their group), and only when there are enough of
them to pay for the process's start (``batch.SPREAD_DRAFTS``). Each walk's version time
is the time before it was asked for, as for any walk the batch hands over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from draftkeeper.core.blobs.chunking import SMALL
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.store.batch import GROUP_DRAFTS, SPREAD_DRAFTS
from draftkeeper.core.store.store import Store

# the most drafts walked ahead: 10,000 drafts' walks are ~6 MB of the saving process's
# memory until their groups are saved (the tree's peak: 67 -> 73 MB); a bigger root's
# later drafts are handed over group by group, as without this
AHEAD_DRAFTS = 40 * GROUP_DRAFTS
log = logging.getLogger(__name__)


def walk_ahead(store: Store, drafts: list[tuple[str, str]], now: Callable[[], float]
               ) -> None:
    """Ask the second process for the walks and digests of the new drafts among the
    first ``AHEAD_DRAFTS`` of ``drafts`` ((draft id, folder), in the order they will be
    saved), a group at a time. Never raises: what goes wrong here (a store that cannot
    be read, no process to ask) only leaves the batch to walk the drafts as it goes, and
    name what is wrong (the sweep that asks must list the drafts whatever happens)."""
    if store.io.hook is not None:  # (reads through the I/O seam: the batch hands none)
        return
    try:
        hasher = store.hasher
        head = [(draft_id, folder) for draft_id, folder in drafts[:AHEAD_DRAFTS]
                if not hasher.asked(folder)]  # (asked for already: by the sweep before)
        if len(head) < SPREAD_DRAFTS:
            return
        listed = store.manifests.ids_many([d for d, _f in head])
        new = [folder for draft_id, folder in head if not listed[draft_id]]
        if len(new) < SPREAD_DRAFTS:
            return
        for start in range(0, len(new), GROUP_DRAFTS):
            if not hasher.ahead(new[start:start + GROUP_DRAFTS], TMP_PREFIX, SMALL, now()):
                return  # (no process to ask)
    except Exception:
        log.warning("asking for walks ahead failed; the batch walks its drafts itself",
                    exc_info=True)
