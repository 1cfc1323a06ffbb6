"""prune --shared while two machines upload: retention over every machine's versions
(tombstones keep sync from sending them again) and collection of unused chunks, with a
grace period of 0 so that chunks of uploads in progress and chunks reused from pruned
versions are collected under the writers' feet. After every round each version on the
shared store comes back byte for byte and verify --shared passes."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path
from typing import Any

import pytest

from draftkeeper.core.blobs.blobs import SUBLIST
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.config import share_config
from draftkeeper.core.shared.fetch import fetch_blob, read_version
from draftkeeper.core.shared.layout import VERSIONS, parse_manifest_key
from draftkeeper.core.shared.opening import open_share
from draftkeeper.core.shared.pruning import ACTIVE, TOMBSTONES
from draftkeeper.core.shared.replicate import Replicator
from draftkeeper.core.store.store import Store
from tests.helpers import bump, read_tree
from tests.seaweed import Seaweed
from tests.shared.machines import Machine

ROUNDS = 5
KEEP = 2


async def _pieces(share: Any, chunks: str) -> bytes:
    """A file's bytes from its piece list (a tree of lists when long)."""
    out = b""
    for line in (await fetch_blob(share, chunks)).decode().splitlines():
        part = line.split(" ")
        out += (await _pieces(share, part[0]) if part[2:] == [SUBLIST]
                else await fetch_blob(share, part[0]))
    return out


async def shared_contents(url: str) -> dict[tuple[str, str], dict[str, bytes]]:
    """Every version on the shared store, its files rebuilt from the chunks there."""
    share = await open_share(share_config(Settings(share_url=url)), create=False)
    out: dict[tuple[str, str], dict[str, bytes]] = {}
    try:
        for key, _size in await share.client.list(VERSIONS):
            m = (await read_version(share, key)).manifest
            files: dict[str, bytes] = {}
            for f in m.files:
                assert f.hash is not None
                if f.chunks is None:
                    files[f.path] = await fetch_blob(share, f.hash)
                else:
                    files[f.path] = await _pieces(share, f.chunks)
            out[(m.draft_id, m.version)] = files
        return out
    finally:
        share.client.close()


async def count(url: str, prefix: str) -> dict[str, int]:
    share = await open_share(share_config(Settings(share_url=url)), create=False)
    try:
        keys = [k for k, _size in await share.client.list(prefix)]
    finally:
        share.client.close()
    out: dict[str, int] = {}
    for k in keys:
        draft = k.split("/")[1]
        out[draft] = out.get(draft, 0) + 1
    return out


