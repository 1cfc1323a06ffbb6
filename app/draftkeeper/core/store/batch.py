"""Saving many drafts at once (`save --all`, the window's Save all, `watch` and autosave
saving every changed draft): ``Store.save``'s steps, with the per-draft costs paid once per
group of drafts.

- Drafts whose working copy is their latest version are answered first, without the lock
  (as ``Store.save`` does).
- The rest are saved in groups: one hold of the store's lock per group (``GROUP_DRAFTS``
  drafts, up to ``GROUP_MAX`` in a call of many: a fraction of a second of work, so that
  another process's save waits about that long at most, well inside its lock timeout),
  its drafts read one after the other by the calling thread (a draft of a few small files
  is microseconds of reading each: worker threads only passed the GIL back and forth,
  measured slower and with twice the context switches at 10,000 drafts), one wait for the
  group's new large blobs to be durable, then one database commit of the group's small
  blobs and every one of its versions' rows (``Store.commit``): a group commit, with the
  same guarantee as one save (a version exists exactly when its row, and every blob it
  names, are durable), for three fsyncs instead of two per manifest. A group's versions
  are listed with one query under its hold of the lock, and that listing names the new
  versions and tells whether retention has anything to thin.
- A group with many new drafts (no version yet) hands part of them to a second process
  (``_spread``; ``blobs/hashers.py``), which walks them and hashes their small files
  while this thread saves the group before and the rest of this one: the Python work
  per file is what a save of many small drafts costs, and only another process runs it
  on the second core. How many it is handed follows its pace (``_Pace``): more after a
  group it had ready when this thread came to it, fewer after one this thread waited for
  (on a busy machine it gets less of a core; the pace carries over from one batch of the
  process to the next). A new draft that process walked already, while `save --all`
  swept the roots (``local/ahead.py``), is taken as it is, not asked for again; its
  version's time is from before that walk. That process only reads; this thread
  names a blob from its digest only where the blob is stored already, and reads, stores
  and checks everything else itself, so the rules above hold as they are.
- While batches save, the cyclic collector's youngest generation is larger
  (``core/collector.py``): a batch makes many objects that live on.
- A draft that fails is reported on its own: the others of its group are committed, and
  its new blobs are taken back (but not one that a draft saved beside it found stored
  and names). A failed draft never keeps the others from being saved; a commit that
  fails (the disk) fails the group's drafts, and takes their new blobs back.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from draftkeeper.core.blobs.chunking import SMALL
from draftkeeper.core.blobs.hashers import Walked
from draftkeeper.core.collector import fewer_collections
from draftkeeper.core.errors import BadRequest, DraftKeeperError, SaveFailed, disk_error
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.store import snapshot
from draftkeeper.core.store.manifests import (
    REASONS,
    FileEntry,
    Manifest,
    new_version_id,
    read_began,
    same_files,
)
from draftkeeper.core.store.snapshot import DEFAULT_OPTIONS, SaveOptions, Snapshot
from draftkeeper.core.store.store import Store

GROUP_DRAFTS = 512
# a call of many drafts saves them in larger groups (an eighth of it, up to GROUP_MAX): a
# commit rewrites every page of the key indexes (digests, draft keys: spread over all of
# them) that one of its rows lands on, so in a big store each commit costs what its size
# makes it (100,000 tiny drafts: 196 commits of ~80 ms, 16 s; 64 larger ones, 7.5 s)
GROUP_MAX = 2048
GROUP_SHARE = 8
# a group with this many new drafts hands part of them to a second process to walk and
# hash (``blobs/hashers.py``): 128 drafts of the template are about 30 ms of this
# thread's work, where the process's start costs the other core about 0.15 s, once
SPREAD_DRAFTS = 128
# of those drafts, the share handed over (the saving thread saves the others): it starts
# at SPREAD_SHARE and follows the second process's pace (``_Pace``): up by SPREAD_STEP
# after a group whose drafts were ready when this thread came to them, down after one it
# had to wait for (a busy machine gives that process less of a core); all of them when it
# keeps up (this thread then reads none of their files)
SPREAD_SHARE = 0.6
SPREAD_STEP = 0.1
SPREAD_RANGE = (0.3, 1.0)
SPREAD_WAIT_S = 60.0  # longest wait for its digests (then the files are read here)
log = logging.getLogger(__name__)

# per draft: (its manifest, unchanged) or the error that kept it from being saved
Outcome = tuple[Manifest, bool] | DraftKeeperError
# the drafts of a group a second process walks and hashes, and what gathers its answers
# (each draft's walk, and the time before it was asked for: its version's time)
Spread = tuple[list[int], Callable[[], dict[int, tuple[Walked, float]]] | None]


@dataclass
class _Pace:
    """The share of a group's new drafts handed to the second process, by how it kept up."""

    share: float = SPREAD_SHARE

    def kept_up(self, ready: bool) -> None:
        low, high = SPREAD_RANGE
        self.share = round(min(high, self.share + SPREAD_STEP) if ready else max(
            low, self.share - SPREAD_STEP), 2)  # (1.0 after four steps up, not 0.99...)


