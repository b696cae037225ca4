"""Safe YAML reading for untrusted text: safe loader only, bounded nodes (alias bombs), clear errors."""

from __future__ import annotations

from typing import Any

import yaml

MAX_NODES = 100_000


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


def _check_size(node: yaml.Node, limit: int) -> None:
    """Count nodes as if every alias were expanded; refuse documents that would blow up."""
    count = 0
    stack: list[yaml.Node] = [node]
    while stack:
        current = stack.pop()
        count += 1
        if count > limit:
            mark = current.start_mark
            raise YamlProblem(
                f"YAML document expands to more than {limit} nodes (alias bomb or recursive anchor?)",
                mark.line + 1 if mark else 0,
                mark.column + 1 if mark else 0,
            )
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.append(k)
                stack.append(v)


def compose(text: str, *, max_nodes: int = MAX_NODES) -> yaml.Node | None:
    """Parse to a node graph (positions kept). None for an empty document."""
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise YamlProblem(msg, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
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


def safe_load(text: str, *, max_nodes: int = MAX_NODES) -> Any:
    node = compose(text, max_nodes=max_nodes)
    return None if node is None else construct(node)
