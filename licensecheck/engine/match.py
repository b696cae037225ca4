"""Whether a rule's `when` holds for a model: each subject's facts read from a resolved node, and the
condition language's combinators and nested subjects (lineage, datasets) walked over them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from licensecheck.engine.findings import UNIDENTIFIED
from licensecheck.engine.lineage import Node, ancestors
from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.model import LicenseFacts
from licensecheck.policy.conditions import pred_holds
from licensecheck.policy.document import Combo, Cond, FactTest, Nested
from licensecheck.values import Value


@dataclass(frozen=True, eq=False, repr=False)
class Env(Value):
    """What a run knows beyond the model: the knowledge base, today, and the declared uses."""

    kb: KnowledgeBase
    today: dt.date
    uses: tuple[str, ...] = ()


# ---- facts of a context ---------------------------------------------------------------------------
# What makes a model multimodal for licences whose territory exclusion covers multimodal models only
# (the Llama 3.2 and 4 acceptable use policies): its Hub task, or a tag that says so.
MULTIMODAL_TASKS = frozenset(
    {
        "image-text-to-text",
        "any-to-any",
        "visual-question-answering",
        "video-text-to-text",
        "document-question-answering",
        "image-to-text",
        "audio-text-to-text",
    }
)
MULTIMODAL_TAGS = frozenset(
    {"multimodal", "vision", "vision-language", "vlm", "image-text-to-text", "any-to-any"}
)


def is_multimodal(node: Node | None) -> bool:
    if node is None:
        return False
    meta = node.meta
    if (meta.pipeline_tag or "").lower() in MULTIMODAL_TASKS:
        return True
    return any(isinstance(t, str) and t.lower() in MULTIMODAL_TAGS for t in meta.tags)


def license_fact(term: LicenseFacts, fact: str, env: Env, node: Node | None = None) -> Any:
    """A licence term's fact; `node` is the model the term is judged for (facts that depend on it:
    a territory exclusion that covers multimodal models only)."""
    if fact == "governing_law_of_concern":
        return bool(term.governing_law and term.governing_law.upper() in env.kb.countries_of_concern)
    if fact == "territory_restricted":
        return bool(term.territory_exclusions) or (
            bool(term.territory_exclusions_multimodal) and is_multimodal(node)
        )
    if fact == "network_copyleft":
        return term.id.startswith("AGPL-")
    if fact == "distill_restricted":
        return any(o.kind == "distill" for o in term.obligations)
    return getattr(term, fact, None)


def model_fact(node: Node, fact: str) -> Any:
    meta = node.meta
    if fact == "id":
        return meta.repo_id or meta.id
    if fact == "gated":
        return bool(meta.gated)
    return getattr(meta, fact, None)


def publisher_fact(node: Node, fact: str, env: Env) -> Any:
    pub = node.publisher
    if fact == "country_of_concern":
        return bool(pub.country and pub.country in env.kb.countries_of_concern)
    if fact == "listed":
        return bool(pub.lists)
    if fact == "lists":
        return [li.list for li in pub.lists]
    return getattr(pub, fact, None)


@dataclass(frozen=True, eq=False, repr=False)
class Ctx(Value):
    """What a condition is evaluated against: a model, the licence term under test, the depth."""

    node: Node
    term: LicenseFacts | None  # the licence term under test (per-term rules), None = any term
    depth: int


def terms_of(node: Node) -> list[LicenseFacts]:
    return list(node.resolution.licenses) or [UNIDENTIFIED]


def holds(cond: Cond, ctx: Ctx, env: Env) -> bool:
    if isinstance(cond, Combo):
        if cond.op == "all":
            return all(holds(c, ctx, env) for c in cond.items)
        if cond.op == "any":
            return any(holds(c, ctx, env) for c in cond.items)
        return not holds(cond.items[0], ctx, env)
    if isinstance(cond, Nested):
        if cond.subject == "lineage":
            return any(
                holds(cond.cond, Ctx(a, None, ctx.depth), env)
                for a, _, _ in ancestors(ctx.node, ctx.depth)
                if a.resolved
            )
        return any(holds(cond.cond, Ctx(d, None, ctx.depth), env) for d in ctx.node.datasets if d.resolved)
    return _fact_holds(cond, ctx, env)


def _fact_holds(test: FactTest, ctx: Ctx, env: Env) -> bool:
    if test.subject == "license":
        terms = [ctx.term] if ctx.term is not None else terms_of(ctx.node)
        return any(pred_holds(license_fact(t, test.fact, env, ctx.node), test.pred) for t in terms)
    if test.subject == "model":
        return pred_holds(model_fact(ctx.node, test.fact), test.pred, glob=test.fact == "id")
    if test.subject == "publisher":
        return pred_holds(publisher_fact(ctx.node, test.fact, env), test.pred)
    # "context": the uses declared for the run (the parser admits no other subject)
    return pred_holds(list(env.uses), test.pred)
