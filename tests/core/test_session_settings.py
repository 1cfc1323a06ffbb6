"""Session settings as one transaction: every problem named per field before anything
changes; all changes apply, or none (also when applying fails half-way); a store that
cannot be used leaves the session open, saving nothing, until another store is chosen."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import SettingError, Settings
from tests.helpers import make_draft


def session_in(tmp_path: Path, **settings: object) -> Session:
    root = tmp_path / "drafts"
    root.mkdir(exist_ok=True)
    s = Settings(roots=[str(root)], store_dir=str(tmp_path / "store"), **settings)  # type: ignore[arg-type]
    return Session(s, settings_path=tmp_path / "settings.json")


def test_every_problem_is_named_by_field(tmp_path: Path) -> None:
    session = session_in(tmp_path)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    problems = session.check_settings({
        "remote_base": "http://my server:abc", "connect_timeout_s": 60.0,
        "total_timeout_s": 1.0, "store_dir": str(a_file),
        "roots": [str(tmp_path / "drafts"), str(tmp_path / "nope")],
    })
    by_field = {p.name: p.kind for p in problems}
    assert by_field == {"remote_base": "url", "connect_timeout_s": "order",
                        "store_dir": "folder", "roots": "folder"}


def test_nothing_applies_when_one_field_is_wrong(tmp_path: Path) -> None:
    session = session_in(tmp_path)
    before = session.settings.as_dict()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(SettingError) as err:
        asyncio.run(session.apply_settings({"max_attempts": 3, "store_dir": str(a_file)}))
    assert [p.name for p in err.value.problems] == ["store_dir"]
    assert session.settings.as_dict() == before
    assert not (tmp_path / "settings.json").exists()


def test_a_failure_while_applying_rolls_everything_back(tmp_path: Path) -> None:
    session = session_in(tmp_path)
    session.save_settings()
    on_disk = (tmp_path / "settings.json").read_text()
    before = session.settings.as_dict()
    old_store = session.local.store

    def broken(_enabled: bool, _interval: float | None = None) -> None:
        raise RuntimeError("applying failed half-way")

    session.scheduler.set_autosave = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        asyncio.run(session.apply_settings({"max_attempts": 3,
                                            "store_dir": str(tmp_path / "new-store")}))
    assert session.settings.as_dict() == before
    assert session.local.store is old_store
    assert (tmp_path / "settings.json").read_text() == on_disk


def test_a_broken_store_opens_a_session_that_saves_nothing_until_fixed(
        tmp_path: Path) -> None:
    a_file = tmp_path / "store-file"
    a_file.write_text("x")
    make_draft(tmp_path / "drafts", "d1")
    session = session_in(tmp_path)
    session = Session(session.settings.replace(store_dir=str(a_file)),
                      settings_path=tmp_path / "settings.json")
    assert session.store_problem == f"{a_file} exists and is not a folder"
    with pytest.raises(SaveFailed, match="The version store cannot be used"):
        session.local.store.version_ids("d1")

    async def go() -> None:
        await session.start()
        assert session.scheduler.keys() == []  # nothing claims a state it cannot know
        await session.apply_settings({"store_dir": str(tmp_path / "good")})
        assert session.store_problem is None
        assert session.scheduler.keys() == ["d1"]
        await session.scheduler.save("d1")
        await session.stop()

    asyncio.run(go())
    assert len(session.local.store.version_ids("d1")) == 1
    assert json.loads((tmp_path / "settings.json").read_text())["store_dir"] == str(
        tmp_path / "good")


def test_each_setting_is_derived_from_its_declaration() -> None:
    """The table (``SPECS``) says of each setting what its declaration says: its type as
    typing reads the annotation, its default as a new Settings has it; secrets stay out
    of repr(), and the notice does not make two settings differ."""
    import typing

    from draftkeeper.core.settings.table import SPECS

    # (records.py imports typing for mypy alone: its names are given here)
    hints = typing.get_type_hints(Settings, localns={"ClassVar": typing.ClassVar})
    fresh = Settings()
    assert set(SPECS) == set(Settings.fields()) - {"notice", "token_override"}
    for name, spec in SPECS.items():
        assert (spec.name, spec.type, spec.default) == (name, hints[name], getattr(fresh, name))
    secret = Settings(remote_token="s3cret", notice="kept aside")
    assert "s3cret" not in repr(secret) and "remote_token" not in repr(secret)
    assert secret == Settings(remote_token="s3cret") != Settings()
    assert secret.replace(keep_last=7).keep_last == 7 and secret.keep_last == 50
    assert fresh.roots is not Settings().roots  # a list of its own
