"""The Settings dialog's shared-store fields (from the settings table; secrets masked),
its note on what a bucket without a passphrase holds, a share URL checked next to its
field, and a new shared store taking effect without a restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLineEdit

from draftkeeper.core.settings.table import SPECS
from tests.helpers import make_draft
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot
from tests.ui.test_settings_transaction import error_of, typed

SHARE_FIELDS = ("share_url", "share_region", "share_access_key_id",
                "share_secret_access_key", "share_passphrase", "machine_name")


def test_the_shared_store_is_set_in_the_settings_dialog(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "d1", {"draft_info.json": b"{}"})

    async def scenario() -> None:
        window = await make_window(root)  # settings the dialog accepts as they are
        assert window.session.sharing is None
        window.save_all()
        await until(lambda: window.session.scheduler.status("d1").versions == 1, 30, "saved")
        dialog = window.show_settings()
        for name in SHARE_FIELDS:
            editor = dialog.fields[name].editor
            assert isinstance(editor, QLineEdit)
            masked = editor.echoMode() is QLineEdit.EchoMode.Password
            assert masked == SPECS[name].secret, name  # from the declaration
        assert {n for n in SHARE_FIELDS if SPECS[n].secret} == {
            "share_access_key_id", "share_secret_access_key", "share_passphrase"}
        assert "on this computer only" in dialog.share_note.text()
        assert dialog.pages.tabText(1) == "Shared store"

        typed(dialog, "share_url", "ftp://box/bucket")
        assert "Without a passphrase the bucket holds plain (compressed) contents" in (
            dialog.share_note.text())
        dialog._try_accept()
        assert dialog.pages.currentIndex() == 1  # the page of the field at fault
        assert error_of(dialog, "share_url").startswith("Not a usable URL:")
        assert window.session.settings.share_url is None  # nothing applied

        # a store nobody answers at: set anyway, its drafts wait for it
        typed(dialog, "share_url", "s3+http://127.0.0.1:9/team-bucket/drafts")
        typed(dialog, "share_access_key_id", "AKIDEXAMPLE")
        typed(dialog, "share_secret_access_key", "s3cret-key")
        typed(dialog, "share_passphrase", "correct horse")
        assert "encrypted on this computer" in dialog.share_note.text()
        typed(dialog, "machine_name", "studio")
        dialog.show_problems([])  # (the refused URL's error stays until the next OK)
        shoot(dialog, "settings-shared-store")
        dialog.pages.setCurrentIndex(0)
        shoot(dialog, "settings-general")
        dialog.pages.setCurrentIndex(1)
        dialog._try_accept()
        await until(lambda: window._settings_dialog is None, what="dialog closed once applied")
        assert window.session.settings.share_url == "s3+http://127.0.0.1:9/team-bucket/drafts"
        assert window.session.sharing is not None  # uploads started, no restart
        saved = json.loads((tmp_path / "settings.json").read_text())
        assert saved["share_secret_access_key"] == "s3cret-key"
        assert (tmp_path / "settings.json").stat().st_mode & 0o077 == 0
        await until(lambda: "not yet on the shared store" in window.model.status_text(
            window.model.status_at(window.model.row_of("d1"))), 120, "d1 waits for the store")

        dialog = window.show_settings()  # taken away again: nothing is uploaded
        typed(dialog, "share_url", "")
        dialog._try_accept()
        await until(lambda: window._settings_dialog is None, what="dialog closed once applied")
        assert window.session.sharing is None
        await until(lambda: window.tray.not_shared == 0, 10, "nothing counted any more")
        assert "shared store" not in window.model.status_text(
            window.model.status_at(window.model.row_of("d1")))

    drive(scenario, 280)  # hang guards (pytest-timeout: 300 s)
