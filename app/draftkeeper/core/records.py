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

from collections.abc import Callable

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import Any, ClassVar, Self, dataclass_transform
else:
    def dataclass_transform() -> Callable[[type], type]:
        """``typing.dataclass_transform``: a mark for type checkers, none at run time."""
        return lambda cls: cls


class Record:
    """Equality (same class, same fields), a hash of the fields, a dataclass-like repr,
    ``replace`` and ``as_dict``, all from the subclass's ``__match_args__``: its fields,
    in ``__init__``'s order, which are its ``__slots__`` too."""

    __match_args__: tuple[str, ...] = ()  # the fields, in order (as a dataclass has it)
    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True  # (a status event's old and new draft info, mostly)
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
        new = object.__new__(type(self))
        for name in self.__match_args__:
            setattr(new, name, changes.pop(name) if name in changes else getattr(self, name))
        if changes:
            raise TypeError(f"{type(self).__qualname__} has no field(s) {sorted(changes)}")
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


class Field:
    """A declared field's default (or ``factory``), whether it is compared and shown in
    the repr, and what else its declaration says (``metadata``)."""

    __slots__ = ("compare", "default", "factory", "metadata", "repr")

    def __init__(self, default: Any = None, factory: Callable[[], Any] | None = None,
                 compare: bool = True, repr: bool = True,
                 metadata: dict[str, Any] | None = None) -> None:
        self.default = default
        self.factory = factory
        self.compare = compare
        self.repr = repr
        self.metadata: dict[str, Any] = metadata or {}

    def initial(self) -> Any:
        return self.factory() if self.factory is not None else self.default


def field(*, default: Any = None, factory: Callable[[], Any] | None = None,
          compare: bool = True, repr: bool = True,
          metadata: dict[str, Any] | None = None) -> Any:
    """A field of a ``Declared`` class with more than a default (``dataclasses.field``)."""
    return Field(default, factory, compare, repr, metadata)


@dataclass_transform()
class Declared:
    """A mutable record declared as a dataclass is, by annotated fields with defaults
    (every field has one, or a ``field``), in declaration order: keyword ``__init__``,
    equality of the compared fields, a repr, ``replace``, ``as_dict`` and ``fields``. Its
    fields are collected once, when the class is made (~0.1 ms for 40 fields, where
    ``@dataclass`` compiled its methods for ~1.5 ms and needed ``dataclasses`` and
    ``inspect`` imported, ~4 ms)."""

    _fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (not inspect's)
        for name, annotation in annotations.items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name)
            declared = value if isinstance(value, Field) else Field(default=value)
            fields[name] = declared
            if isinstance(value, Field):
                delattr(cls, name)
        cls._fields = fields

    def __init__(self, **values: Any) -> None:
        for name, declared in self._fields.items():
            setattr(self, name, values.pop(name) if name in values else declared.initial())
        if values:
            raise TypeError(f"{type(self).__qualname__} has no field(s) {sorted(values)}")

    @classmethod
    def fields(cls) -> dict[str, Field]:
        """The fields, by name, in declaration order."""
        return cls._fields

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True  # (a status event's old and new draft info, mostly)
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name)
                   for name, declared in self._fields.items() if declared.compare)

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}"
                          for name, declared in self._fields.items() if declared.repr)
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes``; TypeError for a name that is not a field."""
        return type(self)(**({name: getattr(self, name) for name in self._fields} | changes))

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, lists and dicts copied (``dataclasses.asdict``)."""
        return {name: _plain(getattr(self, name)) for name in self._fields}
