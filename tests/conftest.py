from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_ID = "capcut-mate-template"
CAPTIONS_ID = "202611270045458a37b708"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings, store and default draft folder."""
    home = tmp_path_factory.mktemp("dkhome")
    monkeypatch.setenv("DRAFTKEEPER_HOME", str(home))
    return home


def extract(name: str, dest: Path) -> None:
    with tarfile.open(FIXTURES / name) as tar:
        tar.extractall(dest, filter="data")


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real capcut-mate drafts, extracted once (read-only use: copy before changing)."""
    root = tmp_path_factory.mktemp("fixtures")
    extract("capcut-mate-template-draft.tar.gz", root)
    extract("capcut-mate-draft-2000-captions.tar.gz", root)
    return root


@pytest.fixture
def draft_root(tmp_path: Path, fixture_root: Path) -> Path:
    """A draft root holding copies of both fixture drafts."""
    root = tmp_path / "drafts"
    shutil.copytree(fixture_root, root)
    return root
