"""Command line: the window by default; save / list / history / restore / verify / prune.

Every command on drafts goes through the same Session as the window: its Router decides
local or remote, its scheduler saves and retries, its attempt record gives the status.
(The entry point is draftkeeper/cli/front.py: it answers an unchanged local ``save`` from
stat data first, in these words and with this record, and hands everything else to ``main`` here.)

Exit codes: 0 success, 2 bad input (400-class), 3 not found (404-class), 4 save failed
(5xx-class; `watch`: a draft was failed or unsaved when it stopped). Errors print
``error: <message>`` on stderr, or with --json a JSON object with the spec's ``detail``,
capcut-mate's ``code``/``message`` and the error's ``reason`` on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from draftkeeper import __version__
from draftkeeper.cli import drafts as cli_drafts
from draftkeeper.cli.words import cadence, describe
from draftkeeper.core import logs, paths
from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import BadRequest, DraftKeeperError, DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.remote.urls import remote_draft_url
from draftkeeper.core.saving.scheduler import SaveScheduler
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.urls import base_of

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_FAILED = 0, 2, 3, 4
_EXIT_BY_KIND = {"bad_request": EXIT_BAD_INPUT, "not_found": EXIT_NOT_FOUND}

Handler = Callable[[argparse.Namespace, Settings], int]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        action="append",
        metavar="DIR",
        help="draft root folder (repeatable); default: the configured or detected roots",
    )
    parser.add_argument("--store", metavar="DIR", help="version store folder")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="draftkeeper",
        description="Keeps CapCut / JianYing drafts safe. With no command, opens the window.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  draftkeeper save 2025092811473036584258 --root ~/drafts",
    )
    parser.add_argument("--version", action="version", version=f"draftkeeper {__version__}")
    # smoke tests: open the window, close it (saving as on any close) after S seconds
    parser.add_argument("--smoke", type=float, metavar="S", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, example: str,
                more: str = "") -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"{more}example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(p)
        return p

    p = command("save", "save a draft as a new version (or on its capcut-mate server with "
                "--remote)", "draftkeeper save 'https://host"
                "/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258' --remote")
    p.add_argument("draft", help="draft_url or bare draft_id")
    _remote_option(p)
    command("list", "list the drafts in the draft roots", "draftkeeper list --root ~/drafts")
    p = command("history", "list a draft's versions, newest first (remote drafts: this "
                "app's record of save attempts)", "draftkeeper history 2025092811473036584258")
    p.add_argument("draft", help="draft_url or bare draft_id")
    _remote_option(p)
    p = command("restore", "restore a version into the working copy (the current state is "
                "saved first)", "draftkeeper restore 2025092811473036584258 20261127T0053")
    p.add_argument("draft", help="draft_url or bare draft_id")
    p.add_argument("version", help="version id (or a unique prefix of one), or 'latest'")
    cli_drafts.add_restore_options(p)
    cli_drafts.add_commands(command)
    command("verify", "re-read every stored version and check its hashes", "draftkeeper verify")
    command("prune", "apply retention to every draft and drop unreferenced data",
            "draftkeeper prune")
    p = command("add", "add a remote draft (a draft_url on a capcut-mate server) to the list",
                "draftkeeper add 'http://127.0.0.1:30000/openapi/capcut-mate/v1/get_draft"
                "?draft_id=2025092811473036584258'")
    p.add_argument("draft", help="full draft_url")
    p = command("remove", "remove a remote draft from the list (nothing is deleted anywhere)",
                "draftkeeper remove 'http://127.0.0.1:30000/openapi/capcut-mate/v1/get_draft"
                "?draft_id=2025092811473036584258'")
    p.add_argument("draft", help="full draft_url, as added")
    p = command("watch", "autosave the drafts of the draft roots and the remote list (with "
                "--remote, only the remote list) until Ctrl+C or SIGTERM, one line per status "
                "change", "draftkeeper watch --interval 60",
                "The first line states the real cadence. Failed drafts are tried again at\n"
                "the backoff cap (at most every 10 min) for as long as they fail. At stop,\n"
                "unsaved drafts get 10 s to save; every draft still not saved is named.\n\n"
                "exit codes:\n  0  every draft is saved\n"
                "  4  a draft is failed, at risk or unsaved (each is named)\n"
                "  2  bad options\n\n")
    p.add_argument("--interval", type=float, metavar="S",
                   help="autosave every S seconds (5 to 3600; default: the setting, 30)")
    _remote_option(p)
    p = command("pull", "write a remote draft (its latest state, or a version kept here) "
                "into a local drafts folder, ready to open in the editor",
                "draftkeeper pull 'http://127.0.0.1:30000/openapi/capcut-mate/v1/get_draft"
                "?draft_id=2025092811473036584258' --root ~/drafts",
                "The draft is staged beside the target and renamed into place in one step;\n"
                "a local draft already there is saved as a version first. Without\n"
                "--version the server is asked first; when it no longer has the draft,\n"
                "the newest version kept here is used. Progress goes to stderr.\n\n")
    p.add_argument("draft", help="draft_url (or bare draft_id with --remote BASE)")
    p.add_argument("--version", dest="pull_version", metavar="V",
                   help="a version kept here (id or unique prefix; see history)")
    _remote_option(p)
    p = command("serve", "serve the save_draft HTTP API (capcut-mate's paths) from the local "
                "engine until Ctrl+C", "draftkeeper serve --port 30000 --root ~/drafts")
    p.add_argument("--host", metavar="ADDR", help="address to listen on (default: the "
                   "api_host setting, 127.0.0.1); any other than loopback needs a token")
    p.add_argument("--port", type=int, metavar="N", help="port (default: the api_port "
                   "setting, 30000; 0: any free port)")
    p.add_argument("--token", metavar="T", help="require 'Authorization: Bearer T' (default: "
                   "$DRAFTKEEPER_API_TOKEN, or the api_token setting)")
    return parser


def _remote_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--remote",
        nargs="?",
        const="",
        default=None,
        metavar="BASE",
        help="use the draft's capcut-mate server (BASE overrides the server taken from the "
        "draft_url, e.g. http://127.0.0.1:30000)",
    )
    p.add_argument(
        "--token", metavar="T",
        help="send 'Authorization: Bearer T' to that server (--remote BASE, or the draft_url's "
        "server) and to no other; default: $DRAFTKEEPER_REMOTE_TOKEN or the remote_token "
        "setting, sent to the remote_base server only")


def _settings_for(args: argparse.Namespace) -> Settings:
    settings = settings_mod.load()
    if getattr(args, "store", None):
        settings.store_dir = args.store
    return settings


def _roots(args: argparse.Namespace) -> list[Path] | None:
    roots = None
    if getattr(args, "root", None):
        roots = [Path(r).expanduser() for r in args.root]
        for root in roots:
            check_root(root)
    return roots


def _engine(args: argparse.Namespace, settings: Settings) -> LocalEngine:
    engine = LocalEngine(settings, roots=_roots(args))
    _note_recovered(engine)
    return engine


def _note_recovered(engine: LocalEngine) -> None:
    for draft_id, outcome in getattr(engine.store, "recovered", ()):  # opening recovers
        print(f"note: an interrupted restore of {draft_id} was {outcome}", file=sys.stderr)


def _session(args: argparse.Namespace, settings: Settings) -> Session:
    """The Session the window runs on, with this command's options (never saved)."""
    on_disk = settings_mod.load()
    kept = {}
    remote = getattr(args, "remote", None)
    if remote:
        settings.remote_base = remote
    token = getattr(args, "token", None)
    if token:
        _bind_token(args, settings, token)
    for name in ("store_dir", "remote_base", "autosave_interval_s", "autosave_enabled"):
        if getattr(settings, name) != getattr(on_disk, name):
            kept[name] = getattr(on_disk, name)
    roots = _roots(args)
    session = Session(settings)
    _note_recovered(session.local)
    session.kept_on_disk = kept
    if roots is not None:
        session.local.set_roots(roots)
    if remote is not None:
        session.router.only_remote = True  # --remote: the draft is on its server
    insecure = session.remote.token_insecure() if (remote is not None or token) else None
    if insecure:
        print(f"warning: the remote token goes to {insecure} over plain http, not encrypted: "
              "anyone on the network can read it (use https off this machine)",
              file=sys.stderr)
    return session


