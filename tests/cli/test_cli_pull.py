"""`draftkeeper pull`: a remote draft written into a local drafts folder, ready to open; a
pull killed mid-download leaves no partial draft. Real test server, real subprocesses."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from draftkeeper.core.drafts import folders as drafts
from draftkeeper.core.remote.mirror import mirror_id
from draftkeeper.core.store import actions
from draftkeeper.core.store.store import Store
from tests.capcut_server import CapcutServer, Fault
from tests.conftest import CAPTIONS_ID
from tests.core.test_mirror import same_tree, session_for

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "draftkeeper", *args], cwd=REPO, text=True,
                          capture_output=True, timeout=120)


def test_pull_writes_an_openable_draft_with_local_material_paths(tmp_path: Path) -> None:
    draft_id = "20261127101010abcdef01"
    disk = tmp_path / "server-disk"
    folder, library = disk / draft_id, disk / "library"
    (folder / "assets").mkdir(parents=True)
    library.mkdir()
    (folder / "assets" / "clip.mp4").write_bytes(os.urandom(300_000))
    (folder / "assets" / "pic.png").write_bytes(os.urandom(5000))
    (library / "song.mp3").write_bytes(os.urandom(70_000))
    (folder / "draft_meta_info.json").write_text('{"draft_name": "pulled"}')
    with CapcutServer() as server:
        content = {"materials": {
            "videos": [{"id": "v1", "path": server.file_url(draft_id, "assets/clip.mp4")},
                       {"id": "v2", "path": f"/app/output/draft/{draft_id}/assets/pic.png"}],
            "audios": [{"id": "a1", "path": server.file_url("library", "song.mp3")}],
            "texts": [{"id": "t1", "content": "hello"}],
        }, "name": "pulled"}
        (folder / "draft_content.json").write_text(json.dumps(content, indent=1))
        url = server.publish(draft_id, folder)
        server.folders["library"] = library
        # one download is dropped half-way: retried with the backoff, the copy is whole
        server.fail("clip.mp4", Fault(drop="mid"))
        root = tmp_path / "drafts"
        root.mkdir()
        done = run_cli("pull", url, "--root", str(root), "--store", str(tmp_path / "store"))
        assert done.returncode == 0, done.stderr
        assert f"pulled {draft_id}" in done.stdout
        # mirrored (dropped, retried), then fetched again by the pull: media files are
        # not kept in versions by default
        assert server.count("clip.mp4") == 3

    pulled = root / draft_id
    assert (pulled / "assets" / "clip.mp4").read_bytes() == (
        folder / "assets" / "clip.mp4").read_bytes()
    assert (pulled / "draft_meta_info.json").read_bytes() == (
        folder / "draft_meta_info.json").read_bytes()
    assert (pulled / "assets" / "song.mp3").read_bytes() == (library / "song.mp3").read_bytes()
    doc = json.loads((pulled / "draft_content.json").read_bytes())
    paths = [m["path"] for group in doc["materials"].values() for m in group if "path" in m]
    assert paths == [str(pulled / "assets" / "clip.mp4"), str(pulled / "assets" / "pic.png"),
                     str(pulled / "assets" / "song.mp3")]
    assert all(Path(p).is_file() for p in paths)
    for group in doc["materials"].values():  # apart from the paths, as on the server
        for m in group:
            m.pop("path", None)
    for group in content["materials"].values():
        for m in group:
            m.pop("path", None)
    assert doc == content
    assert (pulled / "draft_info.json").read_bytes() == (
        pulled / "draft_content.json").read_bytes()
    assert [d.draft_id for d in drafts.list_drafts(root)] == [draft_id]


def test_pull_again_saves_the_local_draft_first(tmp_path: Path, fixture_root: Path) -> None:
    async def main() -> None:
        folder = tmp_path / "server-disk" / CAPTIONS_ID
        shutil.copytree(fixture_root / CAPTIONS_ID, folder)
        with CapcutServer() as server:
            url = server.publish(CAPTIONS_ID, folder)
            session = session_for(tmp_path, url)
            try:
                first = await session.pull(url)
                local = Path(first.folder)
                (local / "draft_meta_info.json").write_text("edited locally")
                second = await session.pull(url)
                assert second.before_pull_version is not None
                assert same_tree(local, folder)
                kept = tmp_path / "kept"
                actions.restore_version(session.local.store, CAPTIONS_ID, second.before_pull_version, kept,
                                            draft_url="x")
                assert (kept / "draft_meta_info.json").read_text() == "edited locally"

                # a chosen (older) version of the mirror, after the server's copy changed
                original = tmp_path / "original"
                shutil.copytree(folder, original)
                (folder / "draft_meta_info.json").write_text("changed on the server")
                third = await session.pull(url)
                assert third.version != first.version
                assert (local / "draft_meta_info.json").read_text() == "changed on the server"
                older = await session.pull(url, version=first.version.rstrip("Z"))  # a prefix
                assert older.version == first.version
                assert same_tree(local, original)
            finally:
                await session.stop()

    asyncio.run(main())


def test_a_pull_killed_during_a_slow_download_leaves_no_partial_draft(
        tmp_path: Path, fixture_root: Path) -> None:
    folder = tmp_path / "server-disk" / CAPTIONS_ID
    shutil.copytree(fixture_root / CAPTIONS_ID, folder)
    root, store = tmp_path / "drafts", tmp_path / "store"
    root.mkdir()
    with CapcutServer() as server:
        url = server.publish(CAPTIONS_ID, folder)
        server.slow_downloads(1_000_000)  # 11 MB: about 11 s
        proc = subprocess.Popen(
            [sys.executable, "-m", "draftkeeper", "pull", url, "--root", str(root), "--store",
             str(store)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            limit = time.monotonic() + 60
            while server.bytes_sent < 2_000_000 and time.monotonic() < limit:
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.close()
            proc.stderr.close()
        assert not (root / CAPTIONS_ID).exists()
        assert drafts.list_drafts(root) == []
        assert Store(store).version_ids(mirror_id(CAPTIONS_ID)) == []

        server.slow_downloads(0)
        done = run_cli("pull", url, "--root", str(root), "--store", str(store))
        assert done.returncode == 0, done.stderr
        assert "pulling:" in done.stderr  # progress for a large draft
    assert same_tree(root / CAPTIONS_ID, folder)
    assert sorted(p.name for p in root.iterdir()) == [CAPTIONS_ID]  # leftovers swept
