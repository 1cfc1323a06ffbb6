from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from draftkeeper.core.drafts import folders as drafts
from draftkeeper.core.drafts import roots
from draftkeeper.core.errors import BadRequest, DraftNotFound
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from draftkeeper.core.urls import make_draft_url, parse_draft_id
from tests.helpers import make_draft, read_tree

BASE = "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft"


@pytest.mark.parametrize(
    ("text", "draft_id"),
    [
        (f"{BASE}?draft_id=2025092811473036584258", "2025092811473036584258"),
        ("2025092811473036584258", "2025092811473036584258"),
        ("http://127.0.0.1:30000/x?foo=1&draft_id=abc", "abc"),
        (f"{BASE}?draft_id=%E8%8D%89%E7%A8%BF", "草稿"),
        ("草稿 一", "草稿 一"),
        ("  padded-id  ", "padded-id"),
        ("get_draft?draft_id=rel", "rel"),
    ],
)
def test_valid_inputs(text: str, draft_id: str) -> None:
    assert parse_draft_id(text) == draft_id


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "required"),
        ("   ", "required"),
        (f"{BASE}?id=1", "no draft_id"),
        (f"{BASE}?draft_id=a&draft_id=b", "more than one"),
        (f"{BASE}?draft_id=", "empty"),
        (f"{BASE}?draft_id=..", "'.' and '..'"),
        (f"{BASE}?draft_id=.", "'.' and '..'"),
        (f"{BASE}?draft_id=.hidden", "start with a dot"),
        (f"{BASE}?draft_id=a%2Fb", "'/'"),
        (f"{BASE}?draft_id=..%2F..%2Fetc", "'/'"),
        ("a\\b", "'/'"),
        ("../x", "'/'"),
        (f"{BASE}?draft_id=a%00b", "control"),
        ("a\x07b", "control"),
        ("x" * 256, "255 bytes"),
        ("草" * 86, "255 bytes"),  # 258 bytes in UTF-8
        (f"{BASE}?draft_id=%ff%fe", "percent-encoding"),
    ],
)
def test_invalid_inputs_name_the_problem(text: str, reason: str) -> None:
    with pytest.raises(BadRequest) as info:
        parse_draft_id(text)
    assert reason in str(info.value)
    assert info.value.status == 400


def test_make_draft_url_round_trips() -> None:
    url = make_draft_url("http://127.0.0.1:8000/", "草稿 a&b")
    assert parse_draft_id(url) == "草稿 a&b"


# --- hypothesis: nothing but 400s, and nothing outside the roots is touched ---------------

SPECIAL = st.sampled_from(
    [".", "..", "../outside", "..\\outside", "link", "good", "good/..", "/etc/passwd",
     "%2e%2e", "%2e%2e%2foutside", "%00", "\x00", "ok\n", "C:\\Windows", "~", "good%2F..",
     "....//", "\u202e", "draft_id=good"]
)
ID_TEXT = st.one_of(SPECIAL, st.text(max_size=40), st.text(alphabet=string.printable, max_size=40))


@st.composite
def inputs(draw: st.DrawFn) -> str:
    draft_id = draw(ID_TEXT)
    form = draw(st.sampled_from(["bare", "url", "url-raw", "two", "none"]))
    if form == "bare":
        return draft_id
    if form == "url":
        from urllib.parse import quote

        return f"{BASE}?draft_id={quote(draft_id, safe='')}"
    if form == "url-raw":
        return f"{BASE}?draft_id={draft_id}"
    if form == "two":
        return f"{BASE}?draft_id={draft_id}&draft_id=good"
    return f"{BASE}?{draft_id}"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, LocalEngine]:
    top = tmp_path_factory.mktemp("sandbox")
    outside = top / "outside"
    make_draft(top, "outside", {"secret.json": b"secret"})
    root = top / "root"
    make_draft(root, "good")
    os.symlink(outside, root / "link")
    engine = LocalEngine(Settings(), roots=[root], store=Store(top / "store"))
    return top, outside, engine


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=inputs())
def test_hypothesis_inputs_only_raise_400_and_stay_in_root(
    sandbox: tuple[Path, Path, LocalEngine], text: str
) -> None:
    _top, outside, engine = sandbox
    before = read_tree(outside)
    try:
        result = engine.save_sync(text)
    except BadRequest as exc:
        assert exc.status == 400
    except DraftNotFound as exc:
        assert exc.status == 404
    else:
        assert parse_draft_id(result.draft_url) == "good"
    assert read_tree(outside) == before
    assert engine.store.draft_ids() in ([], ["good"])


def test_symlinked_draft_folder_escaping_the_root_is_refused(
    sandbox: tuple[Path, Path, LocalEngine],
) -> None:
    _top, _outside, engine = sandbox
    with pytest.raises(BadRequest, match="outside its draft root"):
        engine.save_sync("link")


# --- draft roots -----------------------------------------------------------------------


def test_listing_uses_root_index_names_and_survives_a_half_written_index(
    tmp_path: Path,
) -> None:
    root = tmp_path / "com.lveditor.draft"
    make_draft(root, "0611", {"draft_info.json": b"x" * 10, "sub/a.bin": b"y" * 5})
    make_draft(root, "0612")
    (root / ".recycle_bin").mkdir()
    (root / "root_meta_info.json").write_text(
        '{"all_draft_store": [{"draft_fold_path": "C:\\\\Users\\\\me\\\\com.lveditor.draft\\\\0611",'
        ' "draft_name": "我的视频", "tm_draft_modified": 1700000000000000}]}',
        encoding="utf-8",
    )
    assert roots.is_capcut_root(root)
    listed = {d.draft_id: d for d in drafts.list_drafts(root)}
    assert set(listed) == {"0611", "0612"}  # .recycle_bin is not a draft
    assert listed["0611"].name == "我的视频"
    assert listed["0611"].size == 15 and listed["0611"].file_count == 2
    assert listed["0612"].name == "0612"

    (root / "root_meta_info.json").write_text('{"all_draft_store": [{"draft_fo', encoding="utf-8")
    names = {d.draft_id: d.name for d in drafts.list_drafts(root)}
    assert names == {"0611": "0611", "0612": "0612"}


def test_default_root_is_created_on_demand(isolated_home: Path) -> None:
    found = roots.effective_roots([])
    if roots.detect_roots():  # pragma: no cover - only on a machine with CapCut installed
        return
    assert found == [isolated_home / "data" / "drafts"]
    assert found[0].is_dir()


def test_check_root_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(BadRequest, match="does not exist"):
        roots.check_root(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadRequest, match="Not a folder"):
        roots.check_root(tmp_path / "file")
    draft = make_draft(tmp_path / "root", "one-draft")
    with pytest.raises(BadRequest, match="is a draft itself") as info:
        roots.check_root(draft)
    assert str(tmp_path / "root") in str(info.value)
    roots.check_root(tmp_path / "root")  # its parent is fine
