"""Settings are one transaction: every field checked before the dialog closes, each
problem next to its field, all changes or none; one dialog at a time; a fixed error
leaves the status bar. Limits come from the settings' declaration, never clamped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLineEdit

from draftkeeper.core.settings.table import SPECS
from draftkeeper.ui.dialogs.settings import SettingsDialog
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot


def typed(dialog: SettingsDialog, name: str, text: str) -> None:
    editor = dialog.fields[name].editor
    assert isinstance(editor, QLineEdit)
    editor.setText(text)


def error_of(dialog: SettingsDialog, name: str) -> str:
    label = dialog.fields[name].error
    return label.text() if label.isVisibleTo(dialog) else ""


def test_every_problem_shows_next_to_its_field_and_nothing_applies(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=True)
        before = json.loads((tmp_path / "settings.json").read_text()) if (
            tmp_path / "settings.json").exists() else None
        a_file = tmp_path / "not-a-folder"
        a_file.write_text("x")
        dialog = window.show_settings()
        typed(dialog, "remote_base", "http://my server:abc")
        typed(dialog, "connect_timeout_s", "60")
        typed(dialog, "total_timeout_s", "1")
        typed(dialog, "store_dir", str(a_file))
        typed(dialog, "autosave_interval_s", "1")  # below the declared 5 s: not clamped
        typed(dialog, "keep_last", "2.5")
        typed(dialog, "max_attempts", "7")  # a good change that must not half-apply
        dialog._try_accept()
        assert error_of(dialog, "remote_base").startswith("Not a usable URL: ")
        assert error_of(dialog, "connect_timeout_s") == 'Must not be more than “Total timeout”'
        assert error_of(dialog, "store_dir") == f"{a_file} exists and is not a folder"
        assert error_of(dialog, "autosave_interval_s") == "Must be between 5 and 3600 s"
        assert error_of(dialog, "keep_last") == "Enter a whole number"
        assert dialog.fields["autosave_interval_s"].editor.text() == "1"  # kept as typed
        assert dialog.isVisible()
        assert window.session.settings.max_attempts == 8  # none of it applied
        assert window.session.settings.connect_timeout_s == 5.0
        saved = (json.loads((tmp_path / "settings.json").read_text())
                 if (tmp_path / "settings.json").exists() else None)
        assert saved == before
        shoot(dialog, "settings-errors")

        # fixed, each error leaves; then everything applies at once
        typed(dialog, "remote_base", "http://127.0.0.1:9")
        assert error_of(dialog, "remote_base") == ""  # editing clears it at once
        typed(dialog, "connect_timeout_s", "0.5")
        typed(dialog, "store_dir", str(tmp_path / "new-store" / "inner"))
        typed(dialog, "autosave_interval_s", "20")
        typed(dialog, "keep_last", "5")
        dialog._try_accept()
        await until(lambda: window._settings_dialog is None, what="dialog closed once applied")
        s = window.session.settings
        assert (s.max_attempts, s.connect_timeout_s, s.total_timeout_s, s.keep_last) == (
            7, 0.5, 1.0, 5)
        assert window.session.local.store.root == tmp_path / "new-store" / "inner"
        assert json.loads((tmp_path / "settings.json").read_text())["store_dir"] == str(
            tmp_path / "new-store" / "inner")

    drive(scenario)


def test_limits_units_and_help_come_from_the_declaration(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        window = await make_window()
        dialog = window.show_settings()
        for name, field in dialog.fields.items():
            spec = SPECS[name]
            assert field.editor.toolTip() == spec.help
            if spec.range is not None:
                lo, hi = spec.range
                assert field.editor.placeholderText() == (  # type: ignore[union-attr]
                    f"{lo:g} – {hi:g}" + (f" {spec.unit}" if spec.unit else ""))

    drive(scenario)


def test_one_settings_dialog_at_a_time(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        window = await make_window()
        first = window.show_settings()
        assert window.show_settings() is first
        assert len([w for w in window.findChildren(SettingsDialog) if w.isVisible()]) == 1
        first.reject()
        await until(lambda: window._settings_dialog is None)
        second = window.show_settings()
        assert second is not first and second.isVisible()

    drive(scenario)


def test_a_fixed_error_leaves_the_status_bar(drive: Any, make_window: Any) -> None:
    async def scenario() -> None:
        window = await make_window(autosave_enabled=True)
        window.interval.setText("2")  # below the declared range: reported, not clamped
        window.interval.editingFinished.emit()
        assert "must be between 5 – 3600 s" in window.error_label.text()
        assert window.session.settings.autosave_interval_s == 30
        assert window.interval.text() == "2"
        window.interval.setText("12")
        window.interval.editingFinished.emit()
        assert window.error_label.text() == ""
        assert window.session.settings.autosave_interval_s == 12

    drive(scenario)


def test_the_remote_token_field_is_masked_and_says_where_the_token_goes(
        drive: Any, make_window: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        window = await make_window()
        dialog = window.show_settings()
        field = dialog.fields["remote_token"]
        editor = field.editor
        assert isinstance(editor, QLineEdit)
        assert editor.echoMode() is QLineEdit.EchoMode.Password  # from the declaration
        assert all(f.editor.echoMode() is QLineEdit.EchoMode.Normal  # type: ignore[union-attr]
                   for name, f in dialog.fields.items()
                   if isinstance(f.editor, QLineEdit) and not SPECS[name].secret)
        typed(dialog, "remote_base", "")
        typed(dialog, "remote_token", "two words")
        assert dialog.token_note.isVisibleTo(dialog)
        assert dialog.token_note.text() == "Sent to no server until a remote base URL is set"
        typed(dialog, "remote_base", "http://192.168.1.20:30000")
        assert "Sent over plain http" in dialog.token_note.text()
        dialog._try_accept()
        assert error_of(dialog, "remote_token") == "Use printable ASCII text without spaces"
        assert "two words" not in editor.displayText()  # masked on the screen
        shoot(dialog, "settings-remote-token")
        typed(dialog, "remote_base", "https://team-box.lan:30000")
        assert not dialog.token_note.isVisibleTo(dialog)  # https: nothing to say
        typed(dialog, "remote_token", "s3cret-token")
        dialog._try_accept()
        await until(lambda: window._settings_dialog is None, what="dialog closed once applied")
        assert window.session.settings.remote_token == "s3cret-token"
        saved = tmp_path / "settings.json"
        assert json.loads(saved.read_text())["remote_token"] == "s3cret-token"
        assert saved.stat().st_mode & 0o077 == 0  # holds a token: this user's only

    drive(scenario)
