"""The store's one hashing routine: content ids are SHA-256 of the file's bytes."""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Protocol

HAND_OVER = 1024 * 1024  # bytes a BackgroundHasher hands to its thread at once


class Hasher(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...

    def copy(self) -> Hasher: ...


def new_hasher() -> Hasher:
    return hashlib.sha256()


def hashed(chunks: Iterable[bytes], hasher: Hasher | BackgroundHasher) -> Iterator[bytes]:
    """Pass ``chunks`` through, feeding each to ``hasher`` on the way."""
    for chunk in chunks:
        hasher.update(chunk)
        yield chunk


def digest_of(chunks: Iterable[bytes]) -> str:
    hasher = new_hasher()
    for _chunk in hashed(chunks, hasher):
        pass
    return hasher.hexdigest()


class BackgroundHasher:
    """SHA-256 of bytes given in order (``update``), made on a thread of its own from the
    first MiB on (hashing releases the GIL): a reader that decompresses and writes what it
    hashes (a restore) does not wait for the hash as well. The bytes given must not change
    afterwards (``bytes``, or a view of them). ``hexdigest`` waits for the thread; ``close``
    stops it (a reading that failed half-way)."""

    def __init__(self) -> None:
        self._hasher = new_hasher()
        self._pending: list[bytes | memoryview] = []
        self._pending_bytes = 0
        self._queue: queue.SimpleQueue[list[bytes | memoryview] | None] | None = None
        self._thread: threading.Thread | None = None

    def update(self, data: bytes | memoryview) -> None:
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= HAND_OVER:
            if self._queue is None:
                self._queue = queue.SimpleQueue()
                self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                                name="dk-hash", daemon=True)
                self._thread.start()
            self._queue.put(self._pending)
            self._pending, self._pending_bytes = [], 0

    def _run(self, work: queue.SimpleQueue[list[bytes | memoryview] | None]) -> None:
        while (pieces := work.get()) is not None:
            for piece in pieces:
                self._hasher.update(piece)

    def close(self) -> None:
        if self._thread is not None:
            assert self._queue is not None
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def hexdigest(self) -> str:
        self.close()
        for piece in self._pending:
            self._hasher.update(piece)
        self._pending, self._pending_bytes = [], 0
        return self._hasher.hexdigest()
