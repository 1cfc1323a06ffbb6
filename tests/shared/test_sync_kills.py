"""`sync` killed (SIGKILL) at random moments, 100 times, while new versions keep coming:
a rerun completes, every local version is shared once (one manifest each), and every
shared version reads back intact."""

from __future__ import annotations

import asyncio
import random
import signal
import time
from pathlib import Path

import pytest

from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.layout import parse_manifest_key
from draftkeeper.core.shared.url import parse_share_url
from tests.helpers import write_tree
from tests.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed
from tests.shared.machines import Machine

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]
KILLS = 100
DRAFTS = 8


def manifests(url: str) -> list[tuple[str, str]]:
    cfg = ShareConfig(parse_share_url(url), "x", ACCESS_KEY, SECRET_KEY, RetryPolicy(2))
    keys = asyncio.run(ShareClient(cfg).list("versions"))
    return [(p.draft_key, p.version) for k, _size in keys if (p := parse_manifest_key(k))]


def test_sync_killed_a_hundred_times_shares_everything_once(
        seaweed: Seaweed, prefix: str, tmp_path: Path) -> None:
    rng = random.Random(2121)
    a = Machine(tmp_path, "alpha", seaweed, seaweed.url(prefix))
    kills = rounds = 0
    finished = True  # the last sync ended before its kill: give the next one more to do
    while kills < KILLS:
        rounds += 1
        assert rounds < KILLS * 4, f"only {kills} kills hit a running sync"
        if finished:  # new versions keep coming, some of them big
            for d in range(DRAFTS):
                size = rng.choice((200, 300_000, 1_500_000))
                write_tree(a.root / f"draft-{d}", {"draft_info.json": rng.randbytes(size),
                                                   "draft_meta_info.json": b"{}"})
            saves = [a.popen("save", f"draft-{d}") for d in range(DRAFTS)]
            assert [p.wait(timeout=120) for p in saves] == [0] * DRAFTS
        proc = a.popen("sync")
        time.sleep(rng.uniform(0.05, 1.0))  # before python is up, and during the upload
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)

    done = a.json("sync")
    assert done["complete"], done
    local = {(d, v["version"]) for d in (f"draft-{i}" for i in range(DRAFTS))
             for v in a.json("history", d)}
    shared = manifests(a.url)
    assert len(shared) == len(set(shared))  # one manifest per version: nothing twice
    listed = {d["draft_id"]: d["versions"] for d in a.json("list", "--shared")}
    for d in range(DRAFTS):
        ours = {v for draft, v in local if draft == f"draft-{d}"}
        assert listed[f"draft-{d}"] >= len(ours)
        on_share = {v["version"] for v in a.json("history", f"draft-{d}", "--shared")}
        assert ours <= on_share
    assert a.json("verify", "--shared")["ok"]
