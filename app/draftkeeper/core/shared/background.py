"""Replication in the background, for the window and ``watch``: after each local save the
draft's new versions are uploaded on the app's asyncio loop, never in the way of a save
(store reads in worker threads, requests in the client's own threads, bounded parallelism).

Each request is retried with the saves' backoff; a pass that still fails is tried again
after a wait that grows to the backoff cap, for ever: uploads never give up. Each draft's
share state (a kind and its parameters, worded by the UI and the CLI) is told on every
change: on the shared store, uploading (a fraction), or not yet there (since when the
store cannot be reached, and the error's reason).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from draftkeeper.core.errors import DraftKeeperError, DraftNotFound, SaveFailed
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.config import share_config
from draftkeeper.core.shared.opening import Share, open_share
from draftkeeper.core.shared.pruning import settled_versions
from draftkeeper.core.shared.replicate import Replicator
from draftkeeper.core.store.manifests import DamagedManifest
from draftkeeper.core.store.store import Store

DRAFTS_AT_ONCE = 4  # drafts uploading at once (their requests share the client's bound)


class ShareKind(StrEnum):
    SHARED = "shared"  # every local version is on the shared store
    UPLOADING = "uploading"  # ``fraction`` of what was missing is there
    PENDING = "pending"  # not yet there: ``offline_since`` / ``error_reason`` say why


@dataclass(frozen=True)
class ShareState:
    draft_id: str
    kind: ShareKind
    fraction: float = 0.0
    offline_since: float | None = None  # when the shared store stopped answering
    error_reason: str = ""  # the last error's reason: share_offline, share_denied, ...
    error: DraftKeeperError | None = field(default=None, compare=False)


class Sharing:
    """Keeps every local version on the shared store while the app runs."""

    def __init__(self, store: Callable[[], Store], settings: Settings,
                 tell: Callable[[ShareState], None], *,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.settings = settings
        self.tell = tell
        self.clock = clock
        self.share: Share | None = None
        self.replicator: Replicator | None = None
        self.there: set[tuple[str, str]] = set()  # (draft key, version) on the shared store
        self.offline_since: float | None = None
        self.error: DraftKeeperError | None = None
        self._states: dict[str, ShareState] = {}
        self._dirty: set[str] = set()
        self._local: list[str] = []  # the local drafts at start (waiting before a listing)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # --- what the app sees ----------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._main())

    def saved(self, draft_id: str) -> None:
        """A local save made a version of ``draft_id``: share it."""
        self._dirty.add(draft_id)
        self._wake.set()
        old = self._states.get(draft_id)
        if old is None or old.kind is ShareKind.SHARED:
            self._set(self._waiting(draft_id))

    def states(self) -> dict[str, ShareState]:
        return dict(self._states)

    def not_shared(self) -> list[str]:
        return sorted(d for d, s in self._states.items() if s.kind is not ShareKind.SHARED)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.share is not None:
            self.share.client.close(wait=False)  # a request in flight ends on its own

    # --- states -----------------------------------------------------------------------

    def _set(self, state: ShareState) -> None:
        old = self._states.get(state.draft_id)
        if old == state:
            return
        self._states[state.draft_id] = state
        self.tell(state)

    def _waiting(self, draft_id: str, fraction: float = 0.0) -> ShareState:
        if self.offline_since is not None or self.error is not None:
            reason = self.error.reason if self.error is not None else "share_offline"
            return ShareState(draft_id, ShareKind.PENDING, fraction, self.offline_since,
                              reason or "", self.error)
        return ShareState(draft_id, ShareKind.UPLOADING, fraction)

    def _request_done(self, error: DraftKeeperError | None) -> None:
        """Every request's outcome (the client's hook): the first failure makes every
        draft not yet shared say since when; the first success after it clears that."""
        if error is None:
            if self.offline_since is None and self.error is None:
                return
            self.offline_since, self.error = None, None
        else:
            if error.offline and self.offline_since is None:
                self.offline_since = self.clock()
            self.error = error
            for draft_id in self._local:  # not listed yet: each local draft waits
                if draft_id not in self._states:
                    self._set(self._waiting(draft_id))
        for draft_id, state in list(self._states.items()):
            if state.kind is not ShareKind.SHARED:
                self._set(self._waiting(draft_id, state.fraction))

    def _progress(self, draft_id: str, fraction: float) -> None:
        old = self._states.get(draft_id)
        if old is not None and old.kind is ShareKind.UPLOADING and (
                int(fraction * 100) == int(old.fraction * 100)):
            return  # told once per whole percent
        self._set(self._waiting(draft_id, fraction))

    # --- the work ---------------------------------------------------------------------

    async def _open(self) -> Replicator:
        cfg = share_config(self.settings)
        share = self.share
        if share is None:
            share = await open_share(cfg, create=True, on_request=self._request_done)
            self.share = share
        self._request_done(None)
        self.there = await settled_versions(share)
        replicator = Replicator(self.store(), share)
        await replicator.prepare()
        self._local = await asyncio.to_thread(self.store().draft_ids)
        self._dirty.update(self._local)
        for draft_id in self._local:
            if draft_id not in self._states:
                self._set(ShareState(draft_id, ShareKind.UPLOADING))
        return replicator

    async def _main(self) -> None:
        failures = 0
        self._local = await asyncio.to_thread(self.store().draft_ids)
        s = self.settings
        policy = s.retry_policy
        while True:
            try:
                if self.replicator is None:
                    self.replicator = await self._open()
                failed = await self._pass(self.replicator)
            except DraftKeeperError as exc:
                self._request_done(exc)
                failed = True
            if not failed:
                failures = 0
                if not self._dirty:
                    self._wake.clear()
                    await self._wake.wait()
                continue
            failures += 1
            await asyncio.sleep(max(policy.delay(min(failures, 30)), random.uniform(0, 0.05)))

    async def _pass(self, replicator: Replicator) -> bool:
        """Share every draft that waits; whether any failed (it waits again)."""
        replicator.store = self.store()
        todo, self._dirty = sorted(self._dirty), set()
        slots = asyncio.Semaphore(DRAFTS_AT_ONCE)

        async def one(draft_id: str) -> bool:
            async with slots:
                try:
                    await self._draft(replicator, draft_id)
                except DraftKeeperError as exc:
                    self._dirty.add(draft_id)
                    self._request_done(exc)
                    return True
                return False

        return any(await asyncio.gather(*(one(d) for d in todo)))

    async def _draft(self, replicator: Replicator, draft_id: str) -> None:
        store = replicator.store
        assert self.share is not None
        key = self.share.sealer.draft_key(draft_id)
        try:
            ids = await asyncio.to_thread(store.version_ids, draft_id)
        except DraftNotFound:
            ids = []
        missing = [v for v in ids if (key, v) not in self.there]
        for i, version in enumerate(missing):
            self._progress(draft_id, i / len(missing))
            try:
                manifest = await asyncio.to_thread(store.manifest, draft_id, version)
            except DraftNotFound:  # thinned by retention meanwhile: nothing to share
                continue
            except DamagedManifest as exc:
                raise SaveFailed(f"Version {version} of {draft_id} is damaged here and "
                                 f"cannot be shared: {exc.damage}", reason="version_damaged",
                                 params={"draft_id": draft_id, "version": version}) from exc

            def chunk_done(done: int, total: int, i: int = i) -> None:
                self._progress(draft_id, (i + done / (total + 1)) / len(missing))

            await replicator.share_version(manifest, chunk_done)
            self.there.add((key, version))
        state = self._states.get(draft_id)
        if draft_id not in self._dirty:
            self._set(ShareState(draft_id, ShareKind.SHARED))
        elif state is not None:
            self._set(replace(state, fraction=0.0))
