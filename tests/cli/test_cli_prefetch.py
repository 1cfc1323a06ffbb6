"""A changed ``draftkeeper save`` reads the draft's changed big files ahead, on a thread,
while it imports the store (cli/front.py, core/blobs/prefetch.py): the version it makes
is the one a save without that makes, and restores to the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from draftkeeper.cli import front
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID
from tests.helpers import bump


def cli(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "draftkeeper", *argv], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def edit(path: Path, at: int, text: bytes) -> bytes:
    data = bytearray(path.read_bytes())
    data[at:at + len(text)] = text
    bump(path, bytes(data))
    return bytes(data)


def entry(store: Store, version: str) -> tuple[str | None, str | None]:
    [f] = [f for f in store.manifest(CAPTIONS_ID, version).files
           if f.path == "draft_content.json"]
    return f.hash, f.chunks


def test_the_quick_check_names_the_changed_files_the_save_reads_ahead(
    draft_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTKEEPER_HOME", str(tmp_path / "home"))
    argv = ["save", CAPTIONS_ID, "--root", str(draft_root), "--store", str(tmp_path / "store")]
    assert cli(argv, dict(os.environ)).stdout.startswith("saved")
    changed: list[tuple[str, int]] = []
    assert front.quick_save(argv, changed) == 0  # unchanged: answered, nothing to read
    assert changed == []
    content = draft_root / CAPTIONS_ID / "draft_content.json"
    edit(content, 4000, b"an edit of 20 bytes!")
    (draft_root / CAPTIONS_ID / "new.bin").write_bytes(b"not in the version")
    assert front.quick_save(argv, changed) is None  # the full path saves it
    assert changed == [(str(content), content.stat().st_size)]  # (only what it kept)
    restore: list[tuple[str, int]] = []  # a restore saves the change first: the same
    assert front.quick_save(["restore", CAPTIONS_ID, "latest", *argv[2:]], restore) is None
    assert restore == changed
    assert front.quick_save(["restore", CAPTIONS_ID, "latest", *argv[2:]]) is None


def test_a_changed_save_makes_the_version_a_save_without_reading_ahead_makes(
    draft_root: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"))
    common = ["--root", str(draft_root), "--store", str(tmp_path / "store")]
    plain = LocalEngine(Settings(), roots=[draft_root], store=Store(tmp_path / "plain"))
    assert cli(["save", CAPTIONS_ID, *common], env).stdout.startswith("saved")
    plain.save_sync(CAPTIONS_ID)
    content = draft_root / CAPTIONS_ID / "draft_content.json"
    saved = edit(content, len(content.read_bytes()) // 2, b"an edit of 20 bytes!")
    proc = cli(["save", CAPTIONS_ID, *common, "--json"], env)
    assert proc.returncode == 0, proc.stderr
    version = json.loads(proc.stdout)["version"]
    without = plain.save_sync(CAPTIONS_ID).version
    assert entry(Store(tmp_path / "store"), version) == entry(plain.store, without)
    edit(content, 100, b"then another edit...")
    proc = cli(["restore", CAPTIONS_ID, version, *common], env)
    assert proc.returncode == 0, proc.stderr
    assert content.read_bytes() == saved
    assert cli(["verify", *common], env).returncode == 0
