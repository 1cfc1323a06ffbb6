"""The command line's own modules from one file: a code cache like ``__pycache__``, read
once per process.

Python finds, stats, opens and reads each module's ``.pyc`` on its own (~50 us a module, on
top of unmarshalling and running it); a changed save imports ~57 of ours. ``install`` (the
first thing ``cli.front.run`` does) puts a finder first on ``sys.meta_path`` that reads
``__pycache__/draftkeeper-codecache.<tag>.bin`` next to the package's ``__init__.py`` when
the first of our modules is imported (``--version`` imports none) and
serves a ``draftkeeper.*`` module from that file only while its source's stat (mtime_ns and
size) is the one recorded with its code, with the spec, loader (a ``SourceFileLoader``
handing over the code), ``__file__``, ``__cached__`` and tracebacks of the normal import.
Anything else - no file, a module it does not hold, a changed source, another interpreter,
a damaged file - goes to the normal import system, silently.

``update`` (``cli.front``'s quick exit, after the command's output was flushed) rewrites
the file when this process imported one of our modules from its source or ``.pyc`` (new,
or changed since): the fresh entries it had plus what this process loaded, from each
module's ``.pyc`` once its header matches the source, else compiled from the source; written
to a temporary file and renamed over. So it settles after a run or two of each command and
is not written again. Not when bytecode is not written (``-B``, PYTHONDONTWRITEBYTECODE), in
a frozen program, or when the package is not plain files in a folder; a folder that cannot
be written means no cache, never an error.

The file: ``DKC1`` (the format), the interpreter's bytecode magic, the index's length (4
bytes, little endian), the index (marshal: the package folder and, for each module, its
source path, mtime_ns, size, whether it is a package, where its code lies after the index
and that code's SipHash digest, checked before it is unmarshalled), then the modules'
marshalled code one after another.

Imports nothing that a start has not loaded already (builtins, ``marshal``, ``os``, ``sys``,
``_imp`` and the import system's own ``_frozen_importlib_external``).
"""

from __future__ import annotations

import _frozen_importlib_external as _external
import _imp
import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from importlib.machinery import ModuleSpec
    from types import CodeType, ModuleType

PACKAGE = "draftkeeper"
_pread: Callable[[int, int, int], bytes] | None = getattr(os, "pread", None)  # (not Windows)
_PREFIX = PACKAGE + "."
_MAGIC = b"DKC1" + _external.MAGIC_NUMBER  # (the format's version; the bytecode's)
# an entry: source path, mtime_ns, size, is a package, offset, length and digest of its code
Entry = tuple[str, int, int, bool, int, int, bytes]
_KEY = 0x444B4343  # the digest's key (_imp.source_hash: SipHash, ~0.2 ms a MB)


class _Loader(_external.SourceFileLoader):
    """The normal loader of a source file (source, resources, ``get_filename``...) that
    hands over the code the cache held."""

    def __init__(self, fullname: str, path: str, code: CodeType) -> None:
        super().__init__(fullname, path)
        self.code: CodeType | None = code

    def get_code(self, fullname: str) -> CodeType | None:
        code = self.code
        if code is None or fullname != self.name:
            return super().get_code(fullname)
        self.code = None  # once (a reload reads the source again)
        return code


