"""The window's start with many drafts: rows first, then their details (the rows in view
before the others), small drafts parsed without any process pool, and fresh details for a
draft edited while the window is open."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from draftkeeper.core.drafts.content import ContentParser
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.platform.workers import Worker
from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.table.model import BADGES, DURATION, KEY_ROLE, NAME, SIZE, STATUS
from draftkeeper.ui.window.early import early_rows
from draftkeeper.ui.window.window import MainWindow
from tests.conftest import TEMPLATE_ID
from tests.ui.conftest import until


def copies(fixture_root: Path, root: Path, count: int) -> list[str]:
    for i in range(count):
        shutil.copytree(fixture_root / TEMPLATE_ID, root / f"film{i:03d}")
    return [f"film{i:03d}" for i in range(count)]


def no_pool(made: list[str]) -> Callable[[], Worker]:
    def factory() -> Worker:
        made.append("pool")
        raise AssertionError("a process pool was started for small drafts")
    return factory


async def open_window(tmp_path: Path, root: Path, parser: ContentParser,
                      opened: list[tuple[Session, MainWindow]]) -> MainWindow:
    settings = Settings(roots=[str(root)], store_dir=str(tmp_path / "store"),
                        autosave_enabled=False)
    session = Session(settings, settings_path=tmp_path / "settings.json")
    session.local.set_parser(parser)  # the seam: how drafts are parsed
    await session.start()
    window = MainWindow(session)
    opened.append((session, window))
    window.show()
    return window


async def close(opened: list[tuple[Session, MainWindow]]) -> None:
    for session, window in opened:
        loaded = window.drafts_ui.loaded
        if loaded is not None:
            await asyncio.wait([loaded])  # a details load still running ends first
        window._quit_ready = True
        window.close()
        await session.stop()


def test_twenty_drafts_get_details_without_a_process_pool(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    keys = copies(fixture_root, root, 20)
    made: list[str] = []
    parser = ContentParser(pool_factory=no_pool(made))
    opened: list[tuple[Session, MainWindow]] = []

    async def scenario() -> None:
        try:
            window = await open_window(tmp_path, root, parser, opened)
            model = window.model
            assert model.rowCount() == 20
            await until(lambda: all(k in model.details for k in keys), what="details")
            for key in keys:
                row = model.row_of(key)
                assert row is not None
                assert model.index(row, DURATION).data() == "0:00"
                summary = model.details[key].summary
                assert summary is not None and summary.tracks == 1
        finally:
            await close(opened)

    drive(scenario)
    assert made == []
    assert parser.parsed == 20


def test_rows_in_view_get_their_details_first(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    keys = copies(fixture_root, root, 60)
    opened: list[tuple[Session, MainWindow]] = []
    first: list[set[str]] = []  # the drafts with details when the first ones arrived

    async def scenario() -> None:
        try:
            window = await open_window(tmp_path, root, ContentParser(), opened)
            model = window.model

            def arrived(top: Any, _bottom: Any, _roles: Any = None) -> None:
                if top.column() == DURATION and not first:
                    first.append(set(model.details))

            model.dataChanged.connect(arrived)
            await until(lambda: all(k in model.details for k in keys), what="details")
            table, proxy = window.table, window.proxy
            last = table.rowAt(table.viewport().height() - 1)
            in_view = {proxy.index(r, 0).data(KEY_ROLE) for r in range(0, last + 1)}
            assert 0 < len(in_view) < 60
            assert first == [in_view]  # the rows in view, and only they, came first
        finally:
            await close(opened)

    drive(scenario)


def test_a_draft_edited_while_the_window_is_open_gets_fresh_details(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    copies(fixture_root, root, 3)
    opened: list[tuple[Session, MainWindow]] = []

    async def scenario() -> None:
        try:
            window = await open_window(tmp_path, root, ContentParser(), opened)
            model = window.model
            await until(lambda: "film001" in model.details, what="details")

            def badges() -> str:
                row = model.row_of("film001")
                assert row is not None
                return str(model.index(row, BADGES).data())

            assert "Media offline" not in badges()
            content = root / "film001" / "draft_content.json"
            data = json.loads(content.read_bytes())
            data["materials"]["videos"] = [{"id": "v", "path": "/media/usb/a.mp4"},
                                           {"id": "w", "path": "/media/usb/b.mp4"}]
            data["duration"] = 90_000_000
            content.write_text(json.dumps(data), "utf-8")
            await window.session.scheduler.refresh()  # (or its file-system event)
            await until(lambda: "Media offline: 2" in badges(), what="fresh badges")
            row = model.row_of("film001")
            assert row is not None
            assert model.index(row, DURATION).data() == "1:30"
        finally:
            await close(opened)

    drive(scenario)


def test_sorted_rows_stay_sorted_through_new_drafts_and_filters(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    copies(fixture_root, root, 5)
    opened: list[tuple[Session, MainWindow]] = []

    async def scenario() -> None:
        try:
            window = await open_window(tmp_path, root, ContentParser(), opened)
            proxy = window.proxy

            def shown() -> list[str]:
                return [proxy.index(r, 0).data(KEY_ROLE) for r in range(proxy.rowCount())]

            window.table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
            assert shown() == ["film004", "film003", "film002", "film001", "film000"]
            shutil.copytree(fixture_root / TEMPLATE_ID, root / "film0025")
            await window.session.scheduler.refresh()  # (or its file-system event)
            want = ["film004", "film003", "film0025", "film002", "film001", "film000"]
            await until(lambda: shown() == want, what="the new draft in its place")
            window.filter.setText("film002")
            assert shown() == ["film0025", "film002"]
            window.filter.clear()
            assert shown() == want
            window.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
            assert shown() == want[::-1]
        finally:
            await close(opened)

    drive(scenario)


def test_rows_show_before_the_session_starts_and_say_they_are_being_checked(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    """As the app starts its window: rows from the folders first, "Checking…" until the
    session's first sweep knows each draft; nothing is claimed saved or unsaved before."""
    root = tmp_path / "drafts"
    root.mkdir()
    copies(fixture_root, root, 4)
    LocalEngine(Settings(roots=[str(root)], store_dir=str(tmp_path / "store"))).save_sync(
        "film003")
    shutil.rmtree(root / "film003")  # the editor deleted it; its version is kept
    settings = Settings(roots=[str(root)], store_dir=str(tmp_path / "store"),
                        autosave_enabled=False, ignored_drafts=["film002"])
    session = Session(settings, settings_path=tmp_path / "settings.json")
    opened: list[tuple[Session, MainWindow]] = []

    async def scenario() -> None:
        try:
            window = MainWindow(session)
            opened.append((session, window))
            window.show()
            await window.list_early()
            model = window.model
            assert sorted(s.key for s in model.listed()) == ["film000", "film001"]
            assert model.statuses() == []  # no state is claimed yet
            row = model.row_of("film000")
            assert row is not None
            assert model.index(row, STATUS).data() == "Checking…"
            assert model.index(row, SIZE).data() == ""
            assert window.at_risk() == [] and sum(window.counts.values()) == 0
            window.request_quit()  # waits for the states: it would save what is at risk
            assert not window._closing
            await until(lambda: "film001" in model.details, what="details while checking")
            (root / "film004").mkdir()  # not a draft the session takes up: it leaves
            (root / "film004" / "draft_content.json").write_text("{}")
            session.settings.ignored_drafts.append("film004")
            await session.start()
            window.session_started()
            assert sorted(s.key for s in model.statuses()) == ["film000", "film001"]
            assert model.row_of("film004") is None
            row = model.row_of("film000")
            assert row is not None
            assert model.index(row, STATUS).data() == "Never saved"
            assert window.counts[State.UNSAVED] == 2
            # the quit that waited: it saves what is at risk, then the window closes
            await until(lambda: window.closing is not None, what="the quit that waited")
            assert window.closing is not None
            await window.closing
            assert window.left_unsaved == []
            assert not window.isVisible()
            store = session.local.store
            assert [len(store.version_ids(k)) for k in ("film000", "film001")] == [1, 1]
        finally:
            await close(opened)

    drive(scenario)


