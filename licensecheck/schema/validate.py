"""One validator for every YAML input, driven by a small declarative schema language.

A schema is a tree of the types below (`Map` of `Field`s, `Seq`, `Str`, `Bool`, `Enum`, `Date`...). The
validator walks a document against it and returns plain data, collecting every problem at once:

- over composed YAML nodes (`load.check_node`), problems carry FILE:LINE:COL and duplicate keys are refused;
- over plain data (`load.check_data`), problems carry only the path to the value. This is the fast path for
  trusted package data: when it finds a problem, the caller composes the text and runs `check_node` to
  report positions.

Both walks share every type check: a value is seen through a `View`, which is either a node or data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from licensecheck.schema.located import Bad, Pos, Problems, scalar, suggest
from licensecheck.values import Value

Hook = Callable[[yaml.Node, Problems], Any]


BAD: Any = Bad  # a value that failed validation (its problem has been reported)


class LocDict(dict[str, Any]):
    """A validated mapping that remembers where it was written (for waivers, rules, ...)."""

    pos: Pos = ("", 0, 0)


class LocStr(str):
    """A validated string that remembers where it was written."""

    pos: Pos = ("", 0, 0)


# ---- views: a YAML node or a plain value, seen the same way ----------------------------------------
@dataclass(slots=True)
class View:
    """A YAML node or a plain value at a key path, read the same way by every schema."""

    node: yaml.Node | None
    data: Any = None
    path: tuple[Any, ...] = ()

    @property
    def is_map(self) -> bool:
        return isinstance(self.node, yaml.MappingNode) if self.node else isinstance(self.data, Mapping)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.node, yaml.SequenceNode) if self.node else isinstance(self.data, list)

    def scalar(self, ctx: Ctx) -> Any:
        """The plain value of a scalar (BAD for a mapping or a list)."""
        if self.node is None:
            return BAD if isinstance(self.data, (Mapping, list)) else self.data
        return scalar(self.node, ctx.probs)

    def items(self, ctx: Ctx, what: str) -> Iterator[tuple[str, View, View]]:
        """(key, key view, value view) of a mapping; duplicate and non-string keys are refused."""
        if self.node is None:
            for k, v in self.data.items():
                if not isinstance(k, str):
                    ctx.add(self, f"{what}: keys must be strings, not {k!r}")
                    continue
                yield k, self, View(None, v, (*self.path, k))
            return
        assert isinstance(self.node, yaml.MappingNode)
        first: dict[str, int] = {}
        for knode, vnode in self.node.value:
            key = knode.value if isinstance(knode, yaml.ScalarNode) else None
            kview = View(knode)
            if not isinstance(key, str) or knode.tag != "tag:yaml.org,2002:str":
                ctx.add(kview, f"{what}: keys must be strings")
                continue
            if key in first:
                ctx.add(kview, f"duplicate key '{key}' (first at line {first[key]})")
                continue
            first[key] = knode.start_mark.line + 1
            yield key, kview, View(vnode)

    def elements(self) -> list[View]:
        if self.node is None:
            return [View(None, v, (*self.path, i)) for i, v in enumerate(self.data)]
        assert isinstance(self.node, yaml.SequenceNode)
        return [View(n) for n in self.node.value]

    def pos(self, ctx: Ctx) -> Pos:
        if self.node is None:
            return (ctx.probs.path, 0, 0)
        return ctx.probs.pos(self.node)


@dataclass
class Ctx:
    """One validation's problem list and hooks."""

    probs: Problems
    hooks: Mapping[str, Hook]
    data_problems: list[str] = field(default_factory=list)

    def count(self) -> int:
        return len(self.probs.items) + len(self.data_problems)

    def add(self, view: View, msg: str) -> None:
        if view.node is not None:
            self.probs.add(view.node, msg)
        else:
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in view.path).lstrip(".")
            self.data_problems.append(f"{where or '(top)'}: {msg}")


# ---- the schema language ---------------------------------------------------------------------------
class Schema(Value):
    """A type in the schema language; `check` returns the plain value, or BAD after reporting why."""

    nullable = False

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        raise NotImplementedError

    def _null(self, view: View, ctx: Ctx) -> bool:
        if view.node is not None:
            return isinstance(view.node, yaml.ScalarNode) and view.node.tag == "tag:yaml.org,2002:null"
        return view.data is None


