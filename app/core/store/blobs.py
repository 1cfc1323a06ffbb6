"""Content-addressed blobs: ``blobs/ab/<sha256>.zst``, zstd-compressed, stored once.

Everything that touches a blob's bytes is here, so a second backing (an object store with
put-if-absent / get / list / delete) or chunked content has one place to plug into.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import zstandard

from app.core.fsutil import TMP_PREFIX
from app.core.store.hashing import hashed, new_hasher
from app.core.store.io import CHUNK, StoreIO, publish, write_temp


class BlobDamaged(Exception):
    """A stored copy that is missing or does not give back its content; ``reason`` says
    which, in words fit for a message."""

    def __init__(self, digest: str, reason: str) -> None:
        super().__init__(reason)
        self.digest = digest
        self.reason = reason


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "stored copy is missing"
    if isinstance(exc, zstandard.ZstdError):
        return f"stored copy is corrupt ({exc})"
    if isinstance(exc, OSError) and exc.errno == errno.EIO:
        return "stored copy cannot be read (I/O error)"
    if isinstance(exc, OSError):
        return f"stored copy cannot be read ({exc.strerror or exc})"
    return f"stored copy cannot be read ({exc})"


class Blobs:
    def __init__(self, root: Path, io: StoreIO) -> None:
        self.dir = root / "blobs"
        self.io = io

    def path(self, digest: str) -> Path:
        return self.dir / digest[:2] / f"{digest}.zst"

    def exists(self, digest: str) -> bool:
        return self.path(digest).exists()

    def digests(self) -> Iterator[str]:
        for blob in self.dir.glob("*/*.zst"):
            if not blob.name.startswith(TMP_PREFIX):
                yield blob.name[:-4]

    def remove(self, digest: str) -> None:
        self.io.unlink(self.path(digest))

    # --- reading -----------------------------------------------------------------------

    def _raw_chunks(self, digest: str) -> Iterator[bytes]:
        dctx = zstandard.ZstdDecompressor()
        path = self.path(digest)
        with self.io.open_read(path) as f, dctx.stream_reader(f) as reader:
            while chunk := reader.read(CHUNK):
                yield chunk

    def content(self, digest: str) -> Iterator[bytes]:
        """The blob's content, chunk by chunk, checked against its hash at the end.

        Any way the stored copy can fail (missing, unreadable, not zstd, wrong content)
        raises BlobDamaged; the caller decides what the chunks already given are worth.
        """
        hasher = new_hasher()
        try:
            yield from hashed(self._raw_chunks(digest), hasher)
        except (OSError, zstandard.ZstdError) as exc:
            raise BlobDamaged(digest, _reason(exc)) from exc
        if hasher.hexdigest() != digest:
            raise BlobDamaged(digest, "stored copy is damaged (hash mismatch)")

    def problem(self, digest: str) -> str | None:
        """Why a blob cannot give back its content (None when it can)."""
        try:
            for _chunk in self.content(digest):
                pass
        except BlobDamaged as exc:
            return exc.reason
        return None

    # --- writing -----------------------------------------------------------------------

    def prepare(
        self, chunks: Iterator[bytes], finished: Callable[[], None]
    ) -> tuple[str, Path | None, int]:
        """Hash and compress ``chunks`` into a durable temp file.

        ``finished`` runs once every chunk was read (it may raise to refuse the content).
        Returns (hash, temp file or None when the blob exists already, bytes written).
        """
        hasher = new_hasher()
        compressor = zstandard.ZstdCompressor(level=1).compressobj()

        def compressed() -> Iterator[bytes]:
            for chunk in hashed(chunks, hasher):
                yield compressor.compress(chunk)
            yield compressor.flush()
            finished()

        tmp, written = write_temp(
            self.io, self.dir, compressed(), keep=lambda: not self.exists(hasher.hexdigest())
        )
        return hasher.hexdigest(), tmp, written

    def publish(self, tmp: Path, digest: str) -> Path:
        """Move a prepared blob into place; the caller fsyncs the folders once at the end."""
        target = self.path(digest)
        self.io.mkdir(target.parent)
        publish(self.io, tmp, target, sync_dir=False)
        return target

    def discard(self, paths: list[Path]) -> None:
        # Blobs fully written by a failed save are harmless (content-addressed) but
        # unreferenced; drop them so a failure leaves the store as it was.
        for path in paths:
            with contextlib.suppress(OSError):
                os.unlink(path)
