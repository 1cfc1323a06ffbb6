"""What every command shares: exit codes, the settings and the Session a command runs on
(with its --root, --store, --remote and --token), and plain output (JSON, sizes, times).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from draftkeeper.core.drafts.roots import check_root
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.urls import base_of

# asyncio, the Session and the network client are imported by the commands that run on
# them (in_session), never at the top: a local save or restore does without them
TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from draftkeeper.core.session.session import Session

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_FAILED = 0, 2, 3, 4
EXIT_BY_KIND = {"bad_request": EXIT_BAD_INPUT, "not_found": EXIT_NOT_FOUND}
Handler = Callable[["argparse.Namespace", Settings], int]


def settings_for(args: argparse.Namespace) -> Settings:
    settings = settings_mod.load()
    if getattr(args, "store", None):
        settings.store_dir = args.store
    if getattr(args, "share", None):
        settings.share_url = args.share
    if getattr(args, "machine", None):
        settings.machine_name = args.machine
    return settings


def roots_of(args: argparse.Namespace) -> list[Path] | None:
    roots = None
    if getattr(args, "root", None):
        roots = [Path(r).expanduser() for r in args.root]
        for root in roots:
            check_root(root)
    return roots


def local_engine(args: argparse.Namespace, settings: Settings) -> LocalEngine:
    engine = LocalEngine(settings, roots=roots_of(args))
    note_recovered(engine)
    return engine


def note_recovered(engine: LocalEngine) -> None:
    for draft_id, outcome in getattr(engine.store, "recovered", ()):  # opening recovers
        print(f"note: an interrupted restore of {draft_id} was {outcome}", file=sys.stderr)


def open_session(args: argparse.Namespace, settings: Settings) -> Session:
    """The Session the window runs on, with this command's options (never saved)."""
    from draftkeeper.core.session.session import Session

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
    roots = roots_of(args)
    session = Session(settings)
    note_recovered(session.local)
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


def in_session(
    args: argparse.Namespace, settings: Settings, body: Callable[[Session], Awaitable[int]]
) -> int:
    import asyncio

    from draftkeeper.core import logs

    logs.through_logging()  # the Session's libraries log through logging

    async def main() -> int:
        session = open_session(args, settings)
        try:
            return await body(session)
        finally:
            await session.stop()

    return asyncio.run(main())


def draft_of(args: argparse.Namespace, session: Session) -> str:
    """The draft the user named: with --remote, its full draft_url on the server."""
    if args.remote is not None:
        from draftkeeper.core.remote.urls import remote_draft_url


        return remote_draft_url(args.draft, session.settings.remote_base)
    return str(args.draft)


def print_json(data: Any) -> None:
    import json  # (indented: json itself, for --json output only)

    print(json.dumps(data, ensure_ascii=False, indent=2))


def size_text(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def local_time(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "-"


def warn_damage(engine: LocalEngine) -> None:
    """Damaged versions a command skipped: named on stderr, never a reason to fail."""
    for d in engine.store.damage_seen():
        print(f"warning: skipped damaged version {d.version} ({d.reason}): {d.path}",
              file=sys.stderr)


def print_verify(args: argparse.Namespace, report: Any, checked: str, intact: str) -> int:
    """A verify report (the local store's or the shared store's): each damaged version
    and its problems, or ``intact``; exit 0 when nothing is damaged."""
    if args.json:
        print_json(report.to_json())
    else:
        print(f"checked {report.versions} version(s), {report.blobs} stored file(s){checked}")
        for d in report.damaged:
            print(f"DAMAGED {d.draft_id} version {d.version}")
            for problem in d.problems:
                print(f"  {problem}")
        if report.ok:
            print(f"ok: {intact}")
    return EXIT_OK if report.ok else EXIT_FAILED