def _bind_token(args: argparse.Namespace, settings: Settings, token: str) -> None:
    """``--token`` for this run: sent to this command's server only, ``--remote BASE`` or
    the server of the full draft_url given (BadRequest when the command names none)."""
    settings.token_override = token
    if settings.remote_base:
        return
    draft = getattr(args, "draft", None)
    if isinstance(draft, str) and "://" in draft:
        settings.remote_base = base_of(draft)
        return
    raise BadRequest("--token needs the server it is for: give --remote BASE or a full "
                     "draft_url (the token is sent to that server only)",
                     reason="token_needs_server")


def _in_session(
    args: argparse.Namespace, settings: Settings, body: Callable[[Session], Awaitable[int]]
) -> int:
    async def main() -> int:
        session = _session(args, settings)
        try:
            return await body(session)
        finally:
            await session.stop()

    return asyncio.run(main())


def _draft(args: argparse.Namespace, session: Session) -> str:
    """The draft the user named: with --remote, its full draft_url on the server."""
    if args.remote is not None:
        return remote_draft_url(args.draft, session.settings.remote_base)
    return str(args.draft)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _local_time(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "-"


def cmd_save(args: argparse.Namespace, settings: Settings) -> int:
    return _in_session(args, settings, lambda session: _save(args, session))


async def _save(args: argparse.Namespace, session: Session) -> int:
    scheduler = session.scheduler
    key = await scheduler.track(_draft(args, session))
    remote = session.is_remote(key)
    unsubscribe = scheduler.subscribe(_attempt_reporter(scheduler, key))
    try:
        result = await scheduler.save(key, "manual")
    finally:
        unsubscribe()
    _warn_damage(session.local)
    if not remote:
        result = dataclasses.replace(result, draft_url=args.draft)
    if args.json:
        _print_json(result.to_json())
    elif remote:
        note = " (warning: plain http to another machine, not encrypted)" if result.insecure else ""
        print(f"saved {result.draft_url} on its server{note}")
    elif result.unchanged:
        print(f"unchanged: {args.draft} already saved as version {result.version}")
    else:
        print(f"saved {args.draft} as version {result.version} "
              f"({_size(result.bytes_stored)} stored)")
    return EXIT_OK


def _attempt_reporter(scheduler: SaveScheduler, key: str) -> Callable[[StatusEvent], None]:
    """Each failed attempt of the scheduler's save, one line on stderr."""

    def report(event: StatusEvent) -> None:
        new, old = event.new, event.old
        if event.key != key or new is None:
            return
        repeated = old is not None and old.state is new.state and old.attempt == new.attempt
        if new.state is State.RETRYING and not repeated:
            wait = max(0.0, (new.next_attempt_at or 0) - scheduler.clock.now())
            print(f"attempt {new.attempt} of {new.max_attempts} failed: {new.error_message}; "
                  f"retrying in {wait:.1f} s", file=sys.stderr)
        elif new.state is State.FAILED and not repeated:
            print(f"attempt {new.attempt} of {new.max_attempts} failed: {new.error_message}",
                  file=sys.stderr)

    return report


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    return _in_session(args, settings, lambda session: _list(args, session))


async def _list(args: argparse.Namespace, session: Session) -> int:
    scheduler = session.scheduler
    await scheduler.refresh()  # the same status the window and `watch` show
    now = scheduler.clock.now()
    statuses = scheduler.statuses()
    local = [s for s in statuses if not s.remote]
    remote = [s for s in statuses if s.remote]
    # drafts the editor deleted (versions kept) are listed too; covers, durations, badges
    deleted, details = await cli_drafts.extras(session, [s.info for s in local])
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
        _print_json(cli_drafts.with_details(rows, details))
        return EXIT_OK
    roots = ", ".join(str(r) for r in session.local.roots)
    if not local:
        print(f"No drafts in {roots}")
    else:
        print(f"{len(local)} draft(s) in {roots}")
    cli_drafts.print_list([(s.info, describe(s, now)) for s in local]
                          + [(d, "") for d in deleted], details)
    if remote:
        print(f"{len(remote)} remote draft(s)")
    for s in remote:
        print(f"  {s.info.draft_id}  on {s.info.root}  {describe(s, now)}")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    return _in_session(args, settings, lambda session: _history(args, session))


async def _history(args: argparse.Namespace, session: Session) -> int:
    key = _draft(args, session)
    if args.remote is None and not session.is_remote(key):
        versions = await session.timeline(key)  # changes, pins, current, summaries
    else:
        versions = await session.history(key)
    if args.json:
        _print_json([v.to_json() for v in versions])
        return EXIT_OK
    if versions and versions[0].reason != "remote":
        cli_drafts.print_history(versions)
        return EXIT_OK
    if not versions:
        print(f"{args.draft} has no versions yet")
    for v in versions:
        if v.damaged is not None:
            print(f"{v.version}  {_local_time(v.time)}  DAMAGED: {v.damaged}")
            continue
        if v.reason == "remote":
            print(f"{_local_time(v.time)}  {v.outcome:<7} {v.message}")
            continue
        extra = f"  ({len(v.not_kept)} media files not kept)" if v.not_kept else ""
        print(f"{v.version}  {_local_time(v.time)}  {v.reason:<14} {v.file_count} files  "
              f"{_size(v.bytes)}{extra}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    return _in_session(args, settings, lambda session: _restore(args, session))


async def _restore(args: argparse.Namespace, session: Session) -> int:
    variant = await cli_drafts.restore_variant(args, session)
    result = variant or await session.restore(args.draft, args.version)
    _warn_damage(session.local)
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    if variant is not None:
        cli_drafts.print_restore_variant(args, variant)
        return EXIT_OK
    print(f"restored {args.draft} to version {result.version}")
    if result.before_restore_version:
        print(f"  the state before the restore is version {result.before_restore_version}")
    print(f"  {len(result.written)} file(s) written")
    if result.moved_aside:
        print(f"  {len(result.moved_aside)} file(s) that left the draft were moved to "
              f"{result.aside_dir}")
    if result.not_kept:
        print(f"  {len(result.not_kept)} media file(s) were not kept and were left as they are")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    report = asyncio.run(engine.verify())
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"checked {report.versions} version(s), {report.blobs} stored file(s)")
        for d in report.damaged:
            print(f"DAMAGED {d.draft_id} version {d.version}")
            for problem in d.problems:
                print(f"  {problem}")
        if report.ok:
            print("ok: every version is intact")
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    removed = engine.store.prune(settings.keep_last)
    _warn_damage(engine)
    if args.json:
        _print_json({"removed_blobs": removed, "code": 0, "message": "Success"})
    else:
        print(f"pruned: {removed} unreferenced stored file(s) removed")
    return EXIT_OK


def _warn_damage(engine: LocalEngine) -> None:
    """Damaged versions a command skipped: named on stderr, never a reason to fail."""
    for d in engine.store.damage_seen():
        print(f"warning: skipped damaged version {d.version} ({d.reason}): {d.path}",
              file=sys.stderr)


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    async def add(session: Session) -> int:
        url = await session.add_remote(args.draft)
        return _remote_list_changed(args, session.settings, url, f"added {url}")

    return _in_session(args, settings, add)


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    async def remove(session: Session) -> int:
        url = args.draft.strip()
        if url not in session.settings.remote_drafts:
            raise DraftNotFound(f"Not in the remote list: {url}")
        await session.remove(url)
        return _remote_list_changed(args, session.settings, url, f"removed {url}")

    return _in_session(args, settings, remove)


def _remote_list_changed(args: argparse.Namespace, settings: Settings, url: str,
                         said: str) -> int:
    if args.json:
        _print_json({"draft_url": url, "remote_drafts": settings.remote_drafts, "code": 0,
                     "message": "Success"})
    else:
        print(f"{said} ({len(settings.remote_drafts)} remote draft(s) in the list)")
    return EXIT_OK


WATCH_FLUSH_S = 10.0  # at stop: how long unsaved drafts get to save


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    if args.interval is not None:
        settings.autosave_interval_s = args.interval
    settings.autosave_enabled = True
    settings.validate()
    return _in_session(args, settings, lambda session: _watch(args, session))


async def _watch(args: argparse.Namespace, session: Session) -> int:
    settings = session.settings
    if args.remote is not None:
        session.local.set_roots([])  # --remote: the remote list only
        if not settings.remote_drafts:
            raise BadRequest("No remote drafts to watch: add one with `draftkeeper add URL`")
    scheduler = session.scheduler

    def show(event: StatusEvent) -> None:
        if event.new is None or (event.old and event.old.state == event.new.state):
            return
        stamp = time.strftime("%H:%M:%S")
        text = describe(event.new, time.time())
        if event.new.state is State.CLEAN and event.new.last_version and event.old:
            text += f" (version {event.new.last_version})"
        print(f"{stamp}  {event.new.info.name}  {event.new.state.value}: {text}", flush=True)

    scheduler.subscribe(show)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
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


def cmd_pull(args: argparse.Namespace, settings: Settings) -> int:
    return _in_session(args, settings, lambda session: _pull(args, session))


async def _pull(args: argparse.Namespace, session: Session) -> int:
    received = 0
    shown = 0

    def progress(n: int) -> None:
        nonlocal received, shown
        received += n
        if received - shown >= 1024 * 1024 and not args.json:
            shown = received
            print(f"pulling: {_size(received)} received", file=sys.stderr, flush=True)

    result = await session.pull(args.draft, version=args.pull_version, progress=progress)
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    if result.offline:
        print(f"note: {result.offline}; using the version kept here", file=sys.stderr)
    print(f"pulled {result.draft_id} (version {result.version}) into {result.folder}")
    print(f"  {result.files} file(s), {_size(received)} downloaded, {result.rewritten} "
          f"material path(s) pointed at local copies")
    if result.media:
        print(f"  {len(result.media)} remote media file(s) downloaded into assets/")
    if result.before_pull_version:
        print(f"  the local draft that was there is version {result.before_pull_version}")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "save": cmd_save,
    "list": cmd_list,
    "history": cmd_history,
    "restore": cmd_restore,
    "verify": cmd_verify,
    "prune": cmd_prune,
    "add": cmd_add,
    "remove": cmd_remove,
    "watch": cmd_watch,
    "serve": cmd_serve,
    "pull": cmd_pull,
    **cli_drafts.HANDLERS,
}


