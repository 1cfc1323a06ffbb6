"""``draftkeeper list``: every draft of the draft roots with its status (the window's),
the drafts the editor deleted (their versions kept), and the remote drafts added.

With no remote draft in the list, the local drafts are listed without the Session: one
walk of each draft (``LocalEngine.scan_sync``), the index's latest versions, the attempt
record where a failure could matter, and each status from ``board.first_statuses``, the
function that gives the scheduler's sweep the status of each draft it lists (the window
and ``watch`` show that status). No asyncio, no scheduler, no worker threads: what the
command waits for is its own walk. Remote drafts (their states come from the remote
engine) take the Session, as the window does. Both print through ``print_listing``.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import TYPE_CHECKING

from draftkeeper.cli import drafts as cli_drafts
from draftkeeper.cli.common import EXIT_OK, in_session, local_engine, print_json
from draftkeeper.cli.words import describe
from draftkeeper.core.saving.board import first_statuses
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog

if TYPE_CHECKING:  # the Session (asyncio, the network client) is loaded by in_session
    import argparse
    from pathlib import Path

    from draftkeeper.core.backend import DraftInfo
    from draftkeeper.core.drafts.details import DraftDetails
    from draftkeeper.core.saving.status import DraftStatus
    from draftkeeper.core.session.session import Session


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    if settings.remote_drafts:
        return in_session(args, settings, lambda session: _list_in_session(args, session))
    return list_local(args, settings)


def list_local(args: argparse.Namespace, settings: Settings) -> int:
    """The local drafts' statuses as the scheduler's first sweep would give them."""
    # The listing makes some 25 objects per draft that live until it is printed, none in
    # a cycle: the cyclic collector's passes over them (35-50 ms of 10,000 drafts) free
    # nothing. Off while it runs (the process ends after it).
    gc.disable()
    try:
        return _list_local(args, settings)
    finally:
        gc.enable()


def _list_local(args: argparse.Namespace, settings: Settings) -> int:
    engine = local_engine(args, settings)
    store = settings.store_path()
    record = AttemptLog(store / "attempts", legacy=store / "remote")  # the Session's
    try:
        scans = engine.scan_sync()
        states = engine.saved_states_sync([s.info.key for s in scans])
        now = time.time()  # (the sweep's moment: after its walk)
        statuses = first_statuses(scans, states, record.last_many, now)
        # drafts the editor deleted (versions kept) are listed too; covers, durations, badges
        present = {s.info.draft_id for s in scans}
        deleted = engine.deleted_drafts_sync(present)
        details = engine.details_sync([s.info for s in statuses] + deleted)
    finally:
        engine.close_parser()  # (its helper process, when a big draft was parsed)
    print_listing(args, engine.roots, statuses, [], deleted, details, now)
    return EXIT_OK


async def _list_in_session(args: argparse.Namespace, session: Session) -> int:
    scheduler = session.scheduler
    await scheduler.refresh()  # the same status the window and `watch` show
    now = scheduler.clock.now()
    statuses = scheduler.statuses()
    local = [s for s in statuses if not s.remote]
    remote = [s for s in statuses if s.remote]
    deleted, details = await cli_drafts.extras(session, [s.info for s in local])
    print_listing(args, session.local.roots, local, remote, deleted, details, now)
    return EXIT_OK


def print_listing(args: argparse.Namespace, roots: list[Path], local: list[DraftStatus],
                  remote: list[DraftStatus], deleted: list[DraftInfo],
                  details: dict[str, DraftDetails], now: float) -> None:
    if args.json:
        rows = [
            {"draft_id": d.draft_id, "name": d.name, "root": d.root, "path": d.path,
             "size": d.size, "file_count": d.file_count, "modified": d.modified,
             "draft_url": d.draft_url, "remote": d.remote, "status": s.state.value,
             "status_text": describe(s, now), "last_saved_at": s.last_saved_at,
             "failed_at": s.failed_at, "error": s.error_message or None}
            for s in local + remote
            for d in [s.info]
        ]
        rows += cli_drafts.deleted_rows(deleted)
        print_json(cli_drafts.with_details(rows, details))
        return
    where = ", ".join(str(r) for r in roots)
    lines = [f"{len(local)} draft(s) in {where}" if local else f"No drafts in {where}"]
    lines += cli_drafts.list_lines([(s.info, describe(s, now)) for s in local]
                                   + [(d, "") for d in deleted], details)
    if remote:
        lines.append(f"{len(remote)} remote draft(s)")
    lines += [f"  {s.info.draft_id}  on {s.info.root}  {describe(s, now)}" for s in remote]
    sys.stdout.write("\n".join(lines) + "\n")  # one write: 10,000 lines
