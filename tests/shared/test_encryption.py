"""End-to-end encryption of the shared store, on a real SeaweedFS: the bucket holds
nothing readable, a machine with the passphrase gets the draft back byte for byte, and a
wrong or missing passphrase is a clear error that writes nothing."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.url import parse_share_url
from tests.helpers import read_tree, write_tree
from tests.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed
from tests.shared.machines import Machine

SECRET_TEXT = b'{"text": "the client\'s unreleased caption"}'


def objects(url: str) -> dict[str, bytes]:
    cfg = ShareConfig(parse_share_url(url), "x", ACCESS_KEY, SECRET_KEY, RetryPolicy(2))
    client = ShareClient(cfg)

    async def all_objects() -> dict[str, bytes]:
        return {k: await client.get(k) for k, _size in await client.list("")}

    return asyncio.run(all_objects())


def test_an_encrypted_store_holds_nothing_readable_and_opens_with_the_passphrase(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    url = seaweed.url(prefix)
    a = Machine(tmp_path, "alpha", seaweed, url)
    b = Machine(tmp_path, "beta", seaweed, url)
    for m in (a, b):
        m.env["DRAFTKEEPER_SHARE_PASSPHRASE"] = "correct horse battery staple"
    write_tree(a.root / "secret-draft", {"draft_info.json": SECRET_TEXT,
                                         "draft_meta_info.json": b'{"draft_name": "x"}'})
    a.run("save", "secret-draft")
    a.run("sync")

    stored = objects(url)
    digest = hashlib.sha256(SECRET_TEXT).hexdigest()
    assert len(stored) > 3
    for key, data in stored.items():
        assert digest not in key and "secret-draft" not in key and "alpha" not in key
        if key != "draftkeeper-share.json":
            assert b"caption" not in data and b"secret-draft" not in data
            assert b"alpha" not in data

    assert [d["latest_machine"] for d in b.json("list", "--shared")] == ["alpha"]
    b.run("pull", "secret-draft", "--shared")
    assert read_tree(b.root / "secret-draft") == read_tree(a.root / "secret-draft")

    b.env["DRAFTKEEPER_SHARE_PASSPHRASE"] = "wrong horse"
    write_tree(b.root / "secret-draft", {"draft_info.json": b"{}"})
    b.run("save", "secret-draft")
    r = b.run("sync", ok=False)
    assert r.returncode == 2 and "passphrase is wrong" in r.stderr, r.stderr
    assert "wrong horse" not in r.stderr
    assert objects(url) == stored  # nothing written

    del b.env["DRAFTKEEPER_SHARE_PASSPHRASE"]
    r = b.run("list", "--shared", ok=False)
    assert r.returncode == 2 and "is encrypted: set its passphrase" in r.stderr


def test_a_passphrase_on_a_plain_store_is_refused(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    a = Machine(tmp_path, "alpha", seaweed, seaweed.url(prefix))
    write_tree(a.root / "d1", {"draft_info.json": b"{}"})
    a.run("save", "d1")
    a.run("sync")
    before = objects(a.url)
    a.env["DRAFTKEEPER_SHARE_PASSPHRASE"] = "late passphrase"
    write_tree(a.root / "d1", {"draft_info.json": b'{"v": 2}'})
    a.run("save", "d1")
    r = a.run("sync", ok=False)
    assert r.returncode == 2 and "is not encrypted, but a passphrase is set" in r.stderr
    assert objects(a.url) == before
