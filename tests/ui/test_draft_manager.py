"""The window as a draft manager: cover thumbnails, durations and badges in the list,
deleted drafts (shown, hidden, brought back), the timeline, pin, compare and restore as a
new draft; with screenshots of each screen (screenshots/, looked at by a person)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage, QPainter

from draftkeeper.core.backend import DraftInfo, VersionInfo
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.table.model import BADGES, DURATION
from draftkeeper.ui.timeline.compare import CompareDialog, RestoreAsNewDialog
from draftkeeper.ui.timeline.dialog import MARKS, WHY, TimelineDialog
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.core.test_draftinfo import write_index
from tests.core.test_timeline import edit_caption
from tests.helpers import read_tree
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot


def make_cover(path: Path, colour: str) -> None:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    painter = QPainter(image)
    painter.fillRect(40, 40, 120, 100, QColor("white"))
    painter.end()
    assert image.save(str(path), "JPG")


def prepare(root: Path, store: Path) -> None:
    """An index listing the caption draft only, a cover, an encrypted draft, a draft with
    offline media, and a draft the editor deleted after it was saved."""
    make_cover(root / CAPTIONS_ID / "draft_cover.jpg", "#1e88e5")
    write_index(root, CAPTIONS_ID, "jianying-encrypted")
    enc = root / "jianying-encrypted"
    enc.mkdir()
    (enc / "draft_info.json").write_bytes(b"\x8f" + os.urandom(4000))  # never "{" first
    (enc / "draft_meta_info.json").write_bytes(b"{}")
    make_cover(enc / "draft_cover.jpg", "#8e24aa")
    content = root / TEMPLATE_ID / "draft_content.json"
    data = json.loads(content.read_bytes())
    data["materials"]["videos"] = [{"id": "v", "path": "/media/usb/holiday.mp4"}]
    content.write_text(json.dumps(data), "utf-8")
    gone = root / "deleted-by-editor"
    shutil.copytree(root / TEMPLATE_ID, gone)
    engine = LocalEngine(Settings(roots=[str(root)], store_dir=str(store)))
    engine.save_sync("deleted-by-editor")
    shutil.rmtree(gone)


def test_list_timeline_compare_restore_as_new(drive: Any, make_window: Any, draft_root: Path,
                                              tmp_path: Path) -> None:
    prepare(draft_root, tmp_path / "store")

    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        model = window.model
        await until(lambda: model.row_of("deleted-by-editor") is not None, what="deleted row")
        await until(lambda: CAPTIONS_ID in model.thumbs and "jianying-encrypted" in model.thumbs
                    and TEMPLATE_ID in model.details, what="covers and details")

        def kinds(key: str) -> list[str]:
            row = model.row_of(key)
            assert row is not None
            return [k for k, _t in model.badges(model.status_at(row))]

        def cell(key: str, col: int) -> str:
            row = model.row_of(key)
            assert row is not None
            return str(model.index(row, col).data())

        assert kinds(CAPTIONS_ID) == []
        assert cell(CAPTIONS_ID, DURATION) == "33:20"
        assert kinds(TEMPLATE_ID) == ["not-in-index", "media-offline"]
        assert "Media offline: 1" in cell(TEMPLATE_ID, BADGES)
        assert kinds("jianying-encrypted") == ["encrypted"]
        assert kinds("deleted-by-editor") == ["deleted"]
        window.resize(1500, 520)
        shoot(window, "draft-list-covers-badges")

        shown = window.proxy.rowCount()
        window.drafts_ui.show_deleted.setChecked(False)
        assert window.proxy.rowCount() == shown - 1
        window.drafts_ui.show_deleted.setChecked(True)
        assert window.proxy.rowCount() == shown

        # the editor lists the template draft now: its badge goes at the next look
        write_index(draft_root, CAPTIONS_ID, "jianying-encrypted", TEMPLATE_ID)
        await window.drafts_ui.refresh()
        assert kinds(TEMPLATE_ID) == ["media-offline"]

        # the timeline: two versions with a caption edit between them
        folder = draft_root / CAPTIONS_ID
        await window.session.scheduler.save(CAPTIONS_ID)
        edit_caption(folder, 5, "Now with the client's wording")
        await window.session.scheduler.refresh()
        await window.session.scheduler.save(CAPTIONS_ID)
        window.select_key(CAPTIONS_ID)
        dialog = window.show_history()
        assert isinstance(dialog, TimelineDialog)
        await dialog.loaded
        assert dialog.table.rowCount() == 2
        assert "Current" in dialog.table.item(0, MARKS).text()
        assert dialog.table.item(1, WHY).text() == "Manual save"
        assert "2000 texts" in dialog.table.item(0, 3).text()
        await dialog.pin(dialog.versions[1].version, True, "sent to client")
        await dialog.loaded
        assert "Pinned" in dialog.table.item(1, MARKS).text()
        assert dialog.table.item(1, WHY).text() == "Manual save — “sent to client”"
        dialog.select_row(0)
        shoot(dialog, "timeline")

        dialog.table.selectAll()
        compare = dialog.compare_selected()
        assert isinstance(compare, CompareDialog)
        await compare.loaded
        assert compare.texts.rowCount() == 1
        assert compare.texts.item(0, 0).text() == "Changed"
        assert compare.texts.item(0, 1).text() == "caption number 5 字幕"
        assert compare.texts.item(0, 2).text() == "Now with the client's wording"
        assert compare.files.rowCount() == 2
        shoot(compare, "compare")
        compare.close()

        original = read_tree(folder)
        dialog.select_row(1)
        ask = dialog.restore_as_new()
        assert isinstance(ask, RestoreAsNewDialog)
        assert ask.name_edit.text().startswith(f"Film {CAPTIONS_ID[:6]} (restored ")
        shoot(ask, "restore-as-new")
        ask.name_edit.setText("Client cut")
        await ask.submit()
        assert read_tree(folder) == original  # the original: byte-identical
        new = draft_root / "Client cut"
        assert b"caption number 5" in (new / "draft_content.json").read_bytes()
        await until(lambda: model.row_of("Client cut") is not None, what="new draft listed")
        await window.drafts_ui.refresh()
        await until(lambda: "Client cut" in model.details, what="new draft details")
        assert kinds("Client cut") == ["not-in-index"]  # the editor has not listed it yet
        dialog.close()

        # a deleted draft comes back from its latest version
        window.select_key("deleted-by-editor")
        gone = window.show_history()
        assert isinstance(gone, TimelineDialog)
        await gone.loaded
        assert gone.restore_button.text() == "Bring back…"
        shoot(gone, "timeline-deleted")
        gone.confirm = lambda text: "Bring the draft's folder back" in text
        gone.select_row(0)
        gone.restore_button.click()
        await until(lambda: (draft_root / "deleted-by-editor" / "draft_content.json").exists(),
                    what="folder back")
        back = "deleted-by-editor"
        await until(lambda: any(s.key == back and s.state is State.CLEAN
                                for s in window.session.scheduler.statuses()),
                    what="clean again")
        row = model.row_of(back)
        assert row is not None and not model.is_deleted(model.status_at(row))
        assert window.proxy.rowCount() == shown + 1  # the new draft; no deleted row left
        gone.close()

    drive(scenario, 120)


def test_runs_of_autosaves_collapse_around_pins_and_manual_saves(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        root = tmp_path / "drafts"
        root.mkdir()
        window = await make_window(root, autosave_enabled=False)
        info = DraftInfo("x", "x", str(root), str(root / "x"), 0, 0, 0.0, "x")
        dialog = TimelineDialog(window, DraftStatus("x", State.CLEAN, info))
        with contextlib.suppress(DraftNotFound):
            await dialog.loaded  # no such draft: the list is filled below
        t = 1_795_000_000.0
        reasons = ["autosave", "autosave", "manual", "autosave", "autosave", "autosave",
                   "autosave"]
        versions = [VersionInfo(f"2026112{i}T000000.000000Z", t - i, "", r, 1, 10,
                                pinned=(i == 4), current=(i == 0))
                    for i, r in enumerate(reasons)]
        dialog.show_versions(versions)
        dialog.collapse.setChecked(True)
        hidden = [dialog.table.isRowHidden(r) for r in range(len(versions))]
        # current, its run's second, manual, autosave after it, pinned, then a run of two
        assert hidden == [False, False, False, False, False, False, True]
        assert "Pinned" in dialog.table.item(4, MARKS).text()
        dialog.collapse.setChecked(False)
        assert not any(dialog.table.isRowHidden(r) for r in range(len(versions)))
        dialog.close()

    drive(scenario)
