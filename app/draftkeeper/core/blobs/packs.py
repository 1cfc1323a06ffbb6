"""Small objects packed together: the store's default ``Backing``.

A store of small edits is mostly small objects (a piece of a few KiB once compressed, a
chunk list, a small file), and a file per object costs a whole disk block or more each:
100 small edits of the 11 MB fixture took 0.085x the draft in bytes but 0.16x in disk
blocks. So objects of at most ``SMALL_OBJECT`` bytes (as stored) live as rows of one
SQLite database, ``objects.db`` in the store folder (``database.py``: it holds the
versions' manifests too), packed into shared pages; larger ones
(pieces of media, big whole blobs) stay files under ``blobs/`` (``LocalFolder``), where a
block's slack is nothing beside their size.

What the store promises holds for rows as for files:

- durable before visible: puts gather in memory and go in with one transaction, committed
  by ``sync``, whose transaction also inserts the save's version rows, after the large
  objects' files are durable (rollback journal, ``journal_mode=TRUNCATE`` with
  ``synchronous=FULL``: the journal is synced, then the database, then the emptied
  journal, so a power cut cannot roll a commit back). A kill at any moment leaves the
  last committed state (SQLite rolls a half-written transaction back at the next
  opening); a row is content-addressed, so one that no manifest names yet is harmless
  until garbage collection removes it;
- readers never wait for a save (rollback-journal mode, no long transactions: a save holds
  no transaction open while it cuts and compresses) and see committed rows only, or the
  puts of their own process (the same content whichever they see);
- collection frees space: rows are deleted in one transaction and ``compact`` gives the
  freed pages back to the file system (``auto_vacuum=INCREMENTAL``);
- a store that cannot be written is read through a read-only connection; a store of
  earlier releases, all files, is read as it is (a key is looked up as a file first), and
  its new objects go to the database: nothing is converted;
- disk faults are injected through the I/O seam as for files (``write`` and ``fsync`` on
  the database before each commit), and a damaged database reads as an I/O error, which
  ``verify`` and restore report per object like a damaged file.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from draftkeeper.core.blobs.backing import LocalFolder
from draftkeeper.core.blobs.database import ObjectDB
from draftkeeper.core.blobs.io import StoreIO

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any

    from draftkeeper.core.blobs.database import Change

SMALL_OBJECT = 260 * 1024  # stored bytes: rows at most this big (every piece of a
# draft file, every small file), files above (pieces of media and of files over 64 MiB)
FLUSH_AT = 4 * 1024 * 1024  # pending puts committed early past this (bounded memory)
_HEX = frozenset("0123456789abcdef")


def _db_key(key: str) -> bytes | str:
    """A blob's key ``blobs/<2 hex>/<64 hex>.zst`` as its 32-byte digest; any other key as
    it is (read by hand: a regular expression cost ~0.1 ms of every start to compile)."""
    if (len(key) == 77 and key.startswith("blobs/") and key[8] == "/"
            and key.endswith(".zst") and _HEX.issuperset(key[6:8])
            and _HEX.issuperset(key[9:73])):
        return bytes.fromhex(key[9:73])
    return key


def _key(stored: bytes | str) -> str:
    if isinstance(stored, str):
        return stored
    digest = stored.hex()
    return f"blobs/{digest[:2]}/{digest}.zst"


class PackedFolder(LocalFolder):
    """``LocalFolder`` for large objects, the object database for small ones."""

    def __init__(self, root: Path, io: StoreIO, temp_dir: Path,
                 db: ObjectDB | None = None) -> None:
        super().__init__(root, io, temp_dir)
        self.db = db or ObjectDB(root, io)
        self.db_path = self.db.path
        self._db_lock = self.db.lock
        self._rows: dict[str, bytes] = {}  # put, not yet committed
        self._rows_bytes = 0
        # rows known to be committed, kept while this process holds the store's lock
        # (``holding``): then no other process adds or deletes any, so a save asks the
        # database about each piece once per hold, not once per file that has it
        self._known: set[str] | None = None
        # and the keys ``present`` found missing then (neither a row nor a file), until
        # one is put (a large one's file appears once published: then asked again)
        self._absent: set[str] | None = None

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """While the caller holds the store's lock: rows found or committed are known."""
        self._known, self._absent = set(), set()
        try:
            yield
        finally:
            self._known = self._absent = None

    def _query(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        return self.db.query(sql, args)

    # --- the Backing interface -----------------------------------------------------------

    def put_if_absent(self, key: str, data: Iterable[bytes], *, absent: bool = False) -> int:
        """(``absent``: the caller, holding the lock, has just found it missing.)"""
        blob = b"".join(data)
        if self._absent is not None:
            self._absent.discard(key)
        if len(blob) > SMALL_OBJECT:
            return super().put_if_absent(key, [blob])
        if not (absent and self._known is not None) and self.exists(key):
            return 0
        with self._db_lock:
            if key in self._rows:
                return 0
            self._rows[key] = blob
            self._rows_bytes += len(blob)
            full = self._rows_bytes >= FLUSH_AT
        if full:
            self._commit()
        return len(blob)

    def get(self, key: str) -> Iterator[bytes]:
        if os.path.exists(self._prefix + key):  # a large object, or a store of before
            return super().get(key)
        return self._row(key)

    def rows(self, keys: list[str]) -> dict[str, bytes]:
        """The stored bytes of those of ``keys`` that are rows, asked in one query (a
        restore reads a 5.5 MB file's ~180 pieces in a few queries instead of one query
        and one file lookup each); a key that is not a row is left out (``get`` reads it,
        as a file or as missing)."""
        with self._db_lock:
            found = {k: self._rows[k] for k in keys if k in self._rows}
        rest = [k for k in keys if k not in found]
        if rest:
            for _ in range(len(rest)):  # the I/O seam: one read per object, as ``get`` asks
                self.io.op("read", self.db_path)
            marks = ",".join("?" * len(rest))
            rows = self._query(f"SELECT key, data FROM objects WHERE key IN ({marks})",
                               tuple(_db_key(k) for k in rest))
            found.update((_key(row[0]), bytes(row[1])) for row in rows)
        return found

    def _row(self, key: str) -> Iterator[bytes]:
        with self._db_lock:
            pending = self._rows.get(key)
        if pending is not None:
            return iter((pending,))
        self.io.op("read", self.db_path)
        rows = self._query("SELECT data FROM objects WHERE key=?", (_db_key(key),))
        if not rows:
            raise FileNotFoundError(errno.ENOENT, "no such object", key)
        return iter((bytes(rows[0][0]),))

    def exists(self, key: str) -> bool:
        known = self._known
        if known is not None and key in known:
            return True
        with self._db_lock:  # asked once per piece of a save: the rows first
            if key in self._rows:
                return True
        absent = self._absent
        if absent is not None and key in absent:
            return False
        if self._query("SELECT 1 FROM objects WHERE key=?", (_db_key(key),)):
            if known is not None:
                known.add(key)
            return True
        return super().exists(key)

    def present(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are stored (one query per 500)."""
        known = self._known
        with self._db_lock:
            found = {k for k in keys if k in self._rows or (known is not None and k in known)}
        rest = [k for k in keys if k not in found]
        for i in range(0, len(rest), 500):
            part = rest[i:i + 500]
            marks = ",".join("?" * len(part))
            rows = self._query(f"SELECT key FROM objects WHERE key IN ({marks})",
                               tuple(_db_key(k) for k in part))
            committed = [_key(row[0]) for row in rows]
            found.update(committed)
            if known is not None:
                known.update(committed)
        found.update(k for k in rest if k not in found and LocalFolder.exists(self, k))
        if self._absent is not None:
            self._absent.update(k for k in rest if k not in found)
        return found

    def list(self, prefix: str) -> Iterator[str]:
        yield from super().list(prefix)
        rows = self._query("SELECT key FROM objects", ())
        with self._db_lock:
            keys = {_key(row[0]) for row in rows} | set(self._rows)
        yield from sorted(k for k in keys if k.startswith(prefix))

    def delete(self, key: str) -> None:
        self.delete_many([key])

    def delete_many(self, keys: Iterable[str]) -> None:
        """Delete objects, the rows among them in one transaction (a missing one is no
        error)."""
        keys = list(keys)
        for key in keys:
            if os.path.exists(self._prefix + key):
                super().delete(key)
        with self._db_lock:
            self._forget(keys)
            rows = [k for k in keys if self._query("SELECT 1 FROM objects WHERE key=?",
                                                    (_db_key(k),))]
            if not rows:
                return  # nothing to write: the database is not touched
            self.db.write(lambda db: db.executemany(
                "DELETE FROM objects WHERE key=?", [(_db_key(k),) for k in rows]))

    def discard(self, keys: Iterable[str]) -> None:
        """Take back what a failed save put: its pending puts are dropped unwritten, the
        rest deleted once every put of the save has finished."""
        keys = list(keys)
        with self._db_lock:
            self._forget(keys)
        try:
            self.sync()
        finally:
            self.delete_many(keys)

    def _forget(self, keys: Iterable[str]) -> None:
        for key in keys:
            if self._known is not None:
                self._known.discard(key)
            blob = self._rows.pop(key, None)
            if blob is not None:
                self._rows_bytes -= len(blob)

    def sync(self, also: Change | None = None) -> None:
        """Make every put durable: the large objects' files first, then the rows in one
        commit, with ``also`` (the versions of a save, ``Store.commit``) in the same
        transaction, so that a version is committed exactly when every object it names is
        durable."""
        super().sync()  # (when it fails, the rows stay pending: the caller discards them)
        self._commit(also)

    def compact(self) -> None:
        """Give the pages that deleted rows freed back to the file system."""
        with self._db_lock:
            if self.db.connect(create=False) is None:
                return
            free = self._query("PRAGMA freelist_count", ())
            if not free or not free[0][0]:
                return  # no freed page: nothing to write
            # one transaction of its own; ``execute`` would free one page (a page per step)
            self.db.write(lambda db: db.executescript("PRAGMA incremental_vacuum;"),
                          transaction=False)

    # --- writing -------------------------------------------------------------------------

    def _commit(self, also: Change | None = None) -> None:
        with self._db_lock:
            if not self._rows and also is None:
                return
            rows = [(_db_key(key), blob) for key, blob in self._rows.items()]

            def change(db: Any) -> None:
                if rows:
                    db.executemany(
                        "INSERT OR IGNORE INTO objects (key, data) VALUES (?, ?)", rows)
                if also is not None:
                    also(db)

            try:
                self.db.write(change)
                if self._known is not None:
                    self._known.update(self._rows)
            finally:
                # committed, or undone: either way no longer pending (a failed save
                # discards what it put; the next save puts it again)
                self._rows.clear()
                self._rows_bytes = 0
