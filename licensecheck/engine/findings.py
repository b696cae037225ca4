"""What becomes of a posture's findings once judged: their wording (licence and publisher labels), and
the waivers that downgrade them, expire, or match nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from licensecheck.engine.lineage import Node
from licensecheck.engine.patterns import model_matches
from licensecheck.licenses import spdx
from licensecheck.model import Finding, LicenseFacts, Verdict, Waived, most_severe, to_verdict
from licensecheck.policy.document import Combo, Cond, FactTest, Policy, Waiver

if TYPE_CHECKING:
    from licensecheck.engine.match import Env

UNIDENTIFIED = LicenseFacts(id="NOASSERTION", name="unidentified licence", category="unknown")


@dataclass
class Judgement:
    """One posture's verdict of one model, its findings, trace and the waivers used."""

    verdict: Verdict
    findings: list[Finding]
    trace: list[str] = field(default_factory=list)
    used_waivers: set[int] = field(default_factory=set)


# ---- messages ------------------------------------------------------------------------------------
def label(term: LicenseFacts) -> str:
    if term is UNIDENTIFIED:
        return "the licence"
    if spdx.is_license_ref(term.id) and term.name and term.name != term.id:
        return f"{term.name} ({term.id})"
    return term.id


def conditions(term: LicenseFacts) -> str:
    parts = []
    if term.user_limit:
        basis = (term.user_limit_basis or "monthly-active-users").replace("-", " ").replace("_", " ")
        parts.append(f"user cap {term.user_limit:,} {basis}")
    if term.use_restrictions:
        parts.append("acceptable-use restrictions passed downstream")
    if term.attribution:
        parts.append(f'attribution "{term.attribution}"')
    if term.naming:
        parts.append(f'derived names start with "{term.naming}"')
    if term.territory_exclusions:
        parts.append("excluded territories: " + ", ".join(term.territory_exclusions))
    if term.territory_exclusions_multimodal:
        parts.append(
            "excluded territories for multimodal models: " + ", ".join(term.territory_exclusions_multimodal)
        )
    return "; ".join(parts)


def publisher_label(node: Node) -> str:
    pub = node.publisher
    same = bool(pub.name and pub.org and pub.name.strip().lower() == pub.org.strip().lower())
    bits = [b for b in (None if same else pub.name, pub.country) if b]
    return f"{pub.org} ({', '.join(bits)})" if bits else (pub.org or "unknown")


def tests_category(cond: Cond) -> bool:
    if isinstance(cond, FactTest):
        return cond.subject == "license" and cond.fact == "category"
    if isinstance(cond, Combo):
        return any(tests_category(c) for c in cond.items)
    return False


# ---- waivers ---------------------------------------------------------------------------------------
def _waiver_matches_model(w: Waiver, node: Node) -> bool:
    return model_matches(w.models, node.meta)


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
