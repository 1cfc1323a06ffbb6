"""A remote draft the server lost shows as lost, and the window's Pull brings it into the
drafts folder, where it is listed as a local draft (real test server on 127.0.0.1)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import DraftLost
from app.core.scheduler import State
from app.ui.model import STATUS
from app.ui.style import colour
from tests.capcut_server import CapcutServer
from tests.conftest import CAPTIONS_ID
from tests.core.test_mirror import same_tree
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot


def test_lost_row_and_pull_into_editor(drive: Any, make_window: Any, tmp_path: Path,
                                       fixture_root: Path) -> None:
    folder = tmp_path / "server-disk" / CAPTIONS_ID
    shutil.copytree(fixture_root / CAPTIONS_ID, folder)
    root = tmp_path / "drafts"
    root.mkdir()
    with CapcutServer() as server:
        url = server.publish(CAPTIONS_ID, folder)

        async def scenario() -> None:
            window = await make_window(root, autosave_enabled=False, remote_drafts=[url])
            window.resize(1180, 360)
            await until(lambda: window.model.rowCount() == 1)
            sched = window.session.scheduler
            await sched.save(url)
            server.restart()
            with pytest.raises(DraftLost):
                await sched.save(url)
            assert sched.status(url).state is State.LOST
            assert window.status_text(url) == (
                "The server no longer has this draft; 1 version is kept here")
            row = window.model.row_of(url)
            assert row is not None
            index = window.model.index(row, STATUS)
            assert window.model.data(index, 9).color() == colour(State.LOST)
            window.select_key(url)
            await until(lambda: window.act_pull.isEnabled())
            await until(lambda: "1 lost on the server" in window.counts_label.text())
            shoot(window, "lost-row")
            task = window.pull_selected()
            assert task is not None
            await task
            await until(lambda: window.model.rowCount() == 2)
            local = window.model.row_of(CAPTIONS_ID)
            assert local is not None and not window.model.status_at(local).remote
            assert same_tree(root / CAPTIONS_ID, folder)
            window.select_key(CAPTIONS_ID)
            await until(lambda: not window.act_pull.isEnabled())
            shoot(window, "pulled-draft")

        drive(scenario)
