"""The restore journal: ``journal/<draft key>.json`` in the store, one per draft whose
restore is in progress. It holds the whole plan, so that whoever opens the store after a
crash can finish or undo that restore without anything else.

Phases: ``staging`` (the working copy is untouched; undo = drop the staging folder),
``swap`` (renames under way; undo = put every old thing back), ``done`` (the restored
state is in place; finish = move the old things aside, drop the staging folder).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from draftkeeper.core.blobs.io import StoreIO, safe_write
from draftkeeper.core.store import quick
from draftkeeper.core.store.keys import draft_key

STAGING, SWAP, DONE = "staging", "swap", "done"
# What happens to the file a restored file replaces: nothing there (""), it is held by
# the before-restore version ("drop"), or it is not (a link, media not kept): "aside".
NO_BACKUP, DROP, ASIDE = "", "drop", "aside"


@dataclass
class Placed:
    """One file of the version: staged as ``n<i>``, the file it replaces kept as ``o<i>``."""

    rel: str
    hash: str
    mtime_ns: int
    backup: str = NO_BACKUP
    chunks: str | None = None  # the file's chunk list (format 2); None: one whole blob


@dataclass
class Plan:
    draft_id: str
    folder: str  # the draft folder (absolute)
    staging: str  # the staging folder's name inside the draft folder
    version: str  # the version restored
    before: str | None  # the version that holds the state before the restore
    aside_dir: str  # where things moved out of the working copy go (in the store)
    place: list[Placed] = field(default_factory=list)
    aside: list[str] = field(default_factory=list)  # moved away as ``a<j>``
    mkdirs: list[str] = field(default_factory=list)  # folders the restore makes
    phase: str = STAGING

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Plan:
        data: dict[str, Any] = json.loads(raw)
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
