"""Postures x resolved models -> findings -> verdicts (pure; DESIGN.md section 6 semantics)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from licensecheck.engine.findings import (
    UNIDENTIFIED,
    Judgement,
    apply_waivers,
    conditions,
    label,
    publisher_label,
    tests_category,
)
from licensecheck.engine.findings import unused_waivers as unused_waivers
from licensecheck.engine.lineage import MAX_BASES, Node, ancestors, relation_of, walk
from licensecheck.engine.match import Ctx, Env, holds, terms_of
from licensecheck.licenses import spdx
from licensecheck.licenses.facts import CATEGORY_RANK
from licensecheck.model import SEVERITY_RANK, Finding, LicenseFacts, Verdict, most_severe, to_verdict
from licensecheck.policy.document import Combo, Cond, Nested, Policy, Rule, subjects
from licensecheck.sources.card import MAX_REFS


# ---- messages -------------------------------------------------------------------------------------
def _category_words(term: LicenseFacts | None) -> str:
    """`{category}`: an unidentified licence told apart from an identified one with no recorded category."""
    if term is None or term is UNIDENTIFIED:
        return "unidentified"
    return "identified, category unknown" if term.category == "unknown" else term.category


def _fix(term: LicenseFacts | None, node: Node) -> str:
    """`{fix}`: what to add so that the licence can be judged."""
    if term is None or term is UNIDENTIFIED:
        why = node.resolution.detail
        declared = node.meta.declared
        if declared.license is None and declared.invalid is None:
            add = "add `license:` to the model card, or a `clarify` entry to licensecheck.yaml"
        else:
            add = (
                "give `license:` in the model card a Hub licence id or an SPDX expression, or add a "
                "`clarify` entry to licensecheck.yaml"
            )
        return f"{why}; {add}" if why else add
    if term.category == "unknown":
        return "record its facts under `licenses:` in licensecheck.yaml, or a `clarify` entry"
    return ""


def _message(rule: Rule, ctx: Ctx, env: Env) -> str:
    term = ctx.term
    text = rule.message or f"{{license}}: {rule.description or rule.code}"
    text = (
        text.replace("{license}", label(term) if term else "the licence")
        .replace("{model}", ctx.node.meta.id)
        .replace("{publisher}", publisher_label(ctx.node))
        .replace("{category}", _category_words(term))
        .replace("{fix}", _fix(term, ctx.node))
    )
    if (
        term is not None
        and rule.action in ("warn", "deny")
        and term.category == "community"
        and tests_category(rule.when)
    ):
        cond = conditions(term)
        if cond:
            text += f" ({cond})"
    named = _matching_datasets(rule.when, ctx, env)
    if named:
        text += " (datasets: " + ", ".join(named) + ")"
    return text


def _matching_datasets(cond: Cond, ctx: Ctx, env: Env) -> list[str]:
    """The training-data sets that make a `datasets` condition true, to name them in the message."""
    if isinstance(cond, Nested) and cond.subject == "datasets":
        return [
            d.meta.repo_id or d.meta.id
            for d in ctx.node.datasets
            if d.resolved and holds(cond.cond, Ctx(d, None, ctx.depth), env)
        ]
    if isinstance(cond, Combo) and cond.op != "not":
        return [n for c in cond.items for n in _matching_datasets(c, ctx, env)]
    return []


# ---- judging one model under one posture -----------------------------------------------------------
def _term_outcome(
    tree: spdx.Node, terms: dict[str, LicenseFacts], node: Node, policy: Policy, env: Env, trace: list[str]
) -> tuple[str, list[Finding]]:
    if isinstance(tree, spdx.Lic):
        term = terms.get(tree.key, UNIDENTIFIED)
        ctx = Ctx(node, term, policy.settings.depth)
        found = [
            Finding(r.code, policy.name, r.action, _message(r, ctx, env), rule=r.id)
            for r in _plan(policy).term_rules
            if holds(r.when, ctx, env)
        ]
        if not found:
            found = [
                Finding(
                    "license-unmatched",
                    policy.name,
                    policy.settings.default,
                    f"{label(term)} matches no rule; default {policy.settings.default}",
                    rule="license-unmatched",
                )
            ]
        return most_severe([f.severity for f in found]), found
    outcomes = [_term_outcome(a, terms, node, policy, env, trace) for a in tree.args]
    if tree.op == "AND":
        return most_severe([o[0] for o in outcomes]), [f for o in outcomes for f in o[1]]
    best = min(range(len(outcomes)), key=lambda i: SEVERITY_RANK[outcomes[i][0]])
    chosen = tree.args[best].render()
    others = ", ".join(f"{a.render()} ({outcomes[i][0]})" for i, a in enumerate(tree.args) if i != best)
    trace.append(f"{policy.name}: OR took {chosen} ({outcomes[best][0]}) over {others}")
    return outcomes[best]


def _tree(node: Node) -> spdx.Node:
    expr = node.resolution.expression
    if expr is None:
        return spdx.Lic(UNIDENTIFIED.id)
    try:
        return spdx.parse(expr)
    except spdx.ExpressionError:
        return spdx.Lic(UNIDENTIFIED.id)


def effective_rank(node: Node) -> int:
    """Permissiveness of a model's licence: AND takes the least permissive term, OR the most."""
    terms = {t.id: t for t in node.resolution.licenses}

    def rank(t: spdx.Node) -> int:
        if isinstance(t, spdx.Lic):
            facts = terms.get(t.key, UNIDENTIFIED)
            return CATEGORY_RANK.get(facts.category, 0)
        ranks = [rank(a) for a in t.args]
        return min(ranks) if t.op == "AND" else max(ranks)

    return rank(_tree(node))


