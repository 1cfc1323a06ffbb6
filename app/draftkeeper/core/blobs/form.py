"""A blob's stored form: zstd-compressed, or raw behind the 4-byte marker ``RAW`` when
zstd cannot shrink it (media, archives), so that reading it back is a copy, not a
decompression; and each thread's compressor."""

from __future__ import annotations

import threading

import zstandard

RAW = b"DKr\x00"  # a blob stored as it is (zstd frames start 28 b5 2f fd or 5? 2a 4d 18)
# stored raw unless zstd saves at least 1/32 of the bytes (then decompressing pays back)
RAW_UNLESS_SAVED = 32


def pack(data: bytes | memoryview, cctx: zstandard.ZstdCompressor) -> bytes:
    """A blob's stored form: zstd, or ``RAW`` and the bytes when zstd does not shrink them."""
    packed = cctx.compress(data)
    if len(packed) + len(data) // RAW_UNLESS_SAVED < len(data):
        return packed
    return RAW + data


def unpack(stored: bytes, dctx: zstandard.ZstdDecompressor, limit: int) -> bytes | memoryview:
    """A blob's content from its stored form (either kind; ZstdError when it is neither or
    would give more than ``limit`` bytes). A raw one is a view of ``stored``: no copy."""
    if stored[:4] == RAW:
        if len(stored) - 4 > limit:
            raise zstandard.ZstdError("not a piece (size)")
        return memoryview(stored)[4:]
    if not 0 <= zstandard.frame_content_size(stored) <= limit:
        raise zstandard.ZstdError("not a piece (size)")
    return dctx.decompress(stored)


_LOCAL = threading.local()


def compressor() -> zstandard.ZstdCompressor:
    """This thread's zstd compressor (one made per stored file cost more than the file's
    own work when its blobs were stored already; one is never used by two threads)."""
    cctx: zstandard.ZstdCompressor | None = getattr(_LOCAL, "cctx", None)
    if cctx is None:
        cctx = _LOCAL.cctx = zstandard.ZstdCompressor(level=1)
    return cctx
