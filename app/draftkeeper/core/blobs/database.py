"""The store's database, ``objects.db``: one SQLite file for the small objects
(``packs.py``) and the versions' manifests (``store/versions.py``), reached through one
connection per process so that a save's pieces and its manifest go in with one commit.

Rollback journal, ``journal_mode=TRUNCATE`` with ``synchronous=FULL``: a commit syncs the
journal, then the database, then the emptied journal, so a power cut cannot roll a
commit back, and a kill at any moment leaves the last committed state (SQLite rolls a
half-written transaction back at the next opening). Readers never wait long for a writer:
no transaction is held open while a save cuts, compresses or fsyncs files.

A store this process cannot write is read through a read-only connection (tables an
earlier release did not make then read as empty). Every SQLite error is the I/O error it
is for the store (``damaged``). SQLite's C module is imported when the database is first
touched, not with this module (``_sqlite3``: the ``sqlite3`` package around it adds
only adapters for dates, and imports datetime for them).
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import errno
from collections.abc import Callable
from pathlib import Path

from draftkeeper.core.blobs.io import StoreIO

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    import sqlite3
    from typing import Any

    Change = Callable[[sqlite3.Connection], Any]

DB_NAME = "objects.db"
BUSY_MS = 30_000  # how long a statement waits for another process's commit
PAGE_SIZE = 8192  # measured: the least slack for rows of a few KiB (bench/storage.py)
# objects: rows in the order they were put (rowid), so pages fill up one after the other;
# a blob's key is kept as its 32-byte digest, any other key as text (packs.py).
# versions: one row per version of a draft (its key, ``store/keys.py``), the manifest's
# JSON as ``Manifest.to_bytes`` makes it, and what retention needs of it (``time``, and
# ``protected``: 1 for a manual or pinned version, never thinned), so that retention is one
# query of an index, not a read of every older manifest. NULL there: not known (a row an
# earlier release wrote; the trigger below forgets them when such a release rewrites a
# manifest), read from the manifest and filled in by the next retention (store/versions.py).
# drafts: per draft key, its id and a counter that every change to its versions moves
# (what the index of latest versions trusts).
SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (id INTEGER PRIMARY KEY, key NOT NULL UNIQUE,
                                    data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions (id INTEGER PRIMARY KEY, key TEXT NOT NULL,
                                     version TEXT NOT NULL, manifest BLOB NOT NULL,
                                     time REAL, protected INTEGER,
                                     UNIQUE (key, version));
CREATE TABLE IF NOT EXISTS drafts (key TEXT PRIMARY KEY, draft_id TEXT NOT NULL,
                                   changes INTEGER NOT NULL);
"""
# what retention reads (``Manifests.facts``) and what keeps it true: a release before these
# columns rewrites a manifest (a pin, a label) without them, so they are forgotten then
FACTS = (
    "CREATE INDEX IF NOT EXISTS versions_facts ON versions (key, version, time, protected)",
    "CREATE TRIGGER IF NOT EXISTS versions_forget AFTER UPDATE OF manifest ON versions "
    "WHEN NEW.time IS OLD.time AND NEW.protected IS OLD.protected "
    "BEGIN UPDATE versions SET time = NULL, protected = NULL WHERE id = NEW.id; END",
)
FACT_COLUMNS = ("time REAL", "protected INTEGER")
SCHEMA_MARKS = ("versions_facts", "versions_forget")  # made last: the schema is current
TABLES = ("objects", "versions", "drafts")


def damaged(exc: Exception) -> OSError:
    """A database error as the I/O error it is for the store (the object cannot be read)."""
    return OSError(errno.EIO, f"object database: {exc}")


class ObjectDB:
    """The connection to one store's ``objects.db`` (shared by the threads of a process)."""

    def __init__(self, root: Path, io: StoreIO) -> None:
        self.path = root / DB_NAME
        self.io = io
        self.lock = _thread.RLock()
        self._db: sqlite3.Connection | None = None
        self._read_only = False
        self._tables: set[str] = set()

    def connect(self, *, create: bool) -> sqlite3.Connection | None:
        """The open connection; None when there is no database yet and ``create`` is off."""
        if self._db is not None and not (self._read_only and create):
            return self._db
        import _sqlite3 as sqlite3  # only once objects are read or written (the C module:
        # the sqlite3 package adds datetime adapters, and imports datetime)

        if not create and not self.path.exists():
            return None
        new = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None,
                             check_same_thread=False)
        try:
            if new:  # both before the first table; on a database that has one, setting
                # auto_vacuum writes its header: a reader must not
                db.execute(f"PRAGMA page_size={PAGE_SIZE}")
                db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            db.execute("PRAGMA journal_mode=TRUNCATE")  # no file made and removed per commit
            db.execute("PRAGMA synchronous=FULL")  # with TRUNCATE: the emptied journal synced
            # 1 MB of page cache, not SQLite's 2 MB: a batch save's peak memory (10,000
            # drafts: ~1.5 MB less; the same time side by side); what misses it is read
            # from the OS's cache
            db.execute("PRAGMA cache_size=-1024")
            have = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if not have.issuperset((*TABLES, *SCHEMA_MARKS)):
                _make_schema(db)
                have = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            read_only = False
        except sqlite3.OperationalError:
            db.close()
            if create:
                raise
            # a store this process cannot write: read it as it is
            db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
            read_only = True
            have = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        if self._db is not None:
            self._db.close()
        self._db, self._read_only = db, read_only
        self._tables = have
        return db

    def has(self, table: str) -> bool:
        """Whether the database has ``table`` (a read-only one of an earlier release may
        not); False when there is no database."""
        import _sqlite3 as sqlite3

        with self.lock:
            try:
                return self.connect(create=False) is not None and table in self._tables
            except sqlite3.Error as exc:
                raise damaged(exc) from exc

    def query(self, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        import _sqlite3 as sqlite3

        with self.lock:
            try:
                db = self.connect(create=False)
                return [] if db is None else db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise damaged(exc) from exc

    def write(self, change: Change, *, transaction: bool = True) -> None:
        """One transaction, after the I/O seam's say (a write and an fsync of the file)."""
        import _sqlite3 as sqlite3

        with self.lock:
            self.io.op("write", self.path)
            self.io.op("fsync", self.path)
            try:
                db = self.connect(create=True)
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
                raise damaged(exc) from exc

    def close(self) -> None:
        with self.lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _make_schema(db: sqlite3.Connection) -> None:
    """The tables, and retention's columns, index and trigger, in one transaction: a new
    database, or one of an earlier release (its rows get NULL facts: not known yet)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        columns = {r[1] for r in db.execute("PRAGMA table_info(versions)")}
        for column in FACT_COLUMNS:
            if column.split()[0] not in columns:
                db.execute(f"ALTER TABLE versions ADD COLUMN {column}")
        for statement in FACTS:
            db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
