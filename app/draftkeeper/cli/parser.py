"""The command line's arguments: every command with its options, help and an example.

Imports argparse and nothing else of Draft Keeper but its version: ``--help`` (of any
command) and a bad option are answered before anything a command runs on is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from draftkeeper import __version__


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written, as wide as the terminal. The width is read as
    ``shutil.get_terminal_size`` reads it, without importing shutil (and bz2, lzma with it):
    argparse makes a formatter for every option it adds, so every command paid for it."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         terminal_columns() - 2 if width is None else width)


def terminal_columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # (no stdout: None has no fileno)
        return 80


def common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        action="append",
        metavar="DIR",
        help="draft root folder (repeatable); default: the configured or detected roots",
    )
    parser.add_argument("--store", metavar="DIR", help="version store folder")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--share", metavar="URL", help="shared store (s3://BUCKET/PREFIX or "
                        "s3+http(s)://HOST:PORT/BUCKET/PREFIX); default: the share_url setting")
    parser.add_argument("--machine", metavar="NAME", help="this machine's name on the shared "
                        "store; default: the machine_name setting, else the host name")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only`` (the first argument, when it is not an
    option), of that command alone when it is one: the others' options are never used
    then, and adding them costs more than the command's own parse (~4 ms of a start)."""
    if only is not None:
        parser = build_parser_of(only)
        if parser is not None:
            return parser
    parser = build_parser_of(None)
    assert parser is not None
    return parser


def build_parser_of(only: str | None) -> argparse.ArgumentParser | None:
    """The parser of every command (``only``: of that one; None when it is none)."""

    def wanted(name: str) -> bool:
        return only is None or name == only

    parser = argparse.ArgumentParser(
        prog="draftkeeper",
        description="Keeps CapCut / JianYing drafts safe. With no command, opens the window.",
        formatter_class=Formatter,
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
            formatter_class=Formatter,
        )
        common_options(p)
        return p

    if wanted("save"):
        p = command("save", "save a draft as a new version (or on its capcut-mate server with "
                    "--remote)", "draftkeeper save 'https://host"
                    "/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258' --remote")
        p.add_argument("draft", nargs="?", help="draft_url or bare draft_id")
        p.add_argument("--all", action="store_true", dest="all",
                       help="save every draft of the draft roots (in batches: one store lock and "
                       "one commit per group of drafts); exit 4 if any is not saved, each named")
        remote_option(p)
    if wanted("list"):
        p = command("list", "list the drafts in the draft roots (--shared: on the shared store)",
                    "draftkeeper list --root ~/drafts")
        shared_option(p, "list the drafts on the shared store, with machine and latest time")
    if wanted("history"):
        p = command("history", "list a draft's versions, newest first (remote drafts: this "
                    "app's record of save attempts)", "draftkeeper history 2025092811473036584258")
        p.add_argument("draft", help="draft_url or bare draft_id")
        remote_option(p)
        shared_option(p, "the versions on the shared store, from every machine")
    if wanted("restore"):
        p = command("restore", "restore a version into the working copy (the current state is "
                    "saved first)", "draftkeeper restore 2025092811473036584258 20261127T0053")
        p.add_argument("draft", help="draft_url or bare draft_id")
        p.add_argument("version", help="version id (or a unique prefix of one), or 'latest'")
        add_restore_options(p)
    add_draft_commands(command, wanted)
    if wanted("verify"):
        p = command("verify", "re-read every stored version and check its hashes",
                    "draftkeeper verify")
        shared_option(p, "check every version and chunk on the shared store instead")
    if wanted("prune"):
        p = command("prune", "apply retention to every draft and drop unreferenced data",
                    "draftkeeper prune")
        shared_option(p, "on the shared store instead: retention over every machine's versions, "
                      "then the chunks no version needs (older than share_prune_grace_s)")
    if wanted("add"):
        p = command("add", "add a remote draft (a draft_url on a capcut-mate server) to the list",
                    "draftkeeper add 'http://127.0.0.1:30000/openapi/capcut-mate/v1/get_draft"
                    "?draft_id=2025092811473036584258'")
        p.add_argument("draft", help="full draft_url")
    if wanted("remove"):
        p = command("remove", "remove a remote draft from the list (nothing is deleted anywhere)",
                    "draftkeeper remove 'http://127.0.0.1:30000/openapi/capcut-mate/v1/get_draft"
                    "?draft_id=2025092811473036584258'")
        p.add_argument("draft", help="full draft_url, as added")
    if wanted("watch"):
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
        remote_option(p)
    if wanted("pull"):
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
        remote_option(p)
        shared_option(p, "from the shared store (DRAFT a bare draft_id; --version: a version "
                      "there, see history --shared); staged and journaled like restore")
    if wanted("sync"):
        command("sync", "upload every local version that the shared store lacks",
                "draftkeeper sync --share s3+http://127.0.0.1:8333/drafts/team",
                "Chunks are written only where absent, then each version's manifest; a run\n"
                "after a kill or an outage sends only what is missing.\n\n"
                "exit codes:\n  0  every local version is on the shared store\n"
                "  4  some are not (each draft is named)\n  2  bad options or share URL\n\n")
    if wanted("serve"):
        p = command("serve", "serve the save_draft HTTP API (capcut-mate's paths) from the local "
                    "engine until Ctrl+C", "draftkeeper serve --port 30000 --root ~/drafts")
        p.add_argument("--host", metavar="ADDR", help="address to listen on (default: the "
                       "api_host setting, 127.0.0.1); any other than loopback needs a token")
        p.add_argument("--port", type=int, metavar="N", help="port (default: the api_port "
                       "setting, 30000; 0: any free port)")
        p.add_argument("--token", metavar="T", help="require 'Authorization: Bearer T' (default: "
                       "$DRAFTKEEPER_API_TOKEN, or the api_token setting)")
    if only is not None and only not in sub.choices:
        return None
    return parser


