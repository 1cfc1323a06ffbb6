"""Content-defined chunking: where a kept file is cut into pieces that are stored once.

FastCDC 2020 (``pyfastcdc``, chosen by measurement: ``bench/chunkers.py``; the figures are
in the README's "How saving works"). The cut points depend on the content only, so an edit
changes the one or two pieces around it and every other piece is shared with the versions
before. Sizes were tuned with ``bench/storage.py``. The file is fed to the chunker through a
small window (its own buffer of twice ``MAX``, read into directly), so memory stays bounded for any
file size. ``pyfastcdc`` is imported on first use (``_chunker``): an unchanged save never needs it.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import types
from collections.abc import Iterator
from pathlib import Path

from draftkeeper.core.blobs.hashing import hexdigest
from draftkeeper.core.blobs.io import StoreIO

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import IO, Any

AVG = 16 * 1024  # FastCDC's normal size; real pieces average about AVG + MIN
MIN = AVG // 4
MAX = AVG * 2  # the fixture's JSON has few cut points: its pieces mostly end at MAX
# files smaller than this are kept whole, as one blob named by the file's own hash
SMALL = 256 * 1024
# files this large (media kept on purpose, huge drafts) are cut into ~1 MiB pieces, so that
# a 1 GB file is about a thousand pieces (and fsyncs), not thirty thousand
BIG = 64 * 1024 * 1024
BIG_AVG = 1024 * 1024
# a chunk list's lines are grouped into sub-lists the same way (blobs.py)
GROUP = 8  # pieces per sub-list on average (a piece whose name is 0 modulo GROUP ends one)
GROUP_MAX = 64
_LOADING = _thread.allocate_lock()


class FileChanged(Exception):
    """A file changed while it was cut: a piece read again is not the piece it was."""


def sizes(file_size: int) -> tuple[int, int, int]:
    """(min, avg, max) piece sizes for a file of ``file_size`` bytes."""
    avg = BIG_AVG if file_size >= BIG else AVG
    if avg == AVG:
        return MIN, AVG, MAX
    return avg // 4, avg, avg * 4


class _Window:
    """A ``readinto`` over the store's I/O seam (so disk faults can be injected): the
    chunker's buffer is filled straight from the file."""

    def __init__(self, io: StoreIO, f: IO[bytes], path: Path | str) -> None:
        self.io, self.f, self.path = io, f, path

    def readinto(self, dest: memoryview) -> int:
        return self.io.readinto(self.f, self.path, dest)


def pieces(io: StoreIO, f: IO[bytes], path: Path | str, size: int) -> Iterator[memoryview]:
    """The content of ``f`` (``size`` bytes when listed) cut at content-defined points.
    Each piece is valid only until the next one is asked for."""
    pyfastcdc = _chunker()
    low, avg, high = sizes(size)
    cdc = pyfastcdc.FastCDC(avg, min_size=low, max_size=high)
    for chunk in cdc.cut_stream(_Window(io, f, path)):
        yield chunk.data


def again(io: StoreIO, f: IO[bytes], path: Path | str, at: int, length: int, name: str
          ) -> bytes:
    """The piece of ``length`` bytes at ``at`` of the file open as ``f`` while it is cut
    (its position kept), read again once the chunker has reused its buffer: FileChanged
    unless it is still the piece named ``name``."""
    data = io.read_at(f, path, at, length)
    if len(data) != length or hexdigest(data) != name:
        raise FileChanged(f"{path} changed while it was read")
    return data


def ready() -> None:
    """``pyfastcdc`` imported now: by a thread about to start others (it loads leanest
    while no other thread runs: ``_chunker``)."""
    _chunker()


def _chunker() -> Any:
    """``pyfastcdc``, imported on first use (only when something is stored), without what
    its compiled chunker never uses.

    Its ``pyfastcdc.common`` holds nothing but two type aliases, made with
    ``typing_extensions``, whose import loads ``inspect``, ``ast`` and ``dis``: 7-10 ms of a
    70 ms save, for names no chunk needs; so that module is registered first with the two
    names alone. Its compiled chunker and ``pyfastcdc.utils`` import ``typing`` for the
    annotations of their functions (``Optional``, ``Union``, ``Iterator``, ``Callable``),
    read once when they are made, never when a file is cut: ~2 ms of a ~45 ms changed
    ``draftkeeper save``, which imports ``typing`` nowhere else. So when ``typing`` is not
    loaded yet and no other thread runs (none could import it meanwhile), a stand-in that
    gives one inert alias for any name is ``typing`` while pyfastcdc loads, and is gone
    before this returns. Should a pyfastcdc release need more of either than that (its
    compiled chunker would not load), its own modules are imported instead."""
    import sys

    with _LOADING:  # the pool's threads may ask at once
        if "pyfastcdc" not in sys.modules:
            _load(sys.modules)
        import pyfastcdc

    return pyfastcdc


class _Alias:
    """What ``Optional[int]``, ``Union[str, Path]`` or ``Callable[[memoryview], int]`` make
    while the stand-in is ``typing``: itself (annotations only)."""

    def __getitem__(self, _item: object) -> _Alias:
        return self

    def __or__(self, _other: object) -> _Alias:
        return self

    __ror__ = __or__

    def __call__(self, *args: object, **_kw: object) -> object:
        """Called as ``cast(T, value)``, ``overload(f)``, ``final(cls)`` would be by a
        later release: what they return at run time (the last argument), not a failure
        in the middle of a save."""
        return args[-1] if args else self


class _TypingNames(types.ModuleType):
    _alias = _Alias()

    def __getattr__(self, name: str) -> _Alias:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._alias


def _load(modules: dict[str, types.ModuleType]) -> None:
    common = types.ModuleType("pyfastcdc.common", "(draftkeeper: the aliases' names only)")
    common.BinaryStreamReader = common.NormalizedChunking = object  # type: ignore[attr-defined]
    modules["pyfastcdc.common"] = common
    stand_in = None
    if "typing" not in modules and _thread._count() == 0:
        stand_in = modules["typing"] = _TypingNames("typing")
    try:
        import pyfastcdc

        native = pyfastcdc.FastCDC.__module__.startswith("pyfastcdc.cy")
    except Exception:  # (whatever a stand-in short of a name made a release raise)
        native = False
    finally:
        if stand_in is not None and modules.get("typing") is stand_in:
            del modules["typing"]
    if not native:  # it needs its own (else it falls back to Python): start again
        for name in [n for n in modules if n.split(".")[0] == "pyfastcdc"]:
            del modules[name]


def groups(lines: list[str]) -> Iterator[list[str]]:
    """A chunk list's lines in content-defined groups: a group ends after a piece whose
    name is 0 modulo GROUP (or at GROUP_MAX lines), so an edit moves no other group's
    ends."""
    group: list[str] = []
    for line in lines:
        group.append(line)
        if int(line[:8], 16) % GROUP == 0 or len(group) >= GROUP_MAX:
            yield group
            group = []
    if group:
        yield group
