"""`licensecheck explain`: the facts behind a licence, or the facts, lineage and rule trace behind a model."""

from __future__ import annotations

from licensecheck.codes import describe
from licensecheck.licenses.normalize import normalize_license_string
from licensecheck.model import LicenseFacts, ModelReport, Publisher
from licensecheck.printable import printable


def _facts_lines(f: LicenseFacts, indent: str = "  ") -> list[str]:
    rows = [
        ("id", f.id),
        ("name", f.name),
        ("category", f.category),
        ("osi_approved", f.osi_approved),
        ("fsf_libre", f.fsf_libre),
        ("commercial_use", f.commercial_use),
        ("derivatives", f.derivatives),
        ("use_restrictions", f.use_restrictions),
        ("user_limit", f"{f.user_limit:,}" if f.user_limit else None),
        ("attribution", f.attribution),
        ("naming", f.naming),
        ("governing_law", f.governing_law),
        ("territory_exclusions", ", ".join(f.territory_exclusions) or None),
        ("export_clause", f.export_clause),
        ("aliases", ", ".join(f.aliases) or None),
        ("as_of", f.as_of),
        ("notes", f.notes),
    ]
    lines = [f"{indent}{k + ':':<22}{v}" for k, v in rows if v is not None and v != ""]
    for src in f.sources:
        lines.append(f"{indent}{'source:':<22}{src}")
    for o in f.obligations:
        lines.append(f"{indent}{'obligation:':<22}[{o.kind}] {o.text}")
    return lines


def explain_license(text: str) -> str:
    res = normalize_license_string(text)
    lines = [f"{text} -> {res.expression or '(unidentified)'} (via {res.method})"]
    if res.detail:
        lines.append(f"  {res.detail}")
    for quote in res.evidence:
        lines.append(f"  evidence: {quote}")
    for f in res.licenses:
        lines.append("")
        lines.extend(_facts_lines(f))
    return "\n".join(printable(line) for line in lines) + "\n"


def unknown_license_hint(text: str) -> str | None:
    """What to try when `text` names no licence the knowledge base knows (None when it does)."""
    from licensecheck.licenses.normalize import kb
    from licensecheck.schema.located import suggest

    if normalize_license_string(text).expression is not None:
        return None
    base = kb()
    names = sorted({*base.hub_ids, *base.aliases, *base.custom, *base.spdx_explicit})
    close = suggest(text.strip().lower(), [n.lower() for n in names])
    return (
        f"'{text}' is not a licence licensecheck knows{close}: give an SPDX id or expression (MIT, "
        "Apache-2.0 OR MIT), a Hub licence id (llama3.1, gemma) or a licence name; a model is org/name"
    )


def _publisher_line(p: Publisher) -> str:
    """`org`, then the publisher's name when it says more than the org, country, registry and lists."""
    name = p.name if p.name and p.name.strip().lower() != p.org.strip().lower() else ""
    known = "" if p.known else " (not in the publisher registry)"
    lists = "; ".join(f"{li.list} since {li.since}" for li in p.lists)
    text = " ".join(b for b in (p.org, name, p.country or "") if b) + known
    return text + (f" [{lists}]" if lists else "")


def explain_model(m: ModelReport) -> str:
    meta = m.meta
    lines = [f"{meta.id}", f"  source:     {meta.source}" + (f" @ {meta.revision}" if meta.revision else "")]
    if meta.error:
        lines.append(f"  error:      {meta.error.kind}: {meta.error.message}")
    d = meta.declared
    lines.append(
        f"  declared:   license={d.license!r} license_name={d.license_name!r} license_link={d.license_link!r}"
    )
    lines.append(f"  licence:    {m.resolution.expression or '(unidentified)'} (via {m.resolution.method})")
    if m.resolution.detail:
        lines.append(f"              {m.resolution.detail}")
    for quote in m.resolution.evidence:
        lines.append(f"    evidence: {quote}")
    if m.publisher:
        lines.append(f"  publisher:  {_publisher_line(m.publisher)}")
    for e in m.lineage:
        lines.append(
            f"  lineage:    {'  ' * (e.depth - 1)}{e.relation} of {e.id}: {e.license or '(unidentified)'}"
            + (f" [error: {e.error}]" if e.error else "")
        )
    for f in m.resolution.licenses:
        lines.append("")
        lines.append(f"  facts of {f.id}:")
        lines.extend(_facts_lines(f, "    "))
    lines.append("")
    for posture, verdict in m.verdicts.items():
        lines.append(f"  {posture}: {verdict.upper()}")
        for finding in m.findings:
            if finding.posture != posture:
                continue
            waived = f" (waived: {finding.waived.reason})" if finding.waived else ""
            lines.append(f"    {finding.severity:<5} {finding.code}: {finding.message}{waived}")
            lines.append(f"          ({describe(finding.code)})")
        for t in m.trace:
            if t.startswith(f"{posture}:"):
                lines.append(f"    trace {t.split(': ', 1)[1]}")
    return "\n".join(printable(line) for line in lines) + "\n"
