"""Content-defined chunking: where a kept file is cut into pieces that are stored once.

FastCDC 2020 (``pyfastcdc``, chosen by measurement: ``bench/chunkers.py``; the figures are
in the README's "How saving works"). The cut points depend on the content only, so an edit
changes the one or two pieces around it and every other piece is shared with the versions
before. Sizes were tuned with ``bench/storage.py``. The file is fed to the chunker through a
small window (its buffer is twice ``MAX`` plus one read), so memory stays bounded for any
file size. ``pyfastcdc`` is imported on first use: an unchanged save never needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from app.core.store.io import StoreIO

AVG = 32 * 1024  # FastCDC's normal size; real pieces average about AVG + MIN
MIN = AVG // 4
MAX = AVG * 4
# files smaller than this are kept whole, as one blob named by the file's own hash
SMALL = 256 * 1024


class _Window:
    """A ``readinto`` over the store's I/O seam (so disk faults can be injected), one
    ``io.read`` block at a time."""

    def __init__(self, io: StoreIO, f: IO[bytes], path: Path) -> None:
        self.io, self.f, self.path = io, f, path
        self.pending = memoryview(b"")

    def readinto(self, dest: memoryview) -> int:
        if not self.pending:
            self.pending = memoryview(self.io.read(self.f, self.path))
        n = min(len(dest), len(self.pending))
        dest[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def pieces(io: StoreIO, f: IO[bytes], path: Path) -> Iterator[memoryview]:
    """The content of ``f`` cut at content-defined points. Each piece is valid only until
    the next one is asked for."""
    import pyfastcdc  # a ~20 ms import: only when something is stored

    cdc = pyfastcdc.FastCDC(AVG, min_size=MIN, max_size=MAX)
    for chunk in cdc.cut_stream(_Window(io, f, path)):
        yield chunk.data
