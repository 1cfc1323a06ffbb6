"""The CLI stays quick: a local save imports nothing it does not use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from draftkeeper import __version__
from tests.conftest import CAPTIONS_ID

# (the CLI runs its commands through the window's Session and scheduler, on asyncio; what
# only remote drafts, the local API, events or the window need stays out)
FORBIDDEN = ("httpx", "PySide6", "aiohttp", "qasync", "watchfiles", "pyfastcdc",
             "draftkeeper.core.serve.server", "draftkeeper.ui",
             # the shared store: only its own commands
             "obstore", "draftkeeper.core.shared")
# an unchanged save is answered before any of these (app/draftkeeper/cli/front.py): the standard library
# modules cost a start 1 to 8 ms each
QUICK_FORBIDDEN = (*FORBIDDEN, "asyncio", "argparse", "draftkeeper.cli.main", "draftkeeper.core.session.session",
                   "draftkeeper.core.saving.scheduler", "draftkeeper.core.store.store", "dataclasses", "typing",
                   "hashlib", "logging", "zstandard",
                   *(("platformdirs",) if sys.platform.startswith("linux") else ()))


def loaded(importtime: str) -> set[str]:
    """The modules ``-X importtime`` lists on stderr."""
    return {line.rsplit("|", 1)[1].strip() for line in importtime.splitlines()
            if line.startswith("import time:") and "|" in line}


def imported(argv: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str],
                                                            set[str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "draftkeeper", *argv],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    return proc, loaded(proc.stderr)


def test_a_local_save_imports_no_network_or_gui_module(
    draft_root: Path, tmp_path: Path
) -> None:
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    argv = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "store")]
    for expect in ("saved", "unchanged"):  # a changed save, then an unchanged one
        proc, names = imported(argv, env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.startswith(expect), proc.stdout
        assert "draftkeeper.core.store" in names  # the measurement itself works
        forbidden = QUICK_FORBIDDEN if expect == "unchanged" else tuple(
            f for f in FORBIDDEN if f != "pyfastcdc")  # the chunker: only to store pieces
        leaked = sorted(n for n in names
                        if any(n == f or n.startswith(f + ".") for f in forbidden))
        assert leaked == [], f"a local save imported {leaked}"


# what a command on one local draft, --version and --help never need: the event loop, the
# network client (and its TLS), the window. Their cost is most of a start (issue 20).
NEVER_LOCAL = ("asyncio", "httpx", "ssl", "PySide6", "qasync",
               "draftkeeper.core.session.session", "draftkeeper.core.remote.engine")
# what a local save or restore of a draft's JSON does not need either: shutil (and bz2,
# lzma with it: only rare restores move or delete trees), ctypes (the disk's write-back
# hint, for staged files of 16 MiB and more), the other commands' modules
NOT_FOR_ONE_DRAFT = ("shutil", "bz2", "lzma", "ctypes", "draftkeeper.cli.shared",
                     "draftkeeper.cli.watch", "draftkeeper.core.store.verify")
# what a save of one local draft does without since issue 20's cuts: a thread pool (one
# changed file is stored by the saving thread; fsyncs of big blobs, restores and the
# trash make theirs), random and secrets (a retry's jitter, temp names from os.urandom),
# argparse (cli/front.py parses the plain form), dataclasses (core/records.py) and the
# inspect, ast and dis it loads, typing_extensions (which loads them too: pyfastcdc's
# type aliases, blobs/chunking.py), platform (zstandard's package imports it: its compiled
# backend is loaded alone, blobs/form.py), datetime (the sqlite3 package imports it for its
# date adapters: SQLite's C module is used alone; version ids are read by hand), queue
# (its C SimpleQueue alone), typing (our modules import it for mypy alone; pyfastcdc's
# compiled chunker, for the annotations of its functions, is loaded beside a stand-in:
# blobs/chunking.py), hashlib (OpenSSL's SHA-256 alone) and threading (its locks from
# _thread; a thread, where one is made, imports it), each 0.3-5 ms of a start
NOT_FOR_A_SAVE = ("concurrent", "random", "secrets", "hmac", "argparse", "gettext",
                  "dataclasses", "inspect", "ast", "dis", "typing_extensions", "platform",
                  "datetime", "queue", "typing", "hashlib", "threading")
# a local save or restore writes its log lines itself (core/logs.py): the logging package
# and what it loads (traceback with linecache and tokenize, string, ~4 ms) stay out
NO_LOGGING = ("logging", "traceback", "linecache", "tokenize", "string")
# our modules a changed save of one local draft has no use for, each ~0.1-0.2 ms of its
# start: the other commands (cli/commands.py; save and restore are cli/local.py's), the
# draft manager's words (cli/drafts.py: diff, pin, history, restore variants),
# the batch saves' second process (blobs/hashers.py, platform/workers.py), the restore
# journal and the trash (with no restore to finish, nothing to empty), the known listings
# of a sweep's walks (local/walks.py: one draft is walked in full)
OURS_NOT_FOR_A_SAVE = ("draftkeeper.cli.commands", "draftkeeper.cli.drafts",
                       "draftkeeper.core.blobs.hashers",
                       "draftkeeper.core.platform.workers", "draftkeeper.core.store.journal",
                       "draftkeeper.core.store.trashbin", "draftkeeper.core.local.walks")


def leaked(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


def test_version_and_help_load_no_more_than_the_parser(tmp_path: Path) -> None:
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    proc, names = imported(["--version"], env)
    assert (proc.returncode, proc.stdout) == (0, f"draftkeeper {__version__}\n")
    assert "draftkeeper.cli.front" in names  # the measurement itself works
    # nothing but the front door: not even argparse
    assert leaked(names, (*NEVER_LOCAL, "argparse", "draftkeeper.cli.main", "draftkeeper.core",
                          "json", "logging")) == []
    for argv in (["--help"], ["save", "--help"], ["restore", "--help"]):
        proc, names = imported(argv, env)
        assert proc.returncode == 0 and "usage: draftkeeper" in proc.stdout, proc.stderr[-2000:]
        assert "draftkeeper.cli.parser" in names
        assert leaked(names, (*NEVER_LOCAL, "draftkeeper.core", "draftkeeper.cli.commands",
                              "logging", "dataclasses")) == [], argv


def test_a_local_save_and_restore_load_no_event_loop_network_or_window(
    draft_root: Path, tmp_path: Path
) -> None:
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    outputs = []
    for argv in (["save", CAPTIONS_ID, *common],  # the first version
                 ["save", CAPTIONS_ID, *common, "--json"]):  # unchanged
        proc, names = imported(argv, env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert leaked(names, (*NEVER_LOCAL, *NOT_FOR_ONE_DRAFT)) == [], argv
        outputs.append(proc.stdout)
    content = draft_root / CAPTIONS_ID / "draft_content.json"
    with open(content, "r+b") as f:  # a 20-byte edit of the 5.5 MB file, saved
        f.seek(2000)
        f.write(b"y" * 20)
    proc, names = imported(["save", CAPTIONS_ID, *common], env)
    assert proc.returncode == 0 and proc.stdout.startswith("saved"), proc.stderr[-2000:]
    assert "pyfastcdc" in names  # the measurement itself works: it cut the file
    assert leaked(names, (*NEVER_LOCAL, *NOT_FOR_ONE_DRAFT, *NOT_FOR_A_SAVE, *NO_LOGGING,
                          *OURS_NOT_FOR_A_SAVE)) == []
    version = json.loads(outputs[1])["version"]
    with open(content, "r+b") as f:  # a change, left unsaved: the restore saves it first
        f.seek(1000)
        f.write(b"x" * 20)
    proc, names = imported(["restore", CAPTIONS_ID, version, *common], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith(f"restored {CAPTIONS_ID} to version {version}")
    assert "the state before the restore is version" in proc.stdout
    assert "draftkeeper.core.store.restore" in names
    # one file restored: by the command's own thread (no pool, nor the logging package
    # that concurrent.futures loads); the plain form parsed by cli/front.py (no argparse)
    assert leaked(names, (*NEVER_LOCAL, *NOT_FOR_ONE_DRAFT, *NO_LOGGING, "concurrent",
                          "argparse", "draftkeeper.cli.commands", "draftkeeper.cli.drafts",
                          "draftkeeper.core.blobs.hashers")) == []
    assert [p.name for p in (tmp_path / "store" / "trash").iterdir()] == []  # emptied by exit
    # a draft_url whose draft is in a root is local too: the Router says so without the
    # network client
    url = f"http://127.0.0.1:9/openapi/capcut-mate/v1/get_draft?draft_id={CAPTIONS_ID}"
    proc, names = imported(["save", url, *common], env)
    assert proc.returncode == 0 and proc.stdout.startswith(f"unchanged: {url} already saved")
    assert leaked(names, NEVER_LOCAL) == []


def test_a_save_of_both_json_files_stores_them_at_once_without_the_pool(
    draft_root: Path, tmp_path: Path
) -> None:
    """CapCut writes draft_content.json and draft_info.json together: a save of the two
    (5.5 MB each) stores them on two threads of its own, without the process's pool
    (concurrent.futures, with logging) or typing, and the version holds both."""
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    dk = [sys.executable, "-m", "draftkeeper"]
    assert subprocess.run([*dk, "save", CAPTIONS_ID, *common], env=env, capture_output=True,
                          timeout=120).returncode == 0
    folder = draft_root / CAPTIONS_ID
    content, info = folder / "draft_content.json", folder / "draft_info.json"
    with open(content, "r+b") as f:
        f.seek(4000)
        f.write(b"z" * 20)
    info.write_bytes(content.read_bytes() + b" ")
    saved = {p.name: p.read_bytes() for p in (content, info)}
    proc, names = imported(["save", CAPTIONS_ID, *common, "--json"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    version = json.loads(proc.stdout)["version"]
    assert "pyfastcdc" in names  # the measurement itself works: it cut the files
    assert leaked(names, (*NEVER_LOCAL, *NOT_FOR_ONE_DRAFT, *NOT_FOR_A_SAVE, *NO_LOGGING,
                          *OURS_NOT_FOR_A_SAVE)) == []
    content.write_bytes(b"{}")
    info.unlink()
    proc = subprocess.run([*dk, "restore", CAPTIONS_ID, version, *common], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert {p.name: p.read_bytes() for p in (content, info)} == saved


def test_list_of_local_drafts_loads_no_event_loop_scheduler_or_network(
    draft_root: Path, tmp_path: Path
) -> None:
    """`list` with no remote draft runs without the Session (cli/listing.py): no asyncio,
    no scheduler, no thread pool, no logging package."""
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    assert subprocess.run([sys.executable, "-m", "draftkeeper", "save", CAPTIONS_ID, *common],
                          env=env, capture_output=True, timeout=120).returncode == 0
    for _run in range(2):  # the first parses the big draft's JSON (in the content pool)
        proc, names = imported(["list", *common], env)
        assert proc.returncode == 0 and proc.stdout.startswith("2 draft(s)"), proc.stderr
        assert "draftkeeper.cli.listing" in names  # the measurement itself works
        assert leaked(names, (*NEVER_LOCAL, "draftkeeper.core.saving.scheduler",
                              "draftkeeper.cli.commands")) == []
    assert leaked(names, (*NO_LOGGING, "concurrent")) == []  # its facts kept: no pool


# what a changed local save does without since issue 20's last cuts, measured as installed
# (below): json (the store's JSON goes through its C accelerator, core/plainjson.py), re,
# fnmatch, warnings, ntpath and urllib.parse with ipaddress (pathlib's, for methods a save
# never calls: cli/leanpath.py; ours, where a URL or a pattern is met), importlib
# (blobs/form.py), enum (a draft's State: core/saving/status.py), each 0.3-5 ms of a start
NOT_FOR_A_CHANGED_SAVE = ("json", "re", "fnmatch", "warnings", "ntpath", "urllib",
                          "ipaddress", "importlib", "enum")


def imported_as_installed(argv: list[str], env: dict[str, str]
                          ) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``imported``, in a process started as the installed ``draftkeeper`` script starts
    (``from draftkeeper.cli.front import run``, no runpy, which loads importlib.util and
    contextlib), without the development venv's editable finder (it loads pathlib, re and
    urllib.parse at every start of this interpreter): no site, the package and the venv's
    site-packages on the path."""
    env = dict(env, PYTHONPATH=os.pathsep.join([
        str(Path(__file__).resolve().parents[2] / "app"), sysconfig.get_paths()["purelib"]]))
    launcher = "import sys\nfrom draftkeeper.cli.front import run\nsys.exit(run())"
    proc = subprocess.run([sys.executable, "-S", "-X", "importtime", "-c", launcher, *argv],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    return proc, loaded(proc.stderr)


def test_a_changed_local_save_loads_no_json_regex_or_url_parser(
    draft_root: Path, tmp_path: Path
) -> None:
    if os.environ.get("DK_FS_RULES"):
        pytest.skip("--fs-rules puts its own modules into every process")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "store")]
    proc, names = imported_as_installed(common, env)  # the first version
    assert proc.returncode == 0 and proc.stdout.startswith("saved"), proc.stderr[-2000:]
    with open(draft_root / CAPTIONS_ID / "draft_content.json", "r+b") as f:
        f.seek(2000)  # a 20-byte edit of the 5.5 MB file
        f.write(b"y" * 20)
    proc, names = imported_as_installed(common, env)
    assert proc.returncode == 0 and proc.stdout.startswith("saved"), proc.stderr[-2000:]
    assert {"pathlib", "pyfastcdc"} <= names  # the measurement itself works
    assert leaked(names, (*NEVER_LOCAL, *NOT_FOR_ONE_DRAFT, *NOT_FOR_A_SAVE, *NO_LOGGING,
                          *NOT_FOR_A_CHANGED_SAVE)) == []
    proc, names = imported_as_installed([*common, "--json"], env)  # indented: by json
    assert proc.returncode == 0 and json.loads(proc.stdout)["unchanged"], proc.stderr[-2000:]
    assert proc.stdout.startswith('{\n  "draft_url": ') and "json" in names
