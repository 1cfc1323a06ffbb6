"""The index of the store's drafts and their latest versions: a cache, never a source.

``<store>/index.sqlite3`` (standard-library sqlite3, WAL mode) keeps, per draft key
(``store/keys.py``), what ``list``, the window's start and ``watch`` need of
the draft's newest readable version: its id, time, files' stat data, how many versions
there are, where the working copy was. Reading it replaces opening and parsing one
manifest per draft (10,000 drafts: one query and one stat per draft).

An entry is used only while it certainly still describes the store:

- it records the draft's change counter in the store's database (``store/versions.py``)
  as it was *before* the manifests were read; every change to a draft's versions (a save
  by any process, a pin, retention, a restore) moves that counter in the transaction
  that makes the change, so an entry whose counter moved is read again;
- a newest version that cannot be read (damaged) is never cached, and nothing is cached
  while manifest files of an earlier release are still beside the rows (they have no
  counter);
- a save writes the rows of the versions it commits (``record``: told by the store's
  ``Manifests.committed`` after the commit and its retention, still under the store's
  lock, so the counter it reads then is the one of the state it describes;
  `tests/core/test_index_saves.py` kills save --all at random moments). The first
  command after a save of 10,000 drafts reads no manifest.

Content facts of working-copy files are kept beside (``facts``: ``local/facts.py``), and
draft folders' known listings (``walks``: ``local/walks.py``).

Anything else (no index, a damaged or foreign file, a schema of another release, a store
that cannot be written, a busy database) means reading the store as without an index:
the file is rebuilt when it can be, and a failure to write it is never an error. A kill
at any moment leaves either the old entries (re-checked as above) or none.
"""

from __future__ import annotations

# the C module: the sqlite3 package adds only datetime adapters (and imports datetime)
import _sqlite3 as sqlite3
import contextlib
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from draftkeeper.core.backend import Fingerprint, fingerprint
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.records import Record
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.manifests import Manifest

if TYPE_CHECKING:
    from sqlite3 import Connection
from draftkeeper.core.store.snapshot import has_racy
from draftkeeper.core.store.store import Store

NAME = "index.sqlite3"
SCHEMA = 5  # 2: fingerprints, and the flags (protected, plain) that answer unchanged
# saves; 3: the store's change counter of each draft instead of its folder's stat data;
# 4: content facts in columns (local/facts.py); 5: draft folders' known listings (walks)
BUSY_S = 0.2  # another process writes it: wait this long, then go on without writing
WAL_MAX = 128 * 1024  # the write-ahead log's size past which an opening checkpoints it
FACTS_CHUNK = 500  # paths per query (SQLite's limit on parameters: 999 in old releases)


PROTECTED, PLAIN = 1, 2  # the flags column


class Latest(Record):
    """A draft's newest readable version, as the index keeps it."""

    __match_args__ = ("draft_id", "version", "time", "versions", "folder", "fingerprint",
                      "total_bytes", "file_count", "protected", "plain")
    __slots__ = __match_args__
    draft_id: Final[str]
    version: Final[str]
    time: Final[float]
    versions: Final[int]  # every version id, damaged ones included
    folder: Final[str | None]
    fingerprint: Final[Fingerprint]  # of its files' (path, size, mtime_ns)
    total_bytes: Final[int]
    file_count: Final[int]
    # a manual save answered "unchanged" with it keeps it as it is (Manifest.protected)
    protected: Final[bool]
    # none of its kept files is racy (snapshot.has_racy): stat data alone tells the working
    # copy is this version, as ``Store.is_unchanged`` decides without reading content
    plain: Final[bool]

    def __init__(self, draft_id: str, version: str, time: float, versions: int,
                 folder: str | None, fingerprint: Fingerprint, total_bytes: int,
                 file_count: int, protected: bool = False, plain: bool = False) -> None:
        self.draft_id = draft_id
        self.version = version
        self.time = time
        self.versions = versions
        self.folder = folder
        self.fingerprint = fingerprint
        self.total_bytes = total_bytes
        self.file_count = file_count
        self.protected = protected
        self.plain = plain

    @classmethod
    def of(cls, manifest: Manifest, versions: int) -> Latest:
        return cls(manifest.draft_id, manifest.version, manifest.time, versions,
                   manifest.folder, fingerprint(f.stat_key() for f in manifest.files),
                   manifest.total_bytes, len(manifest.files), manifest.protected,
                   not has_racy(manifest))

    @property
    def flags(self) -> int:
        return (PROTECTED if self.protected else 0) | (PLAIN if self.plain else 0)

    def same_files(self, listing: Sequence[tuple[str, os.stat_result]]) -> bool:
        """Whether a walk of the working copy (``walk_files``) has this version's paths,
        sizes and mtimes."""
        return len(listing) == self.file_count and self.fingerprint == fingerprint(
            (rel, st.st_size, st.st_mtime_ns) for rel, st in listing)


