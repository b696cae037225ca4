"""The base-model graph: resolved nodes with their bases, built level by level (depth- and cycle-safe)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from licensecheck.model import ModelMeta, Publisher, Resolution

RELATIONS = ("adapter", "merge", "quantized", "finetune")


@dataclass(eq=False)
class Node:
    """A model (or dataset) with everything the evaluator needs. Bases are filled in by `build`."""

    meta: ModelMeta
    resolution: Resolution
    publisher: Publisher
    relation: str = "self"
    bases: list[Node] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)  # base ids that loop back onto the path
    datasets: list[Node] = field(default_factory=list)

    @property
    def key(self) -> str:
        return (self.meta.repo_id or self.meta.id).lower()

    @property
    def resolved(self) -> bool:
        return self.meta.error is None


def relation_of(meta: ModelMeta, base: str) -> str:
    """How `meta` derives from `base`: the card's base_model_relation, the Hub tags, or a guess by count."""
    if meta.base_relation in RELATIONS:
        return meta.base_relation
    for tag in meta.tags:
        parts = tag.split(":")
        if (
            len(parts) == 3
            and parts[0] == "base_model"
            and parts[2].lower() == base.lower()
            and parts[1] in RELATIONS
        ):
            return parts[1]
    if len(meta.base_models) > 1:
        return "merge"
    lowered = meta.id.lower()
    if any(s in lowered for s in ("gguf", "awq", "gptq", "-exl2", "mlx", "-4bit", "-8bit", "bnb")):
        return "quantized"
    return "finetune"


def build(
    roots: Sequence[Node],
    fetch: Callable[[list[str]], dict[str, Node]],
    depth: int,
) -> None:
    """Attach bases to every root, fetching one level at a time (one batch per level).

    `fetch` returns a Node per requested id (an errored Node when it cannot be read). A base that
    loops back onto its own path is recorded in `cycle`, never fetched again.
    """
    cache: dict[str, Node] = {}
    frontier: list[tuple[Node, tuple[str, ...]]] = [(r, (r.key,)) for r in roots]
    for _level in range(depth):
        wanted: list[str] = []
        for node, path in frontier:
            for base in node.meta.base_models:
                k = base.lower()
                if k in path:
                    continue
                if k not in cache and base not in wanted:
                    wanted.append(base)
        if wanted:
            for base_id, got in fetch(wanted).items():
                cache[base_id.lower()] = got
        nxt: list[tuple[Node, tuple[str, ...]]] = []
        for node, path in frontier:
            if node.bases or node.cycle:
                continue  # already expanded through another path
            for base in node.meta.base_models:
                k = base.lower()
                if k in path:
                    node.cycle.append(base)
                    continue
                child = cache.get(k)
                if child is None:
                    continue
                node.bases.append(child)
                if child.resolved:
                    nxt.append((child, (*path, k)))
        frontier = nxt
        if not frontier:
            break


def ancestors(node: Node, depth: int) -> list[tuple[Node, str, int]]:
    """Every resolved ancestor within `depth` (breadth first, each once): (node, via-path, depth)."""
    out: list[tuple[Node, str, int]] = []
    seen = {node.key}
    level = [(node, "")]
    for d in range(1, depth + 1):
        nxt = []
        for current, _ in level:
            for base in current.bases:
                if base.key in seen:
                    continue
                seen.add(base.key)
                out.append((base, base.meta.repo_id or base.meta.id, d))
                if base.resolved:
                    nxt.append((base, ""))
        level = nxt
    return out
