"""verify --shared reads every chunk on the shared store back and names the versions a
damaged or missing chunk breaks."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

import obstore

from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.url import parse_share_url
from tests.helpers import write_tree
from tests.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed
from tests.shared.machines import Machine


def test_damage_on_the_shared_store_is_named(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    a = Machine(tmp_path, "alpha", seaweed, seaweed.url(prefix))
    write_tree(a.root / "d1", {"draft_info.json": b'{"one": 1}', "cover.jpg": b"\xff" * 100})
    write_tree(a.root / "d2", {"draft_info.json": b'{"two": 2}'})
    a.run("save", "d1")
    a.run("save", "d2")
    a.run("sync")
    assert a.run("verify", "--shared").stdout.endswith(
        "ok: every version on the shared store is intact\n")

    cfg = ShareConfig(parse_share_url(a.url), "x", ACCESS_KEY, SECRET_KEY, RetryPolicy(2))
    client = ShareClient(cfg)
    digest = hashlib.sha256(b'{"one": 1}').hexdigest()
    one = f"chunks/{digest[:2]}/{digest}"
    obstore.put(client.store, one, b"not zstd at all")  # damage, as a disk fault would
    r = a.run("verify", "--shared", ok=False)
    assert r.returncode == 4
    assert "DAMAGED d1 version" in r.stdout and "(alpha)" in r.stdout
    assert "draft_info.json: chunk" in r.stdout and "corrupt" in r.stdout
    assert not re.search(r"\bd2\b", r.stdout)  # (the random prefix may hold "d2")

    asyncio.run(client.delete(one))
    r = a.run("verify", "--shared", ok=False)
    assert r.returncode == 4 and "is missing" in r.stdout
