"""The draft table on a Windows laptop: 1366×768 at 125 % scaling is a logical screen of
1093×614 (Qt lays out in logical pixels, so a window of that size is what such a user sees).
Names are what people look for: the name column keeps a readable width there and at the
usual 1180×680, in English and in Chinese, while the draft id and the folder (shown: ids
differ from names, two folders) give up their width first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from draftkeeper.core.drafts.folders import SAMPLE_NAME, create_sample_draft
from draftkeeper.ui.table.columns import WIDTHS
from draftkeeper.ui.table.model import DRAFT_ID, NAME, WHERE
from draftkeeper.ui.window.window import MainWindow
from draftkeeper.ui.words.i18n import Translations
from tests.helpers import make_draft
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot

LONG_EN = "Client wedding highlights — final cut v3 (4K)"
LONG_ZH = "毕业旅行纪录片 大理 洱海 骑行 第一天"
DRAFTS = {  # folder (the draft id) -> the name CapCut / JianYing gave it
    "2025092811473036584258": "我的旅行 vlog 第二集 海边日落",
    "2025100309215512345678": LONG_EN,
    "2025101118002299887766": "Product launch teaser for the autumn campaign",
    "2025080712000011223344": LONG_ZH,
}


def editor_root(root: Path, names: dict[str, str]) -> Path:
    """Drafts and the editor's index naming them (root_meta_info.json, as CapCut writes)."""
    entries = []
    for folder, name in names.items():
        make_draft(root, folder)
        entries.append({"draft_fold_path": f"C:/Users/me/AppData/Local/CapCut/User Data/"
                                           f"Projects/com.lveditor.draft/{folder}",
                        "draft_name": name})
    (root / "root_meta_info.json").write_text(
        json.dumps({"all_draft_store": entries}, ensure_ascii=False), "utf-8")
    return root


def shown_name(window: MainWindow, key: str) -> str:
    """The part of a draft's name its cell shows: the text rectangle the style gives the
    name beside its cover, against the font's metrics ("…" where it is cut)."""
    table = window.table
    row = window.model.row_of(key)
    assert row is not None
    index = window.proxy.mapFromSource(window.model.index(row, NAME))
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    option.rect = table.visualRect(index)
    style = table.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return table.fontMetrics().elidedText(option.text, Qt.TextElideMode.ElideRight,
                                          rect.width() - 2 * margin)


def readable(text: str) -> int:
    return len(text.removesuffix("…"))


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1093, 614), (1180, 680)], ids=["1366x768@125%", "1180x680"])
def test_names_stay_readable_on_a_windows_laptop(language: str, size: tuple[int, int],
                                                 qapp: Any, drive: Any, make_window: Any,
                                                 tmp_path: Path) -> None:
    capcut = editor_root(tmp_path / "CapCut", DRAFTS)
    jianying = editor_root(tmp_path / "JianyingPro", {"2025061509300055667788": "周末美食探店"})
    sample = create_sample_draft(capcut)
    translations = Translations()
    if language == "zh":
        translations.install("zh")

    async def scenario() -> None:
        window = await make_window(capcut, autosave_enabled=False,
                                   roots=[str(capcut), str(jianying)])
        window.resize(*size)
        await until(lambda: window.model.rowCount() == 6)
        table = window.table
        await until(lambda: size[0] - 40 < table.viewport().width() < size[0])
        QApplication.processEvents()
        # ids differ from names, two folders: the draft id and the folder are shown
        assert not table.isColumnHidden(DRAFT_ID) and not table.isColumnHidden(WHERE)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        # the header's own measure: room for 24 characters of the font beside the cover
        assert header.sectionSize(NAME) >= 56 + 24 * metrics.averageCharWidth()
        # and what people see of the names
        assert readable(shown_name(window, "2025100309215512345678")) >= 24  # LONG_EN
        assert readable(shown_name(window, "2025080712000011223344")) >= 13  # LONG_ZH
        assert shown_name(window, sample) == SAMPLE_NAME  # the sample has a human name
        # the whole name column is in view: no scrolling to read it
        assert header.sectionViewportPosition(NAME) >= 0
        assert (header.sectionViewportPosition(NAME) + header.sectionSize(NAME)
                <= table.viewport().width())
        # the id and the folder gave up their width for it (elided in the middle)
        assert header.sectionSize(DRAFT_ID) < WIDTHS[DRAFT_ID]
        assert header.sectionSize(WHERE) < WIDTHS[WHERE]
        ids = window.proxy.index(0, DRAFT_ID)
        option = QStyleOptionViewItem()
        table.itemDelegateForColumn(DRAFT_ID).initStyleOption(option, ids)
        assert option.textElideMode == Qt.TextElideMode.ElideMiddle
        shoot(window, f"window-{size[0]}x{size[1]}-{language}")

    try:
        drive(scenario)
    finally:
        translations.remove()


def test_a_width_the_user_gives_is_kept(drive: Any, make_window: Any, tmp_path: Path) -> None:
    """Narrowing for the name never undoes what the user dragged, and that width comes back
    after a restart (the window's size does not decide it)."""
    capcut = editor_root(tmp_path / "CapCut", DRAFTS)
    jianying = editor_root(tmp_path / "JianyingPro", {"2025061509300055667788": "周末美食探店"})

    async def scenario() -> None:
        roots = [str(capcut), str(jianying)]
        first = await make_window(capcut, autosave_enabled=False, roots=roots)
        first.resize(1093, 614)
        await until(lambda: first.model.rowCount() == 5)
        header = first.table.horizontalHeader()
        header.resizeSection(WHERE, 260)  # as a drag on the header does
        first.resize(1000, 614)
        await until(lambda: first.table.viewport().width() < 1000)
        QApplication.processEvents()
        assert header.sectionSize(WHERE) == 260
        assert header.sectionSize(DRAFT_ID) < WIDTHS[DRAFT_ID]  # the others still give
        first._save_window_state()
        second = await make_window(capcut, autosave_enabled=False, roots=roots)
        second.resize(1180, 680)
        await until(lambda: second.model.rowCount() == 5)
        QApplication.processEvents()
        assert second.table.horizontalHeader().sectionSize(WHERE) == 260

    drive(scenario)