@dataclass(frozen=True, eq=False, repr=False)
class Opt(Schema):
    """The inner schema, or null."""

    inner: Schema

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        return None if self._null(view, ctx) else self.inner.check(view, ctx, where)


@dataclass(frozen=True, eq=False, repr=False)
class Str(Schema):
    """A string: non-empty unless told, optionally matching a pattern."""

    what: str = "a string"
    nonempty: bool = True
    pattern: re.Pattern[str] | None = None
    located: bool = False  # return a LocStr carrying the value's position

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        if not isinstance(v, str):
            ctx.add(view, f"{where} must be {self.what}, not {_shown(v)}")
            return BAD
        if self.nonempty and not v.strip():
            ctx.add(view, f"{where} must not be empty")
            return BAD
        if self.pattern is not None and not self.pattern.match(v):
            ctx.add(view, f"{where} must be {self.what}, not {v!r}")
            return BAD
        if self.located:
            loc = LocStr(v)
            loc.pos = view.pos(ctx)
            return loc
        return v


@dataclass(frozen=True, eq=False, repr=False)
class Bool(Schema):
    """A real boolean (a quoted 'true' is refused)."""

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        if not isinstance(v, bool):
            hint = (
                " (write it without quotes)" if isinstance(v, str) and v.lower() in ("true", "false") else ""
            )
            ctx.add(view, f"{where} must be true or false, not {_shown(v)}{hint}")
            return BAD
        return v


@dataclass(frozen=True, eq=False, repr=False)
class Int(Schema):
    """An integer (not a boolean) within optional bounds."""

    lo: int | None = None
    hi: int | None = None

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        ok = isinstance(v, int) and not isinstance(v, bool)
        ok = ok and (self.lo is None or v >= self.lo) and (self.hi is None or v <= self.hi)
        if not ok:
            if self.lo is not None and self.hi is not None:
                rng = f" from {self.lo} to {self.hi}"
            elif self.lo is not None:
                rng = f" of at least {self.lo}"
            else:
                rng = ""
            ctx.add(view, f"{where} must be an integer{rng}, not {_shown(v)}")
            return BAD
        return v


@dataclass(frozen=True, eq=False, repr=False)
class Enum(Schema):
    choices: tuple[str, ...]

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        if not isinstance(v, str) or v not in self.choices:
            ctx.add(
                view,
                f"{where} must be one of {', '.join(self.choices)}, not {v!r}{suggest(str(v), self.choices)}",
            )
            return BAD
        return v


@dataclass(frozen=True, eq=False, repr=False)
class Date(Schema):
    """A YAML date or a "YYYY-MM-DD" string; the value is a datetime.date."""

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                pass
        ctx.add(view, f"{where} must be a date like 2027-06-30, not {_shown(v)}")
        return BAD


@dataclass(frozen=True, eq=False, repr=False)
class Seq(Schema):
    """A list of one schema (a lone item too, with `one`)."""

    item: Schema
    what: str = "a list"
    nonempty: bool = False
    one: bool = False  # a single item is accepted in place of a list of one

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        if self.one and not view.is_seq and not view.is_map:
            scratch = Ctx(Problems(ctx.probs.path), ctx.hooks)
            got = self.item.check(view, scratch, where)
            if got is BAD or scratch.probs.items or scratch.data_problems:
                ctx.add(view, f"{where} must be {self.what}, not {_shown(view.scalar(ctx))}")
                return BAD
            return [got]
        if not view.is_seq:
            ctx.add(view, f"{where} must be {self.what}")
            return BAD
        elements = view.elements()
        if self.nonempty and not elements:
            ctx.add(view, f"{where} must be a non-empty list")
            return BAD
        out = [self.item.check(e, ctx, where) for e in elements]
        return BAD if any(v is BAD for v in out) else out


