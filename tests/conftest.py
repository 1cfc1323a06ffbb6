from __future__ import annotations

import os
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fsrules import Rules, install

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_ID = "capcut-mate-template"
CAPTIONS_ID = "202611270045458a37b708"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fs-rules", choices=("windows", "macos"), default=None,
        help="run with the file rules of Windows or macOS enforced (tests/fsrules.py)")


def pytest_configure(config: pytest.Config) -> None:
    system = config.getoption("--fs-rules")
    if system:  # the command line's subprocesses too (tests/fsrules_site/sitecustomize.py)
        os.environ["DK_FS_RULES"] = system
        site = str(Path(__file__).parent / "fsrules_site")
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (site, os.environ.get("PYTHONPATH")) if p)


def pytest_report_header(config: pytest.Config) -> str | None:
    system = config.getoption("--fs-rules")
    return f"file rules: {system} (tests/fsrules.py)" if system else None


@pytest.fixture(autouse=True)
def fs_rules(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Rules | None:
    """The rules ``--fs-rules`` asks for, in place for the whole test."""
    system = request.config.getoption("--fs-rules")
    if not system:
        return None
    return install(system, lambda m, n, v: monkeypatch.setattr(m, n, v, raising=False))


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Rules]:
    """``rules("windows")``: a test's own rules, whatever ``--fs-rules`` says."""

    def put(system: str) -> Rules:
        return install(system, lambda m, n, v: monkeypatch.setattr(m, n, v, raising=False))

    return put


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