def test_early_rows_skip_a_root_that_cannot_be_listed(fixture_root: Path,
                                                      tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    copies(fixture_root, root, 2)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where a drafts folder was")
    rows = early_rows([not_a_folder, tmp_path / "gone", root], {"film001"})
    assert [(s.key, s.info.root) for s in rows] == [("film000", str(root))]


def test_deleted_drafts_join_the_list_once_the_states_are_known(
        drive: Any, fixture_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    copies(fixture_root, root, 2)
    store = str(tmp_path / "store")
    LocalEngine(Settings(roots=[str(root)], store_dir=store)).save_sync("film001")
    shutil.rmtree(root / "film001")  # the editor deleted it; its version is kept
    session = Session(Settings(roots=[str(root)], store_dir=store, autosave_enabled=False),
                      settings_path=tmp_path / "settings.json")
    opened: list[tuple[Session, MainWindow]] = []

    async def scenario() -> None:
        try:
            window = MainWindow(session)
            opened.append((session, window))
            window.show()
            await window.list_early()
            model = window.model
            await until(lambda: "film000" in model.details, what="details while checking")
            assert model.row_of("film001") is None  # its versions are read after the sweep
            await session.start()
            window.session_started()
            await until(lambda: model.row_of("film001") is not None, what="the deleted draft")
            assert [k for k, _t in model.badges(model.status_at(model.row_of("film001") or 0))
                    ] == ["deleted"]
        finally:
            await close(opened)

    drive(scenario)
