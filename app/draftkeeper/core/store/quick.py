"""The quick check: is the working copy still the latest version, from stat data alone?

The command line asks this before anything heavy is imported (see draftkeeper/cli/front.py),
so it reads the store itself with the standard library only (the newest version's row of
``objects.db``, through a read-only connection), takes no lock and writes nothing. It
answers only in the plain case, where the answer is certain: the newest manifest reads, is
protected (a manual save, or pinned), no restore is pending, none of its files is "racy"
(see ``RACY_NS``; a save that found them equal by content later records ``checked_at``,
which ends that), and every path, size and mtime matches. Anything else returns None, and
the caller takes the full path (``Store.save``), which recovers, hashes, pins, saves, or
names the problem (as it does for a store of an earlier release whose manifest files are
not moved into the database yet).
"""

from __future__ import annotations

import os
from pathlib import Path

from draftkeeper.core import plainjson
from draftkeeper.core.drafts.roots import walk_files
from draftkeeper.core.store.keys import draft_key

READ_FORMATS = (1, 2)  # manifest formats this code reads (manifests.FORMAT is written)
PROTECTED_REASONS = frozenset({"manual"})  # versions retention never thins
# Timestamps are coarse (FAT: 2 s, Linux: a clock tick): a file whose mtime is this close
# to a version's time may have been rewritten since without its stat data changing.
RACY_NS = 2_000_000_000


BUSY_S = 0.05  # a writer is committing: the full path waits for it instead


def journal_dir(store: Path) -> Path:
    return store / "journal"


def version_ids(folder: Path) -> list[str]:
    """Version ids in a draft's versions folder of an earlier release, oldest first
    (damaged ones included)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))


def restore_pending(store: Path) -> bool:
    try:
        return any(n.endswith(".json") and n[0] != "." for n in os.listdir(journal_dir(store)))
    except (FileNotFoundError, NotADirectoryError):
        return False


def newest_row(store: Path, draft_id: str) -> tuple[str, bytes] | None:
    """The newest version of ``draft_id`` and its manifest as stored (None: none, or the
    database cannot tell at once)."""
    if os.path.isdir(store / "drafts"):
        return None  # manifest files of an earlier release: the full path moves them
    db_path = store / "objects.db"
    if not os.path.exists(db_path):
        return None
    try:  # the C module alone (1 ms): the sqlite3 package also imports datetime (2 ms more)
        from _sqlite3 import Error, connect
    except ImportError:
        from sqlite3 import Error, connect

    try:
        db = connect(f"{db_path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_S)
        try:
            row = db.execute("SELECT version, manifest FROM versions WHERE key=? "
                             "ORDER BY version DESC LIMIT 1", (draft_key(draft_id),)
                             ).fetchone()
        finally:
            db.close()
    except Error:
        return None
    return None if row is None else (str(row[0]), bytes(row[1]))


def unchanged_version(store: Path, draft_id: str, folder: Path) -> tuple[str, float] | None:
    """(version, its time) when ``folder`` certainly holds the latest protected version of
    ``draft_id``; None when only the full save can tell."""
    if restore_pending(store):
        return None  # the full path recovers it first
    newest = newest_row(store, draft_id)
    if newest is None:
        return None
    version, raw = newest
    try:
        data = plainjson.loads(raw)
        if (not isinstance(data, dict) or data.get("format") not in READ_FORMATS
                or data.get("version") != version or data.get("draft_id") != draft_id):
            return None
        if not (data.get("pinned") is True or data.get("reason") in PROTECTED_REASONS):
            return None  # a manual save pins it: the full path does that
        stamp = float(data["time"])
        checked = float(data.get("checked_at") or 0)  # see Manifest.trusted_from
        racy_from = int(max(stamp, checked) * 1e9) - RACY_NS
        saved: list[tuple[object, object, object]] = []
        for f in data["files"]:
            if f["hash"] is not None and f["mtime_ns"] >= racy_from:
                return None  # only hashing can tell: the full path does
            saved.append((f["path"], f["size"], f["mtime_ns"]))
        current = walk_files(folder)
    except (OSError, ValueError, TypeError, KeyError):
        return None  # damaged, vanished, or being written: the full path names it
    if [(rel, st.st_size, st.st_mtime_ns) for rel, st in current] != saved:
        return None
    return version, stamp