@dataclass(frozen=True, eq=False, repr=False)
class Dict(Schema):
    """A mapping with keys of the caller's choosing (ids, names) and values of one schema."""

    value: Schema
    what: str = "a mapping"

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        if not view.is_map:
            ctx.add(view, f"{where} must be {self.what}")
            return BAD
        out = {}
        before = ctx.count()
        for key, _, vview in view.items(ctx, where):
            got = self.value.check(vview, ctx, f"{where}.{key}" if where else key)
            if got is not BAD:
                out[key] = got
        return out if ctx.count() == before else BAD


@dataclass(frozen=True, eq=False, repr=False)
class Field(Value):
    """A key of a Map: its schema, and whether it must be there."""

    schema: Schema
    required: bool = False
    missing: str | None = None  # the message when a required key is absent


@dataclass(frozen=True, eq=False, repr=False)
class Map(Schema):
    """A mapping with known keys. A `kind` ("rule", "waiver") names it in messages and starts a new
    key path; a mapping without one continues its parent's path ("settings.lineage.depth")."""

    fields: Mapping[str, Field | Schema]
    kind: str = ""
    located: bool = False  # return a LocDict carrying the mapping's position
    title: str = ""  # how messages name the whole mapping ("the policy")
    check_entry: Callable[[dict[str, Any], View, Ctx], None] | None = None

    def __post_init__(self) -> None:
        norm = {k: f if isinstance(f, Field) else Field(f) for k, f in self.fields.items()}
        object.__setattr__(self, "_norm", norm)
        object.__setattr__(self, "_required", [(k, f) for k, f in norm.items() if f.required])

    def field(self, key: str) -> Field:
        norm: dict[str, Field] = getattr(self, "_norm")  # noqa: B009 - set in __post_init__
        return norm[key]

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        what = self.title or self.kind or where or "the document"
        if not view.is_map:
            whose = f"{where}: a {self.kind}" if self.kind and where and not self.title else what
            ctx.add(view, f"{whose} must be a mapping")
            return BAD
        prefix = "" if self.kind or not where else f"{where}."
        out: dict[str, Any] = LocDict() if self.located else {}
        before = ctx.count()
        ok = True
        for key, kview, vview in view.items(ctx, what):
            if key not in self.fields:
                kind = f"{self.kind} " if self.kind else ""
                ctx.add(kview, f"unknown {kind}key '{prefix}{key}'{suggest(key, tuple(self.fields))}")
                ok = False
                continue
            got = self.field(key).schema.check(vview, ctx, f"{prefix}{key}")
            if got is BAD:
                ok = False
            else:
                out[key] = got
        required: list[tuple[str, Field]] = getattr(self, "_required")  # noqa: B009
        for key, f in required:
            if key not in out and not _present(view, key):
                ctx.add(view, f.missing or f"{what} has no '{key}'")
                ok = False
        if isinstance(out, LocDict):
            out.pos = view.pos(ctx)
        ok = ok and ctx.count() == before
        if ok and self.check_entry is not None:
            self.check_entry(out, view, ctx)
        return out if ok else BAD


@dataclass(frozen=True, eq=False, repr=False)
class AnyOf(Schema):
    """The first alternative that accepts the value; otherwise `what` is reported."""

    options: tuple[Schema, ...]
    what: str

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        for option in self.options:
            scratch = Ctx(Problems(ctx.probs.path), ctx.hooks)
            got = option.check(view, scratch, where)
            if got is not BAD and not scratch.probs.items and not scratch.data_problems:
                return got
        ctx.add(view, f"{where} must be {self.what}")
        return BAD


@dataclass(frozen=True, eq=False, repr=False)
class Custom(Schema):
    """A part validated by code the caller supplies by name (the policy condition language): the hook
    receives the YAML node and the problem list and returns the parsed value or None."""

    hook: str

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        if view.node is None:
            return view.data
        got = ctx.hooks[self.hook](view.node, ctx.probs)
        return BAD if got is None else got


def _present(view: View, key: str) -> bool:
    """Whether the key is written at all (a present key with a bad value is reported once, not twice)."""
    if view.node is None:
        return key in view.data
    return any(isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in view.node.value)


def _shown(value: Any) -> str:
    if value is BAD:
        return "a mapping or a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return repr(value)
