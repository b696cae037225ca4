"""A Markdown summary for pull-request comments and job summaries: a verdict table and the findings."""

from __future__ import annotations

import re

from licensecheck.model import Finding, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import RenderContext

CELL_LIMIT = 120
LINE_LIMIT = 500

_MARKERS = {"deny": "**deny**", "warn": "*warn*", "allow": "allow"}
_SPECIAL = re.compile(r"[\\|`*_\[\]<>&]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_CODE = re.compile(r"[a-z0-9][a-z0-9.-]*")


def render(report: Report, ctx: RenderContext) -> str:
    counts = report.summary()
    noun = "model" if counts["models"] == 1 else "models"
    postures = ", ".join(_text(p, CELL_LIMIT) for p in report.postures) or "no posture"
    lines = [
        "## licensecheck",
        "",
        f"{counts['models']} {noun} checked against {postures}: "
        f"{counts['deny']} deny, {counts['warn']} warn, {counts['allow']} allow.",
        "",
    ]
    if report.models:
        header = ["model", "licence", *(_text(p, CELL_LIMIT) for p in report.postures)]
        lines.append(_row(header))
        lines.append(_row(["---"] * len(header)))
        lines += [_row(_cells(m, report.postures)) for m in report.models]
        lines.append("")
    findings = [(m, [f for f in m.findings if f.severity in ("warn", "deny")]) for m in report.models]
    if any(fs for _, fs in findings):
        lines += ["### Findings", ""]
        for m, fs in findings:
            if fs:
                refs = [
                    f"`{_text(r.file, CELL_LIMIT).replace('`', '')}:{r.line}`" for r in m.references or ()
                ][:3]
                where = f" ({', '.join(refs)})" if refs else ""
                lines.append(f"- **{_text(m.meta.id, CELL_LIMIT)}**{where}")
                lines += [f"  - {_finding(f)}" for f in fs]
        lines.append("")
    notices = [f for f in report.notices if f.severity != "allow"]
    if notices:
        lines += ["### Notices", ""]
        lines += [f"- {_finding(f)}" for f in notices]
        lines.append("")
    lines.append(f"<sub>licensecheck {_text(ctx.tool_version, 40)}</sub>")
    return "\n".join(lines) + "\n"


def _cells(model: ModelReport, postures: tuple[str, ...]) -> list[str]:
    meta = model.meta
    if meta.error is not None:
        licence = f"*unresolved: {_text(meta.error.kind, 40)}*"
    elif model.resolution.expression is None:
        licence = "*unknown*"
    else:
        licence = _text(model.resolution.expression, CELL_LIMIT)
    verdicts = [_MARKERS.get(model.verdicts.get(p, ""), "n/a") for p in postures]
    return [_text(meta.id, CELL_LIMIT), licence, *verdicts]


def _finding(finding: Finding) -> str:
    code = f"`{finding.code}`" if _CODE.fullmatch(finding.code) else _text(finding.code, 60)
    marker = "waived" if finding.waived else _MARKERS.get(finding.severity, _text(finding.severity, 10))
    line = f"{marker} {code} ({_text(finding.posture, 60)}): {_text(finding.message, LINE_LIMIT)}"
    if finding.waived:
        line += f" (waived: {_text(finding.waived.reason, CELL_LIMIT)})"
    return line


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _text(value: str, limit: int) -> str:
    """`value` on one line, at most `limit` characters, with Markdown and HTML specials escaped."""
    flat = " ".join(printable(value).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), flat)
