"""The command line's front door: answers ``--version`` and an unchanged local ``save`` at
once, before argparse, asyncio, the Session or any third-party module is imported.

``draftkeeper --version`` is answered from ``draftkeeper.__version__`` alone (the words
argparse's version action prints).

``draftkeeper save DRAFT [--root DIR]... [--store DIR] [--json]`` on a draft whose working copy
is certainly its latest protected version (``draftkeeper.core.store.quick``) is answered here,
in the words and with the side effects of the full path: the same line (or JSON), the attempt
recorded (fsynced) in the same record, a line in the log. Everything else - other commands,
other options, a remote or unknown draft, a change, a pending restore, a racy or damaged
version, a settings file that does not read - goes on to ``draftkeeper.cli.main``, unchanged. A
settings file with a bad value elsewhere than ``store_dir``/``roots`` is not judged here: the
next command that runs the full path sets it aside and says so.
"""

from __future__ import annotations

import sys

from draftkeeper import __version__

# everything else is imported where it is used: ``--version`` needs none of it, and the
# quick save only what it reads
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any


# what needs the interpreter's own exit: an event loop, the window, a process pool (their
# threads, processes and handles are closed by its teardown)
TEARDOWN = ("asyncio", "PySide6", "concurrent.futures.process", "multiprocessing")


def run() -> int:
    """The program's entry point (the console script, ``python -m draftkeeper``): ``main``,
    then the exit.

    A command that loaded none of ``TEARDOWN`` (``--version``, ``--help``, a local ``save``
    or ``restore``, ...) exits without the interpreter's teardown, which frees every module
    and object one by one (~10 ms of a 100 ms command) only for the OS to free them all at
    once: what any exit does first still happens (the trash being emptied is waited for,
    the atexit functions run (the log's flush), stdout and stderr are flushed), and every
    file the command wrote was made durable before it returned, as a kill at that moment
    would find it.

    The cyclic garbage collector waits until the command's modules are imported
    (``cli.main`` turns it back on before the command runs): the start creates ~17,000
    objects that live as long as the process, and walking them again and again as they
    are made (some 25 collections) cost ~4 ms of a 60 ms save, collecting nothing.

    Our modules come from the code cache (``cli/codecache.py``) while their sources are
    unchanged; the quick exit brings it up to date."""
    import gc

    from draftkeeper.cli import codecache

    gc.disable()
    codecache.install()
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help and usage errors
        if not (exc.code is None or isinstance(exc.code, int)):
            raise
        code = exc.code or 0
    if any(name in sys.modules for name in TEARDOWN):
        return code
    _exit_now(code)
    return code  # (not reached)


def _exit_now(code: int) -> None:
    import atexit
    import os

    trash = sys.modules.get("draftkeeper.core.store.trashbin")
    if trash is not None:
        trash.settle()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or 120  # as the interpreter's exit does when stdout cannot be flushed
    codecache = sys.modules.get("draftkeeper.cli.codecache")
    if codecache is not None:
        codecache.update()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        print(f"draftkeeper {__version__}")
        return 0
    if _parse_form(args) is not None:  # a plain save or restore (--help needs no pathlib)
        from draftkeeper.cli import leanpath

        leanpath.load()  # (before any module of ours: each imports pathlib)
    answered = quick_save(args)
    if answered is not None:
        return answered
    from draftkeeper.cli.main import main as full_main

    return full_main(args, parsed=plain_args(args))


def plain_args(args: list[str]) -> Any:
    """The ``argparse.Namespace`` the parser gives the plain ``save DRAFT`` and ``restore
    DRAFT VERSION`` forms (with ``--root DIR``..., ``--store DIR``, ``--json``), or None
    for any other command line: those forms need no parser (argparse and the command's
    parser cost ~5 ms of a start). tests/cli/test_cli_quick.py checks that the two
    agree."""
    parsed = _parse_form(args)
    if parsed is None:
        return None
    from types import SimpleNamespace

    command, words, root_args, store, as_json = parsed
    common = {"smoke": None, "command": command, "root": root_args, "store": store,
              "json": as_json, "share": None, "machine": None}
    if command == "save":
        return SimpleNamespace(**common, draft=words[0], all=False, remote=None, token=None)
    return SimpleNamespace(**common, draft=words[0], version=words[1], as_new=None, file=None)


# the plain forms: their command and how many words they take
_FORMS = {"save": 1, "restore": 2}


