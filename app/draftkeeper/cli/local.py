"""The ``save`` and ``restore`` commands. A local draft's run without the Session: what the
command waits for is its own process start, so it loads neither asyncio nor the network
client, nor the other commands' modules (main.handler looks here first).

The Router decides, as it does for the window (``Router(local).is_remote``); a local draft
is then saved by ``SaveOnce`` over the local engine's ``save_sync`` (the scheduler's steps,
retry policy, attempt record and log lines, one attempt after another) and restored by its
``restore_sync``: the functions the window's scheduler runs in worker threads. Remote
drafts, ``--remote``, ``--token`` and ``save --all`` go through the Session (``_save``,
``_restore``, cli/saveall.py), in the same words, line for line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from draftkeeper.cli.common import (
    EXIT_OK,
    Handler,
    draft_of,
    in_session,
    local_engine,
    print_json,
    size_text,
    warn_damage,
)
from draftkeeper.core.backend import RestoreResult, SaveResult
from draftkeeper.core.errors import BadRequest
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.once import SaveOnce
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.session.router import Router
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.attempts import AttemptLog

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this

if TYPE_CHECKING:  # (the plain save form is parsed without argparse: cli/front.py)
    import argparse

    from draftkeeper.core.session.session import Session  # (in_session loads it)


def local_engine_for(args: argparse.Namespace, settings: Settings) -> LocalEngine | None:
    """The local engine when this command's draft is a local one; None when the Session
    takes the command (a remote draft, ``--remote``, ``--token``)."""
    if getattr(args, "remote", None) is not None or getattr(args, "token", None):
        return None
    engine = local_engine(args, settings)
    return None if Router(engine).is_remote(args.draft) else engine


def attempt_reporter(key: str | None, now: Callable[[], float]
                     ) -> Callable[[StatusEvent], None]:
    """Each failed attempt of a save of draft ``key`` (None: of the one draft saved), one
    line on stderr."""

    def report(event: StatusEvent) -> None:
        new, old = event.new, event.old
        if (key is not None and event.key != key) or new is None:
            return
        repeated = old is not None and old.state is new.state and old.attempt == new.attempt
        if new.state is State.RETRYING and not repeated:
            wait = max(0.0, (new.next_attempt_at or 0) - now())
            print(f"attempt {new.attempt} of {new.max_attempts} failed: {new.error_message}; "
                  f"retrying in {wait:.1f} s", file=sys.stderr)
        elif new.state is State.FAILED and not repeated:
            print(f"attempt {new.attempt} of {new.max_attempts} failed: {new.error_message}",
                  file=sys.stderr)

    return report


def print_saved(args: argparse.Namespace, result: SaveResult, remote: bool) -> None:
    if args.json:
        print_json(result.to_json())
    elif remote:
        note = " (warning: plain http to another machine, not encrypted)" if result.insecure else ""
        print(f"saved {result.draft_url} on its server{note}")
    elif result.unchanged:
        print(f"unchanged: {args.draft} already saved as version {result.version}")
    else:
        print(f"saved {args.draft} as version {result.version} "
              f"({size_text(result.bytes_stored)} stored)")


def save(args: argparse.Namespace, engine: LocalEngine) -> int:
    store = engine.settings.store_path()
    record = AttemptLog(store / "attempts", legacy=store / "remote")  # the Session's
    saver = SaveOnce(engine, engine.settings, record, attempt_reporter(None, time.time))
    result = saver.save(args.draft, "manual")
    warn_damage(engine)
    print_saved(args, result.replace(draft_url=args.draft), remote=False)
    return EXIT_OK


def restore(args: argparse.Namespace, engine: LocalEngine) -> int:
    result: RestoreResult
    if getattr(args, "as_new", None):
        result = engine.restore_as_new_sync(args.draft, args.version, args.as_new)
    elif getattr(args, "file", None):
        result = engine.restore_file_sync(args.draft, args.version, args.file)
    else:
        result = engine.restore_sync(args.draft, args.version)
    warn_damage(engine)
    if args.json:
        print_json(result.to_json())
    elif args.as_new or args.file:
        from draftkeeper.cli import drafts as cli_drafts  # (the variants' words only)

        cli_drafts.print_restore_variant(args, result)
    else:
        print_restored(args, result)
    return EXIT_OK


def print_restored(args: argparse.Namespace, result: RestoreResult) -> None:
    print(f"restored {args.draft} to version {result.version}")
    if result.before_restore_version:
        print(f"  the state before the restore is version {result.before_restore_version}")
    print(f"  {len(result.written)} file(s) written")
    if result.moved_aside:
        print(f"  {len(result.moved_aside)} file(s) that left the draft were moved to "
              f"{result.aside_dir}")
    if result.not_kept:
        print(f"  {len(result.not_kept)} media file(s) were not kept and were left as they are")


def cmd_save(args: argparse.Namespace, settings: Settings) -> int:
    if args.all:
        if args.draft is not None or args.remote is not None:
            raise BadRequest("save --all saves every draft of the draft roots: name no draft "
                             "and no --remote")
        from draftkeeper.cli import saveall  # the Session: only for --all

        return in_session(args, settings, lambda session: saveall.save_all(args, session))
    if args.draft is None:
        raise BadRequest("save needs a draft (a draft_url or a bare draft_id), or --all")
    engine = local_engine_for(args, settings)
    if engine is not None:  # a local draft: saved without the Session
        return save(args, engine)
    return in_session(args, settings, lambda session: _save(args, session))


async def _save(args: argparse.Namespace, session: Session) -> int:
    scheduler = session.scheduler
    key = await scheduler.track(draft_of(args, session))
    remote = session.is_remote(key)
    unsubscribe = scheduler.subscribe(attempt_reporter(key, scheduler.clock.now))
    try:
        result = await scheduler.save(key, "manual")
    finally:
        unsubscribe()
    warn_damage(session.local)
    if not remote:
        result = result.replace(draft_url=args.draft)
    print_saved(args, result, remote)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    engine = local_engine_for(args, settings)
    if engine is not None:  # a local draft: restored without the Session
        if settings.share_url:  # a version only the shared store has is brought here first
            from draftkeeper.cli import shared as cli_shared

            cli_shared.bring_if_only_shared(settings, engine.store, args.draft, args.version)
        return restore(args, engine)
    return in_session(args, settings, lambda session: _restore(args, session))


async def _restore(args: argparse.Namespace, session: Session) -> int:
    from draftkeeper.cli import drafts as cli_drafts

    variant = await cli_drafts.restore_variant(args, session)
    result = variant or await session.restore(args.draft, args.version)
    warn_damage(session.local)
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    if variant is not None:
        cli_drafts.print_restore_variant(args, variant)
        return EXIT_OK
    print_restored(args, result)
    return EXIT_OK


HANDLERS: dict[str, Handler] = {"save": cmd_save, "restore": cmd_restore}
