"""Helpers for tests: draft folders as {relative path: bytes}, a small real file system."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def read_tree(folder: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def make_draft(root: Path, draft_id: str, files: dict[str, bytes] | None = None) -> Path:
    folder = root / draft_id
    folder.mkdir(parents=True, exist_ok=True)
    write_tree(folder, files or {
        "draft_content.json": b'{"tracks": []}',
        "draft_meta_info.json": b'{"draft_name": "x"}',
    })
    return folder


def bump(path: Path, data: bytes) -> None:
    """Rewrite a file and move its mtime forward, as an editor's save would."""
    st = path.stat() if path.exists() else None
    path.write_bytes(data)
    if st is not None:
        ns = max(st.st_mtime_ns + 1_000_000, path.stat().st_mtime_ns)
        os.utime(path, ns=(ns, ns))


@contextlib.contextmanager
def tmpfs(mnt: Path, size: str) -> Iterator[Path]:
    """A real small file system at ``mnt`` (needs root and mount); the test is skipped
    where there is none."""
    mnt.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True)


class StoredObject:
    """One stored blob wherever the store keeps it (a row of ``objects.db`` when small, a
    file under ``blobs/`` when large or written by an earlier release), with the ``Path``
    methods tests use to look at it or damage it."""

    def __init__(self, store: Path, digest: str | None) -> None:
        assert digest
        self.key = bytes.fromhex(digest)  # how the database keeps a blob's key
        self.file = store / "blobs" / digest[:2] / f"{digest}.zst"
        self.db = store / "objects.db"

    def _rows(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        if not self.db.exists():
            return []
        with contextlib.closing(sqlite3.connect(self.db, isolation_level=None)) as db:
            return db.execute(sql, (*args, self.key)).fetchall()

    def in_db(self) -> bool:
        return bool(self._rows("SELECT 1 FROM objects WHERE key=?"))

    def exists(self) -> bool:
        return self.file.exists() or self.in_db()

    def read_bytes(self) -> bytes:
        if self.file.exists():
            return self.file.read_bytes()
        [(data,)] = self._rows("SELECT data FROM objects WHERE key=?")
        assert isinstance(data, bytes)
        return data

    def write_bytes(self, data: bytes) -> None:
        if self.file.exists():
            self.file.write_bytes(data)
            return
        assert self.in_db(), self.key
        self._rows("UPDATE objects SET data=? WHERE key=?", data)

    def unlink(self) -> None:
        if self.file.exists():
            self.file.unlink()
            return
        assert self.in_db(), self.key
        self._rows("DELETE FROM objects WHERE key=?")


def stored_objects(store: Path) -> list[StoredObject]:
    """Every blob of a store folder, rows and files."""
    digests = [p.name[:-4] for p in (store / "blobs").glob("*/*.zst")]
    if (store / "objects.db").exists():
        with contextlib.closing(sqlite3.connect(store / "objects.db")) as db:
            digests += [k.hex() for (k,) in db.execute("SELECT key FROM objects")]
    return [StoredObject(store, d) for d in digests]


class StoredManifest:
    """One version's manifest as the store keeps it (a row of ``objects.db``'s versions
    table), with the ``Path`` methods tests use to look at it or damage it."""

    def __init__(self, store: Path, draft_id: str, version: str) -> None:
        from draftkeeper.core.store.keys import draft_key

        self.db = store / "objects.db"
        self.args = (draft_key(draft_id), version)

    def _rows(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        with contextlib.closing(sqlite3.connect(self.db, isolation_level=None)) as db:
            return db.execute(sql, (*args, *self.args)).fetchall()

    def exists(self) -> bool:
        return bool(self._rows("SELECT 1 FROM versions WHERE key=? AND version=?"))

    def read_bytes(self) -> bytes:
        [(data,)] = self._rows("SELECT manifest FROM versions WHERE key=? AND version=?")
        assert isinstance(data, bytes)
        return data

    def write_bytes(self, data: bytes) -> None:
        assert self.exists(), self.args
        self._rows("UPDATE versions SET manifest=? WHERE key=? AND version=?", data)


def stored_versions(store: Path) -> list[tuple[str, str]]:
    """(draft key, version) of every version row of a store folder."""
    if not (store / "objects.db").exists():
        return []
    with contextlib.closing(sqlite3.connect(store / "objects.db")) as db:
        return sorted(db.execute("SELECT key, version FROM versions").fetchall())