def _parse_form(args: list[str]
                ) -> tuple[str, list[str], list[str] | None, str | None, bool] | None:
    """(command, its words, --root values or None, --store value or None, --json) for a
    plain form."""
    if not args or args[0] not in _FORMS:
        return None
    words: list[str] = []
    root_args: list[str] = []
    store, as_json = None, False
    rest = iter(args[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in ("--root", "--store"):
            if not eq:
                value = next(rest, "")
            if not value or value.startswith("-"):
                return None  # argparse names the problem
            if name == "--root":
                root_args.append(value)
            elif store is None:
                store = value
            else:
                return None
        elif arg == "--json":
            as_json = True
        elif arg.startswith("-") or len(words) == _FORMS[args[0]]:
            return None
        else:
            words.append(arg)
    if len(words) != _FORMS[args[0]]:
        return None
    return args[0], words, root_args or None, store, as_json


def _parse(args: list[str]) -> tuple[str, list[str] | None, str | None, bool] | None:
    """(draft, --root values or None, --store value or None, --json) for the plain
    ``save`` form."""
    parsed = _parse_form(args)
    if parsed is None or parsed[0] != "save":
        return None
    _command, [draft], root_args, store, as_json = parsed
    return draft, root_args, store, as_json


def _settings() -> dict[str, Any] | None:
    from draftkeeper.core import paths
    from draftkeeper.core.settings import file as settings_file

    try:
        return settings_file.parse(paths.settings_file().read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return None  # the full path sets a bad file aside and says so


def quick_save(args: list[str]) -> int | None:
    """The exit code when the save was answered here; None to take the full path."""
    parsed = _parse(args)
    if parsed is None:
        return None
    draft, root_args, store_arg, as_json = parsed
    import time
    from pathlib import Path

    from draftkeeper.core import paths
    from draftkeeper.core.drafts import roots
    from draftkeeper.core.errors import DraftKeeperError
    from draftkeeper.core.store import quick
    from draftkeeper.core.store.attempts import Attempt, AttemptLog
    from draftkeeper.core.urls import looks_like_url, validate_draft_id

    if draft != draft.strip() or looks_like_url(draft):
        return None  # draft_urls may be remote: the Router decides
    settings = _settings()
    if settings is None:
        return None
    try:
        validate_draft_id(draft)
        configured = settings.get("roots", [])
        store_dir = store_arg if store_arg is not None else settings.get("store_dir")
        remote = settings.get("remote_drafts", [])
        if (not isinstance(configured, list) or not all(isinstance(r, str) for r in configured)
                or not isinstance(store_dir, str | None) or not isinstance(remote, list)
                or draft in remote):
            return None
        if root_args is not None:
            found = [Path(r).expanduser() for r in root_args]
            for root in found:
                roots.check_root(root)
        else:
            found = roots.effective_roots(configured)
        _root, folder = roots.find_draft(found, draft)
        store = Path(store_dir).expanduser() if store_dir else paths.default_store_dir()
        answer = quick.unchanged_version(store, draft, folder)
        if answer is None:
            return None
        version, saved_at = answer
        log = paths.log_file()
        if _log_size(log) >= paths.LOG_MAX_BYTES - 1024:
            return None  # the full path's log handler rolls it over
        record = AttemptLog(store / "attempts", legacy=store / "remote")
        record.append(Attempt.success(draft, time.time(), "manual", version, True))
    except (DraftKeeperError, OSError):
        return None  # the full path says what is wrong, in its words
    _log(log, f"draftkeeper {__version__}: save: {draft} unchanged, version {version} "
         "(answered from stat data)")
    if as_json:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(round(saved_at, 6)))
        data = {"draft_url": draft, "version": version, "saved_at": stamp, "unchanged": True,
                "bytes_stored": 0, "insecure": False, "code": 0, "message": "Success"}
        import json

        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"unchanged: {draft} already saved as version {version}")
    return 0


def _log_size(path: Path) -> int:
    import os

    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _log(path: Path, message: str) -> None:
    """One line in the log file, as ``logs.setup``'s handler writes it (best effort, as a
    log is: the save is answered and recorded already)."""
    import os
    import time

    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    line = f"{stamp},{int(now % 1 * 1000):03d} INFO draftkeeper: {message}{os.linesep}".encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0),
                     0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError:
        pass
