"""The commands that run until they are stopped: ``watch`` (headless autosave, one line per
status change; at stop it saves what is unsaved and names what is not) and ``serve`` (the
save_draft HTTP API on the local engine).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from draftkeeper.cli.common import EXIT_FAILED, EXIT_OK, in_session
from draftkeeper.cli.words import cadence, describe, share_describe
from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings

if TYPE_CHECKING:  # the shared store's module is loaded only when one is set
    from draftkeeper.core.shared.background import ShareState

WATCH_FLUSH_S = 10.0  # at stop: how long unsaved drafts get to save


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    if args.interval is not None:
        settings.autosave_interval_s = args.interval
    settings.autosave_enabled = True
    settings.validate()
    return in_session(args, settings, lambda session: _watch(args, session))


async def _watch(args: argparse.Namespace, session: Session) -> int:
    settings = session.settings
    if args.remote is not None:
        session.local.set_roots([])  # --remote: the remote list only
        if not settings.remote_drafts:
            raise BadRequest("No remote drafts to watch: add one with `draftkeeper add URL`")
    scheduler = session.scheduler
    loop = asyncio.get_running_loop()
    out = sys.stdout
    flush_due = False
    stamp = (0, "")

    def flush() -> None:
        nonlocal flush_due
        flush_due = False
        out.flush()

    def show(event: StatusEvent) -> None:
        """One line per change of state, flushed once the loop is through with what it
        is doing (a batch of 10,000 drafts: one write per buffer, not per line)."""
        nonlocal flush_due, stamp
        if event.new is None or (event.old and event.old.state == event.new.state):
            return
        now = time.time()
        if int(now) != stamp[0]:
            stamp = (int(now), time.strftime("%H:%M:%S", time.localtime(now)))
        text = describe(event.new, now)
        if event.new.state is State.CLEAN and event.new.last_version and event.old:
            text += f" (version {event.new.last_version})"
        out.write(f"{stamp[1]}  {event.new.info.name}  {event.new.state.value}: {text}\n")
        if not flush_due:
            flush_due = True
            loop.call_soon(flush)

    scheduler.subscribe(show)
    told: dict[str, tuple[str, float | None, str]] = {}

    def show_share(share: ShareState | None) -> None:
        """One line per change of a draft's place beside the shared store (uploads: at
        their start, not per percent)."""
        if share is None:
            return
        said = (share.kind, share.offline_since, share.error_reason)
        if told.get(share.draft_id) == said:
            return
        told[share.draft_id] = said
        name = next((s.info.name for s in scheduler.statuses()
                     if not s.remote and s.info.draft_id == share.draft_id), share.draft_id)
        print(f"{time.strftime('%H:%M:%S')}  {name}  share: {share_describe(share)}",
              flush=True)

    session.share_listeners.append(show_share)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, AttributeError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    await session.start()
    statuses = scheduler.statuses()
    remote = sum(1 for s in statuses if s.remote)
    where = [", ".join(str(r) for r in session.local.roots)] if session.local.roots else []
    if remote or args.remote is not None:
        where.append(f"{remote} remote draft(s)")
    print(f"watching {len(statuses)} draft(s) in {' and '.join(where) or 'no folder'}; "
          f"{cadence(settings)}; Ctrl+C to stop", flush=True)
    await stop.wait()
    print("stopping: saving unsaved drafts…", flush=True)
    await scheduler.flush(WATCH_FLUSH_S)
    left = scheduler.not_saved()
    await scheduler.stop()
    not_shared = session.sharing.not_shared() if session.sharing is not None else []
    if not_shared:
        print(f"not yet on the shared store ({len(not_shared)} draft(s)): "
              f"{', '.join(not_shared)}; `draftkeeper sync` uploads them", flush=True)
    if left:
        now = time.time()
        for s in left:
            print(f"not saved: {s.info.name} ({s.key}): {describe(s, now)}", flush=True)
        names = ", ".join(s.info.name for s in left)
        print(f"stopped; {len(left)} draft(s) not saved: {names}", file=sys.stderr, flush=True)
        return EXIT_FAILED
    print("stopped; everything is saved", flush=True)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from draftkeeper.core.serve.server import ApiOptions, serve_until  # aiohttp only when serving
    from draftkeeper.core.session.session import Session

    if args.root:
        for root in args.root:
            check_root(Path(root).expanduser())
        settings.roots = [str(Path(r).expanduser().resolve()) for r in args.root]
    settings.autosave_enabled = False  # serve saves when asked; `watch` autosaves
    options = ApiOptions(
        host=args.host or settings.api_host,
        port=settings.api_port if args.port is None else args.port,
        token=args.token or os.environ.get("DRAFTKEEPER_API_TOKEN") or settings.api_token,
        cors_origin=settings.api_cors_origin,
    )
    options.check()  # refused before anything is bound
    session = Session(settings)

    def started(url: str) -> None:
        roots = ", ".join(str(r) for r in session.roots)
        if args.json:
            print(json.dumps({"url": url, "roots": roots, "code": 0}), flush=True)
        else:
            print(f"serving the save_draft API on {url} for drafts in {roots}; Ctrl+C to "
                  "stop", flush=True)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, AttributeError):  # Windows
                loop.add_signal_handler(sig, stop.set)
        await serve_until(session, options, stop, started)

    asyncio.run(run())
    if not args.json:
        print("stopped", flush=True)
    return EXIT_OK