class CodeCache:
    """The finder on ``sys.meta_path``, and what ``update`` needs to know."""

    def __init__(self, folder: str) -> None:
        self.folder = folder  # the package's folder
        self.path = cache_file(folder)
        self.loaded = False  # the file is read when one of our modules is first imported
        self.fd = -1  # the file, open (where os.pread reads each module's code on its own)
        self.data = b""  # else all of it
        self.index: dict[str, Entry] = {}
        self.start = 0  # where the code begins
        self.served: set[str] = set()
        self.before = {name for name in sys.modules if _ours(name)}  # imported before

    def load(self) -> None:
        """The index (a process reads the code of only the modules it imports: a few
        small reads from the open file cost less than the first touch of a buffer as big
        as the whole)."""
        if self.loaded:
            return
        self.loaded = True
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            return
        try:
            head = os.read(fd, 1 << 14)
            at = len(_MAGIC) + 4
            size = int.from_bytes(head[len(_MAGIC):at], "little")
            if head[:len(_MAGIC)] != _MAGIC or not 0 < size < 1 << 24:
                raise ValueError("not a code cache")
            if _pread is None:  # (Windows) all of it: a file left open could not be replaced
                head += _read_all(fd)
            elif len(head) < at + size:
                head += os.read(fd, at + size - len(head))
            folder, index = marshal.loads(head[at:at + size])
            if not isinstance(index, dict) or folder != self.folder:
                raise ValueError("not this package's")
        except Exception:  # damaged
            os.close(fd)
            return
        self.index, self.start = index, at + size
        if _pread is None:
            os.close(fd)
            self.data = head
        else:
            self.fd = fd

    def code(self, offset: int, length: int, digest: bytes) -> bytes | memoryview | None:
        """A module's marshalled code, when it is whole."""
        begin = self.start + offset
        if _pread is not None:
            payload: bytes | memoryview = _pread(self.fd, length, begin)
        else:
            payload = memoryview(self.data)[begin:begin + length]
        if len(payload) != length or _imp.source_hash(_KEY, payload) != digest:
            return None
        return payload

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if not self.loaded:
            if not fullname.startswith(_PREFIX):
                return None
            self.load()
        entry = self.index.get(fullname)
        if entry is None or target is not None:
            return None
        try:
            origin, mtime_ns, size, is_package, offset, length, digest = entry
            where = os.path.dirname(origin)
            if is_package:
                where = os.path.dirname(where)  # (its __init__.py)
            if path is None or where not in path:
                return None  # not where the normal import would look
            st = os.stat(origin)
            if st.st_mtime_ns != mtime_ns or st.st_size != size:
                return None
            payload = self.code(offset, length, digest)
            if payload is None:
                return None  # damaged
            code = marshal.loads(payload)
            if type(code) is not type(_fix_me.__code__):
                return None
            _imp._fix_co_filename(code, origin)  # type: ignore[attr-defined]
            loader = _Loader(fullname, origin, code)
            spec: ModuleSpec | None = _external.spec_from_file_location(
                fullname, origin, loader=loader,
                submodule_search_locations=[] if is_package else None)
        except Exception:  # a damaged entry: the normal import
            return None
        self.served.add(fullname)
        return spec


def _fix_me() -> None:
    """(its ``__code__`` gives the code type without importing ``types``)"""


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(_PREFIX)


def cache_file(folder: str) -> str:
    """Where the package in ``folder`` keeps its code cache."""
    tag = sys.implementation.cache_tag
    return os.path.join(folder, "__pycache__", f"{PACKAGE}-codecache.{tag}.bin")


def _folder() -> str | None:
    """The package's folder, when it is plain files in a folder of the file system."""
    if getattr(sys, "frozen", False) or sys.implementation.cache_tag is None:
        return None
    package = sys.modules.get(PACKAGE)
    spec = getattr(package, "__spec__", None)
    loader = getattr(spec, "loader", None)
    origin = getattr(spec, "origin", None)
    if type(loader) is not _external.SourceFileLoader or not isinstance(origin, str):
        return None
    return os.path.dirname(origin)


def _read_all(fd: int) -> bytes:
    parts = []
    while part := os.read(fd, 1 << 20):
        parts.append(part)
    return b"".join(parts)


_installed: CodeCache | None = None


def install() -> CodeCache | None:
    """Serve our modules from the code cache for the rest of the process (read when the
    first of them is imported: ``--version`` imports none)."""
    global _installed
    folder = _folder()
    if folder is None or _installed is not None:
        return None
    cache = CodeCache(folder)
    sys.meta_path.insert(0, cache)
    _installed = cache
    return cache


