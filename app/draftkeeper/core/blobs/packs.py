"""Small objects packed together: the store's default ``Backing``.

A store of small edits is mostly small objects (a piece of a few KiB once compressed, a
chunk list, a small file), and a file per object costs a whole disk block or more each:
100 small edits of the 11 MB fixture took 0.085x the draft in bytes but 0.16x in disk
blocks. So objects of at most ``SMALL_OBJECT`` bytes (as stored) live as rows of one
SQLite database, ``objects.db`` in the store folder, packed into shared pages; larger ones
(pieces of media, big whole blobs) stay files under ``blobs/`` (``LocalFolder``), where a
block's slack is nothing beside their size.

What the store promises holds for rows as for files:

- durable before visible: puts gather in memory and go in with one transaction, committed
  by ``sync``, which a save calls before it writes the version's manifest (rollback
  journal, ``journal_mode=TRUNCATE`` with ``synchronous=FULL``: the journal is synced,
  then the database, then the emptied journal, so a power cut cannot roll a commit
  back). A kill at any moment leaves the last committed state (SQLite rolls a
  half-written transaction back at the next opening); a row is content-addressed, so one
  that no manifest names yet is harmless until garbage collection removes it;
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

``sqlite3`` is imported when the database is first touched, not with this module.
"""

from __future__ import annotations

import errno
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftkeeper.core.blobs.backing import LocalFolder
from draftkeeper.core.blobs.io import StoreIO

if TYPE_CHECKING:
    import sqlite3

DB_NAME = "objects.db"
SMALL_OBJECT = 260 * 1024  # stored bytes: rows at most this big (every piece of a
# draft file, every small file), files above (pieces of media and of files over 64 MiB)
FLUSH_AT = 4 * 1024 * 1024  # pending puts committed early past this (bounded memory)
BUSY_MS = 30_000  # how long a statement waits for another process's commit

PAGE_SIZE = 8192  # measured: the least slack for rows of a few KiB (bench/storage.py)
# Rows in the order they were put (rowid), so pages fill up one after the other; a blob's
# key is kept as its 32-byte digest (``blobs/ab/<sha256>.zst``), any other key as text.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (id INTEGER PRIMARY KEY, key NOT NULL UNIQUE,
                                    data BLOB NOT NULL)
"""
_BLOB_KEY = re.compile(r"blobs/[0-9a-f]{2}/([0-9a-f]{64})\.zst")


def _db_key(key: str) -> bytes | str:
    match = _BLOB_KEY.fullmatch(key)
    return bytes.fromhex(match[1]) if match else key


def _key(stored: bytes | str) -> str:
    if isinstance(stored, str):
        return stored
    digest = stored.hex()
    return f"blobs/{digest[:2]}/{digest}.zst"


def _damaged(exc: Exception) -> OSError:
    """A database error as the I/O error it is for the store (the object cannot be read)."""
    return OSError(errno.EIO, f"object database: {exc}")


class PackedFolder(LocalFolder):
    """``LocalFolder`` for large objects, the object database for small ones."""

    def __init__(self, root: Path, io: StoreIO, temp_dir: Path) -> None:
        super().__init__(root, io, temp_dir)
        self.db_path = root / DB_NAME
        self._db: sqlite3.Connection | None = None
        self._read_only = False
        self._db_lock = threading.RLock()
        self._rows: dict[str, bytes] = {}  # put, not yet committed
        self._rows_bytes = 0

    # --- the connection ------------------------------------------------------------------

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        """The open connection; None when there is no database yet and ``create`` is off."""
        if self._db is not None and not (self._read_only and create):
            return self._db
        import sqlite3  # ~3 ms, only once objects are read or written

        if not create and not self.db_path.exists():
            return None
        new = not self.db_path.exists()
        db = sqlite3.connect(self.db_path, timeout=BUSY_MS / 1000, isolation_level=None,
                             check_same_thread=False)
        try:
            if new:  # both before the first table; on a database that has one, setting
                # auto_vacuum writes its header: a reader must not
                db.execute(f"PRAGMA page_size={PAGE_SIZE}")
                db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            db.execute("PRAGMA journal_mode=TRUNCATE")  # no file made and removed per commit
            db.execute("PRAGMA synchronous=FULL")  # with TRUNCATE: the emptied journal synced
            db.execute(_SCHEMA)
            read_only = False
        except sqlite3.OperationalError:
            db.close()
            if create:
                raise
            # a store this process cannot write: read it as it is
            db = sqlite3.connect(f"{self.db_path.as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
            read_only = True
        if self._db is not None:
            self._db.close()
        self._db, self._read_only = db, read_only
        return db

    def _query(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        import sqlite3

        with self._db_lock:
            try:
                db = self._connect(create=False)
                return [] if db is None else db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise _damaged(exc) from exc

    # --- the Backing interface -----------------------------------------------------------

    def put_if_absent(self, key: str, data: Iterable[bytes]) -> int:
        blob = b"".join(data)
        if len(blob) > SMALL_OBJECT:
            return super().put_if_absent(key, [blob])
        if self.exists(key):
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
        with self._db_lock:  # asked once per piece of a save: the rows first
            if key in self._rows:
                return True
        if self._query("SELECT 1 FROM objects WHERE key=?", (_db_key(key),)):
            return True
        return super().exists(key)

    def present(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are stored (one query per 500)."""
        with self._db_lock:
            found = {k for k in keys if k in self._rows}
        rest = [k for k in keys if k not in found]
        for i in range(0, len(rest), 500):
            part = rest[i:i + 500]
            marks = ",".join("?" * len(part))
            rows = self._query(f"SELECT key FROM objects WHERE key IN ({marks})",
                               tuple(_db_key(k) for k in part))
            found.update(_key(row[0]) for row in rows)
        found.update(k for k in rest if k not in found and LocalFolder.exists(self, k))
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
            self._write(lambda db: db.executemany(
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
            blob = self._rows.pop(key, None)
            if blob is not None:
                self._rows_bytes -= len(blob)

    def sync(self) -> None:
        try:
            self._commit()
        finally:
            super().sync()

    def compact(self) -> None:
        """Give the pages that deleted rows freed back to the file system."""
        with self._db_lock:
            if self._connect(create=False) is None:
                return
            free = self._query("PRAGMA freelist_count", ())
            if not free or not free[0][0]:
                return  # no freed page: nothing to write
            # one transaction of its own; ``execute`` would free one page (a page per step)
            self._write(lambda db: db.executescript("PRAGMA incremental_vacuum;"),
                        transaction=False)

    # --- writing -------------------------------------------------------------------------

    def _commit(self) -> None:
        with self._db_lock:
            if not self._rows:
                return
            rows = [(_db_key(key), blob) for key, blob in self._rows.items()]
            try:
                self._write(lambda db: db.executemany(
                    "INSERT OR IGNORE INTO objects (key, data) VALUES (?, ?)", rows))
            finally:
                # committed, or undone: either way no longer pending (a failed save
                # discards what it put; the next save puts it again)
                self._rows.clear()
                self._rows_bytes = 0

    def _write(self, change: Any, *, transaction: bool = True) -> None:
        """One transaction (the caller holds ``_db_lock``), after the I/O seam's say."""
        import sqlite3

        self.io.op("write", self.db_path)
        self.io.op("fsync", self.db_path)
        try:
            db = self._connect(create=True)
            assert db is not None
            if not transaction:
                change(db)
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                change(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _damaged(exc) from exc