def test_prune_in_a_loop_while_two_machines_upload(
        seaweed: Seaweed, prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in seaweed.env().items():
        monkeypatch.setenv(name, value)
    url = seaweed.url(prefix)
    machines = [Machine(tmp_path, n, seaweed, url) for n in ("alpha", "beta")]
    pruner = Machine(tmp_path, "gamma", seaweed, url,
                     settings=Settings(keep_last=KEEP, share_prune_grace_s=0.0))
    rng = random.Random(21)
    base = [rng.randbytes(700_000) for _ in range(2)]  # big files: cut into pieces
    expected: dict[tuple[str, str], dict[str, bytes]] = {}
    for r in range(ROUNDS):
        for m in machines:
            for d in range(2):
                draft = m.root / f"{m.name}-{d}"
                draft.mkdir(exist_ok=True)
                # a few variants that come back: chunks of pruned versions are reused
                variant = rng.randrange(3)
                data = bytearray(base[d])
                data[100_000 * variant:100_000 * variant + 8] = b"edit%04d" % r
                bump(draft / "draft_info.json", bytes(data))
                bump(draft / "draft_meta_info.json", os.urandom(64))
                # an autosave (manual saves are never thinned by retention)
                version = Store(m.store).save(draft.name, draft, reason="autosave")[0].version
                expected[(draft.name, version)] = read_tree(draft)
        uploads = [m.popen("sync") for m in machines]
        prunes = [pruner.popen("prune", "--shared")]
        prunes[0].wait(timeout=180)
        prunes.append(pruner.popen("prune", "--shared"))  # a second one while they upload
        for proc in uploads + prunes:
            out, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, (r, proc.args, out, err)

        verified = pruner.run("verify", "--shared")
        assert "ok: every version on the shared store is intact" in verified.stdout
        there = asyncio.run(shared_contents(url))
        assert there, r
        for key, files in there.items():
            assert files == expected[key], (r, key)

    # retention held: a few versions per draft are left, the rest are tombstones, and a
    # sync of the machines (which keep every version) sends none of them again
    pruner.run("prune", "--shared")
    left = asyncio.run(count(url, VERSIONS))
    gone = asyncio.run(count(url, TOMBSTONES))
    assert sum(gone.values()) > 0
    for m in machines:
        again = m.json("sync")
        assert again["uploaded"] == 0 and again["complete"], again
    assert asyncio.run(count(url, VERSIONS)) == left
    assert all(n <= KEEP + 1 for n in left.values()), left
    assert all(parse_manifest_key(f"versions/{d}/x~m.json") for d in left)


async def _server_time(share: Any, key: str) -> float:
    await share.client.put(key, b"")
    return float(await share.client.modified(key))


def test_a_killed_prunes_marker_stops_no_upload_once_stale(
        seaweed: Seaweed, prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prune killed while collecting leaves gc/active/<run>: a writer that finds it waits
    only until it is stale (3 minutes; 2 s here), then checks its chunks and goes on."""
    for name, value in seaweed.env().items():
        monkeypatch.setenv(name, value)
    url = seaweed.url(prefix)
    a = Machine(tmp_path, "alpha", seaweed, url)
    draft = a.root / "d"
    draft.mkdir()
    bump(draft / "draft_info.json", os.urandom(300_000))
    a.run("save", "d")
    a.run("sync")  # the store exists
    bump(draft / "draft_info.json", os.urandom(300_000))
    a.run("save", "d")

    async def scenario() -> tuple[int, float, float]:
        share = await open_share(share_config(Settings(share_url=url)), create=False)
        try:
            dead = await _server_time(share, f"{ACTIVE}/killed-machine")
            probe = dead
            while probe - dead < 2.5:  # the server's clock moves past the stale time
                await asyncio.sleep(0.2)
                probe = await _server_time(share, "probe")
            await share.client.delete("probe")
            report = await Replicator(Store(a.store), share, stale_s=2.0).run()
            return report.uploaded, dead, probe
        finally:
            share.client.close()

    uploaded, _dead, _probe = asyncio.run(scenario())
    assert uploaded == 1
    assert "ok: every version" in a.run("verify", "--shared").stdout


def test_prune_on_an_encrypted_store(seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    """Keyed chunk ids, draft keys and sealed piece lists: retention and collection find
    what versions need all the same."""
    url = seaweed.url(prefix)
    a = Machine(tmp_path, "alpha", seaweed, url)
    c = Machine(tmp_path, "gamma", seaweed, url,
                settings=Settings(keep_last=1, share_prune_grace_s=0.0))
    for m in (a, c):
        m.env["DRAFTKEEPER_SHARE_PASSPHRASE"] = "correct horse battery staple"
    draft = a.root / "d"
    draft.mkdir()
    latest = b""
    for _n in range(4):
        latest = os.urandom(400_000)
        bump(draft / "draft_info.json", latest)
        Store(a.store).save("d", draft, reason="autosave")
    a.run("sync")
    pruned = c.json("prune", "--shared")
    assert pruned["versions_removed"] >= 1 and pruned["chunks_removed"] >= 1, pruned
    assert "ok: every version" in c.run("verify", "--shared").stdout
    assert a.json("sync")["uploaded"] == 0  # the removed versions are not sent again
    c.run("pull", "d", "--shared", "--root", str(c.root))
    assert (c.root / "d" / "draft_info.json").read_bytes() == latest
