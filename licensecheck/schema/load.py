"""Reading a file kind: parse, validate against its schema (schema/kinds.py), report FILE:LINE:COL.

`load_text` reads user files (positions for every problem); `load_trusted` reads package data fast and
composes again with positions only to report a broken file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from licensecheck.schema.located import Problems, check_tags
from licensecheck.schema.validate import BAD, Ctx, Hook, Schema, View
from licensecheck.schema.yamlio import YamlProblem, compose


# ---- entry points ----------------------------------------------------------------------------------
def check_node(
    root: yaml.Node, schema: Schema, probs: Problems, hooks: Mapping[str, Hook] | None = None, where: str = ""
) -> Any:
    """Validate a composed node against a schema; problems (with positions) go to `probs`."""
    if not check_tags(root, probs):
        return BAD
    return schema.check(View(root), Ctx(probs, hooks or {}), where)


def check_data(data: Any, schema: Schema, where: str = "") -> tuple[Any, list[str]]:
    """Validate plain data (no positions): the value and each problem as "path: message"."""
    ctx = Ctx(Problems(""), {})
    got = schema.check(View(None, data), ctx, where)
    return got, ctx.data_problems


FAST_BYTES = 1024 * 1024  # up to about 2,000 locked models
_RISKY = frozenset("&*!")  # anchors, aliases, tags: such a text takes the counted, located path


def _load_plain(text: str, schema: Schema) -> Any:
    """The data of a text when it parses with the C loader, has no duplicate key and fits the schema (an
    empty document is None), else BAD."""
    loader = _DuplicateSpotter(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.plain_document(node)
    except (yaml.YAMLError, RecursionError, TypeError, ValueError):
        return BAD
    finally:
        loader.dispose()
    if data is None:
        return BAD  # let the located path say whether an empty document is allowed
    got, problems = check_data(data, schema)
    return BAD if problems or loader.duplicates else got


def _loader_base() -> type[yaml.SafeLoader]:
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return base


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL, _SEQ, _MAP = (_TAG + t for t in ("str", "int", "bool", "null", "seq", "map"))


class _Unusual(Exception):
    """A node `plain_document` leaves to the full constructor (a float, a date, a merge key...)."""


class _DuplicateSpotter(_loader_base()):  # type: ignore[misc]
    """The C loader, noting whether any mapping writes a key twice (plain loading keeps the last)."""

    duplicates = False

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The tag of a node. A scalar's depends only on its text and quoting (this loader has no path
        resolvers), and a lockfile repeats the same keys and values a hundred times: asked once each."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            self.duplicates = True
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def plain_document(self, node: yaml.Node) -> Any:
        """What `construct_document(node)` returns, built directly when the document holds only strings,
        integers, booleans, nulls, lists and mappings (a lockfile: 3-4x faster than the constructor's
        generic machinery); any other node goes through the constructor itself."""
        try:
            return self._plain(node)
        except _Unusual:
            return self.construct_document(node)

    def _plain(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP:
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            if len(set(keys)) != len(keys):
                self.duplicates = True
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag not in (_STR, _INT, _BOOL, _NULL):
                    raise _Unusual  # merge keys, complex keys: the constructor's rules apply
                out[self._plain(key_node)] = self._plain(value_node)
            return out
        if tag == _SEQ:
            return [self._plain(item) for item in node.value]
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self.bool_values[node.value.lower()]
        if tag == _INT:
            return self.construct_yaml_int(node)
        raise _Unusual


def load_text(
    text: str,
    path: str,
    schema: Schema,
    probs: Problems,
    *,
    empty: str | None = None,
    hooks: Mapping[str, Hook] | None = None,
    max_nodes: int | None = None,
    fast: bool = False,
) -> Any:
    """Parse and validate one file's text. BAD when it has problems (in `probs`); None for an empty
    document unless `empty` is a message (then that is the problem).

    `fast` (for big files whose values need no positions, such as the lockfile): the composed document
    is constructed once and checked as plain data; the node walk, slower but with positions, runs only
    to report problems."""
    if fast and not hooks and len(text) <= FAST_BYTES and not _RISKY.intersection(text):
        # No anchors, aliases or tags, and small: the node count is bounded by the text's size, so the C
        # loader builds the data in one pass; only a problem sends the text through the located walk.
        got = _load_plain(text, schema)
        if got is not BAD:
            return got
    try:
        root = compose(text) if max_nodes is None else compose(text, max_nodes=max_nodes)
    except YamlProblem as exc:
        probs.items.append((path, exc.line or 1, exc.col or 1, exc.message))
        return BAD
    if root is None:
        if empty is not None:
            probs.items.append((path, 1, 1, empty))
            return BAD
        return None
    if fast and not hooks:
        loader = _DuplicateSpotter("")
        try:
            data = loader.construct_document(root)
            got, problems = check_data(data, schema)
            if not problems and not loader.duplicates:
                return got
        except (yaml.YAMLError, RecursionError, TypeError, ValueError):
            pass  # the node walk below says what is wrong, and where
        finally:
            loader.dispose()
    got = check_node(root, schema, probs, hooks)
    return BAD if probs.items else got


def load_trusted(text: str, path: str, schema: Schema) -> Any:
    """Package data: loaded with the C loader and checked as plain data (fast); only when that finds a
    problem is the text composed again to report each problem as FILE:LINE:COL. Raises PolicyError."""
    from licensecheck.errors import PolicyError

    loader = _DuplicateSpotter(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, RecursionError, TypeError, ValueError):  # e.g. 2026-01-32
        data, loader.duplicates = None, True
    finally:
        loader.dispose()
    _, problems = check_data(data, schema)
    if not problems and not loader.duplicates:
        return data
    probs = Problems(path)
    load_text(text, path, schema, probs, empty="empty data file")
    raise PolicyError(probs.items or [(path, 1, 1, p) for p in problems])