def run_gui(settings: Settings, smoke: float | None = None) -> int:
    from draftkeeper.ui.app import run_gui as start_window  # Qt only when the window is wanted

    return start_window(settings, close_after=smoke)


def _check_store(command: str, settings: Settings) -> None:
    """A store that cannot be used is named in one clear error, with how to fix it."""
    if command in ("add", "remove"):
        return  # they change the list only
    # readers work on a read-only store; writers need one they can write
    writable = command not in ("list", "history", "verify", "diff")
    problem = settings_mod.store_problem(settings.store_path(), writable=writable)
    if problem:
        raise BadRequest(
            f"The version store cannot be used: {problem}. Choose another with --store DIR, "
            f"or change store_dir in {paths.settings_file()} (remove it for the default "
            "store)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    as_json = bool(getattr(args, "json", False))
    try:
        logs.setup()
        logging.getLogger("draftkeeper").info(
            "draftkeeper %s: %s", __version__, args.command or "window")
        settings = _settings_for(args)
        if settings.notice:
            logging.getLogger("draftkeeper").warning("%s", settings.notice)
            print(f"warning: {settings.notice}", file=sys.stderr)
        if args.command is None:
            return run_gui(settings, args.smoke)
        _check_store(args.command, settings)
        return HANDLERS[args.command](args, settings)
    except DraftKeeperError as exc:
        if as_json:  # with the reason, for scripts (e.g. token_refused, token_needed)
            _print_json(exc.to_json() | {"reason": exc.reason})
        else:
            print(f"error: {exc.message}", file=sys.stderr)
        return _EXIT_BY_KIND.get(exc.kind, EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # e.g. the log folder cannot be written
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
