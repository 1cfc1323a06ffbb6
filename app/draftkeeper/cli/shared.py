"""The shared-store commands: `sync`, `list --shared`, `history DRAFT --shared`,
`pull DRAFT --shared`, and `restore` of a version that only the shared store has.

``draftkeeper.core.shared`` (and obstore with it) is imported inside these functions only,
so that no other command loads it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import TYPE_CHECKING, Any

from draftkeeper.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    Handler,
    local_engine,
    local_time,
    print_json,
    print_verify,
    size_text,
)
from draftkeeper.core.errors import DraftKeeperError, DraftNotFound
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.urls import parse_draft_id

if TYPE_CHECKING:
    from draftkeeper.core.shared.layout import SharedVersion
    from draftkeeper.core.shared.replicate import SyncProgress, SyncReport
    from draftkeeper.core.store.store import Store

PROGRESS_EVERY_S = 1.0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.opening import open_share
    from draftkeeper.core.shared.replicate import Replicator

    cfg = share_config(settings)
    store = local_engine(args, settings).store
    shown = [0.0]

    def progress(p: SyncProgress) -> None:
        now = time.monotonic()
        last = p.versions_done == p.versions_total
        if args.json or (now - shown[0] < PROGRESS_EVERY_S and not last) or not p.versions_total:
            return
        shown[0] = now
        print(f"sharing: {p.versions_done}/{p.versions_total} version(s), {p.chunks_sent} "
              f"chunk(s), {size_text(p.bytes_sent)} sent", file=sys.stderr, flush=True)

    async def run() -> SyncReport:
        return await Replicator(store, await open_share(cfg, create=True), progress).run()

    try:
        report = asyncio.run(run())
    except DraftKeeperError as exc:
        if not exc.retryable:
            raise  # credentials, bucket, another tool's data: one clear error
        return _not_shared(args, store, exc, cfg.location.describe())
    where = cfg.location.describe()
    if args.json:
        print_json({"uploaded": report.uploaded, "already": report.already,
                    "chunks_sent": report.chunks_sent, "bytes_sent": report.bytes_sent,
                    "requests": report.requests, "machine": cfg.machine,
                    "not_shared": [{"draft_id": d, "versions": n,
                                    "error": str(report.failed.get(d, ""))}
                                   for d, n in sorted(report.pending.items())],
                    "complete": report.complete})
    else:
        print(f"shared {report.uploaded} version(s) to {where} as {cfg.machine} "
              f"({report.chunks_sent} chunk(s), {size_text(report.bytes_sent)} sent, "
              f"{report.requests} request(s)); {report.already} were there already")
        for draft_id, count in sorted(report.pending.items()):
            why = report.failed.get(draft_id)
            print(f"not shared: {draft_id}: {count} version(s)" + (f": {why}" if why else ""))
    if report.complete:
        if not args.json:
            print("every local version is on the shared store")
        return EXIT_OK
    why = next(iter(report.failed.values()), None)
    print(f"error: {len(report.pending)} draft(s) not fully on the shared store"
          + (f": {why}" if why else "") + " (local versions are untouched; run sync again)",
          file=sys.stderr)
    return EXIT_FAILED


def _not_shared(args: argparse.Namespace, store: Store, exc: DraftKeeperError,
                where: str) -> int:
    """The shared store could not be reached: every draft with versions is named (which of
    its versions are there could not be checked)."""
    drafts = store.draft_ids()
    if args.json:
        print_json(exc.to_json() | {"reason": exc.reason, "not_shared": drafts})
    else:
        for draft_id in drafts:
            print(f"not shared: {draft_id}: {len(store.version_ids(draft_id))} version(s) "
                  f"not checked")
    print(f"error: {exc.message}; {len(drafts)} draft(s) may not be on the shared store "
          f"{where} (local versions are untouched; run sync again)", file=sys.stderr)
    return EXIT_FAILED


def cmd_verify_shared(args: argparse.Namespace, settings: Settings) -> int:
    from draftkeeper.core.shared.checking import verify_shared
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.opening import open_share

    cfg = share_config(settings)

    async def run() -> Any:
        share = await open_share(cfg, create=False)
        return await verify_shared(share)

    report = asyncio.run(run())
    return print_verify(args, report, f" on the shared store {cfg.location.describe()}",
                        "every version on the shared store is intact")


def cmd_prune_shared(args: argparse.Namespace, settings: Settings) -> int:
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.opening import open_share
    from draftkeeper.core.shared.pruning import Pruner

    cfg = share_config(settings)

    async def run() -> Any:
        share = await open_share(cfg, create=False)
        if not share.exists:
            return None
        return await Pruner(share, settings.keep_last, settings.share_prune_grace_s).run()

    report = asyncio.run(run())
    where = cfg.location.describe()
    if report is None:  # nothing there yet (and nothing is made)
        from draftkeeper.core.shared.pruning import PruneReport

        report = PruneReport()
    if args.json:
        print_json({"versions_removed": report.versions_removed,
                    "chunks_removed": report.chunks_removed,
                    "chunks_young": report.chunks_young, "collected": report.collected,
                    "code": 0, "message": "Success"})
    else:
        print(f"pruned the shared store {where}: {report.versions_removed} version(s) removed "
              f"by retention, {report.chunks_removed} unused chunk(s) deleted"
              + (f", {report.chunks_young} younger than the grace period kept"
                 if report.chunks_young else ""))
        if not report.collected:
            print("no chunk was deleted: a version's manifest or piece list could not be "
                  "read (verify --shared names it)")
    return EXIT_OK


def _version_json(v: SharedVersion, local: set[str]) -> dict[str, Any]:
    m = v.manifest
    return {"version": m.version, "time": m.time, "saved_at": m.saved_at, "reason": m.reason,
            "file_count": len(m.files), "bytes": m.total_bytes, "not_kept": m.not_kept,
            "pinned": m.pinned, "label": m.label, "machine": v.machine,
            "here": m.version in local}


def cmd_list_shared(args: argparse.Namespace, settings: Settings) -> int:
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.fetch import shared_drafts
    from draftkeeper.core.shared.opening import open_share

    cfg = share_config(settings)

    async def run() -> list[Any]:
        share = await open_share(cfg, create=False)
        return await shared_drafts(share) if share.exists else []

    drafts = asyncio.run(run())
    if args.json:
        print_json([{"draft_id": d.draft_id, "versions": d.versions,
                     "latest_version": d.latest.manifest.version,
                     "latest_time": d.latest.manifest.time,
                     "latest_saved_at": d.latest.manifest.saved_at,
                     "latest_machine": d.latest.machine} for d in drafts])
        return EXIT_OK
    print(f"{len(drafts)} draft(s) on the shared store {cfg.location.describe()}")
    for d in drafts:
        m = d.latest.manifest
        print(f"  {d.draft_id}  {d.versions} version(s)  latest {local_time(m.time)} "
              f"on {d.latest.machine}")
    return EXIT_OK


async def _history_of(settings: Settings, draft_id: str) -> list[SharedVersion]:
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.fetch import shared_history
    from draftkeeper.core.shared.opening import open_share

    share = await open_share(share_config(settings), create=False)
    versions = await shared_history(share, draft_id) if share.exists else []
    if not versions:
        raise DraftNotFound(f"{draft_id} is not on the shared store", reason="share_no_draft",
                            params={"draft_id": draft_id})
    return versions


def cmd_history_shared(args: argparse.Namespace, settings: Settings) -> int:
    draft_id = parse_draft_id(args.draft)
    versions = asyncio.run(_history_of(settings, draft_id))
    local = set(local_engine(args, settings).store.version_ids(draft_id))
    if args.json:
        print_json([_version_json(v, local) for v in versions])
        return EXIT_OK
    for v in versions:
        m = v.manifest
        here = "" if m.version in local else "  (only on the shared store)"
        print(f"{m.version}  {local_time(m.time)}  {m.reason:<14} {len(m.files)} files  "
              f"{size_text(m.total_bytes)}  on {v.machine}{here}")
    return EXIT_OK


async def bring(settings: Settings, store: Store, draft_id: str, wanted: str | None) -> str:
    """Make the shared version ``wanted`` (id, unique prefix, None: the newest) a version
    of the local store; its full id."""
    from draftkeeper.core.shared.config import share_config
    from draftkeeper.core.shared.fetch import import_version, pick, shared_history
    from draftkeeper.core.shared.opening import open_share

    share = await open_share(share_config(settings), create=False)
    versions = await shared_history(share, draft_id) if share.exists else []
    chosen = pick(versions, draft_id, wanted)
    return (await import_version(store, share, chosen)).version


def cmd_pull_shared(args: argparse.Namespace, settings: Settings) -> int:
    draft_id = parse_draft_id(args.draft)
    engine = local_engine(args, settings)
    version = asyncio.run(bring(settings, engine.store, draft_id, args.pull_version))
    result = engine.restore_sync(draft_id, version)
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    folder = engine.restore_folder(draft_id)
    print(f"pulled {draft_id} (version {version}) from the shared store into {folder}")
    print(f"  {len(result.written)} file(s) written")
    if result.before_restore_version:
        print(f"  the local draft that was there is version {result.before_restore_version}")
    if result.not_kept:
        print(f"  {len(result.not_kept)} media file(s) were not kept on the shared store")
    return EXIT_OK


def bring_if_only_shared(settings: Settings, store: Store, draft: str, version: str) -> None:
    """`restore DRAFT VERSION` of a version that is not here but on the shared store (when
    one is set): it is brought here first."""
    if not settings.share_url or version == "latest":
        return
    draft_id = parse_draft_id(draft)
    try:
        store.resolve_version(draft_id, version)
        return
    except DraftNotFound:
        pass
    asyncio.run(bring(settings, store, draft_id, version))


HANDLERS: dict[str, Handler] = {"sync": cmd_sync}
# with --shared: the same command on the shared store
SHARED_HANDLERS: dict[str, Handler] = {
    "list": cmd_list_shared,
    "history": cmd_history_shared,
    "pull": cmd_pull_shared,
    "verify": cmd_verify_shared,
    "prune": cmd_prune_shared,
}
