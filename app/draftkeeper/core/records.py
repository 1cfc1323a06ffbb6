"""Plain record classes: what ``@dataclass`` gives a record (equality, hash, repr,
``replace``, a dict of its fields), without what it costs a command's start.

``@dataclass`` writes each class's ``__init__``, ``__eq__``, ``__repr__`` (and, frozen,
``__setattr__``, ``__hash__``) as source text and compiles it when the module is imported:
0.35-1.5 ms a class, 10-20 ms of a ``draftkeeper save`` that imports some 25 of them. A
record here lists its fields in ``__match_args__`` (its ``__slots__`` too) and has a
hand-written ``__init__``; this base class does the rest from that list, and the class
costs what any class costs at import (~10 us). Immutability is mypy's: a frozen record
declares its fields ``Final`` (mypy rejects any assignment outside ``__init__``);
``replace`` makes a changed copy.
"""

from __future__ import annotations

from typing import Any, Self


class Record:
    """Equality (same class, same fields), a hash of the fields, a dataclass-like repr,
    ``replace`` and ``as_dict``, all from the subclass's ``__match_args__``: its fields,
    in ``__init__``'s order, which are its ``__slots__`` too."""

    __match_args__: tuple[str, ...] = ()  # the fields, in order (as a dataclass has it)
    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field name -> value); TypeError for a name that is not
        a field, as ``dataclasses.replace`` raises."""
        unknown = set(changes) - set(self.__match_args__)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field(s) {sorted(unknown)}")
        new = object.__new__(type(self))
        for name in self.__match_args__:
            object.__setattr__(new, name, changes[name] if name in changes
                               else getattr(self, name))
        return new

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, records inside as dicts too, lists and dicts copied
        (what ``dataclasses.asdict`` gives)."""
        return {name: _plain(getattr(self, name)) for name in self.__match_args__}


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value
