"""The platform seam's own rules, as pure functions of a system (see test_platform_rules.py
for the same rules at work in saves and restores)."""

from __future__ import annotations

import unicodedata

import pytest

from draftkeeper.core.platform.files import long_path, retry_busy
from draftkeeper.core.platform.folders import editor_draft_roots
from draftkeeper.core.platform.names import collisions, fold, name_length, name_problem
from draftkeeper.core.platform.system import detect


def test_retry_busy_gives_up_only_on_sharing_violations() -> None:
    calls: list[int] = []

    def denied() -> None:
        calls.append(1)
        raise PermissionError(13, "permission denied")  # a real one: not retried

    with pytest.raises(PermissionError):
        retry_busy(denied, "x", delays=(0.0, 0.0))
    assert calls == [1]


def test_names_by_system() -> None:
    assert name_problem("CON.txt", "windows") == "reserved"
    assert name_problem("console.txt", "windows") is None
    assert name_problem("CON.txt", "macos") is None and name_problem("a:b", "linux") is None
    assert fold("Cover.JPG", "windows") == fold("cover.jpg", "windows")
    assert fold("Cover.JPG", "linux") != fold("cover.jpg", "linux")
    nfd = unicodedata.normalize("NFD", "Café")
    assert fold(nfd, "macos") == fold("café", "macos")
    assert fold(nfd, "windows") != fold("café", "windows")  # NTFS keeps Unicode forms
    assert collisions(["Cover.jpg", "cover.jpg", "a/B.json", "A/b.json", "x"], "windows") == [
        ["A/b.json", "a/B.json"], ["Cover.jpg", "cover.jpg"]]


def test_long_paths_get_the_prefix() -> None:
    deep = "C:\\Users\\me\\AppData\\Local\\JianyingPro\\User Data\\Projects\\" + "草稿" * 120
    assert long_path(deep, "windows") == "\\\\?\\" + deep
    share = "\\\\server\\share\\" + "x" * 300
    assert long_path(share, "windows") == "\\\\?\\UNC\\server\\share\\" + "x" * 300
    assert long_path("C:\\short", "windows") == "C:\\short"
    assert long_path("\\\\?\\C:\\" + "y" * 300, "windows") == "\\\\?\\C:\\" + "y" * 300
    assert long_path("/" + "z" * 300, "linux") == "/" + "z" * 300


def test_retry_busy_waits_out_a_sharing_violation_and_then_names_the_file() -> None:
    calls: list[int] = []

    def busy() -> None:
        calls.append(1)
        exc = PermissionError(13, "in use")
        exc.winerror = 32  # type: ignore[attr-defined]
        raise exc

    slept: list[float] = []
    with pytest.raises(PermissionError) as caught:
        retry_busy(busy, "C:/drafts/d/draft_content.json", delays=(0.1, 0.2), sleep=slept.append)
    assert calls == [1, 1, 1] and slept == [0.1, 0.2]
    assert caught.value.filename == "C:/drafts/d/draft_content.json"


def test_systems_and_the_editors_folders() -> None:
    assert (detect("win32"), detect("darwin"), detect("linux")) == ("windows", "macos", "linux")
    windows = editor_draft_roots("windows", {"LOCALAPPDATA": "C:\\Users\\me\\AppData\\Local"})
    assert [str(p) for p in windows] == [
        "C:\\Users\\me\\AppData\\Local\\JianyingPro\\User Data\\Projects\\com.lveditor.draft",
        "C:\\Users\\me\\AppData\\Local\\CapCut\\User Data\\Projects\\com.lveditor.draft"]
    assert editor_draft_roots("windows", {}) == []
    from pathlib import Path

    mac = editor_draft_roots("macos", {}, home=Path("/Users/me"))
    assert [str(p) for p in mac] == [
        "/Users/me/Movies/JianyingPro/User Data/Projects/com.lveditor.draft",
        "/Users/me/Movies/CapCut/User Data/Projects/com.lveditor.draft"]
    assert editor_draft_roots("linux", {}) == []


def test_name_lengths_are_counted_as_each_file_system_counts_them() -> None:
    """NTFS counts UTF-16 units: a 100-character Chinese name is fine there, while ext4
    and APFS count its 300 UTF-8 bytes."""
    name = "剪映草稿" * 25
    assert name_length(name, "windows") == 100 <= 255
    assert name_length(name, "linux") == 300 > 255
    assert name_length("cover.jpg", "windows") == name_length("cover.jpg", "macos") == 9