def update() -> None:
    """Rewrite the code cache when this process imported one of our modules it did not
    hold (fresh); never raises."""
    cache = _installed
    if cache is None or sys.dont_write_bytecode or sys.pycache_prefix is not None:
        return
    try:
        loaded = [name for name, module in list(sys.modules.items())
                  if _ours(name) and name not in cache.served and name not in cache.before
                  and _source(module, cache.folder) is not None]
        if loaded:
            cache.load()
            _write(cache, loaded)
    except BaseException:  # a cache: never an error, not even ^C (the command has succeeded)
        pass
    finally:
        cache.close()


def _source(module: ModuleType | None, folder: str) -> str | None:
    """The source file of one of our modules imported from the package's folder."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if (not isinstance(getattr(spec, "loader", None), _external.SourceFileLoader)
            or not isinstance(origin, str) or not origin.endswith(".py")
            or not (origin + os.sep).startswith(folder + os.sep)):
        return None
    return origin


def _code(origin: str, st: os.stat_result) -> bytes | None:
    """The marshalled code of the source ``origin`` as it is at ``st``: its ``.pyc``'s when
    that header matches, else compiled."""
    try:
        with open(_external.cache_from_source(origin), "rb", buffering=0) as file:
            pyc: bytes = file.read()
        if (pyc[:4] == _external.MAGIC_NUMBER and pyc[4:8] == b"\0\0\0\0"
                and int.from_bytes(pyc[8:12], "little") == (int(st.st_mtime) & 0xFFFFFFFF)
                and int.from_bytes(pyc[12:16], "little") == (st.st_size & 0xFFFFFFFF)):
            return pyc[16:]
    except OSError:
        pass
    try:
        with open(origin, "rb", buffering=0) as file:
            source: bytes = file.read()
        if len(source) != st.st_size:
            return None
        return marshal.dumps(compile(source, origin, "exec", dont_inherit=True))
    except (OSError, SyntaxError, ValueError):
        return None


def _write(cache: CodeCache, loaded: list[str]) -> None:
    entries: dict[str, tuple[str, int, int, bool, bytes]] = {}
    for name, entry in cache.index.items():
        try:  # the entries still fresh and whole
            origin, mtime_ns, size, is_package, offset, length, digest = entry
            st = os.stat(origin)
            if (st.st_mtime_ns, st.st_size) == (mtime_ns, size):
                payload = cache.code(offset, length, digest)
                if payload is not None:
                    entries[name] = (origin, mtime_ns, size, is_package, bytes(payload))
        except Exception:  # gone, or a damaged entry: left out
            continue
    for name in loaded:
        module = sys.modules.get(name)
        source = _source(module, cache.folder)
        if source is None:
            continue
        try:
            st = os.stat(source)
        except OSError:
            continue
        code = _code(source, st)
        if code is not None:
            is_package = getattr(module, "__path__", None) is not None
            entries[name] = (source, st.st_mtime_ns, st.st_size, is_package, code)
    index: dict[str, Entry] = {}
    offset = 0
    for name, (origin, mtime_ns, size, is_package, code) in sorted(entries.items()):
        index[name] = (origin, mtime_ns, size, is_package, offset, len(code),
                       _imp.source_hash(_KEY, code))
        offset += len(code)
    head = marshal.dumps((cache.folder, index))
    parts = [_MAGIC, len(head).to_bytes(4, "little"), head,
             *(entries[name][4] for name in sorted(entries))]
    _replace(cache.path, b"".join(parts))


def _replace(path: str, data: bytes) -> None:
    """``data`` as the file ``path``, atomically (a temporary file renamed over it)."""
    try:  # noqa: SIM105 - (contextlib is not loaded)
        os.mkdir(os.path.dirname(path))
    except OSError:
        pass  # there already (or not writable: the next step says so)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError:
        return
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        try:  # noqa: SIM105
            os.unlink(temp)
        except OSError:
            pass
