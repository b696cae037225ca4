"""What a user of an allowed or warned model must do, derived from its licences' facts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from licensecheck.licenses import spdx
from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase
from licensecheck.licenses.normalize import normalize_license_string
from licensecheck.model import LicenseFacts, ModelReport, Obligation, Report, Resolution

KIND_ORDER = (
    "license-text",
    "notice-of-modification",
    "attribution",
    "naming",
    "aup",
    "user-cap",
    "registration",
    "distill",
)


def _synthesized(facts: LicenseFacts) -> list[Obligation]:
    """Obligations implied by facts when the knowledge base lists none of that kind."""
    out = [Obligation("license-text", f"Ship the text of {facts.name} ({facts.id}) with the model.")]
    if facts.attribution:
        out.append(Obligation("attribution", f'Display "{facts.attribution}".'))
    if facts.naming:
        out.append(Obligation("naming", f'Names of derived models must begin with "{facts.naming}".'))
    if facts.use_restrictions:
        out.append(Obligation("aup", f"Pass the use restrictions of {facts.name} on to your users."))
    if facts.user_limit:
        out.append(
            Obligation(
                "user-cap", f"Above {facts.user_limit:,} monthly active users a separate licence is needed."
            )
        )
    return out


def for_licence(facts: LicenseFacts) -> list[Obligation]:
    source = facts.sources[0] if facts.sources else None
    listed = [replace(o, source=o.source or source) for o in facts.obligations]
    kinds = {o.kind for o in listed}
    extra = [replace(o, source=source) for o in _synthesized(facts) if o.kind not in kinds]
    both = listed + extra
    return sorted(both, key=lambda o: KIND_ORDER.index(o.kind) if o.kind in KIND_ORDER else len(KIND_ORDER))


def usable(model: ModelReport, licence_postures: Sequence[str] = ()) -> bool:
    """Allowed or warned by at least one licence posture (all postures when none is a licence posture)."""
    names = [p for p in licence_postures if p in model.verdicts] or list(model.verdicts)
    return model.meta.error is None and any(model.verdicts[n] != "deny" for n in names)


def terms_in_force(resolution: Resolution) -> list[LicenseFacts]:
    """The licence terms a user must honour: every term of an AND, and of an OR the most permissive
    branch (the one a licence posture takes; the others need not be honoured)."""
    facts = {f.id: f for f in resolution.licenses}
    if resolution.expression is None:
        return []
    try:
        tree = spdx.parse(resolution.expression)
    except spdx.ExpressionError:
        return list(resolution.licenses)

    def rank(node: spdx.Node) -> int:
        if isinstance(node, spdx.Lic):
            return CATEGORY_RANK.get(facts[node.key].category if node.key in facts else "unknown", 0)
        ranks = [rank(a) for a in node.args]
        return min(ranks) if node.op == "AND" else max(ranks)

    def walk(node: spdx.Node) -> list[LicenseFacts]:
        if isinstance(node, spdx.Lic):
            return [facts[node.key]] if node.key in facts else []
        if node.op == "AND":
            return [f for a in node.args for f in walk(a)]
        return walk(max(node.args, key=rank))

    return walk(tree)


def for_model(
    model: ModelReport, licence_postures: Sequence[str] = (), kb: KnowledgeBase | None = None
) -> tuple[Obligation, ...]:
    """Obligations of the licence terms in force, then those of base models' licences (a fine-tune or
    re-upload carries them, whatever its own card says), for models some licence posture allows or warns."""
    if not usable(model, licence_postures):
        return ()
    seen: set[tuple[str, str]] = set()
    out: list[Obligation] = []

    def add(terms: Sequence[LicenseFacts], prefix: str = "") -> None:
        for facts in terms:
            if facts.category in ("public-domain", "unknown"):
                continue
            for o in for_licence(facts):
                text = f"{prefix}{o.text}"
                if (o.kind, text) not in seen:
                    seen.add((o.kind, text))
                    out.append(replace(o, text=text))

    add(terms_in_force(model.resolution))
    own = {f.id for f in model.resolution.licenses}
    for entry in model.lineage:
        if entry.license is None or entry.error is not None:
            continue
        base = normalize_license_string(entry.license, kb)
        if {f.id for f in base.licenses} <= own:
            continue  # the same licence as the model's own: already listed
        add(terms_in_force(base), f"(from base model {entry.id}) ")
    return tuple(out)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]#!|~$"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md(text: object) -> str:
    """`text` as inert Markdown on one line: no line breaks or control characters (printable), and the
    characters that make links, images, emphasis, code, HTML or entities escaped."""
    from licensecheck.printable import printable

    return printable(str(text)).translate(_MD_SPECIAL)


def _md_link(url: str) -> str:
    """An https URL as an autolink when it is plainly one, else escaped text."""
    if re.fullmatch(r"https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/+=:@-]*)?", url):
        return f"<{url}>"
    return md(url)


def notice(report: Report, tool_version: str) -> str:
    """THIRD_PARTY_MODELS.md: a notice a product can ship. Every value from a card or lockfile is
    escaped (md), so a hostile field cannot add links, images, HTML or lines to the notice."""
    from licensecheck.render.context import hub_url

    lines = [
        "# Third-party models",
        "",
        "This product uses the following AI models. Each is listed with its licence and what its licence",
        f"asks of us and of you. Generated by licensecheck {md(tool_version)}; review before shipping.",
        "",
    ]
    for m in report.models:
        if not m.obligations:
            continue
        meta = m.meta
        lines.append(f"## {md(meta.repo_id or meta.id)}")
        lines.append("")
        url = hub_url(meta.repo_id)
        if url:
            rev = f" (revision {md(meta.revision)})" if meta.revision else ""
            lines.append(f"- Source: <{url}>{rev}")
        expr = m.resolution.expression or "NOASSERTION"
        names = "; ".join(f"{f.name}" for f in m.resolution.licenses)
        lines.append(f"- Licence: {md(expr)}" + (f" ({md(names)})" if names else ""))
        for f in m.resolution.licenses:
            if f.sources:
                lines.append(f"- Licence source: {_md_link(f.sources[0])}")
        if m.obligations:
            lines.append("- Obligations:")
            for o in m.obligations:
                lines.append(f"  - **{md(o.kind)}**: {md(o.text)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_text(models: Sequence[ModelReport]) -> str:
    lines: list[str] = []
    for m in models:
        head = f"{m.meta.id}  [{m.resolution.expression or 'unidentified'}; {m.verdict}]"
        lines.append(head)
        if m.meta.error is not None:
            lines.append(f"  unresolved ({m.meta.error.kind}): no obligations can be listed")
        elif not m.obligations and m.verdict == "deny":
            lines.append("  denied by every licence posture: no obligations listed (not to be used as is)")
        elif not m.obligations:
            lines.append("  no obligations recorded")
        for o in m.obligations:
            src = f"  (source: {o.source})" if o.source else ""
            lines.append(f"  - {o.kind}: {o.text}{src}")
        lines.append("")
    from licensecheck.printable import printable

    return "\n".join(printable(line) for line in lines)
