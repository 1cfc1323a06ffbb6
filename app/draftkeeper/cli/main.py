"""Command line: the window by default; save / list / history / restore / verify / prune.

Every command on drafts takes the window's path: its Router decides local or remote, the
same store code saves and restores, the same attempt record gives the status. Commands
on many drafts or remote ones run on the Session (its scheduler saves and retries); a
local ``save`` or ``restore`` runs the same steps synchronously (cli/local.py), without
asyncio or the network client. (The entry point is cli/front.py: it answers
``--version`` and an unchanged local ``save`` from stat data first, in these words and
with this record, and hands everything else to ``main`` here.)

Dispatch: ``main`` parses (cli/parser.py, argparse only), then ``handler`` imports the
module of the command and returns its function. A new command adds its options in
parser.py and its function to a module's ``HANDLERS`` (local.py, commands.py, drafts.py)
or to ``handler``; a command module imports at its top only what is light (no asyncio, no
Session, no remote engine: ``in_session`` loads those), so that every other command
stays quick (tests/cli/test_cli_imports.py).

Exit codes: 0 success, 2 bad input (400-class), 3 not found (404-class), 4 save failed
(5xx-class; `watch`: a draft was failed or unsaved when it stopped). Errors print
``error: <message>`` on stderr, or with --json a JSON object with the spec's ``detail``,
capcut-mate's ``code``/``message`` and the error's ``reason`` on stdout.
"""

from __future__ import annotations

import sys

from draftkeeper import __version__

# Only the parser is loaded before the arguments are parsed (``--help`` and bad options
# need nothing else; the plain ``save`` and ``restore`` forms, parsed by cli/front.py, not
# even that); each command then imports what it runs on, and no more: a local ``save`` or
# ``restore`` loads neither asyncio nor the Session (tests/cli/test_cli_imports.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from draftkeeper.cli.common import Handler
    from draftkeeper.core.settings.table import Settings


def handler(command: str, shared: bool = False) -> Handler:
    """The function that runs ``command`` (``shared``: its ``--shared`` form), from the
    module that holds it (imported now)."""
    if shared or command == "sync":
        from draftkeeper.cli import shared as cli_shared

        return (cli_shared.SHARED_HANDLERS if shared else cli_shared.HANDLERS)[command]
    if command in ("watch", "serve"):
        from draftkeeper.cli import watch

        return watch.cmd_watch if command == "watch" else watch.cmd_serve
    if command == "list":
        from draftkeeper.cli import listing

        return listing.cmd_list
    from draftkeeper.cli import local as cli_local

    if command in cli_local.HANDLERS:  # save, restore: first, a local one needs no other
        return cli_local.HANDLERS[command]
    from draftkeeper.cli import commands

    if command in commands.HANDLERS:
        return commands.HANDLERS[command]
    from draftkeeper.cli import drafts as cli_drafts

    return cli_drafts.HANDLERS[command]


def run_gui(settings: Settings, smoke: float | None = None) -> int:
    from draftkeeper.ui.app import run_gui as start_window  # Qt only when the window is wanted

    return start_window(settings, close_after=smoke)


def _check_store(command: str, settings: Settings) -> None:
    """A store that cannot be used is named in one clear error, with how to fix it."""
    from draftkeeper.core import paths
    from draftkeeper.core.errors import BadRequest
    from draftkeeper.core.settings import table as settings_mod

    if command in ("add", "remove"):
        return  # they change the list only
    # readers work on a read-only store; writers need one they can write
    writable = command not in ("list", "history", "verify", "diff", "sync")
    problem = settings_mod.store_problem(settings.store_path(), writable=writable)
    if problem:
        raise BadRequest(
            f"The version store cannot be used: {problem}. Choose another with --store DIR, "
            f"or change store_dir in {paths.settings_file()} (remove it for the default "
            "store)")


def main(argv: Sequence[str] | None = None, parsed: argparse.Namespace | None = None) -> int:
    """Run the command line ``argv``; ``parsed``: what the parser makes of it, when the
    caller knows (cli/front.py, for the plain ``save`` and ``restore`` forms)."""
    if parsed is not None:
        args = parsed
    else:
        from draftkeeper.cli.parser import build_parser

        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
        args = parser.parse_args(argv)
    as_json = bool(getattr(args, "json", False))
    import gc

    from draftkeeper.cli.common import EXIT_BY_KIND, EXIT_FAILED, print_json, settings_for
    from draftkeeper.core import logs
    from draftkeeper.core.errors import DraftKeeperError

    log = logs.Logger("draftkeeper")
    try:
        # a save or restore of one local draft needs no logging package (core/logs.py);
        # one that turns out to need the Session switches to it (cli/common.in_session)
        logs.setup(plain=args.command in ("save", "restore", "list"))
        log.info("draftkeeper %s: %s", __version__, args.command or "window")
        settings = settings_for(args)
        if settings.notice:
            log.warning("%s", settings.notice)
            print(f"warning: {settings.notice}", file=sys.stderr)
        if args.command is None:
            gc.enable()
            return run_gui(settings, args.smoke)
        _check_store(args.command, settings)
        command = handler(args.command, bool(getattr(args, "shared", False)))
        if not gc.isenabled():  # off while the modules were imported (front.run): what
            # they made lives as long as the process, frozen so that the command's first
            # collections do not walk those ~13,000 objects (~1.3 ms of a changed save)
            gc.freeze()
            gc.enable()
        return command(args, settings)
    except DraftKeeperError as exc:
        if as_json:  # with the reason, for scripts (e.g. token_refused, token_needed)
            print_json(exc.to_json() | {"reason": exc.reason})
        else:
            print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_BY_KIND.get(exc.kind, EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # e.g. the log folder cannot be written
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
