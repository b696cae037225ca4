"""Postures x resolved models -> findings -> verdicts (pure; DESIGN.md section 6 semantics)."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from licensecheck.engine.lineage import MAX_BASES, Node, ancestors, walk
from licensecheck.licenses import spdx
from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase
from licensecheck.model import SEVERITY_RANK, Finding, LicenseFacts, Verdict, Waived, most_severe, to_verdict
from licensecheck.policy.document import Combo, Cond, FactTest, Nested, Policy, Pred, Rule, Waiver, subjects
from licensecheck.sources.card import MAX_REFS

UNIDENTIFIED = LicenseFacts(id="NOASSERTION", name="unidentified licence", category="unknown")
LIST_FACTS = {"tags", "lists", "territory_exclusions", "aliases"}


@dataclass(frozen=True)
class Env:
    """What a run knows beyond the model: the knowledge base, today, and the declared uses."""

    kb: KnowledgeBase
    today: dt.date
    uses: tuple[str, ...] = ()


@dataclass
class Judgement:
    verdict: Verdict
    findings: list[Finding]
    trace: list[str] = field(default_factory=list)
    used_waivers: set[int] = field(default_factory=set)


# ---- facts of a context ---------------------------------------------------------------------------
def license_fact(term: LicenseFacts, fact: str, env: Env) -> Any:
    if fact == "governing_law_of_concern":
        return bool(term.governing_law and term.governing_law.upper() in env.kb.countries_of_concern)
    if fact == "territory_restricted":
        return bool(term.territory_exclusions)
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


def _test(value: Any, pred: Pred, glob: bool = False) -> bool:
    if isinstance(value, (list, tuple)):
        items = list(value)
        if pred.op == "eq":
            return pred.value in items
        if pred.op == "in":
            return any(v in items for v in pred.value)
        if pred.op == "not_in":
            return not any(v in items for v in pred.value)
        if pred.op == "matches":
            return any(isinstance(i, str) and fnmatch.fnmatch(i.lower(), pred.value.lower()) for i in items)
        return False
    if pred.op == "eq":
        if glob and isinstance(value, str) and isinstance(pred.value, str):
            return fnmatch.fnmatch(value.lower(), pred.value.lower())
        return bool(value == pred.value and type(value) is type(pred.value)) or (
            isinstance(value, str) and isinstance(pred.value, str) and value.lower() == pred.value.lower()
        )
    if pred.op == "in":
        return any(_test(value, Pred("eq", v), glob) for v in pred.value)
    if pred.op == "not_in":
        return not any(_test(value, Pred("eq", v), glob) for v in pred.value)
    if pred.op == "matches":
        return isinstance(value, str) and fnmatch.fnmatch(value.lower(), str(pred.value).lower())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    n = pred.value
    return bool({"gte": value >= n, "gt": value > n, "lte": value <= n, "lt": value < n}[pred.op])


@dataclass(frozen=True)
class Ctx:
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
        return any(_test(license_fact(t, test.fact, env), test.pred) for t in terms)
    if test.subject == "model":
        return _test(model_fact(ctx.node, test.fact), test.pred, glob=test.fact == "id")
    if test.subject == "publisher":
        return _test(publisher_fact(ctx.node, test.fact, env), test.pred)
    if test.subject == "context":
        return _test(list(env.uses), test.pred)
    return False


# ---- messages -------------------------------------------------------------------------------------
def label(term: LicenseFacts) -> str:
    if term is UNIDENTIFIED:
        return "the licence"
    return f"{term.name} ({term.id})" if spdx.is_license_ref(term.id) else term.id


def conditions(term: LicenseFacts) -> str:
    parts = []
    if term.user_limit:
        parts.append(f"user cap {term.user_limit:,} monthly active users")
    if term.use_restrictions:
        parts.append("acceptable-use restrictions passed downstream")
    if term.attribution:
        parts.append(f'attribution "{term.attribution}"')
    if term.naming:
        parts.append(f'derived names start with "{term.naming}"')
    if term.territory_exclusions:
        parts.append("excluded territories: " + ", ".join(term.territory_exclusions))
    return "; ".join(parts)


def publisher_label(node: Node) -> str:
    pub = node.publisher
    bits = [b for b in (pub.name, pub.country) if b]
    return f"{pub.org} ({', '.join(bits)})" if bits else (pub.org or "unknown")


def _message(rule: Rule, ctx: Ctx, env: Env) -> str:
    term = ctx.term
    text = rule.message or f"{{license}}: {rule.description or rule.code}"
    text = (
        text.replace("{license}", label(term) if term else "the licence")
        .replace("{model}", ctx.node.meta.id)
        .replace("{publisher}", publisher_label(ctx.node))
    )
    if (
        term is not None
        and rule.action in ("warn", "deny")
        and term.category == "community"
        and _tests_category(rule.when)
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


def _tests_category(cond: Cond) -> bool:
    if isinstance(cond, FactTest):
        return cond.subject == "license" and cond.fact == "category"
    if isinstance(cond, Combo):
        return any(_tests_category(c) for c in cond.items)
    return False


# ---- judging one model under one posture -----------------------------------------------------------
def _term_outcome(
    tree: spdx.Node, terms: dict[str, LicenseFacts], node: Node, policy: Policy, env: Env, trace: list[str]
) -> tuple[str, list[Finding]]:
    if isinstance(tree, spdx.Lic):
        term = terms.get(tree.key, UNIDENTIFIED)
        ctx = Ctx(node, term, policy.settings.depth)
        found = [
            Finding(r.code, policy.name, r.action, _message(r, ctx, env), rule=r.id)
            for r in policy.rules
            if r.per_term and holds(r.when, ctx, env)
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
        terms = {t.id: t for t in node.resolution.licenses}
        if any(r.per_term for r in policy.rules):
            _, term_findings = _term_outcome(_tree(node), terms, node, policy, env, trace)
            findings.extend(term_findings)
        follow = policy.settings.follow
        ctx = Ctx(node, None, depth)
        for rule in policy.rules:
            if rule.per_term:
                continue
            if holds(rule.when, ctx, env):
                findings.append(
                    Finding(rule.code, policy.name, rule.action, _message(rule, ctx, env), rule=rule.id)
                )
            if rule.origin and follow:
                # an unresolved base still has a publisher: the namespace of the id the card names
                pure = subjects(rule.when) == {"publisher"}
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
        rel = base.relation
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
                ("datasets", current.meta.datasets, MAX_REFS, _uses_datasets(policy)),
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


# ---- waivers ---------------------------------------------------------------------------------------
def _waiver_matches_model(w: Waiver, node: Node) -> bool:
    names = {node.meta.id.lower()}
    if node.meta.repo_id:
        names.add(node.meta.repo_id.lower())
        if node.meta.revision:
            names.add(f"{node.meta.repo_id}@{node.meta.revision}".lower())
    return any(fnmatch.fnmatch(n, pat.lower()) for pat in w.models for n in names)


def apply_waivers(policy: Policy, node: Node, result: Judgement, env: Env) -> Judgement:
    """Waive matching warn/deny findings (to info). Current waivers first, then expired ones, which waive
    nothing and add `waiver-expired` where they would have matched, whatever order the file lists them in."""
    findings = list(result.findings)
    used: set[int] = set(result.used_waivers)
    expired = [
        (i, w) for i, w in enumerate(policy.waivers) if w.expires is not None and w.expires < env.today
    ]
    current = [(i, w) for i, w in enumerate(policy.waivers) if (i, w) not in expired]
    for index, w in current:
        if not _waiver_matches_model(w, node):
            continue
        hits = [i for i, f in enumerate(findings) if f.severity in ("warn", "deny") and _names(f, w)]
        if not hits:
            continue
        used.add(index)
        waived = Waived(w.reason, w.approved_by, w.expires.isoformat() if w.expires else None)
        for i in hits:
            findings[i] = replace(findings[i], severity="info", waived=waived)
    for index, w in expired:
        if not _waiver_matches_model(w, node):
            continue
        if not any(
            (f.severity in ("warn", "deny") or f.waived is not None) and _names(f, w) for f in findings
        ):
            continue
        used.add(index)
        assert w.expires is not None
        findings.append(
            Finding(
                "waiver-expired",
                policy.name,
                "warn",
                f"waiver for {', '.join(w.rules)} expired on {w.expires.isoformat()}: {w.reason}",
                rule="waiver-expired",
            )
        )
    verdict = to_verdict(most_severe([f.severity for f in findings]))
    return Judgement(verdict, findings, result.trace, used)


def _names(finding: Finding, waiver: Waiver) -> bool:
    return finding.rule in waiver.rules or finding.code in waiver.rules


def unused_waivers(policies: Sequence[Policy], used: dict[str, set[int]]) -> list[Finding]:
    """A notice per waiver that matched nothing. A waiver shared by several postures (from the config)
    counts as used when it matched under any of them, and is reported once."""
    used_ids = {id(p.waivers[i]) for p in policies for i in used.get(p.name, set())}
    reported: set[int] = set()
    out = []
    for policy in policies:
        for w in policy.waivers:
            if id(w) in used_ids or id(w) in reported:
                continue
            reported.add(id(w))
            out.append(
                Finding(
                    "waiver-unused",
                    policy.name,
                    "warn",
                    f"{w.pos[0]}:{w.pos[1]}: waiver for {', '.join(w.models)} / {', '.join(w.rules)} "
                    f"matched no finding",
                    rule="waiver-unused",
                )
            )
    return out


def evaluate(
    policies: Sequence[Policy], node: Node, env: Env
) -> tuple[dict[str, Verdict], list[Finding], list[str], dict[str, set[int]]]:
    """Every posture for one model: verdicts, findings (in posture order), trace, waivers used."""
    verdicts: dict[str, Verdict] = {}
    findings: list[Finding] = []
    trace: list[str] = []
    used: dict[str, set[int]] = {}
    for policy in policies:
        result = apply_waivers(policy, node, judge(policy, node, env), env)
        verdicts[policy.name] = result.verdict
        findings.extend(result.findings)
        trace.extend(result.trace)
        used[policy.name] = result.used_waivers
    return verdicts, findings, trace, used