# the pace this process's batches learned: a batch goes on from where the last one left
# it (a `save --all` of 10,000 drafts is four batches: each starting over at SPREAD_SHARE
# kept most groups below the share the second process keeps up with)
_PACE = _Pace()


@dataclass
class _Taken:
    index: int
    draft_id: str
    folder: Path
    out: Snapshot
    ids: list[str]  # the draft's version ids, listed under the group's hold of the lock
    latest: Manifest | None = None
    began: float = 0.0  # when the reads of its files began (its version's time)
    entries: list[FileEntry] = field(default_factory=list)  # (snapshot.plan)
    todo: snapshot.Todo = field(default_factory=list)  # files still to store


def save_many(
    store: Store,
    drafts: list[tuple[str, Path]],
    *,
    reason: str = "manual",
    options: SaveOptions = DEFAULT_OPTIONS,
    counts: dict[str, int] | None = None,
    done: Callable[[int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Save every (draft_id, folder) of ``drafts``; an outcome for each, in order.
    ``counts`` (when given) gets the number of versions of each draft answered.
    ``done`` (when given) gets each draft's outcome (by its place in ``drafts``) as soon
    as it is final, once its group is committed, and the list returned is empty: a call
    of 10,000 drafts then holds one group's manifests at a time, not every draft's."""
    if reason not in REASONS:
        raise BadRequest(f"Unknown save reason {reason!r}")
    results: list[Outcome | None] = [None] * len(drafts)
    counts = {} if counts is None else counts
    todo: list[int] = []
    try:  # every draft's versions in a few queries (a draft without any: nothing to walk)
        listed: dict[str, list[str]] | None = store.manifests.ids_many(
            [d for d, _f in drafts])
    except OSError:
        listed = None  # each draft's own check lists them (and the save names the error)
    for i, (draft_id, folder) in enumerate(drafts):
        ids = None if listed is None else listed[draft_id]
        try:
            unchanged = store.is_unchanged(draft_id, folder, ids=ids)
        except DraftKeeperError:
            unchanged = None  # the save under the lock names it
        except OSError:
            unchanged = None
        if unchanged is not None and (unchanged.protected or reason != "manual"):
            results[i] = (store._record_check(unchanged, locked=False), True)
            if ids is not None:
                counts[draft_id] = len(ids)
        else:
            todo.append(i)
    if done is not None:
        _hand_over(results, range(len(drafts)), done)
    pace = _PACE
    size = max(GROUP_DRAFTS, min(GROUP_MAX, len(todo) // GROUP_SHARE))
    with fewer_collections():
        spread = _spread(store, drafts, todo[:size], listed, pace, options)
        while todo:
            group = todo[:size]
            with store.locked():
                todo, spread = _group(store, drafts, todo, size, reason, options, results,
                                      counts, spread, listed, pace)
            if done is not None:
                _hand_over(results, group, done)
    return [r for r in results if r is not None]


def _hand_over(results: list[Outcome | None], indexes: Iterable[int],
               done: Callable[[int, Outcome], None]) -> None:
    """Give ``done`` the final outcomes at ``indexes``, and forget them here."""
    for i in indexes:
        outcome = results[i]
        if outcome is not None:
            results[i] = None
            done(i, outcome)


def _group(store: Store, drafts: list[tuple[str, Path]], todo: list[int], size: int,
           reason: str, options: SaveOptions, results: list[Outcome | None],
           counts: dict[str, int], spread: Spread, before: dict[str, list[str]] | None, pace: _Pace,
           ) -> tuple[list[int], Spread]:
    """Save the ``size`` drafts at the head of ``todo`` as one group (the caller holds the
    lock); the ones left for the next group, and what of them a second process reads
    meanwhile (``spread``: what it reads of this group; ``before``: the versions listed
    before)."""
    group, rest = todo[:size], todo[size:]
    pending = set(store.journal.pending())  # one listing, not a stat per draft
    try:  # listed once, under the lock: they stay so while it is held
        listed: dict[str, list[str]] | None = store.manifests.ids_many(
            [drafts[i][0] for i in group])
    except OSError:
        listed = None  # each draft lists its own (and fails on its own)
    following = _spread(store, drafts, rest[:size], before, pace,  # read meanwhile
                        options)
    handed, collect = spread
    walked: dict[int, tuple[Walked, float]] = {}
    taken: list[_Taken] = []
    failed: list[Snapshot] = []
    others = set(handed)
    for i in [i for i in group if i not in others] + handed:  # (handed over: last)
        if collect is not None and i in others:
            walked, collect = collect(), None
            with contextlib.suppress(OSError):  # (else each draft asks, and fails, alone)
                # the walked files asked about at once (a query per 500): each file's own
                # question is then answered from memory (``PackedFolder.holding``)
                store.blobs.present({d for w, _t in walked.values() for d in w[1].values()})
        draft_id, folder = drafts[i]
        out = Snapshot()
        try:
            ids = None if listed is None else listed[draft_id]
            got = walked.get(i) if ids == [] and not (
                pending and store.journal.path(draft_id) in pending) else None
            walk, began = got if got is not None else (None, options.now())
            listing = None if walk is None else snapshot.walked_listing(walk)
            hashed = None if walk is None else walk[1]
            answer, t = _plan(store, i, draft_id, folder, reason, options, out, pending, ids,
                              listing)
            if answer is None:
                snapshot.store_planned(store.io, store.blobs, draft_id, folder, t.entries,
                                       t.todo, out, hashed)
                if t.latest is not None and same_files(out.files, t.latest):
                    answer = store._answer_unchanged(t.latest, reason), True
        except Exception as exc:
            results[i] = _error(exc, draft_id)
            failed.append(out)
            continue
        if answer is not None:
            results[i] = answer
            counts[draft_id] = len(t.ids)
        else:
            t.began = began
            taken.append(t)
    kept = _commit(store, taken, reason, options, results, counts)
    store.manifests.done(kept)  # the index of latest versions writes their rows
    if failed:
        # the failed drafts' new blobs go back, but not one that a draft of the group
        # saved beside them found stored and now names
        named = _named(store, kept)
        store.blobs.discard({d for out in failed for d in out.new_blobs if d not in named})
    return rest, following


def _spread(store: Store, drafts: list[tuple[str, Path]], group: list[int],
            listed: dict[str, list[str]] | None, pace: _Pace, options: SaveOptions) -> Spread:
    """Hand the group's last new drafts (no version yet: nothing to compare with first) to
    a second process, which walks each and hashes its small files
    (``hashers.walk_and_hash``) while this thread saves the previous group and the
    others of this one, when the group has enough of them to pay for it; a new draft it
    walked already (``Hasher.ahead``: `save --all` asks for that while it sweeps) is not
    asked for again. The drafts handed over, and what gathers their listings and digests
    (by draft; a draft missing there, or that has versions by the time its group holds
    the lock, is walked and read here). The walk need not wait for the lock: it reads
    the working copy, not the store."""
    if store.io.hook is not None or listed is None or not group:
        return [], None  # (reads through the I/O seam; versions to list)
    new = [i for i in group if not listed[drafts[i][0]]]
    if not new:
        return [], None
    hasher = store.hasher
    ahead = {i: got for i in new if (got := hasher.taken(os.fspath(drafts[i][1])))}
    rest = [i for i in new if i not in ahead]
    asked = rest[len(rest) - int(len(rest) * pace.share):] if len(rest) >= SPREAD_DRAFTS else []
    began = options.now()  # (before the process reads any of them)
    future = hasher.walk_and_hash([os.fspath(drafts[i][1]) for i in asked], TMP_PREFIX,
                                  SMALL) if asked else None
    if future is None and not ahead:
        return [], None
    handed = list(ahead) + (asked if future is not None else [])

    def collect() -> dict[int, tuple[Walked, float]]:
        out: dict[int, tuple[Walked, float]] = {}
        if future is not None:
            pace.kept_up(future.done())
        try:
            for i, (made, n, at, _t) in ahead.items():
                if (walk := made.result(timeout=SPREAD_WAIT_S)[n]) is not None:
                    out[i] = walk, at
            if future is not None:
                walks = future.result(timeout=SPREAD_WAIT_S)
                out.update((i, (w, began)) for i, w in zip(asked, walks, strict=True)
                           if w is not None)
        except Exception:
            log.warning("the second process reading drafts failed; saving without it",
                        exc_info=True)
            hasher.broken = True
            return {}  # (the drafts are walked and read here, as without it)
        return out

    return handed, collect


def _named(store: Store, manifests: list[Manifest]) -> set[str]:
    out: set[str] = set()
    for m in manifests:
        for f in m.files:
            out.update(d for d in (f.hash, f.chunks) if d)
            if f.chunks:
                with contextlib.suppress(Exception):
                    out.update(piece for piece, _size in store.blobs.chunk_list(f.chunks))
    return out


def _error(exc: Exception, draft_id: str) -> DraftKeeperError:
    """What kept one draft from being saved (a bug in one draft's save fails that draft
    only, as it would fail its own save)."""
    if isinstance(exc, DraftKeeperError):
        return exc
    if isinstance(exc, OSError):
        return disk_error(exc, f"saving {draft_id}")
    log.error("save of %s crashed", draft_id, exc_info=exc)
    return SaveFailed(f"Save failed: unexpected error: {exc!r}", reason="unexpected",
                      params={"detail": repr(exc)})


def _plan(store: Store, index: int, draft_id: str, folder: Path, reason: str,
          options: SaveOptions, out: Snapshot, pending: set[Path], ids: list[str] | None,
          listing: snapshot.Listing | None = None,
          ) -> tuple[tuple[Manifest, bool] | None, _Taken]:
    """``Store.save_locked`` up to storing the files: the answer when nothing is new,
    else None and what is to be stored (``pending``: the restore journals there were
    when the group started, under the lock: only their drafts need recovering; ``ids``:
    the draft's versions as the group listed them; ``listing``: the draft's walk, when
    another process made it for this save)."""
    if pending:
        journal = store.journal.path(draft_id)
        if journal in pending:
            store._recover_locked(journal)
            ids = None  # (a recovered restore may have added versions)
    if listing is None:
        listing = snapshot.listing(draft_id, folder)
    if ids is None:
        ids = store.version_ids(draft_id)  # listed once (under the lock: they stay so)
    t = _Taken(index, draft_id, folder, out, ids)
    unchanged = store.is_unchanged(draft_id, folder, listing, ids)
    if unchanged is not None:
        return (store._answer_unchanged(unchanged, reason), True), t
    t.latest = store.latest(draft_id, ids)
    t.entries, t.todo = snapshot.plan(store.blobs, listing, t.latest, options)
    return None, t


def _commit(store: Store, taken: list[_Taken], reason: str, options: SaveOptions,
            results: list[Outcome | None], counts: dict[str, int]) -> list[Manifest]:
    """Make the group's versions exist, in one commit: its blobs durable, then its
    manifests' rows with its small blobs' rows. Returns the manifests committed."""
    if not taken:
        return []
    stamp = options.now()
    manifests: list[tuple[_Taken, Manifest]] = []
    raws: list[bytes] = []
    newest: dict[str, str] = {}  # the version each draft gets (a draft twice in a group)
    for t in taken:
        try:
            after = newest.get(t.draft_id) or (t.ids[-1] if t.ids else None)
            at = read_began(t.began, after)
            manifest = Manifest(
                draft_id=t.draft_id, version=new_version_id(at, after),
                time=at, reason=reason, files=tuple(t.out.files),
                stored_bytes=t.out.stored_bytes, folder=str(t.folder),
            )
            raw = manifest.to_bytes()  # (one that cannot be written fails its draft only)
        except Exception as exc:
            results[t.index] = _error(exc, t.draft_id)
            continue
        manifests.append((t, manifest))
        raws.append(raw)
        newest[t.draft_id] = manifest.version
    try:
        store.commit([m for _t, m in manifests], raws)
    except Exception as exc:
        for t in taken:
            results[t.index] = _error(exc, t.draft_id)
        store.blobs.discard({d for t in taken for d in t.out.new_blobs})
        return []
    for t, manifest in manifests:
        store._latest_cache[t.draft_id] = manifest
        count = len(t.ids) + 1
        if count > options.keep_last:  # (fewer: retention has nothing to thin)
            store.retain(t.draft_id, options.keep_last, stamp)
            with contextlib.suppress(OSError):
                count = len(store.version_ids(t.draft_id))
        counts[t.draft_id] = count
        results[t.index] = (manifest, False)
    return [m for _t, m in manifests]
