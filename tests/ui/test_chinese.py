"""The window in Simplified Chinese: toolbar, table header, a status, a dialog (with Qt's
own standard buttons), and the language setting's choices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QMessageBox

from draftkeeper.core.remote.urls import accept_language
from draftkeeper.ui.table.model import NAME, STATUS
from draftkeeper.ui.words.i18n import Translations, locale_for
from tests.helpers import make_draft
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot


@pytest.fixture
def chinese(qapp: Any) -> Any:
    translations = Translations()
    translations.install("zh")
    yield translations
    translations.remove()


def test_the_window_in_chinese(chinese: Any, drive: Any, make_window: Any,
                               tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1")
    make_draft(root, "d2")

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        window.resize(1024, 640)
        await until(lambda: window.model.rowCount() == 2)
        assert window.act_save.text() == "保存" and window.act_save_all.text() == "全部保存"
        assert window.windowTitle() == "草稿守护"
        header = window.proxy.headerData(NAME, Qt.Orientation.Horizontal)
        assert header == "名称"
        assert window.proxy.headerData(STATUS, Qt.Orientation.Horizontal) == "状态"
        assert window.status_text("d1") == "从未保存"
        window.select_key("d1")
        await window.save_selected()
        await until(lambda: window.status_text("d1").startswith("已保存"))
        assert window.status_text("d1") == "已保存（0 秒前）"
        await until(lambda: window.counts_label.text() == "2 个草稿 · 1 个未保存 · 自动保存已关闭")
        shoot(window, "window-zh_CN")
        dialog = window.show_settings()
        assert dialog.windowTitle() == "设置"
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert "确定" in ok.text() and "取消" in cancel.text()  # Qt's own catalogue
        language = dialog.fields["language"].editor
        assert isinstance(language, QComboBox)
        assert [language.itemText(i) for i in range(language.count())] == [
            "自动", "English", "简体中文"]
        dialog.adjustSize()
        shoot(dialog, "settings-zh_CN")
        dialog.reject()
        box = QMessageBox(QMessageBox.Icon.Question, "", "",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert "是" in box.button(QMessageBox.StandardButton.Yes).text()  # Qt's own words

    drive(scenario)


def test_language_setting_picks_locale_and_accept_language(monkeypatch: Any) -> None:
    assert locale_for("zh").language() is QLocale.Language.Chinese
    assert locale_for("en").language() is QLocale.Language.English
    system = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    assert locale_for("auto", system) == system
    assert accept_language("zh").startswith("zh-CN")
    assert accept_language("en").startswith("en-US")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert accept_language("auto").startswith("zh-CN")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert accept_language("auto").startswith("en-US")
