"""The store's one hashing routine: content ids are SHA-256 of the file's bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Protocol


class Hasher(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...

    def copy(self) -> Hasher: ...


def new_hasher() -> Hasher:
    return hashlib.sha256()


def hashed(chunks: Iterable[bytes], hasher: Hasher) -> Iterator[bytes]:
    """Pass ``chunks`` through, feeding each to ``hasher`` on the way."""
    for chunk in chunks:
        hasher.update(chunk)
        yield chunk


def digest_of(chunks: Iterable[bytes]) -> str:
    hasher = new_hasher()
    for _chunk in hashed(chunks, hasher):
        pass
    return hasher.hexdigest()
