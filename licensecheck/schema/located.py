"""Located YAML: problems kept with file:line:col, "did you mean" hints, and plain-data readers of nodes."""

from __future__ import annotations

from typing import Any

import yaml

Pos = tuple[str, int, int]


class Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[tuple[str, int, int, str]] = []

    def add(self, node: yaml.Node | None, msg: str) -> None:
        mark = node.start_mark if node is not None else None
        self.items.append((self.path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, msg))

    def pos(self, node: yaml.Node) -> Pos:
        return (self.path, node.start_mark.line + 1, node.start_mark.column + 1)


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    import difflib  # lazy: only a mistake needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def scalar(node: yaml.Node, probs: Problems) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return Bad
    try:  # tags were checked on the whole document first (check_tags)
        return yaml.SafeLoader("").construct_object(node)
    except ValueError:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # an impossible date: keep the text, the caller says what was expected
    except (yaml.YAMLError, KeyError, AttributeError, TypeError):  # e.g. `!!bool maybe`
        pass
    probs.add(node, f"bad value {node.value!r} for its tag {node.tag.rsplit(':', 1)[-1]!r}")
    return Bad


class _BadType:
    pass


Bad: Any = _BadType()


def check_tags(node: yaml.Node, probs: Problems) -> bool:
    """Refuse any non-standard tag anywhere (nothing in a policy ever executes)."""
    ok = True
    stack = [node]
    while stack:
        n = stack.pop()
        if not n.tag.startswith("tag:yaml.org,2002:") or "python" in n.tag:
            probs.add(n, f"unsupported YAML tag {n.tag!r}: policies are plain data")
            ok = False
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return ok


def mapping_items(
    node: yaml.Node, probs: Problems, what: str
) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
    if not isinstance(node, yaml.MappingNode):
        probs.add(node, f"{what} must be a mapping")
        return None
    seen: set[str] = set()
    out = []
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if not isinstance(key, str):
            probs.add(knode, f"{what}: keys must be strings")
            continue
        if key in seen:
            probs.add(knode, f"{what}: duplicate key '{key}'")
            continue
        seen.add(key)
        out.append((key, knode, vnode))
    return out