def _category(node: Node) -> str:
    cats = sorted({t.category for t in terms_of(node)})
    return "/".join(cats)


def judge(
    policy: Policy, node: Node, env: Env, depth: int | None = None, memo: dict[Any, Judgement] | None = None
) -> Judgement:
    """All findings and the verdict of one posture for one model (waivers not yet applied)."""
    top = depth is None
    depth = policy.settings.depth if depth is None else depth
    memo = {} if memo is None else memo
    key = (node.key, depth)
    if key in memo:
        return memo[key]
    trace: list[str] = []
    findings: list[Finding] = []
    used: set[int] = set()
    if not node.resolved:
        err = node.meta.error
        assert err is not None
        findings.append(
            Finding(
                "unresolved",
                policy.name,
                policy.settings.unresolved,
                f"metadata could not be read ({err.kind}): {err.message}",
                rule="unresolved",
            )
        )
    else:
        for code, message in node.resolution.flags:  # license-conflict, license-inferred: every posture
            findings.append(Finding(code, policy.name, "warn", message, rule=code))
        terms = {t.id: t for t in node.resolution.licenses}
        plan = _plan(policy)
        if plan.term_rules:
            _, term_findings = _term_outcome(_tree(node), terms, node, policy, env, trace)
            findings.extend(term_findings)
        follow = policy.settings.follow
        ctx = Ctx(node, None, depth)
        for rule, origin, pure in plan.model_rules:
            if holds(rule.when, ctx, env):
                findings.append(
                    Finding(rule.code, policy.name, rule.action, _message(rule, ctx, env), rule=rule.id)
                )
            if origin and follow:
                # an unresolved base still has a publisher: the namespace of the id the card names
                for anc, via, _ in ancestors(node, depth):
                    if (anc.resolved or (pure and anc.meta.repo_id)) and holds(
                        rule.when, Ctx(anc, None, depth), env
                    ):
                        msg = _message(rule, Ctx(anc, None, depth), env) + f" (via base model {via})"
                        findings.append(Finding(rule.code, policy.name, rule.action, msg, rule=rule.id))
        if follow and policy.licence_lineage and depth > 0:
            findings.extend(_licence_lineage(policy, node, env, depth, memo, trace, used))
        if top and follow and depth > 0:
            findings.extend(_hidden_lineage(policy, node, depth))
        for loop in node.cycle:
            findings.append(
                Finding(
                    "lineage-cycle",
                    policy.name,
                    "info",
                    f"base model {loop} refers back to a model on its own lineage path; loop cut",
                    rule="lineage-cycle",
                )
            )
    verdict = to_verdict(most_severe([f.severity for f in findings]))
    result = Judgement(verdict, _dedupe(findings), trace, used)
    memo[key] = result
    return result


def _licence_lineage(
    policy: Policy,
    node: Node,
    env: Env,
    depth: int,
    memo: dict[Any, Judgement],
    trace: list[str],
    used: set[int],
) -> list[Finding]:
    out: list[Finding] = []
    own_rank = effective_rank(node)
    for base in node.bases:
        bid = base.meta.repo_id or base.meta.id
        rel = relation_of(node.meta, bid)  # the edge's relation (a shared base node has none of its own)
        if not base.resolved:
            err = base.meta.error
            out.append(
                Finding(
                    "base-model-unresolved",
                    policy.name,
                    policy.settings.unresolved,
                    f"base model {bid} could not be resolved ({err.kind if err else 'unknown'}"
                    + (f": {err.message})" if err else ")"),
                    rule="base-model-unresolved",
                )
            )
            continue
        # a base is judged as the posture judges it directly: its waivers apply (and count as used)
        sub = apply_waivers(policy, base, judge(policy, base, env, depth - 1, memo), env)
        used |= sub.used_waivers
        expr = base.resolution.expression or "an unidentified licence"
        trace.append(f"{policy.name}: base model {bid} ({rel}, {expr}) -> {sub.verdict}")
        if sub.verdict in ("warn", "deny"):
            out.append(
                Finding(
                    "base-model-license",
                    policy.name,
                    sub.verdict,
                    f"base model {bid} ({expr}) is {sub.verdict} under {policy.name}",
                    rule="base-model-license",
                )
            )
        base_rank = effective_rank(base)
        if node.resolution.expression is not None and base_rank and own_rank > base_rank:
            out.append(
                Finding(
                    "license-mismatch",
                    policy.name,
                    "warn",
                    f"declares {node.resolution.expression} ({_category(node)}) but base model {bid} "
                    f"is {expr} ({_category(base)})",
                    rule="license-mismatch",
                )
            )
    return out


