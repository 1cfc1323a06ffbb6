"""The restore journal: ``journal/<draft key>.json`` in the store, one per draft whose
restore is in progress. It holds the whole plan, so that whoever opens the store after a
crash can finish or undo that restore without anything else.

Phases: ``staging`` (the working copy is untouched; undo = drop the staging folder),
``swap`` (renames under way; undo = put every old thing back), ``done`` (the restored
state is in place; finish = move the old things aside, drop the staging folder).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from draftkeeper.core import plainjson
from draftkeeper.core.blobs.io import StoreIO, safe_write
from draftkeeper.core.records import Record
from draftkeeper.core.store import quick
from draftkeeper.core.store.keys import draft_key

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any

STAGING, SWAP, DONE = "staging", "swap", "done"
# What happens to the file a restored file replaces: nothing there (""), it is held by
# the before-restore version ("drop"), or it is not (a link, media not kept): "aside".
NO_BACKUP, DROP, ASIDE = "", "drop", "aside"


class Placed(Record):
    """One file of the version: staged as ``n<i>``, the file it replaces kept as ``o<i>``."""

    __match_args__ = ("rel", "hash", "mtime_ns", "backup", "chunks")
    __slots__ = __match_args__

    def __init__(self, rel: str, hash: str, mtime_ns: int, backup: str = NO_BACKUP,
                 chunks: str | None = None) -> None:
        self.rel = rel
        self.hash = hash
        self.mtime_ns = mtime_ns
        self.backup = backup
        self.chunks = chunks  # the file's chunk list (format 2); None: one whole blob


class Plan(Record):
    """A restore in progress: what it places where, what it moves aside, its phase."""

    __match_args__ = ("draft_id", "folder", "staging", "version", "before", "aside_dir",
                      "place", "aside", "mkdirs", "phase")
    __slots__ = __match_args__

    def __init__(self, draft_id: str, folder: str, staging: str, version: str,
                 before: str | None, aside_dir: str, place: list[Placed] | None = None,
                 aside: list[str] | None = None, mkdirs: list[str] | None = None,
                 phase: str = STAGING) -> None:
        self.draft_id = draft_id
        self.folder = folder  # the draft folder (absolute)
        self.staging = staging  # the staging folder's name inside the draft folder
        self.version = version  # the version restored
        self.before = before  # the version that holds the state before the restore
        self.aside_dir = aside_dir  # where things moved out of the working copy go (store)
        self.place: list[Placed] = [] if place is None else place
        self.aside: list[str] = [] if aside is None else aside  # moved away as ``a<j>``
        self.mkdirs: list[str] = [] if mkdirs is None else mkdirs  # folders it makes
        self.phase = phase

    def to_bytes(self) -> bytes:
        return plainjson.dumps(self.as_dict()).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Plan:
        data: dict[str, Any] = plainjson.loads(raw)
        data["place"] = [Placed(**p) for p in data["place"]]
        return cls(**data)

    @property
    def moved_aside(self) -> list[str]:
        return sorted([*self.aside, *(p.rel for p in self.place if p.backup == ASIDE)])


class Journal:
    def __init__(self, root: Path, io: StoreIO) -> None:
        self.dir = quick.journal_dir(root)
        self.io = io

    def path(self, draft_id: str) -> Path:
        return self.dir / f"{draft_key(draft_id)}.json"

    def write(self, plan: Plan) -> None:
        safe_write(self.io, self.path(plan.draft_id), plan.to_bytes())

    def pending(self) -> list[Path]:
        try:
            names = os.listdir(self.dir)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(self.dir / n for n in names if n.endswith(".json") and n[0] != ".")

    def read(self, path: Path) -> Plan | None:
        """The plan in a journal file; None when there is none (or it is not ours)."""
        try:
            return Plan.from_bytes(path.read_bytes())
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # written atomically: only a foreign file can look like this

    def remove(self, path: Path, *, durable: bool = True) -> None:
        """``durable=False`` when a journal coming back after a crash is harmless: one
        whose restore finished ("done": finishing it again finds nothing left to do)."""
        with contextlib.suppress(FileNotFoundError):
            self.io.unlink(path)
        if durable:
            self.io.fsync_dir(self.dir)
