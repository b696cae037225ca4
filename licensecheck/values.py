"""Equality, hashing and repr for the frozen dataclasses, written once instead of generated per class.

`@dataclass` writes the source of each generated method and compiles it when the class is created, so
importing a module of frozen dataclasses costs about 0.6 ms a class; an offline check imports about fifty
of them. A frozen dataclass that derives from `Value` and asks for `eq=False, repr=False` gets the same
`__eq__`, `__hash__` and `__repr__` as `@dataclass(frozen=True)` would generate (same fields, same order,
the fields' `compare`, `hash` and `repr` flags honoured) from here, compiled once with this module: that
halves the cost of creating the class and changes nothing an instance does.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

Key = Callable[[Any], tuple[Any, ...]]
_PLANS: dict[type, tuple[Key, Key, tuple[str, ...]]] = {}


def _key(names: list[str]) -> Key:
    """A function from an instance to the tuple of the named attributes (a tuple even for one or none)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    many: Key = attrgetter(*names)
    return many


def _plan(cls: type) -> tuple[Key, Key, tuple[str, ...]]:
    """(what __eq__ compares, what __hash__ hashes, the fields __repr__ shows) for a dataclass, made once."""
    plan = _PLANS.get(cls)
    if plan is None:
        fs = fields(cls)
        compared = [f.name for f in fs if f.compare]
        hashed = [f.name for f in fs if (f.compare if f.hash is None else f.hash)]
        plan = _PLANS[cls] = (_key(compared), _key(hashed), tuple(f.name for f in fs if f.repr))
    return plan


class Value:
    """Base of the frozen dataclasses: `@dataclass(frozen=True, ..., eq=False, repr=False)` plus this is
    `@dataclass(frozen=True, ...)`, made faster to import."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _plan(self.__class__)[0]
            return bool(key(self) == key(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_plan(self.__class__)[1](self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = _plan(self.__class__)[2]
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"
