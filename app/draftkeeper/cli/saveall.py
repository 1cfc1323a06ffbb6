"""`save --all`: every draft of the draft roots saved through the scheduler, as the
window's Save all does (local drafts in batches: ``SaveRunner.start_many``, then
``core/store/batch.py``); one line per new version and per draft not saved, then a summary.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

from draftkeeper.cli.common import EXIT_FAILED, EXIT_OK, print_json, size_text
from draftkeeper.core.backend import SaveResult
from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session


async def save_all(args: argparse.Namespace, session: Session) -> int:
    scheduler = session.scheduler
    # the saves are asked for now, before the sweep: its walk of each draft is the stat
    # data their unchanged check needs (each draft is walked once)
    session.local.walks_count_from = time.monotonic()
    session.local.ahead = True  # its new drafts walked by the second process meanwhile
    await scheduler.refresh()  # the drafts of the roots, as `list` shows them
    drafts = [s for s in scheduler.statuses() if not s.remote and s.state is not State.MISSING]
    names = {s.key: s.info.name for s in drafts}
    # what the sweep made (each draft's scan, status and row: ~3 KB a draft) lives until
    # the command ends: left out of the collector's full passes, which the batch's growth
    # sets off again and again (100,000 tiny drafts: 16 of ~0.2 s, most of it walking
    # those); still freed as usual, and the process ends after this command
    gc.freeze()
    results = await scheduler.save_all(list(names))
    saved = {k: r for k, r in results.items() if isinstance(r, SaveResult)}
    failed = {k: r for k, r in results.items() if not isinstance(r, SaveResult)}
    new = sum(1 for r in saved.values() if not r.unchanged)
    stored = sum(r.bytes_stored for r in saved.values())
    if args.json:
        rows = [dict(r.to_json(), name=names[k]) for k, r in saved.items()]
        rows += [dict(_error_json(e), draft_url=k, name=names[k]) for k, e in failed.items()]
        print_json({"drafts": rows, "saved": new, "unchanged": len(saved) - new,
                    "failed": len(failed), "bytes_stored": stored,
                    "code": 0 if not failed else 9998,
                    "message": "Success" if not failed else f"{len(failed)} draft(s) not saved"})
        return EXIT_OK if not failed else EXIT_FAILED
    roots = ", ".join(str(r) for r in session.local.roots)
    if not drafts:
        print(f"No drafts in {roots}")
        return EXIT_OK
    sys.stdout.write("".join(  # (10,000 new versions: one write, not 10,000 prints)
        f"saved {names[k]} as version {r.version} ({size_text(r.bytes_stored)} stored)\n"
        for k, r in saved.items() if not r.unchanged))
    for k, e in failed.items():
        why = e.message if isinstance(e, DraftKeeperError) else repr(e)
        print(f"not saved: {names[k]} ({k}): {why}")
    print(f"{len(drafts)} draft(s) in {roots}: {new} saved as new versions, "
          f"{len(saved) - new} unchanged ({size_text(stored)} stored)"
          + (f", {len(failed)} not saved" if failed else ""))
    if failed:
        listed = ", ".join(names[k] for k in failed)
        print(f"error: {len(failed)} draft(s) not saved: {listed}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _error_json(error: BaseException) -> dict[str, object]:
    """The shape of any command's error (``detail`` beside capcut-mate's code/message)."""
    if isinstance(error, DraftKeeperError):
        return error.to_json() | {"reason": error.reason}
    return {"detail": repr(error), "reason": "unexpected"}
