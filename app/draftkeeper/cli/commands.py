"""The commands on drafts and the store: history, verify, prune, add, remove and pull.
Each runs on the Session, as the window does (``save`` and ``restore``: cli/local.py).
"""

from __future__ import annotations

import sys

from draftkeeper.cli.common import (
    EXIT_OK,
    Handler,
    draft_of,
    in_session,
    local_engine,
    local_time,
    print_json,
    print_verify,
    size_text,
    warn_damage,
)
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.settings.table import Settings

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this

# cli/drafts.py (the draft manager's words) is imported by the commands that print them:
# a local save never does

if TYPE_CHECKING:  # the Session (asyncio, the network client) is loaded by in_session
    import argparse

    from draftkeeper.core.session.session import Session


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    return in_session(args, settings, lambda session: _history(args, session))


async def _history(args: argparse.Namespace, session: Session) -> int:
    key = draft_of(args, session)
    if args.remote is None and not session.is_remote(key):
        versions = await session.timeline(key)  # changes, pins, current, summaries
    else:
        versions = await session.history(key)
    if args.json:
        print_json([v.to_json() for v in versions])
        return EXIT_OK
    if versions and versions[0].reason != "remote":
        from draftkeeper.cli import drafts as cli_drafts

        cli_drafts.print_history(versions)
        return EXIT_OK
    if not versions:
        print(f"{args.draft} has no versions yet")
    for v in versions:
        if v.damaged is not None:
            print(f"{v.version}  {local_time(v.time)}  DAMAGED: {v.damaged}")
            continue
        if v.reason == "remote":
            print(f"{local_time(v.time)}  {v.outcome:<7} {v.message}")
            continue
        extra = f"  ({len(v.not_kept)} media files not kept)" if v.not_kept else ""
        print(f"{v.version}  {local_time(v.time)}  {v.reason:<14} {v.file_count} files  "
              f"{size_text(v.bytes)}{extra}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    engine = local_engine(args, settings)
    return print_verify(args, engine.verify_sync(), "", "every version is intact")


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    engine = local_engine(args, settings)
    removed = engine.store.prune(settings.keep_last)
    warn_damage(engine)
    if args.json:
        print_json({"removed_blobs": removed, "code": 0, "message": "Success"})
    else:
        print(f"pruned: {removed} unreferenced stored file(s) removed")
    return EXIT_OK


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    async def add(session: Session) -> int:
        url = await session.add_remote(args.draft)
        return _remote_list_changed(args, session.settings, url, f"added {url}")

    return in_session(args, settings, add)


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    async def remove(session: Session) -> int:
        url = args.draft.strip()
        if url not in session.settings.remote_drafts:
            raise DraftNotFound(f"Not in the remote list: {url}")
        await session.remove(url)
        return _remote_list_changed(args, session.settings, url, f"removed {url}")

    return in_session(args, settings, remove)


def _remote_list_changed(args: argparse.Namespace, settings: Settings, url: str,
                         said: str) -> int:
    if args.json:
        print_json({"draft_url": url, "remote_drafts": settings.remote_drafts, "code": 0,
                     "message": "Success"})
    else:
        print(f"{said} ({len(settings.remote_drafts)} remote draft(s) in the list)")
    return EXIT_OK


def cmd_pull(args: argparse.Namespace, settings: Settings) -> int:
    return in_session(args, settings, lambda session: _pull(args, session))


async def _pull(args: argparse.Namespace, session: Session) -> int:
    received = 0
    shown = 0

    def progress(n: int) -> None:
        nonlocal received, shown
        received += n
        if received - shown >= 1024 * 1024 and not args.json:
            shown = received
            print(f"pulling: {size_text(received)} received", file=sys.stderr, flush=True)

    result = await session.pull(args.draft, version=args.pull_version, progress=progress)
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    if result.offline:
        print(f"note: {result.offline}; using the version kept here", file=sys.stderr)
    print(f"pulled {result.draft_id} (version {result.version}) into {result.folder}")
    print(f"  {result.files} file(s), {size_text(received)} downloaded, {result.rewritten} "
          f"material path(s) pointed at local copies")
    if result.media:
        print(f"  {len(result.media)} remote media file(s) downloaded into assets/")
    if result.before_pull_version:
        print(f"  the local draft that was there is version {result.before_pull_version}")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "history": cmd_history,
    "verify": cmd_verify,
    "prune": cmd_prune,
    "add": cmd_add,
    "remove": cmd_remove,
    "pull": cmd_pull,
}