def add_draft_commands(command: Callable[[str, str, str], argparse.ArgumentParser],
                       wanted: Callable[[str], bool]) -> None:
    if wanted("diff"):
        add_diff(command)
    if wanted("pin"):
        add_pin(command)
    if wanted("unpin"):
        add_unpin(command)


def add_diff(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    p = command("diff", "compare a version with the working copy or with another version "
                "(files; texts and captions for readable drafts)",
                "draftkeeper diff 2025092811473036584258 20261127T0053")
    p.add_argument("draft", help="draft_url or bare draft_id")
    p.add_argument("v1", nargs="?", help="version (default: the latest)")
    p.add_argument("v2", nargs="?", help="version to compare with (default: the working copy)")


def add_pin(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    p = command("pin", "pin a version: never thinned by retention, shown apart; "
                "--label names it", "draftkeeper pin 2025092811473036584258 20261127T0053 "
                "--label 'sent to client'")
    p.add_argument("draft", help="draft_url or bare draft_id")
    p.add_argument("version", help="version id (or a unique prefix of one)")
    p.add_argument("--label", metavar="TEXT", help="a name for the version")


def add_unpin(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    p = command("unpin", "unpin a version (retention may thin it again)",
                "draftkeeper unpin 2025092811473036584258 20261127T0053")
    p.add_argument("draft", help="draft_url or bare draft_id")
    p.add_argument("version", help="version id (or a unique prefix of one)")


def add_restore_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--as-new", metavar="NAME", dest="as_new",
                       help="write the version into a new draft folder NAME beside the "
                       "original (the original is not touched)")
    group.add_argument("--file", metavar="PATH", dest="file",
                       help="restore only this file of the version (a path inside the draft)")


def shared_option(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("--shared", action="store_true", help=help_text)


def remote_option(p: argparse.ArgumentParser) -> None:
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
