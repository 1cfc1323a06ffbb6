"""A SaveBackend double for virtual-time scheduler tests.

Drafts are in-memory fingerprints; each save can be scripted to fail, to take virtual time,
or to succeed. Every call is recorded with its virtual time. The real engines are tested
against the scheduler in real time elsewhere (tests/core/test_scheduler_real.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from draftkeeper.core.backend import (
    DraftInfo,
    DraftScan,
    Fingerprint,
    SavedState,
    SaveResult,
    fingerprint,
)
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound
from tests.vclock import VirtualClock


@dataclass
class FakeDraft:
    fingerprint: Fingerprint | None
    saved: Fingerprint | None = None
    saved_at: float | None = None
    versions: int = 0
    server: str | None = None
    script: list[DraftKeeperError | float] = field(default_factory=list)


class ScriptedBackend:
    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.drafts: dict[str, FakeDraft] = {}
        self.calls: list[tuple[str, str, float]] = []  # (key, reason, virtual time)
        self.server_down: set[str] = set()
        self.down_error: DraftKeeperError | None = None

    def add(self, key: str, *, remote_server: str | None = None, saved: bool = False) -> None:
        fp = None if remote_server else fingerprint([(f"{key}.json", 1, 1)])
        self.drafts[key] = FakeDraft(fingerprint=fp, server=remote_server)
        if saved:
            d = self.drafts[key]
            d.saved, d.saved_at, d.versions = fp, self.clock.now(), 1

    def touch(self, key: str) -> None:
        d = self.drafts[key]
        assert d.fingerprint is not None
        d.fingerprint += b"+"  # a state never seen before

    def saves(self, key: str | None = None) -> list[float]:
        return [t for k, _r, t in self.calls if key is None or k == key]

    def _info(self, key: str) -> DraftInfo:
        d = self.drafts[key]
        return DraftInfo(
            draft_id=key, name=key, root=d.server or "/root", path=key, size=1,
            file_count=1, modified=0.0, draft_url=key, remote=d.server is not None,
        )

    async def save(self, draft_url: str, reason: str = "manual") -> SaveResult:
        self.calls.append((draft_url, reason, self.clock.now()))
        d = self.drafts.get(draft_url)
        if d is None:
            raise DraftNotFound(f"Draft does not exist: {draft_url}")
        if d.server is not None and d.server in self.server_down:
            assert self.down_error is not None
            raise self.down_error
        snapshot = d.fingerprint  # a save captures the state as it starts
        if d.script:
            step = d.script.pop(0)
            if isinstance(step, DraftKeeperError):
                raise step
            await self.clock.sleep(step)
        unchanged = snapshot is not None and snapshot == d.saved
        if not unchanged:
            d.versions += 1
        d.saved, d.saved_at = snapshot, self.clock.now()
        return SaveResult(draft_url, f"v{d.versions}", "", unchanged)

    async def scan(self) -> list[DraftScan]:
        return [DraftScan(self._info(k), d.fingerprint) for k, d in self.drafts.items()]

    async def scan_one(self, key: str) -> DraftScan | None:
        if key not in self.drafts:
            return None
        return DraftScan(self._info(key), self.drafts[key].fingerprint)

    async def saved_state(self, key: str) -> SavedState:
        d = self.drafts.get(key)
        if d is None:
            return SavedState(None, None, 0)
        return SavedState(d.saved, d.saved_at, d.versions, f"v{d.versions}" if d.versions else None)

    async def saved_states(self, keys: list[str]) -> list[SavedState]:
        return [await self.saved_state(k) for k in keys]

    def server_of(self, key: str) -> str | None:
        d = self.drafts.get(key)
        return d.server if d else None
