"""The window's Local API: served on the window's own qasync loop, saving through the
window's scheduler, so a save a script asks for shows live in the draft's row."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtWidgets import QCheckBox, QLineEdit

from draftkeeper.core.saving.status import State
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot
from tests.ui.test_window import texts_of

SAVE = "/openapi/capcut-mate/v1/save_draft"
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_save_through_the_local_api_shows_in_the_window_row(
        drive: Any, make_window: Any, draft_root: Path) -> None:
    async def scenario() -> None:
        port = free_port()
        window = await make_window(draft_root, autosave_enabled=False, api_enabled=True,
                                   api_port=port)
        await until(lambda: window.api is not None, what="the Local API to start")
        assert window.api.url == f"http://127.0.0.1:{port}"
        await until(lambda: window.model.rowCount() == 2)
        assert window.status_text(CAPTIONS_ID) == "Never saved"
        seen = texts_of(window, CAPTIONS_ID)
        draft_url = ("https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft"
                     f"?draft_id={CAPTIONS_ID}")
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.post(f"{window.api.url}{SAVE}", json={"draft_url": draft_url})
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert "Saving…" in seen  # the row showed the save while it ran
            assert window.status_text(CAPTIONS_ID).startswith("Saved")
            row = window.model.row_of(CAPTIONS_ID)
            assert row is not None
            status = window.model.status_at(row)
            assert status.state is State.CLEAN and status.last_version == body["version"]
            assert window.status_text(TEMPLATE_ID) == "Never saved"
            assert window.api_label is not None and str(port) in window.api_label.text()
            activity = window.activity.lines()
            assert any(f"Local API serving save_draft on http://127.0.0.1:{port}" in a
                       for a in activity)
            assert any("Saved as version" in a for a in activity)
            shoot(window, "window-local-api")

            # turned off in Settings: the port is closed at once, no restart
            await window.apply_settings({"api_enabled": False})
            assert window.api is None
            try:
                await client.get(f"http://127.0.0.1:{port}/health")
                raise AssertionError("the API still answers after it was turned off")
            except httpx.ConnectError:
                pass
            # and on again, on another port
            other = free_port()
            await window.apply_settings({"api_enabled": True, "api_port": other})
            health = await client.get(f"http://127.0.0.1:{other}/health")
            assert health.json()["drafts"] == 2

    drive(scenario)


def test_settings_dialog_turns_the_local_api_on(drive: Any, make_window: Any,
                                                draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False)
        assert window.api is None
        dialog = window.show_settings()
        enabled = dialog.fields["api_enabled"].editor
        port_edit = dialog.fields["api_port"].editor
        assert isinstance(enabled, QCheckBox) and isinstance(port_edit, QLineEdit)
        assert not enabled.isChecked()
        assert "65535" in port_edit.placeholderText()  # limits from the declaration
        enabled.setChecked(True)
        port = free_port()
        port_edit.setText(str(port))
        shoot(dialog, "settings-local-api")
        dialog._try_accept()
        await until(lambda: window.api is not None, what="the Local API to start")
        assert window.session.settings.api_enabled and window.session.settings.api_port == port
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"

    drive(scenario)


def test_an_unsafe_address_is_refused_and_said(drive: Any, make_window: Any,
                                               draft_root: Path) -> None:
    async def scenario() -> None:
        window = await make_window(draft_root, autosave_enabled=False, api_enabled=True,
                                   api_host="0.0.0.0", api_port=free_port())
        await until(lambda: "token" in window.last_error, what="the refusal")
        assert window.api is None
        assert "0.0.0.0" in window.last_error

    drive(scenario)
