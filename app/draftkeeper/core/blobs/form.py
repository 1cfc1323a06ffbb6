"""A blob's stored form: zstd-compressed, or raw behind the 4-byte marker ``RAW`` when
zstd cannot shrink it (media, archives), so that reading it back is a copy, not a
decompression; and each thread's compressor."""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)

TYPE_CHECKING = False


def _zstd() -> object:
    """zstandard's compiled backend (``zstandard.backend_c``, all a blob needs), loaded
    without the package's ``__init__``: that imports ``platform`` only to ask which Python
    this is (~1.5 ms of a changed CLI save) and, before Python 3.12, ``typing``; it adds
    nothing but ``open``/``compress``/``decompress`` helpers. The backend is loaded as the
    import system loads it and registered under its name, so a later ``import zstandard``
    uses this very module. Any other case (not CPython, an import policy asked for in
    ``PYTHON_ZSTANDARD_IMPORT_POLICY``, a zstandard without that backend) imports the
    package as usual."""
    import os
    import sys

    name = "zstandard.backend_c"
    if name in sys.modules:
        return sys.modules[name]
    if (sys.implementation.name == "cpython" and "zstandard" not in sys.modules
            and os.environ.get("PYTHON_ZSTANDARD_IMPORT_POLICY", "default") == "default"):
        # (importlib.machinery's PathFinder, from the module the interpreter has loaded)
        from _frozen_importlib_external import PathFinder

        try:
            package = PathFinder.find_spec("zstandard")
            where = package.submodule_search_locations if package else None
            spec = PathFinder.find_spec(name, where) if where else None
            if spec is not None and spec.loader is not None:
                module = spec.loader.create_module(spec)
                if module is not None:
                    module.__spec__, module.__loader__ = spec, spec.loader
                    spec.loader.exec_module(module)
                    sys.modules[name] = module
                    return module
        except (ImportError, OSError):
            pass
    import zstandard

    return zstandard


if TYPE_CHECKING:
    import zstandard

    zstd = zstandard
else:
    zstd = _zstd()

RAW = b"DKr\x00"  # a blob stored as it is (zstd frames start 28 b5 2f fd or 5? 2a 4d 18)
# stored raw unless zstd saves at least 1/32 of the bytes (then decompressing pays back)
RAW_UNLESS_SAVED = 32


def pack(data: bytes | memoryview, cctx: zstd.ZstdCompressor) -> bytes:
    """A blob's stored form: zstd, or ``RAW`` and the bytes when zstd does not shrink them."""
    packed = cctx.compress(data)
    if len(packed) + len(data) // RAW_UNLESS_SAVED < len(data):
        return packed
    return RAW + data


def unpack(stored: bytes, dctx: zstd.ZstdDecompressor, limit: int) -> bytes | memoryview:
    """A blob's content from its stored form (either kind; ZstdError when it is neither or
    would give more than ``limit`` bytes). A raw one is a view of ``stored``: no copy."""
    if stored[:4] == RAW:
        if len(stored) - 4 > limit:
            raise zstd.ZstdError("not a piece (size)")
        return memoryview(stored)[4:]
    if not 0 <= zstd.frame_content_size(stored) <= limit:
        raise zstd.ZstdError("not a piece (size)")
    return dctx.decompress(stored)


_LOCAL = _thread._local()


def compressor() -> zstd.ZstdCompressor:
    """This thread's zstd compressor (one made per stored file cost more than the file's
    own work when its blobs were stored already; one is never used by two threads)."""
    cctx: zstd.ZstdCompressor | None = getattr(_LOCAL, "cctx", None)
    if cctx is None:
        cctx = _LOCAL.cctx = zstd.ZstdCompressor(level=1)
    return cctx
