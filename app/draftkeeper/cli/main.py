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

import logging
import sys
from collections.abc import Sequence

from draftkeeper import __version__
from draftkeeper.cli import drafts as cli_drafts
from draftkeeper.cli.commands import (
    cmd_add,
    cmd_history,
    cmd_list,
    cmd_prune,
    cmd_pull,
    cmd_remove,
    cmd_restore,
    cmd_save,
    cmd_verify,
)
from draftkeeper.cli.common import EXIT_BY_KIND, EXIT_FAILED, Handler, print_json, settings_for
from draftkeeper.cli.parser import build_parser
from draftkeeper.cli.watch import cmd_serve, cmd_watch
from draftkeeper.core import logs, paths
from draftkeeper.core.errors import BadRequest, DraftKeeperError
from draftkeeper.core.settings import table as settings_mod
from draftkeeper.core.settings.table import Settings

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
        settings = settings_for(args)
        if settings.notice:
            logging.getLogger("draftkeeper").warning("%s", settings.notice)
            print(f"warning: {settings.notice}", file=sys.stderr)
        if args.command is None:
            return run_gui(settings, args.smoke)
        _check_store(args.command, settings)
        return HANDLERS[args.command](args, settings)
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
