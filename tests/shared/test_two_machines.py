"""Two machines (two homes, two local stores, two draft roots) on one real SeaweedFS:
each sees and restores the other's versions, concurrent saves all survive, and an outage
in the middle of a sync loses nothing."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.url import parse_share_url
from tests.conftest import CAPTIONS_ID
from tests.helpers import bump, read_tree, write_tree
from tests.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed
from tests.shared.machines import Machine
from tests.shared.proxy import CuttingProxy


def shared_keys(url: str) -> list[str]:
    cfg = ShareConfig(parse_share_url(url), "x", ACCESS_KEY, SECRET_KEY, RetryPolicy(2))
    return sorted(k for k, _size in asyncio.run(ShareClient(cfg).list("")))


def test_a_draft_goes_from_one_machine_to_another_and_back(
        seaweed: Seaweed, prefix: str, tmp_path: Path, fixture_root: Path) -> None:
    url = seaweed.url(prefix)
    a = Machine(tmp_path, "alpha", seaweed, url)
    b = Machine(tmp_path, "beta", seaweed, url)
    shutil.copytree(fixture_root / CAPTIONS_ID, a.root / CAPTIONS_ID)

    a.run("save", CAPTIONS_ID)
    synced = a.run("sync")
    assert "every local version is on the shared store" in synced.stdout
    again = a.json("sync")
    assert again["uploaded"] == 0 and again["chunks_sent"] == 0 and again["complete"]

    listed = b.json("list", "--shared")
    assert [(d["draft_id"], d["versions"], d["latest_machine"]) for d in listed] == [
        (CAPTIONS_ID, 1, "alpha")]
    b.run("pull", CAPTIONS_ID, "--shared")
    assert read_tree(b.root / CAPTIONS_ID) == read_tree(a.root / CAPTIONS_ID)

    bump(b.root / CAPTIONS_ID / "draft_info.json", b'{"edited on": "beta"}')
    b.run("save", CAPTIONS_ID)
    sent = b.json("sync")
    assert sent["complete"] and sent["uploaded"] >= 1
    assert sent["bytes_sent"] < 20_000  # the edit, not the draft again

    history = a.json("history", CAPTIONS_ID, "--shared")
    assert history[0]["machine"] == "beta" and history[0]["here"] is False
    assert history[-1]["machine"] == "alpha" and history[-1]["here"] is True
    a.run("restore", CAPTIONS_ID, history[0]["version"])
    assert read_tree(a.root / CAPTIONS_ID) == read_tree(b.root / CAPTIONS_ID)
    assert a.json("verify")["ok"]
    checked = b.json("verify", "--shared")
    assert checked["ok"] and checked["versions"] == len(history)


def test_both_machines_save_the_same_draft_at_once_and_keep_both(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    url = seaweed.url(prefix)
    a = Machine(tmp_path, "alpha", seaweed, url)
    b = Machine(tmp_path, "beta", seaweed, url)
    start = {"draft_info.json": b'{"v": 0}', "draft_meta_info.json": b"{}"}
    write_tree(a.root / "shared-draft", start)
    a.run("save", "shared-draft")
    a.run("sync")
    b.run("pull", "shared-draft", "--shared")
    write_tree(a.root / "shared-draft", {"draft_info.json": b'{"v": "alpha"}'})
    write_tree(b.root / "shared-draft", {"draft_info.json": b'{"v": "beta"}'})

    saves = [m.popen("save", "shared-draft") for m in (a, b)]
    assert [p.wait(timeout=120) for p in saves] == [0, 0]
    syncs = [m.popen("sync") for m in (a, b)]
    assert [p.wait(timeout=120) for p in syncs] == [0, 0]

    history = a.json("history", "shared-draft", "--shared")
    by_machine: dict[str, set[str]] = {}
    for v in history:
        by_machine.setdefault(v["machine"], set()).add(v["version"])
    local = {m.name: {v["version"] for v in m.json("history", "shared-draft")} for m in (a, b)}
    assert local["alpha"] <= {v["version"] for v in history}  # no version lost
    assert local["beta"] <= {v["version"] for v in history}
    assert len(by_machine["alpha"]) >= 2 and len(by_machine["beta"]) >= 1
    newest_beta = max(by_machine["beta"])
    a.run("restore", "shared-draft", newest_beta)
    assert (a.root / "shared-draft" / "draft_info.json").read_bytes() == b'{"v": "beta"}'


def test_clear_errors_write_nothing(seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    a = Machine(tmp_path, "alpha", seaweed, seaweed.url(prefix))
    write_tree(a.root / "d1", {"draft_info.json": b"{}"})
    a.run("save", "d1")

    a.env["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
    r = a.run("sync", ok=False)
    assert r.returncode == 2 and "refused the credentials" in r.stderr
    assert "wrong-secret" not in r.stderr + r.stdout
    a.env["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
    assert shared_keys(seaweed.url(prefix)) == []

    a.url = seaweed.url(prefix, bucket="missing-bucket")
    r = a.run("sync", ok=False)
    assert r.returncode == 3 and "'missing-bucket' does not exist" in r.stderr

    a.url = seaweed.url(prefix)
    cfg = ShareConfig(parse_share_url(a.url), "x", ACCESS_KEY, SECRET_KEY, RetryPolicy(2))
    asyncio.run(ShareClient(cfg).put_if_absent("index/0", b"another tool's index"))
    r = a.run("sync", ok=False)
    assert r.returncode == 2 and "is not a Draft Keeper shared store" in r.stderr
    assert shared_keys(a.url) == ["index/0"]

    a.url = "ftp://host/x"
    r = a.run("sync", ok=False)
    assert r.returncode == 2 and "must start with s3://" in r.stderr


def test_the_server_stopping_mid_sync_loses_nothing_and_the_next_sync_completes(
        own_seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    proxy = CuttingProxy(own_seaweed.ports["s3"], trip_after=2_000_000,
                         on_trip=own_seaweed.stop)
    url = f"s3+http://127.0.0.1:{proxy.port}/{own_seaweed.bucket}/{prefix}"
    fast = Settings(max_attempts=3, backoff_base_s=0.05, backoff_cap_s=0.2)
    a = Machine(tmp_path, "alpha", own_seaweed, url, settings=fast)
    for n in range(6):  # incompressible: about 6 MB to send
        write_tree(a.root / f"draft-{n}", {"draft_info.json": os.urandom(1_000_000)})
        a.run("save", f"draft-{n}")
    before = read_tree(a.store)

    r = a.run("sync", ok=False)
    assert proxy.tripped.is_set()
    assert r.returncode == 4, (r.stdout, r.stderr)
    assert "cannot be reached" in r.stderr
    assert "not shared: draft-" in r.stdout
    assert read_tree(a.store) == before  # local versions untouched

    assert proxy.trip_thread is not None
    proxy.trip_thread.join(timeout=60)  # the server has stopped
    own_seaweed.start()
    proxy.up()
    done = a.json("sync")
    assert done["complete"] and done["uploaded"] >= 1
    assert done["uploaded"] + done["already"] == 6
    assert {d["draft_id"] for d in a.json("list", "--shared")} == {
        f"draft-{n}" for n in range(6)}
    proxy.close()
