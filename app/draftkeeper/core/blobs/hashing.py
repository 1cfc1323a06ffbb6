"""The store's one hashing routine: content ids are SHA-256 of the file's bytes."""

from __future__ import annotations

from _queue import SimpleQueue  # (the queue module around it adds heapq and its classes)
from collections.abc import Callable, Iterable, Iterator

try:  # what hashlib.sha256 is, without hashlib's own start (~0.4 ms: it makes one
    # object of each of its dozen algorithms to see which OpenSSL has)
    from _hashlib import openssl_sha256 as sha256
except ImportError:  # (no OpenSSL: the interpreter's own)
    from hashlib import sha256

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    import threading
    from typing import Protocol
else:
    Protocol = object  # the protocol here is mypy's: nothing checks it at run time

HAND_OVER = 1024 * 1024  # bytes a background hash is handed at once
Batch = list[bytes | memoryview]  # what a background hash is handed at once


class Hasher(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...

    def copy(self) -> Hasher: ...


def new_hasher() -> Hasher:
    return sha256()


def hexdigest(data: bytes | memoryview) -> str:
    """The SHA-256 of ``data``, in hex: a blob's name."""
    return sha256(data).hexdigest()


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


class BatchThread:
    """A thread of its own, started at the first ``put``, that gives each batch put to
    ``handle``, in order; ``close`` waits for the batches put so far and ends it."""

    def __init__(self, handle: Callable[[Batch], None], name: str) -> None:
        self._handle, self._name = handle, name
        self._queue: SimpleQueue[Batch | None] | None = None
        self._thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        return self._thread is not None

    def put(self, batch: Batch) -> None:
        if self._queue is None:
            import threading  # (not at the top: a save makes no such thread)

            self._queue = SimpleQueue()
            self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                            name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(batch)

    def _run(self, work: SimpleQueue[Batch | None]) -> None:
        while (batch := work.get()) is not None:
            self._handle(batch)

    def close(self) -> None:
        if self._thread is not None:
            assert self._queue is not None
            self._queue.put(None)
            self._thread.join()
            self._queue, self._thread = None, None


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
        self._thread = BatchThread(self._hash, "dk-hash")

    def update(self, data: bytes | memoryview) -> None:
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= HAND_OVER:
            self._thread.put(self._pending)
            self._pending, self._pending_bytes = [], 0

    def _hash(self, pieces: list[bytes | memoryview]) -> None:
        for piece in pieces:
            self._hasher.update(piece)

    def close(self) -> None:
        self._thread.close()

    def hexdigest(self) -> str:
        self.close()
        self._hash(self._pending)
        self._pending, self._pending_bytes = [], 0
        return self._hasher.hexdigest()