def _hidden_lineage(policy: Policy, node: Node, depth: int) -> list[Finding]:
    """What the followed lineage could not see: a chain cut at `depth`, or more bases (or training
    sets) than are followed. Both take the posture's `unresolved` action, so a chain of re-uploads or
    a flood of bases cannot hide an origin."""
    out: list[Finding] = []
    action = policy.settings.unresolved
    for cut, d in walk(node, depth).cut:
        where = "the model" if cut is node else f"base model {cut.meta.repo_id or cut.meta.id}"
        first = cut.meta.base_models[0]
        out.append(
            Finding(
                "lineage-truncated",
                policy.name,
                action,
                f"the base-model chain goes on past depth {d}: {where} names {first}; raise "
                "settings.lineage.depth or waive lineage-truncated",
                rule="lineage-truncated",
            )
        )
    for current in [node, *(a for a, _, _ in ancestors(node, depth))]:
        extra = [
            (what, len(items))
            for what, items, cap, used in (
                ("base models", current.meta.base_models, MAX_BASES, True),
                ("datasets", current.meta.datasets, MAX_REFS, _plan(policy).uses_datasets),
            )
            if used and len(items) > cap
        ]
        for what, _count in extra:
            cap = MAX_BASES if what == "base models" else MAX_REFS
            out.append(
                Finding(
                    "too-many-bases",
                    policy.name,
                    action,
                    f"{current.meta.repo_id or current.meta.id} names more than {cap} {what}; only the "
                    f"first {cap} were followed",
                    rule="too-many-bases",
                )
            )
    return out


class _Plan(NamedTuple):
    """What judging needs to know of a posture's rules, worked out once per posture, not once per model."""

    term_rules: tuple[Rule, ...]  # rules judged per licence term
    model_rules: tuple[tuple[Rule, bool, bool], ...]  # the others: (rule, origin rule, publisher-only)
    uses_datasets: bool


_PLANS: dict[int, tuple[Policy, _Plan]] = {}  # id(policy) -> (the policy, kept alive so the id is its own)


def _plan(policy: Policy) -> _Plan:
    got = _PLANS.get(id(policy))
    if got is None or got[0] is not policy:
        if len(_PLANS) >= 64:
            _PLANS.clear()
        plan = _Plan(
            tuple(r for r in policy.rules if r.per_term),
            tuple((r, r.origin, subjects(r.when) == {"publisher"}) for r in policy.rules if not r.per_term),
            _uses_datasets(policy),
        )
        got = _PLANS[id(policy)] = (policy, plan)
    return got[1]


def _uses_datasets(policy: Policy) -> bool:
    def walk_cond(cond: Cond) -> bool:
        if isinstance(cond, Nested):
            return cond.subject == "datasets" or walk_cond(cond.cond)
        if isinstance(cond, Combo):
            return any(walk_cond(c) for c in cond.items)
        return False

    return any(walk_cond(r.when) for r in policy.rules)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        k = (f.code, f.severity, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def evaluate(
    policies: Sequence[Policy], node: Node, env: Env, extra: Sequence[Finding] = ()
) -> tuple[dict[str, Verdict], list[Finding], list[str], dict[str, set[int]]]:
    """Every posture for one model: verdicts, findings (in posture order), trace, waivers used.
    `extra` findings found outside the rules (such as `license-changed`) are judged and waived alike."""
    verdicts: dict[str, Verdict] = {}
    findings: list[Finding] = []
    trace: list[str] = []
    used: dict[str, set[int]] = {}
    for policy in policies:
        judged = judge(policy, node, env)
        own = [f for f in extra if f.posture == policy.name]
        if own:
            merged = [*judged.findings, *own]
            verdict = to_verdict(most_severe([f.severity for f in merged]))
            judged = Judgement(verdict, merged, judged.trace, judged.used_waivers)
        result = apply_waivers(policy, node, judged, env)
        verdicts[policy.name] = result.verdict
        findings.extend(result.findings)
        trace.extend(result.trace)
        used[policy.name] = result.used_waivers
    return verdicts, findings, trace, used
