"""The object client and opening a shared store, against a real SeaweedFS: put-if-absent,
and each way a store cannot be used as a clear error that names the problem, with nothing
written."""

from __future__ import annotations

import asyncio
import threading

import pytest

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.layout import MARKER
from draftkeeper.core.shared.opening import open_share
from draftkeeper.core.shared.url import parse_share_url
from tests.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed

FAST = RetryPolicy(attempts=2, base=0.01, cap=0.02)


def config(url: str, secret: str = SECRET_KEY) -> ShareConfig:
    return ShareConfig(parse_share_url(url), "alpha", ACCESS_KEY, secret, FAST)


def keys(seaweed: Seaweed, prefix: str) -> list[str]:
    client = ShareClient(config(seaweed.url(prefix)))
    return sorted(k for k, _size in asyncio.run(client.list("")))


def test_put_if_absent_writes_once(seaweed: Seaweed, prefix: str) -> None:
    async def run() -> tuple[bool, bool, bytes]:
        client = ShareClient(config(seaweed.url(prefix)))
        first = await client.put_if_absent("chunks/ab/x", b"one")
        second = await client.put_if_absent("chunks/ab/x", b"two")
        return first, second, await client.get("chunks/ab/x")

    assert asyncio.run(run()) == (True, False, b"one")


def test_a_new_prefix_gets_the_marker_and_opens_again(seaweed: Seaweed, prefix: str) -> None:
    assert asyncio.run(open_share(config(seaweed.url(prefix)), create=False)).exists is False
    assert keys(seaweed, prefix) == []  # a reader writes nothing
    assert asyncio.run(open_share(config(seaweed.url(prefix)), create=True)).exists is True
    assert keys(seaweed, prefix) == [MARKER]
    assert asyncio.run(open_share(config(seaweed.url(prefix)), create=True)).exists is True


def test_wrong_credentials_are_named_and_nothing_is_written(
        seaweed: Seaweed, prefix: str) -> None:
    cfg = config(seaweed.url(prefix), secret="not-the-secret")
    with pytest.raises(DraftKeeperError) as caught:
        asyncio.run(open_share(cfg, create=True))
    err = caught.value
    assert err.reason == "share_denied" and not err.retryable
    assert "refused the credentials" in err.message and "SignatureDoesNotMatch" in err.message
    assert "not-the-secret" not in err.message and "not-the-secret" not in repr(cfg)
    assert keys(seaweed, prefix) == []


def test_a_missing_bucket_is_named(seaweed: Seaweed, prefix: str) -> None:
    with pytest.raises(DraftKeeperError) as caught:
        asyncio.run(open_share(config(seaweed.url(prefix, bucket="no-such-bucket")),
                               create=True))
    assert caught.value.reason == "share_no_bucket" and not caught.value.retryable
    assert "'no-such-bucket' does not exist" in caught.value.message


def test_another_tools_data_is_never_written_to(seaweed: Seaweed, prefix: str) -> None:
    client = ShareClient(config(seaweed.url(prefix)))
    asyncio.run(client.put_if_absent("config", b"restic repository"))
    with pytest.raises(DraftKeeperError) as caught:
        asyncio.run(open_share(config(seaweed.url(prefix)), create=True))
    assert caught.value.reason == "share_foreign"
    assert "not a Draft Keeper shared store" in caught.value.message
    assert "'config'" in caught.value.message
    assert keys(seaweed, prefix) == ["config"]


def test_an_unreachable_endpoint_is_retryable_and_offline() -> None:
    from tests.seaweed import free_port_pair

    port = free_port_pair(set())
    with pytest.raises(DraftKeeperError) as caught:
        asyncio.run(open_share(config(f"s3+http://127.0.0.1:{port}/bucket/p"), create=True))
    assert caught.value.retryable and caught.value.offline
    assert "cannot be reached" in caught.value.message


def test_a_store_another_machine_makes_meanwhile_is_opened_not_called_foreign(
        seaweed: Seaweed, prefix: str) -> None:
    """Two machines' first commands at once: this one finds no marker, then (before it
    looks for other data) the other machine makes the store and uploads a piece. It is
    the same Draft Keeper store, so it opens; nothing is written twice."""
    url = seaweed.url(prefix)
    made: list[bool] = []

    async def other_machine() -> None:
        await open_share(config(url), create=True)
        await ShareClient(config(url)).put_if_absent("chunks/ab/x", b"piece")

    def after_each_request(_outcome: DraftKeeperError | None) -> None:
        if not made:  # right after this machine's first request: the missing marker
            made.append(True)
            t = threading.Thread(target=asyncio.run, args=(other_machine(),))
            t.start()
            t.join()

    share = asyncio.run(open_share(config(url), create=True, on_request=after_each_request))
    assert made and share.exists
    assert keys(seaweed, prefix) == ["chunks/ab/x", MARKER]
