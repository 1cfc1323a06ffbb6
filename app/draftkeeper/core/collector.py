"""The cyclic collector's youngest generation, larger while batches save
(``store/batch.py``)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

# while a batch saves, the cyclic collector's youngest generation holds this many objects
# before a collection (Python's default: 700): a batch makes many objects that live on
# (manifests, rows, statuses), and collections every 700 of them walked them again and
# again, freeing next to nothing (10,000 drafts: ~130 ms of the collector, ~70 ms with
# this; the peak memory the same)
GC_YOUNG = 10_000
_gc_lock = threading.Lock()
_gc_batches = [0, 0]  # batches saving now, and the threshold before the first of them


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's youngest generation at ``GC_YOUNG`` while batches save (each
    thread's batch counted: the threshold is the process's), as it was after the last."""
    with _gc_lock:
        if _gc_batches[0] == 0:
            _gc_batches[1] = gc.get_threshold()[0]
            young = max(GC_YOUNG, _gc_batches[1])
            gc.set_threshold(young, *gc.get_threshold()[1:])
        _gc_batches[0] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_batches[0] -= 1
            if _gc_batches[0] == 0:
                gc.set_threshold(_gc_batches[1], *gc.get_threshold()[1:])
