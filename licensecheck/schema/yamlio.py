"""Safe YAML reading for untrusted text: safe loader only, bounded nodes (alias bombs), clear errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from licensecheck.errors import ConfigError

MAX_NODES = 100_000
MAX_DEPTH = 100
MiB = 1024 * 1024
# Size caps, checked before a byte is parsed (with the node caps, no YAML input costs more than about
# 100 MB or a few seconds; SECURITY.md has the figures).
CONFIG_BYTES = 4 * MiB  # licensecheck.yaml / pyproject.toml
POLICY_BYTES = 4 * MiB  # policy files and policy test files
LOCK_BYTES = 16 * MiB  # lockfiles (about 50,000 models with no licence texts)
LOCK_NODES = 200_000  # a lockfile's node cap (about 5,500 models with every field set)


class FileTooLarge(OSError):
    """A file over its size cap, refused unread."""


def read_capped(path: Path, limit: int, what: str, errors: str = "replace") -> str:
    """The text of `path`, refused (FileTooLarge) when it is larger than `limit` bytes: the size is checked
    before reading, and the read stops at the cap (a file that grows, a FIFO)."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(limit + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        shown = _amount(size) if size > limit else "more than that"
        raise FileTooLarge(
            f"{path}: {what} is {shown}, larger than the {_amount(limit)} limit; refused unread"
        )
    return data.decode("utf-8", errors=errors)


def read_input(path: Path, limit: int, what: str, errors: str = "replace") -> str:
    """The text of a user's input file (a config, policy, policy test file or lockfile): one too large or
    unreadable is a ConfigError naming it (exit 2), never a traceback."""
    try:
        return read_capped(path, limit, what, errors)
    except FileTooLarge as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None


def _amount(size: int) -> str:
    return f"{size / MiB:.1f} MiB" if size >= MiB else f"{size / 1024:.1f} KiB"


class YamlProblem(ValueError):
    """YAML that cannot be used; `line`/`col` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _loader_class() -> type[yaml.SafeLoader]:
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _refuse(node: yaml.Node, what: str) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem(f"YAML document {what}", mark.line + 1 if mark else 0, mark.column + 1 if mark else 0)


def _check_size(root: yaml.Node, limit: int) -> None:
    """Refuse documents that would blow up once aliases are expanded: more than `limit` nodes (alias bombs),
    deeper than MAX_DEPTH levels, or a recursive anchor.

    Each distinct node is visited once (sizes and heights are memoized), so an alias bomb is measured in
    time proportional to its text, not to its expansion. The depth cap keeps everything downstream
    (construction, repr, JSON) far from Python's recursion limit.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_nodes: set[int] = set()  # nodes whose subtree is being measured: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            if size[key] > limit:
                raise _refuse(node, f"expands to more than {limit} nodes (an alias bomb?)")
            if height[key] > MAX_DEPTH:
                raise _refuse(node, f"is nested deeper than {MAX_DEPTH} levels")
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise _refuse(node, "holds a recursive anchor (an alias inside its own anchor)")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A one-line message located at the offending character (ReaderError carries only an offset)."""
    char = exc.character
    what = f"character #x{char:04x}" if isinstance(char, int) else "byte sequence"
    pos = max(0, min(int(exc.position), len(text)))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return YamlProblem(f"unacceptable {what}: {exc.reason}", line, col)


def _count_events(text: str, max_nodes: int) -> None:
    """Refuse text with more than `max_nodes` nodes (an alias counts as one) or nested deeper than
    MAX_DEPTH, by streaming its parse events: memory stays flat and time is bounded by `max_nodes`, before
    a node graph (hundreds of bytes per node) is built. Syntax errors are left to the composer."""
    loader = _loader_class()(text)
    count = 0
    depth = 0
    try:
        while True:
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, (yaml.CollectionEndEvent)):
                depth -= 1
                continue
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > max_nodes:
                    raise _at(event, f"YAML document has more than {max_nodes} nodes")
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _at(event, f"YAML document is nested deeper than {MAX_DEPTH} levels")
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def _at(event: yaml.Event, message: str) -> YamlProblem:
    mark = event.start_mark
    return YamlProblem(message, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0)


def compose(text: str, *, max_nodes: int = MAX_NODES) -> yaml.Node | None:
    """Parse to a node graph (positions kept). None for an empty document. The nodes are counted first
    (`_count_events`), so no text builds more than `max_nodes` nodes, nor expands beyond it."""
    _count_events(text, max_nodes)
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise YamlProblem(msg, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        raise _reader_problem(text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:  # the pure-Python composer recurses per nesting level (libyaml stops at 1000)
        raise YamlProblem(f"YAML document is nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if node is not None:
        _check_size(node, max_nodes)
    return node


def construct(node: yaml.Node) -> Any:
    """Python values from a composed node, with the safe constructor (unsafe tags are refused)."""
    loader = _loader_class()("")
    try:
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "unsupported YAML"
        raise YamlProblem(msg, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0) from None
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        raise YamlProblem(f"unusable YAML: {exc}") from None
    finally:
        loader.dispose()


def duplicate_key(root: yaml.Node) -> YamlProblem | None:
    """The first mapping key given twice anywhere in the document (YAML says keys are unique; the loader
    would keep the last one silently), or None."""
    stack = [root]
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for knode, _ in node.value:
                if isinstance(knode, yaml.ScalarNode):
                    key = (knode.tag, knode.value)
                    if key in keys:
                        mark = knode.start_mark
                        return YamlProblem(
                            f"duplicate key {knode.value[:80]!r}",
                            mark.line + 1 if mark else 0,
                            mark.column + 1 if mark else 0,
                        )
                    keys.add(key)
        stack.extend(_children(node))
    return None


def safe_load(text: str, *, max_nodes: int = MAX_NODES, unique_keys: bool = False) -> Any:
    """Python values from untrusted YAML text; with `unique_keys`, a key given twice is a YamlProblem."""
    node = compose(text, max_nodes=max_nodes)
    if node is not None and unique_keys:
        problem = duplicate_key(node)
        if problem is not None:
            raise problem
    return None if node is None else construct(node)
