"""A broken store never stops the window from opening: a banner names the problem and
offers a way out; the CLI's error says the same in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtWidgets import QApplication

from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.window.window import MainWindow
from tests.helpers import make_draft
from tests.ui.conftest import _CLOSED_WINDOWS, until
from tests.ui.test_dialogs import shoot

REPO = Path(__file__).resolve().parents[2]


def test_window_opens_with_a_banner_and_the_default_store_fixes_it(
        drive: Any, qloop: qasync.QEventLoop, tmp_path: Path, isolated_home: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "my-draft")
    a_file = tmp_path / "store-is-a-file"
    a_file.write_text("oops")
    session = Session(Settings(roots=[str(root)], store_dir=str(a_file)),
                      settings_path=tmp_path / "settings.json")

    async def scenario() -> None:
        await session.start()
        window = MainWindow(session)
        _CLOSED_WINDOWS.append(window)
        window.resize(1000, 420)
        window.show()
        assert window.store_banner.isVisible()
        text = window.store_banner.text.text()
        assert f"{a_file} exists and is not a folder" in text
        assert "Nothing is being saved" in text
        assert not window.act_save_all.isEnabled()
        shoot(window, "broken-store-banner")

        # another store that is also not usable: the banner says why, nothing changes
        window.use_store(str(a_file / "inner"))
        await until(lambda: "is not a folder" in window.store_banner.text.text()
                    and "inner" in window.store_banner.text.text())
        assert session.store_problem is not None

        window.store_banner.default_button.click()
        await until(lambda: not window.store_banner.isVisible(), what="banner gone")
        assert session.settings.store_dir is None
        assert session.local.store.root == isolated_home / "data" / "store"
        # saving works now: the draft is listed and saved
        await until(lambda: window.model.row_of("my-draft") is not None)
        window.save_all()
        await until(lambda: window.model.status_at(
            window.model.row_of("my-draft") or 0).state is State.CLEAN)
        assert json.loads((tmp_path / "settings.json").read_text())["store_dir"] is None
        window._quit_ready = True
        window.close()
        await session.stop()

    drive(scenario)
    QApplication.processEvents()


def _env(tmp_path: Path, store: Path) -> dict[str, str]:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps(
        {"version": 1, "store_dir": str(store), "roots": [str(tmp_path / "drafts")]}))
    (tmp_path / "drafts").mkdir()
    return dict(os.environ, DRAFTKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")


def test_the_app_starts_and_the_cli_names_the_problem(tmp_path: Path) -> None:
    a_file = tmp_path / "store-file"
    a_file.write_text("x")
    env = _env(tmp_path, a_file)
    r = subprocess.run([sys.executable, "-m", "draftkeeper", "--smoke", "0.5"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Draft Keeper window open" in r.stdout
    r = subprocess.run([sys.executable, "-m", "draftkeeper", "list"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"error: The version store cannot be used: {a_file} exists "
                               "and is not a folder. Choose another with --store DIR")
    r = subprocess.run([sys.executable, "-m", "draftkeeper", "list", "--store",
                        str(tmp_path / "good")], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