_Row = tuple[int, str, str, float, int, str | None, bytes, int, int, int]
# a file's content facts (local/facts.py): size, mtime_ns, seen_ns, duration, tracks,
# segments, texts, media
FactsRow = tuple[int, int, int, float | None, int | None, int | None, int | None, str]


class DraftIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.root / NAME
        self._db: Connection | None = None
        self._broken = False
        self._lock = threading.Lock()  # the engine's worker threads share one connection
        self._keys: dict[str, str] = {}  # draft id -> its key (a list asks twice per draft)

    # --- reading ----------------------------------------------------------------------

    def latest_many(self, draft_ids: list[str]) -> list[Latest | None]:
        """The newest readable version of each draft (None: it has none)."""
        keys = [self._key(d) for d in draft_ids]
        found = self._entries(keys, draft_ids)
        return [found.get(k) for k in keys]

    def latest(self, draft_id: str) -> Latest | None:
        return self.latest_many([draft_id])[0]

    def all_latest(self, but: set[str] | frozenset[str] = frozenset()) -> list[Latest]:
        """Every draft of the store that has a readable version, but the drafts ``but``
        names (by id)."""
        skip = {self._key(d) for d in but}
        keys = [k for k in self.store.manifests.draft_keys() if k not in skip]
        return [e for e in self._entries(keys, None).values() if e is not None]

    def _key(self, draft_id: str) -> str:
        key = self._keys.get(draft_id)
        if key is None:
            key = self._keys[draft_id] = draft_key(draft_id)
        return key

    def _entries(self, keys: list[str], draft_ids: list[str] | None
                 ) -> dict[str, Latest | None]:
        with self._lock:
            return self._entries_locked(keys, draft_ids)

    def _entries_locked(self, keys: list[str], draft_ids: list[str] | None
                        ) -> dict[str, Latest | None]:
        cached = self._rows(keys)
        out: dict[str, Latest | None] = {}
        fresh: list[tuple[str, _Row]] = []
        manifests = self.store.manifests
        legacy = manifests.legacy  # files of an earlier release: no counter, no cache
        counters = manifests.changes(keys)  # before any manifest is read
        for i, key in enumerate(keys):
            changes = counters.get(key)
            if changes is None and not legacy:
                out[key] = None  # never saved
                continue
            row = cached.get(key)
            if row is not None and not legacy and row[0] == changes:
                out[key] = _latest(row)
                continue
            draft_id = draft_ids[i] if draft_ids is not None else self._draft_id(key, row)
            entry, cacheable = self._read(draft_id) if draft_id is not None else (None, False)
            out[key] = entry
            if entry is not None and cacheable and changes is not None and not legacy:
                fresh.append((key, (changes, entry.draft_id, entry.version, entry.time,
                                    entry.versions, entry.folder, entry.fingerprint,
                                    entry.total_bytes, entry.file_count, entry.flags)))
        if fresh:
            self._write(fresh)
        return out

    def _draft_id(self, key: str, row: _Row | None) -> str | None:
        """The draft a store key is of (its manifests say; the key is a hash)."""
        if row is not None:
            return row[1]
        manifests = self.store.manifests
        for version in reversed(manifests.ids_of(key)):
            with contextlib.suppress(Exception):
                return manifests.read_key(key, version).draft_id
        return None

    def _read(self, draft_id: str) -> tuple[Latest | None, bool]:
        """From the store itself: (the entry, or None for a draft without a readable
        version; whether it may be kept). A newest version that is damaged keeps the
        entry out of the index (it is read each time, and the damage noted as without
        an index)."""
        ids = self.store.version_ids(draft_id)
        latest = self.store.latest(draft_id)
        if latest is None:
            return None, False
        return Latest.of(latest, len(ids)), bool(ids) and ids[-1] == latest.version

    # --- writing what a save committed --------------------------------------------------

    def record(self, manifests: list[Manifest]) -> None:
        """The rows of versions the store has just committed (``Manifests.committed``:
        the caller still holds the store's lock, so nothing changes these drafts
        meanwhile): each draft's change counter and number of versions, read now, with
        the version, where it is the draft's newest (a pin may rewrite an older one).
        Best effort, as every write of the index: a save never fails for it, and the
        first save --all's next command reads no manifest (10,000 drafts: 0.5 s)."""
        store = self.store.manifests
        if store.legacy or not manifests:
            return
        newest = {draft_key(m.draft_id): m for m in manifests}
        keys = list(newest)
        fresh: list[tuple[str, _Row]] = []
        try:
            counters = store.changes(keys)
            for i in range(0, len(keys), FACTS_CHUNK):
                chunk = keys[i:i + FACTS_CHUNK]
                for key, count, last in store.db.query(
                        "SELECT key, COUNT(*), MAX(version) FROM versions WHERE key IN "
                        f"({','.join('?' * len(chunk))}) GROUP BY key", chunk):
                    m, changes = newest[key], counters.get(key)
                    if changes is None or last != m.version:
                        continue
                    e = Latest.of(m, count)
                    fresh.append((key, (changes, e.draft_id, e.version, e.time, e.versions,
                                        e.folder, e.fingerprint, e.total_bytes, e.file_count,
                                        e.flags)))
        except (DraftKeeperError, OSError, sqlite3.Error):
            return  # the store's database cannot be read now: the readers will
        with self._lock:
            self._write(fresh)

    # --- the database -----------------------------------------------------------------

    def _connect(self) -> Connection | None:
        if self._db is not None or self._broken:
            return self._db
        for _attempt in range(2):
            try:
                db = sqlite3.connect(self.path, timeout=BUSY_S, isolation_level=None,
                                     check_same_thread=False)
                try:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute("PRAGMA synchronous=NORMAL")  # a cache: lost is fine
                    self._trim_log(db)
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    if version != SCHEMA:  # (4 only lacks the walks: its rows are kept)
                        db.executescript(("" if version == 4 else
                            "DROP TABLE IF EXISTS latest; DROP TABLE IF EXISTS facts;"
                            "CREATE TABLE latest (key TEXT PRIMARY KEY, changes INTEGER, "
                            "draft_id TEXT, version TEXT, "
                            "time REAL, versions INTEGER, folder TEXT, fingerprint BLOB, "
                            "bytes INTEGER, files INTEGER, flags INTEGER);"
                            "CREATE TABLE facts (path TEXT PRIMARY KEY, size INTEGER, "
                            "mtime_ns INTEGER, seen_ns INTEGER, duration REAL, "
                            "tracks INTEGER, segments INTEGER, texts INTEGER, media TEXT);")
                            + "DROP TABLE IF EXISTS walks; CREATE TABLE walks (folder TEXT "
                            f"PRIMARY KEY, dirs TEXT, files TEXT); PRAGMA user_version={SCHEMA};")
                except BaseException:
                    db.close()
                    raise
                self._db = db
                return db
            except sqlite3.DatabaseError:
                self._remove()  # damaged or not ours: rebuilt from the store
            except (sqlite3.Error, OSError):
                break  # read-only store, busy: no index this time
        self._broken = True
        return None

    def _trim_log(self, db: Connection) -> None:
        """Move a long write-ahead log into the file and empty it. A command's process
        ends without closing (the close would do it), and SQLite's automatic checkpoint
        was measured never to shorten the log then: it grew by every command (100 saves:
        1.7 MB, 0.15x the saved draft). Best effort: a busy index is trimmed later."""
        try:
            if os.path.getsize(f"{self.path}-wal") <= WAL_MAX:
                return
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (OSError, sqlite3.Error):
            return

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def _rows(self, keys: list[str]) -> dict[str, _Row]:
        """The rows of ``keys``: a few by their keys, many by reading the table once
        (``list`` asks for every draft, its deleted drafts for a handful)."""
        query = ("SELECT key, changes, draft_id, version, time, versions, "
                 "folder, fingerprint, bytes, files, flags FROM latest")
        if len(keys) > FACTS_CHUNK:
            wanted = set(keys)
            return {r[0]: tuple(r[1:]) for r in self._select(query)  # type: ignore[misc]
                    if r[0] in wanted}
        if not keys:
            return {}
        return {r[0]: tuple(r[1:]) for r in self._select(  # type: ignore[misc]
            f"{query} WHERE key IN ({','.join('?' * len(keys))})", keys)}

    def _select(self, query: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return db.execute(query, params).fetchall()
        except sqlite3.DatabaseError:
            self._reset()
        except sqlite3.Error:
            pass
        return []

    def _write(self, fresh: list[tuple[str, _Row]]) -> None:
        self._insert("INSERT OR REPLACE INTO latest VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     [(k, *row) for k, row in fresh])

    # --- content facts of working copies (local/facts.py) ------------------------------

    def facts_rows(self, paths: list[str]) -> dict[str, FactsRow]:
        """The kept facts of these files: only their rows are read (the window asks for
        its rows a batch at a time; reading the whole table for each batch cost 10,000
        drafts half a second), or, for more than a few chunks' worth (``list``), the
        table in one reading."""
        query = ("SELECT path, size, mtime_ns, seen_ns, duration, tracks, segments, texts, "
                 "media FROM facts")
        rows: list[tuple[object, ...]] = []
        with self._lock:
            if len(paths) > 4 * FACTS_CHUNK:
                wanted = set(paths)
                return {r[0]: r[1:] for r in self._select(query)  # type: ignore[misc]
                        if r[0] in wanted}
            for i in range(0, len(paths), FACTS_CHUNK):
                chunk = paths[i:i + FACTS_CHUNK]
                rows += self._select(f"{query} WHERE path IN ({','.join('?' * len(chunk))})",
                                     chunk)
        return {r[0]: r[1:] for r in rows}  # type: ignore[misc]

    def put_facts(self, rows: Sequence[tuple[object, ...]]) -> None:
        with self._lock:
            self._insert("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?,?,?,?)", rows)

    # --- draft folders' known listings (local/walks.py) -------------------------------

    def walk_rows(self) -> list[tuple[object, ...]]:
        with self._lock:
            return self._select("SELECT folder, dirs, files FROM walks")

    def put_walks(self, rows: Sequence[tuple[str, str, str]], gone: Sequence[str]) -> None:
        with self._lock:
            self._insert("INSERT OR REPLACE INTO walks VALUES (?,?,?)", rows)
            self._insert("DELETE FROM walks WHERE folder = ?", [(f,) for f in gone])

    def _insert(self, query: str, rows: Sequence[tuple[object, ...]]) -> None:
        db = self._connect()
        if db is None or not rows:
            return
        try:
            with contextlib.closing(db.cursor()) as cur:
                cur.execute("BEGIN IMMEDIATE")
                cur.executemany(query, rows)
                cur.execute("COMMIT")
        except sqlite3.DatabaseError:
            self._reset()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def _reset(self) -> None:
        """A damaged database: dropped, to be rebuilt at the next reading."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._remove()

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


def _latest(row: _Row) -> Latest:
    flags = row[9]
    return Latest(row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                  bool(flags & PROTECTED), bool(flags & PLAIN))
