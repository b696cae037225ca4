"""The base-model graph: resolved nodes with their bases, built level by level (depth- and cycle-safe)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from licensecheck.licenses.facts import DocumentedLineage, KnowledgeBase
from licensecheck.model import FetchError, ModelMeta, Publisher, Resolution
from licensecheck.schema.kinds import LINEAGE_RELATIONS, RELATIONS
from licensecheck.sources.card import HUB_ID, REVISION
from licensecheck.values import Value

MAX_DEPTH = 10  # the deepest `settings.lineage.depth` a policy may set: `lock` follows this far
MAX_BASES = 64  # base models followed per card; a card naming more gets `too-many-bases`


@dataclass(eq=False)
class Node:
    """A model (or dataset) with everything the evaluator needs. Bases are filled in by `build`."""

    meta: ModelMeta
    resolution: Resolution
    publisher: Publisher
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
    if meta.base_relation in RELATIONS or (
        meta.lineage_documented and meta.base_relation in LINEAGE_RELATIONS
    ):
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


_HF_CACHE_DIR = re.compile(r"^models--([^/\\]+?)--([^/\\]+)$")


def _table_row(meta: ModelMeta, kb: KnowledgeBase) -> DocumentedLineage | None:
    """The lineage table's row for a model: by its Hub id; a local folder by the Hub cache's
    `models--org--name` folder on its path, or by its own folder name when one row has that name."""
    if meta.repo_id:
        return kb.documented_lineage(meta.repo_id)
    if meta.source != "local":
        return kb.documented_lineage(meta.id.partition("@")[0])
    parts = PurePath(meta.id).parts
    for part in reversed(parts):
        m = _HF_CACHE_DIR.match(part)
        if m:
            return kb.documented_lineage(f"{m.group(1)}/{m.group(2)}")
    name = parts[-1].lower() if parts else ""
    rows = [row for key, row in kb.lineage.items() if name and key.rsplit("/", 1)[-1] == name]
    return rows[0] if len(rows) == 1 else None


def with_documented_lineage(meta: ModelMeta, kb: KnowledgeBase) -> ModelMeta:
    """A card that names no base_model takes the bases and relation its publisher documents (the
    knowledge base's lineage table), marked with the table's sources; a card's own base_model wins."""
    if meta.base_models or meta.error is not None:
        return meta
    row = _table_row(meta, kb)
    if row is None or not row.base_models:
        return meta
    return replace(
        meta,
        base_models=row.base_models,
        base_relation=row.relation,
        lineage_documented=row.sources or ("the knowledge base's lineage table",),
    )


def documented_note(meta: ModelMeta) -> str | None:
    """What the lineage table added to a card, for a `lineage-documented` note."""
    if not meta.lineage_documented:
        return None
    bases = ", ".join(meta.base_models)
    return (
        f"the card names no base_model; its publisher documents it as {meta.base_relation} from {bases} "
        f"(lineage table; source: {meta.lineage_documented[0]})"
    )


def base_problem(base: str) -> str | None:
    """Why a `base_model` entry cannot be followed; None when it is a Hub id (optionally @revision).

    Cards name bases as ids or model URLs (read into ids by the card reader); anything else (a mapping,
    a path, a description, an id with stray characters) is kept as text and becomes an unresolved base.
    """
    repo, sep, rev = base.partition("@")
    if HUB_ID.match(repo) and (not sep or REVISION.match(rev)):
        return None
    return f"base_model {base!r} is not a Hub model id or model URL"


def _unreadable(base: str, reason: str) -> Node:
    meta = ModelMeta(id=base, source="card", error=FetchError("malformed", reason))
    return Node(meta, Resolution(None, "unresolved", detail=reason), Publisher(org="(unknown)", known=False))


def followed(meta: ModelMeta) -> tuple[str, ...]:
    """The base models lineage follows: the first MAX_BASES (more is a `too-many-bases` finding)."""
    return meta.base_models[:MAX_BASES]


def build(
    roots: Sequence[Node],
    fetch: Callable[[list[str]], dict[str, Node]],
    depth: int,
) -> None:
    """Attach bases to every root, fetching one level at a time (one batch per level).

    `fetch` returns a Node per requested id (an errored Node when it cannot be read); an entry that is
    not an id becomes an errored Node without a request. A base that loops back onto its own path is
    recorded in `cycle`, never fetched again. Every step is linear in the number of bases.
    """
    cache: dict[str, Node] = {}
    frontier: list[tuple[Node, frozenset[str]]] = [(r, frozenset((r.key,))) for r in roots]
    for _level in range(depth):
        wanted: dict[str, str] = {}
        for node, path in frontier:
            for base in followed(node.meta):
                k = base.lower()
                if _repo_key(base) in path or k in cache or k in wanted:
                    continue
                problem = base_problem(base)
                if problem is not None:
                    cache[k] = _unreadable(base, problem)
                else:
                    wanted[k] = base
        if wanted:
            got = fetch(list(wanted.values()))
            for k, base in wanted.items():
                node_for = got.get(base)
                cache[k] = node_for if node_for is not None else _unreadable(base, "no answer for this id")
        nxt: list[tuple[Node, frozenset[str]]] = []
        for node, path in frontier:
            if node.bases or node.cycle:
                continue  # already expanded through another path
            attached: set[str] = set()
            for base in followed(node.meta):
                k = base.lower()
                if _repo_key(base) in path:
                    node.cycle.append(base)
                    continue
                child = cache[k]
                if k in attached:
                    continue
                attached.add(k)
                node.bases.append(child)
                if child.resolved:
                    nxt.append((child, path | {child.key}))
        frontier = nxt
        if not frontier:
            break


def inherit_deferred(roots: Sequence[Node], kb: KnowledgeBase) -> None:
    """A card whose licence name defers to its base models (`same-as-base-model`) and that nothing else
    identifies takes the AND of its bases' licences, once every base is read and identified (bases
    first, so a chain of deferring cards resolves); otherwise it stays unidentified."""
    from licensecheck.licenses import deferral

    seen: set[int] = set()

    def visit(node: Node) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        for child in node.bases:
            visit(child)
        if node.resolution.expression is not None or not node.bases or node.cycle:
            return
        name = deferral.deferred_name(node.meta.declared)
        if name is None:
            return
        if all(b.resolved and b.resolution.expression is not None for b in node.bases):
            node.resolution = deferral.inherited(name, [b.resolution for b in node.bases], kb)

    for root in roots:
        visit(root)


def _repo_key(base: str) -> str:
    return base.partition("@")[0].lower()


@dataclass(frozen=True, eq=False, repr=False)
class Walk(Value):
    """The ancestry of one model within a depth: each ancestor once (breadth first), and the cut.

    `ancestors`: (node, child it is a base of, depth). `cut`: resolved ancestors (or the model itself)
    at the depth limit whose card names further bases: the chain goes on past what was followed.
    """

    ancestors: list[tuple[Node, Node, int]]
    cut: list[tuple[Node, int]]


def walk(node: Node, depth: int) -> Walk:
    """The one lineage walk every consumer shares (judging, origin rules, report entries, lock)."""
    out: list[tuple[Node, Node, int]] = []
    cut: list[tuple[Node, int]] = []
    seen = {node.key}
    level = [node]
    for d in range(1, depth + 1):
        nxt: list[Node] = []
        for current in level:
            for base in current.bases:
                if base.key in seen:
                    continue
                seen.add(base.key)
                out.append((base, current, d))
                if base.resolved:
                    nxt.append(base)
        level = nxt
    for current in level:
        loops = {b.lower() for b in current.cycle}
        if any(b.lower() not in loops and _repo_key(b) not in seen for b in followed(current.meta)):
            cut.append((current, depth))
    return Walk(out, cut)


def ancestors(node: Node, depth: int) -> list[tuple[Node, str, int]]:
    """Every ancestor within `depth` (breadth first, each once): (node, its id, depth)."""
    return [(a, a.meta.repo_id or a.meta.id, d) for a, _, d in walk(node, depth).ancestors]
