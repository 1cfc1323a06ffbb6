"""Where the versions' manifests are kept: rows of the store's database.

A version is a row of ``objects.db``'s ``versions`` table (draft key, version id, the
manifest's JSON), committed in the same transaction as the save's small pieces, after
its large pieces' files are durable (``commit``): a version exists exactly when its
row is committed, and a group of saves (``batch.py``) is one commit, not two fsyncs per
manifest. Every change to a draft's versions (a save, a pin, a check recorded, retention)
moves that draft's counter in the ``drafts`` table, in the same transaction: the index
of latest versions (``local/index.py``) trusts what it kept while the counter stays.

A row that cannot be read as a manifest is *damaged*: it is reported (``damage``), skipped
by the readers, and never hides the readable versions beside it.

Stores of earlier releases kept one file per version, ``drafts/<key>/versions/<id>.json``.
The first process that may write such a store moves them into rows once, under the lock
(``migrate``: the rows are committed before any file is removed, so a kill at any moment
leaves every version readable, as a row, a file or both; a file that cannot be read stays
a file). Until then, and on a store this process cannot write, the files are read beside
the rows (a row wins).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from draftkeeper.core.backend import VersionInfo
from draftkeeper.core.blobs.blobs import Blobs
from draftkeeper.core.blobs.database import ObjectDB
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.blobs.packs import PackedFolder
from draftkeeper.core.errors import BadRequest, DraftNotFound
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.store import quick
from draftkeeper.core.store.keys import draft_key
from draftkeeper.core.store.manifests import Damage, DamagedManifest, Manifest, iso, version_time

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any

    from draftkeeper.core.blobs.database import Change

LEGACY = "drafts"  # drafts/<key>/versions/<id>.json: manifests of earlier releases
_BUMP = ("INSERT INTO drafts (key, draft_id, changes) VALUES (?, ?, 1) ON CONFLICT(key) "
         "DO UPDATE SET changes = changes + 1, draft_id = CASE WHEN excluded.draft_id != '' "
         "THEN excluded.draft_id ELSE draft_id END")
_ADD = "INSERT INTO versions (key, version, manifest, time, protected) VALUES (?, ?, ?, ?, ?)"
_PUT = _ADD + (" ON CONFLICT(key, version) DO UPDATE SET manifest = excluded.manifest, "
               "time = excluded.time, protected = excluded.protected")
# a rewrite that leaves time and protected as they were fires the schema's trigger, which
# forgets them (database.py): they are set again
_FACTS = ("UPDATE versions SET time = ?, protected = ? WHERE key = ? AND version = ? "
          "AND protected IS NULL")
CHUNK = 500  # keys per query (SQLite's limit on parameters: 999 in old releases)
# ``changes`` of more keys than this reads the whole table instead of looking each key up;
# fewer (a batch save's group of 512 drafts) are looked up, so that a save of 100,000 new
# drafts does not read the growing table once per group (~6 s of its ~35 s)
SCAN_KEYS = 4096


class Manifests:
    """The manifests of every draft in one store."""

    def __init__(self, root: Path, io: StoreIO, db: ObjectDB) -> None:
        self.root = root
        self.io = io
        self.db = db
        self.dir = root / LEGACY
        self.legacy = self.dir.is_dir()  # files of an earlier release may be there
        self.damage: dict[str, Damage] = {}  # where -> what a reader skipped
        # told of the versions a save has just committed (after its retention) or a write
        # has just made, the caller still holding the lock (``done``): the index of
        # latest versions keeps their rows (local/index.py)
        self.committed: Callable[[list[Manifest]], None] | None = None

    # --- reading ---------------------------------------------------------------------

    def _rows(self, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        return self.db.query(sql, args) if self.db.has("versions") else []

    def version_ids(self, draft_id: str) -> list[str]:
        """Version ids of a draft, oldest first (damaged ones included)."""
        return self.ids_of(draft_key(draft_id))

    def ids_of(self, key: str) -> list[str]:
        """Version ids of the draft whose key is ``key``, oldest first."""
        files = quick.version_ids(self._folder(key)) if self.legacy else []
        ids = [r[0] for r in self._rows(
            "SELECT version FROM versions WHERE key=? ORDER BY version", (key,))]
        return sorted({*ids, *files}) if files else ids

    def ids_many(self, draft_ids: list[str]) -> dict[str, list[str]]:
        """``version_ids`` of many drafts, in one query per ``CHUNK`` of them (a batch
        save lists a group's versions at once, not with a query per draft)."""
        if self.legacy or not self.db.has("versions"):
            return {d: self.version_ids(d) for d in draft_ids}
        keys = {draft_key(d): d for d in draft_ids}
        out: dict[str, list[str]] = {d: [] for d in draft_ids}
        wanted = list(keys)
        for i in range(0, len(wanted), CHUNK):
            part = wanted[i:i + CHUNK]
            marks = ",".join("?" * len(part))
            for key, version in self.db.query(
                    f"SELECT key, version FROM versions WHERE key IN ({marks}) "
                    "ORDER BY key, version", part):
                out[keys[key]].append(version)
        return out

    def read(self, draft_id: str, version: str) -> Manifest:
        return self.read_key(draft_key(draft_id), version, draft_id)

    def read_key(self, key: str, version: str, draft_id: str = "") -> Manifest:
        """The manifest of a version (DraftNotFound: there is none; DamagedManifest: it
        does not read)."""
        raw, where = self.raw(key, version, draft_id)
        try:
            return Manifest.from_bytes(raw)
        except ValueError as exc:
            raise self._damaged(where, version, str(exc), draft_id) from None

    def raw(self, key: str, version: str, draft_id: str = "") -> tuple[bytes, str]:
        """A version's manifest as stored, and where (for messages)."""
        where = f"{self.db.path}#{key}/{version}"
        for _attempt in range(2):  # (a migration may move a file into a row meanwhile)
            try:
                rows = self._rows(
                    "SELECT manifest FROM versions WHERE key=? AND version=?", (key, version))
            except OSError as exc:
                raise self._damaged(where, version, f"cannot be read ({exc.strerror})",
                                    draft_id) from exc
            if rows:
                return bytes(rows[0][0]), where
            if not self.legacy:
                break
            path = self._folder(key) / f"{version}.json"
            try:
                return path.read_bytes(), str(path)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise self._damaged(str(path), version, f"cannot be read ({exc.strerror})",
                                    draft_id) from exc
        raise DraftNotFound(
            f"Version {version}{f' of {draft_id}' if draft_id else ''} does not exist")

    def _damaged(self, where: str, version: str, reason: str, draft_id: str
                 ) -> DamagedManifest:
        self.damage[where] = Damage(where, version, reason)
        return DamagedManifest(Path(where), version, reason, draft_id)

    def readable(self, draft_id: str, ids: list[str] | None = None) -> list[Manifest]:
        """Every readable manifest of a draft, oldest first; damaged ones are skipped."""
        out = []
        for version in self.version_ids(draft_id) if ids is None else ids:
            try:
                out.append(self.read(draft_id, version))
            except (DamagedManifest, DraftNotFound):
                continue
        return out

    def newest_readable(self, draft_id: str, ids: list[str] | None = None
                        ) -> Manifest | None:
        """The newest manifest that reads (of ``ids``, when the caller listed them)."""
        for version in reversed(self.version_ids(draft_id) if ids is None else ids):
            try:
                return self.read(draft_id, version)
            except (DamagedManifest, DraftNotFound):
                continue
        return None

    def history(self, draft_id: str) -> list[VersionInfo]:
        """Versions of a draft, newest first; damaged ones are listed and marked."""
        out = []
        for version in reversed(self.version_ids(draft_id)):
            try:
                out.append(self.read(draft_id, version).info())
            except DamagedManifest as exc:
                stamp = version_time(version)
                out.append(VersionInfo(
                    version=version, time=stamp, saved_at=iso(stamp), reason="",
                    file_count=0, bytes=0, damaged=exc.damage,
                ))
            except DraftNotFound:
                continue  # thinned meanwhile
        return out

    def resolve(self, draft_id: str, version: str) -> str:
        """A full version id from a full id or a unique prefix of one."""
        ids = self.version_ids(draft_id)
        if version in ids:
            return version
        if version == "latest":
            newest = self.newest_readable(draft_id)
            if newest is None:
                raise DraftNotFound(f"{draft_id} has no versions", reason="no_versions",
                                    params={"draft_id": draft_id})
            return newest.version
        matches = [v for v in ids if v.startswith(version)] if version else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise BadRequest(f"Version {version!r} is ambiguous: {len(matches)} versions match")
        raise DraftNotFound(f"Version {version} of {draft_id} does not exist",
                            reason="version_not_found",
                            params={"draft_id": draft_id, "version": version})

    def facts(self, draft_id: str) -> list[tuple[str, float | None, bool | None]]:
        """(version id, time, protected) of each version of a draft, oldest first, from
        the rows' columns (one query of an index); (id, None, None) where they are not
        known: a row an earlier release wrote, a manifest file of one (``fill`` them)."""
        key = draft_key(draft_id)
        if not self.db.has("versions_forget"):  # (a read-only store of an earlier release)
            return [(v, None, None) for v in self.ids_of(key)]
        rows: list[tuple[str, float | None, bool | None]] = [
            (r[0], r[1], None if r[2] is None else bool(r[2])) for r in self.db.query(
                "SELECT version, time, protected FROM versions WHERE key=? ORDER BY version",
                (key,))]
        if self.legacy:
            files = set(quick.version_ids(self._folder(key))) - {r[0] for r in rows}
            rows = sorted([*rows, *((v, None, None) for v in files)])
        return rows

    def all_ids(self) -> list[tuple[str, str]]:
        """(draft key, version id) of every version of the store, damaged ones included."""
        found = {(r[0], r[1]) for r in self._rows("SELECT key, version FROM versions")}
        if self.legacy:
            for key in self._legacy_keys():
                found.update((key, v) for v in quick.version_ids(self._folder(key)))
        return sorted(found)

    def draft_keys(self) -> list[str]:
        """The draft keys that have versions."""
        found = {r[0] for r in self._rows("SELECT DISTINCT key FROM versions")}
        return sorted(found.union(self._legacy_keys()) if self.legacy else found)

    def draft_ids(self) -> list[str]:
        ids = {r[0] for r in self._rows(
            "SELECT draft_id FROM drafts WHERE draft_id != '' AND EXISTS "
            "(SELECT 1 FROM versions WHERE versions.key = drafts.key)")}
        if self.legacy:
            for key in self._legacy_keys():
                for version in reversed(quick.version_ids(self._folder(key))):
                    with contextlib.suppress(DamagedManifest, DraftNotFound):
                        ids.add(self.read_key(key, version).draft_id)
                        break
        return sorted(ids)

    def changes(self, keys: list[str]) -> dict[str, int]:
        """Each key's change counter (a key without versions may be missing)."""
        if not self.db.has("drafts"):
            return {}
        if len(keys) > SCAN_KEYS:  # (most of the table, as a whole listing asks)
            wanted = set(keys)
            return {r[0]: r[1] for r in self.db.query("SELECT key, changes FROM drafts")
                    if r[0] in wanted}
        out: dict[str, int] = {}
        for i in range(0, len(keys), CHUNK):
            chunk = keys[i:i + CHUNK]
            out.update(self.db.query(
                f"SELECT key, changes FROM drafts WHERE key IN ({','.join('?' * len(chunk))})",
                chunk))
        return out

    # --- writing (the caller holds the store's lock) ---------------------------------

    def change(self, manifests: list[Manifest], raws: list[bytes] | None = None, *,
               rewrite: bool = False) -> Change:
        """What inserts these versions' rows, for ``ObjectDB.write`` or ``commit`` (each
        manifest's bytes made now, not in the transaction, unless the caller made them:
        ``raws``): new rows (a row there already fails the commit: an upsert, whose update
        may fire the trigger, made SQLite journal each row's pages in a temp file), or
        with ``rewrite`` rows that may be there (a pin, a label), replaced, with the time
        and protection the trigger may have just forgotten set again."""
        if raws is None:
            raws = [m.to_bytes() for m in manifests]
        rows = [(draft_key(m.draft_id), m.version, raw, m.time, int(m.protected))
                for m, raw in zip(manifests, raws, strict=True)]
        drafts = {draft_key(m.draft_id): m.draft_id for m in manifests}

        def apply(db: Any) -> None:
            db.executemany(_PUT if rewrite else _ADD, rows)
            if rewrite:
                db.executemany(_FACTS, [(t, p, k, v) for k, v, _raw, t, p in rows])
            db.executemany(_BUMP, list(drafts.items()))

        return apply

    def commit(self, manifests: list[Manifest], blobs: Blobs,
               raws: list[bytes] | None = None) -> None:
        """Make new versions exist: every blob put so far durable, then their rows, in
        the commit of the small blobs' rows when this database keeps those (one commit
        for a save's pieces and its versions), else after them."""
        rows, backing = self.change(manifests, raws), blobs.backing
        if isinstance(backing, PackedFolder) and backing.db is self.db:
            backing.sync(rows)
            return
        blobs.sync()
        self.db.write(rows)

    def write(self, manifest: Manifest) -> None:
        """A version's row in a commit of its own (a pin, a label, a check recorded, a
        version brought from elsewhere once its blobs are durable)."""
        self.db.write(self.change([manifest], rewrite=True))
        self.done([manifest])

    def done(self, manifests: list[Manifest]) -> None:
        """Tell ``committed`` of versions just made (the caller holds the lock)."""
        if self.committed is not None and manifests:
            self.committed(manifests)

    def delete(self, draft_id: str, versions: list[str],
               fill: list[tuple[str, float, bool]] | None = None) -> None:
        """Remove versions of a draft (retention), in one commit, and set the time and
        protection of those in ``fill`` (read from their manifests: see ``facts``)."""
        key = draft_key(draft_id)
        known = [(t, int(p), key, v) for v, t, p in fill or ()]

        def apply(db: Any) -> None:
            if known:
                db.executemany(_FACTS, known)
            if versions:
                db.executemany("DELETE FROM versions WHERE key=? AND version=?",
                               [(key, v) for v in versions])
                db.execute(_BUMP, (key, draft_id))

        if not versions and not known:
            return
        self.db.write(apply)
        if self.legacy and versions:
            folder = self._folder(key)
            gone = [folder / f"{v}.json" for v in versions]
            if any(p.exists() for p in gone):
                for path in gone:
                    with contextlib.suppress(FileNotFoundError):
                        self.io.unlink(path)
                self.io.fsync_dir(folder)

    # --- stores of earlier releases --------------------------------------------------

    def _folder(self, key: str) -> Path:
        return self.dir / key / "versions"

    def _legacy_keys(self) -> list[str]:
        try:
            return [n for n in os.listdir(self.dir) if not n.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def migrate(self) -> int:
        """Move the manifest files of an earlier release into rows (the caller holds the
        lock); returns how many. Rows are committed (durably) before any file goes; a
        version whose row exists already keeps its row."""
        if not self.legacy:
            return 0
        rows: list[tuple[str, str, bytes]] = []
        drafts: dict[str, str] = {}
        moved: list[Path] = []
        for key in self._legacy_keys():
            folder = self._folder(key)
            try:
                names = sorted(os.listdir(folder), reverse=True)
            except OSError:
                continue
            for name in names:
                path = folder / name
                if name.startswith(TMP_PREFIX):
                    moved.append(path)  # a killed writer's temp file
                    continue
                if not name.endswith(".json"):
                    continue
                try:
                    raw = path.read_bytes()
                except OSError:
                    continue  # unreadable: stays a file, read (and reported) as before
                rows.append((key, name[:-5], raw))
                moved.append(path)
                if key not in drafts:
                    with contextlib.suppress(ValueError):
                        drafts[key] = Manifest.from_bytes(raw).draft_id
        if rows:
            def apply(db: Any) -> None:
                db.executemany("INSERT OR IGNORE INTO versions (key, version, manifest) "
                               "VALUES (?, ?, ?)", rows)
                db.executemany(_BUMP, [(k, drafts.get(k, "")) for k in {r[0] for r in rows}])

            self.db.write(apply)
        for path in moved:
            with contextlib.suppress(OSError):
                os.unlink(path)
        for key in self._legacy_keys():
            for folder in (self._folder(key), self.dir / key):
                with contextlib.suppress(OSError):
                    os.rmdir(folder)
        with contextlib.suppress(OSError):
            os.rmdir(self.dir)
        self.legacy = self.dir.is_dir()
        return len(rows)
