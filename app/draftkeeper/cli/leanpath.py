"""``pathlib`` imported without the modules it needs only in a few of its methods.

Python 3.11's pathlib imports ``re`` (with the ``enum`` under it), ``fnmatch``, ``warnings``,
``ntpath`` and ``urllib.parse`` (with ``ipaddress``) when it loads (~8 ms by ``-X
importtime``; with core/plainjson.py, ~5 ms of the CPU of a ~52 ms changed ``draftkeeper
save`` in bench/cli.py), and a save uses none of them: pathlib's own code calls ``re`` and
``fnmatch`` only in ``glob``, ``rglob`` and ``match``, ``warnings`` only in its deprecated
methods (``Path.__enter__``, ``link_to``), ``urllib.parse`` only in ``as_uri``, and keeps
``ntpath`` as an attribute of its Windows flavour that nothing reads. Every module of ours
is built on ``Path``, so pathlib itself stays.

``load`` imports pathlib with a stand-in for each of those modules that is not loaded yet:
a module object that, when pathlib first uses it, imports the real module and puts it in
pathlib's place, so ``glob``, ``match`` and the deprecated methods work as before, at the
cost of that import then; ``as_uri`` (with which the store opens its database on every
save) quotes a path's bytes as ``urllib.parse.quote_from_bytes`` does, in a few lines here.
The stand-ins are in ``sys.modules`` only while pathlib loads, and gone before ``load``
returns; this module costs ~0.3 ms. Only where that is known to hold: on CPython 3.11 (the
pathlib read here), when pathlib is not loaded yet and no other thread runs (none could
import one of those modules and get a stand-in meanwhile). Should pathlib's loading touch a
stand-in (a changed release), or anything else go wrong, pathlib is imported plainly
instead. Like blobs/chunking.py's ``_load`` (pyfastcdc beside a stand-in for ``typing``).
"""

from __future__ import annotations

import _thread
import sys
import types

# the modules pathlib binds by their names (its ``import re`` etc.)
_MODULES = ("re", "fnmatch", "warnings", "ntpath")
_QUOTE = "urlquote_from_bytes"  # its ``from urllib.parse import quote_from_bytes as ...``


class _Later(types.ModuleType):
    """A module pathlib holds until it first uses it: then the real one, imported."""

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("__"):
            raise AttributeError(attr)
        real = _real(self.__name__)
        _rebind(self.__name__, self, real)  # pathlib uses the module itself from now on
        return getattr(real, attr)


def _real(name: str) -> types.ModuleType:
    module = sys.modules.get(name)
    if module is None:
        __import__(name)
        module = sys.modules[name]
    if isinstance(module, _Later):  # (pathlib is loading: a release that uses it now)
        raise AttributeError(f"{name} is not loaded while pathlib loads")
    return module


def _rebind(name: str, stand_in: object, real: object) -> None:
    namespace = vars(sys.modules.get("pathlib", types))
    if namespace.get(name) is stand_in:
        namespace[name] = real


# what quote_from_bytes(b, safe="/") leaves as it is: RFC 3986's unreserved bytes and "/"
_UNQUOTED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")
_QUOTED = tuple(chr(b) if b in _UNQUOTED else f"%{b:02X}" for b in range(256))


def _quote_from_bytes(*args: object, **kwargs: object) -> object:
    """``urllib.parse.quote_from_bytes`` for ``as_uri`` (the store opens its SQLite
    database read-only by a ``file:`` URI on every save): the bytes of a path, "/" kept,
    done here as urllib.parse does it (urllib.parse loads ``re`` and ``ipaddress``: ~4 ms);
    any other call, by urllib.parse itself."""
    if len(args) == 1 and not kwargs and isinstance(args[0], bytes):
        return "".join([_QUOTED[b] for b in args[0]])
    quote = _real("urllib.parse").quote_from_bytes
    _rebind(_QUOTE, _quote_from_bytes, quote)
    return quote(*args, **kwargs)


def load() -> None:
    """Import pathlib, lean when that is safe (see the module's docstring); plainly when
    it is loaded already, or on any doubt."""
    modules = sys.modules
    if ("pathlib" in modules or sys.version_info[:2] != (3, 11)
            or sys.implementation.name != "cpython" or _thread._count() != 0):
        import pathlib  # (the plain import)

        return
    stand_ins = {name: _Later(name, "(draftkeeper: imported on pathlib's first use)")
                 for name in _MODULES if name not in modules}
    if "urllib.parse" not in modules:
        parse = stand_ins["urllib.parse"] = _Later("urllib.parse")
        parse.quote_from_bytes = _quote_from_bytes  # type: ignore[attr-defined]
    modules.update(stand_ins)
    try:
        import pathlib

        lean = True
    except Exception:  # (a release whose loading used a stand-in)
        lean = False
    finally:
        for name, module in stand_ins.items():
            if modules.get(name) is module:
                del modules[name]
    if not lean:
        modules.pop("pathlib", None)
        import pathlib  # noqa: F401 (again, with the real modules)
