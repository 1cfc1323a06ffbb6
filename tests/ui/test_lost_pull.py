"""A remote draft the server lost shows as lost, and the window's Pull brings it into the
drafts folder, where it is listed as a local draft (real test server on 127.0.0.1)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.errors import DraftLost
from draftkeeper.core.saving.status import State
from draftkeeper.ui.style import colour
from draftkeeper.ui.table.model import STATUS
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


def test_pull_dialog_chooses_a_kept_version_and_the_folder(drive: Any, make_window: Any,
                                                          tmp_path: Path,
                                                          fixture_root: Path) -> None:
    """The window's Pull asks which state: an older version kept here comes back as it
    was saved, into the chosen drafts folder."""
    folder = tmp_path / "server-disk" / CAPTIONS_ID
    shutil.copytree(fixture_root / CAPTIONS_ID, folder)
    first_state = tmp_path / "first-state"
    shutil.copytree(folder, first_state)
    roots = [tmp_path / "drafts-a", tmp_path / "drafts-b"]
    for r in roots:
        r.mkdir()
    with CapcutServer() as server:
        url = server.publish(CAPTIONS_ID, folder)

        async def scenario() -> None:
            window = await make_window(roots[0], autosave_enabled=False, remote_drafts=[url])
            await window.session.add_root(str(roots[1]))
            await until(lambda: window.model.row_of(url) is not None)
            sched = window.session.scheduler
            await sched.save(url)
            (folder / "draft_info.json").write_bytes(b'{"edited": "on the server"}')
            await sched.save(url)
            window.select_key(url)
            await until(lambda: window.act_pull.isEnabled())
            asking = window.ask_pull()
            assert asking is not None
            await asking
            dialog = window.pull_dialog
            assert dialog is not None and dialog.isVisible()
            assert dialog.folder.count() == 2 and dialog.version.count() == 3  # latest + 2
            shoot(dialog, "pull-dialog")
            dialog.folder.setCurrentIndex(1)
            older = dialog.version.count() - 1  # versions are listed newest first
            dialog.version.setCurrentIndex(older)
            dialog.pull_button.click()
            await until(lambda: window.model.row_of(CAPTIONS_ID) is not None, limit=30,
                        what="the pulled draft")
            assert same_tree(roots[1] / CAPTIONS_ID, first_state)
            assert not (roots[0] / CAPTIONS_ID).exists()

        drive(scenario)
