"""`draftkeeper save` on an unchanged draft answers at once (app/draftkeeper/cli/front.py), and says and
records exactly what the full path (Session, scheduler, Store.save) would; everything it
cannot be sure of goes down the full path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.store.store import Store
from tests.cli.test_cli_imports import imported
from tests.conftest import CAPTIONS_ID
from tests.helpers import bump, make_draft, read_tree

REPO = Path(__file__).resolve().parents[2]
FULL = "import sys; from draftkeeper.cli.main import main; sys.exit(main())"


def full_path(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", FULL, *argv], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def quick(argv: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], bool]:
    """Run the real entry point; whether the full path (argparse and the command, past
    cli/front.py) was taken."""
    proc, names = imported(argv, env)
    proc.stderr = "".join(line for line in proc.stderr.splitlines(keepends=True)
                          if not line.startswith("import time:"))
    return proc, "draftkeeper.cli.main" in names


def records(store: Path, key: str) -> list[Attempt]:
    return AttemptLog(store / "attempts").read(key)


def test_an_unchanged_save_is_answered_quickly_in_the_full_paths_words(
    draft_root: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    store = tmp_path / "store"
    argv = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(store)]
    first, took_full = quick(argv, env)
    assert first.stdout.startswith("saved") and took_full  # a change: the full path
    for extra in ([], ["--json"]):
        full = full_path(argv + extra, env)
        answer, took_full = quick(argv + extra, env)
        assert not took_full, "an unchanged save went down the full path"
        assert (answer.returncode, answer.stdout, answer.stderr) == (
            full.returncode, full.stdout, full.stderr)
    data = json.loads(answer.stdout)
    assert data["unchanged"] is True and data["code"] == 0
    # each answer is recorded as the full path records it
    saved = records(store, CAPTIONS_ID)
    assert [a.outcome for a in saved] == ["saved"] * 5
    assert {(a.reason, a.version, a.unchanged) for a in saved[1:]} == {
        ("manual", data["version"], True)}
    log = (tmp_path / "home" / "logs" / "draftkeeper.log").read_text()
    assert f"save: {CAPTIONS_ID} unchanged, version {data['version']}" in log


def test_a_rewrite_that_kept_size_and_mtime_is_still_saved(tmp_path: Path) -> None:
    """Stat data cannot tell a rewrite in the same clock tick: those files are hashed."""
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    folder = make_draft(tmp_path / "drafts", "d", {"draft_content.json": b'{"a": 1}'})
    argv = ["save", "d", "--root", str(tmp_path / "drafts"), "--store", str(tmp_path / "s")]
    assert quick(argv, env)[0].stdout.startswith("saved")
    path = folder / "draft_content.json"
    st = path.stat()
    path.write_bytes(b'{"a": 2}')  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime
    answer, took_full = quick(argv, env)
    assert answer.stdout.startswith("saved d as version"), answer.stdout
    assert took_full
    bump(path, b'{"a": 3}')
    assert quick(argv, env)[0].stdout.startswith("saved d as version")


def test_after_failed_attempts_an_unchanged_save_is_recorded_as_saved(
    draft_root: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    store = tmp_path / "store"
    common = ["--root", str(draft_root), "--store", str(store)]
    assert quick(["save", CAPTIONS_ID, *common], env)[0].returncode == 0
    AttemptLog(store / "attempts").append(Attempt.failure(
        CAPTIONS_ID, time.time(), "autosave", SaveFailed("No space left on device")))
    answer, took_full = quick(["save", CAPTIONS_ID, *common], env)
    assert answer.stdout.startswith(f"unchanged: {CAPTIONS_ID}") and not took_full
    last = AttemptLog(store / "attempts").last(CAPTIONS_ID)
    assert last is not None and not last.failed and last.unchanged
    listing = full_path(["list", "--json", *common], env)
    [row] = [r for r in json.loads(listing.stdout) if r["draft_id"] == CAPTIONS_ID]
    assert row["status"] == "clean" and row["error"] is None


def test_an_autosaved_version_is_pinned_by_the_full_path_first(tmp_path: Path) -> None:
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    folder = make_draft(tmp_path / "drafts", "d")
    old = time.time_ns() - 10_000_000_000  # not racy
    for f in folder.iterdir():
        os.utime(f, ns=(old, old))
    manifest, _ = Store(tmp_path / "s").save("d", folder, reason="autosave")
    argv = ["save", "d", "--root", str(tmp_path / "drafts"), "--store", str(tmp_path / "s")]
    answer, took_full = quick(argv, env)
    assert answer.stdout == f"unchanged: d already saved as version {manifest.version}\n"
    assert took_full  # an unchanged manual save pins the version it answers with
    history = full_path(["history", "d", "--json", *argv[2:]], env)
    assert json.loads(history.stdout)[0]["pinned"] is True
    assert not quick(argv, env)[1]


def test_roots_and_store_come_from_the_settings_file(draft_root: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    (home / "config").mkdir(parents=True)
    settings = home / "config" / "settings.json"
    settings.write_text(json.dumps({"version": 1, "roots": [str(draft_root)],
                                    "store_dir": str(tmp_path / "mine")}))
    saved, _ = quick(["save", CAPTIONS_ID], env)
    assert saved.returncode == 0, saved.stderr
    assert [a.outcome for a in records(tmp_path / "mine", CAPTIONS_ID)] == ["saved"]
    answer, took_full = quick(["save", CAPTIONS_ID], env)
    assert answer.stdout.startswith(f"unchanged: {CAPTIONS_ID}") and not took_full
    assert len(records(tmp_path / "mine", CAPTIONS_ID)) == 2

    settings.write_text("{not json")  # the full path sets it aside and says so
    answer, took_full = quick(["save", CAPTIONS_ID], env)
    assert took_full and "warning: The settings file could not be read" in answer.stderr


def test_bad_input_is_named_by_the_full_path(draft_root: Path, tmp_path: Path) -> None:
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    missing, _ = quick(["save", "20990101nothere", *common], env)
    assert (missing.returncode, missing.stderr) == (
        3, "error: Draft does not exist: 20990101nothere\n")
    escaping, _ = quick(["save", "..", *common], env)
    assert escaping.returncode == 2 and "'.' and '..' are not drafts" in escaping.stderr
    unknown, _ = quick(["save", CAPTIONS_ID, "--frobnicate", *common], env)
    assert unknown.returncode == 2 and "unrecognized arguments: --frobnicate" in unknown.stderr
    no_root, _ = quick(["save", CAPTIONS_ID, "--root", str(tmp_path / "nope")], env)
    assert no_root.returncode == 2 and "Folder does not exist" in no_root.stderr


def test_a_restore_killed_midway_is_rolled_back_before_a_save_answers(tmp_path: Path) -> None:
    from tests.core.test_restore import DIE_AT, ours, two_versions

    _engine, store, folder, v1, before = two_versions(tmp_path)
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO))
    died = subprocess.run([sys.executable, "-c", DIE_AT, str(folder.parent), str(store), v1,
                           "swap"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert died.returncode == 9, died.stderr
    assert list((store / "journal").glob("*.json"))
    answer, took_full = quick(["save", "d", "--root", str(folder.parent), "--store",
                               str(store)], env)
    assert took_full and answer.returncode == 0, answer.stderr
    assert "note: an interrupted restore of d was rolled back" in answer.stderr
    assert ours(folder) == [] and not list((store / "journal").glob("*.json"))
    assert read_tree(folder) == before


def test_a_full_log_is_rolled_over_by_the_full_path(draft_root: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, DRAFTKEEPER_HOME=str(home))
    argv = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "s")]
    assert quick(argv, env)[0].returncode == 0
    log = home / "logs" / "draftkeeper.log"
    log.write_bytes(b"x" * (1024 * 1024 - 100) + b"\n")
    answer, took_full = quick(argv, env)
    assert answer.stdout.startswith(f"unchanged: {CAPTIONS_ID}") and took_full
    assert (home / "logs" / "draftkeeper.log.1").stat().st_size > 1024 * 1024 - 200
    assert log.stat().st_size < 10_000
    assert not quick(argv, env)[1]


def test_a_version_saved_right_after_its_files_were_written_is_quick_once_checked(
    tmp_path: Path,
) -> None:
    """Files written just before their save are "racy": stat data cannot prove them
    unchanged, so the full path hashes them. Once that check is made long enough after
    their mtimes, the version records it, and from then on stat data tells (quickly)."""
    from draftkeeper.core.store.snapshot import SaveOptions

    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    folder = make_draft(tmp_path / "drafts", "d")
    written = time.time() - 10
    for f in folder.iterdir():
        os.utime(f, (written, written))
    store = Store(tmp_path / "s")
    manifest, _ = store.save("d", folder, options=SaveOptions(now=lambda: written + 0.5))
    argv = ["save", "d", "--root", str(tmp_path / "drafts"), "--store", str(tmp_path / "s")]
    expected = f"unchanged: d already saved as version {manifest.version}\n"
    answer, took_full = quick(argv, env)
    assert (answer.stdout, took_full) == (expected, True)  # hashed by the full path
    checked = Store(tmp_path / "s").manifest("d", manifest.version).checked_at
    assert checked is not None and checked > written + 2
    answer, took_full = quick(argv, env)
    assert (answer.stdout, took_full) == (expected, False)
    bump(folder / "draft_content.json", b'{"tracks": [1]}')  # a real edit is still seen
    assert quick(argv, env)[0].stdout.startswith("saved d as version")


def test_the_plain_save_and_restore_forms_are_parsed_as_the_parser_parses_them() -> None:
    """A changed save and a restore go down the full path without argparse (cli/front.py's
    own parse of their plain forms): what it hands on is what the parser makes of the same
    words, and every other command line is left to the parser."""
    from draftkeeper.cli.front import plain_args
    from draftkeeper.cli.parser import build_parser

    for argv in (["save", "d"], ["save", "d", "--json"], ["save", "--root", "a", "d"],
                 ["save", "d", "--root=a", "--root", "b", "--store", "s", "--json"],
                 ["save", "https://h/openapi/capcut-mate/v1/get_draft?draft_id=d",
                  "--store=s"],
                 ["restore", "d", "v"], ["restore", "d", "latest", "--json"],
                 ["restore", "--root", "a", "d", "--store=s", "v", "--root=b"]):
        assert vars(plain_args(argv)) == vars(build_parser(argv[0]).parse_args(argv)), argv
    for argv in (["save"], ["save", "--all"], ["save", "d", "--remote", "http://h"],
                 ["save", "d", "--sto", "s"], ["save", "d", "e"], ["save", "d", "--store"],
                 ["list"], ["save", "d", "--token", "t"], ["--version"], [],
                 ["restore", "d"], ["restore", "d", "v", "w"], ["restore", "d", "v", "--file", "f"],
                 ["restore", "d", "v", "--as-new", "n"], ["restore", "d", "-v"],
                 ["history", "d"], ["restore", "d", "v", "--store", "s", "--store", "t"]):
        assert plain_args(argv) is None, argv


def test_a_store_and_root_given_as_relative_paths_are_saved_and_answered(
        tmp_path: Path) -> None:
    """`--store store --root drafts` from the folder holding them: the quick answer's
    read-only look at the store took a relative path to a file URI and crashed."""
    make_draft(tmp_path / "drafts", "d")
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    argv = [sys.executable, "-m", "draftkeeper", "save", "d", "--root", "drafts",
            "--store", "store"]
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "app"), env.get("PYTHONPATH", "")])
    first = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0 and first.stdout.startswith("saved d as version"), first.stderr
    version = first.stdout.split()[4]
    bump(tmp_path / "drafts" / "d" / "draft_content.json", b'{"tracks": [1]}')
    second = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert second.returncode == 0 and second.stdout.startswith("saved d as version"), (
        second.stderr)
    assert second.stdout.split()[4] != version
    again = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.stdout == f"unchanged: d already saved as version {second.stdout.split()[4]}\n"
