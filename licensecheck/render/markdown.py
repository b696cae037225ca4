"""A Markdown summary for pull-request comments and job summaries: a verdict table and the findings."""

from __future__ import annotations

import re

from licensecheck.model import Finding, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import (
    UNKNOWN_CATEGORY,
    RenderContext,
    baseline_counts,
    baseline_label,
    condition_suffixes,
    merged,
    plural,
)

CELL_LIMIT = 120
LINE_LIMIT = 500

_MARKERS = {"deny": "**deny**", "warn": "*warn*", "allow": "allow"}
_SPECIAL = re.compile(r"[\\|`*_\[\]<>&]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_CODE = re.compile(r"[a-z0-9][a-z0-9.-]*")


def render(report: Report, ctx: RenderContext) -> str:
    counts = report.summary()
    postures = ", ".join(_text(p, CELL_LIMIT) for p in report.postures) or "no posture"
    lines = [
        "## licensecheck",
        "",
        f"{plural(counts['models'], 'model')} checked against {postures}: "
        f"{counts['deny']} deny, {counts['warn']} warn, {counts['allow']} allow.",
    ]
    marks = baseline_counts(report.models)
    if marks is not None:
        lines.append(
            f"Baseline: {marks[0]} new or relicensed (can fail the run), {marks[1]} exempt (unchanged)."
        )
    lines.append("")
    if report.models:
        header = ["model", "licence", *(_text(p, CELL_LIMIT) for p in report.postures)]
        if marks is not None:
            header.append("baseline")
        lines.append(_row(header))
        lines.append(_row(["---"] * len(header)))
        lines += [_row(_cells(m, report.postures, marks is not None)) for m in report.models]
        lines.append("")
    findings = [(m, [f for f in m.findings if f.severity in ("warn", "deny")]) for m in report.models]
    if any(fs for _, fs in findings):
        lines += ["### Findings", ""]
        for m, fs in findings:
            if fs:
                refs = [_code(f"{file}:{line}", CELL_LIMIT) for file, line in ctx.locations(m)][:3]
                where = f" ({', '.join(refs)})" if refs else ""
                mark = baseline_label(m)
                lines.append(f"- **{_text(m.meta.id, CELL_LIMIT)}**{where}{f' *{mark}*' if mark else ''}")
                conds = condition_suffixes(m)
                for name, text in conds:
                    head = "conditions" if len(conds) == 1 else f"conditions of {_text(name, CELL_LIMIT)}"
                    lines.append(f"  - {head}: {_text(text, LINE_LIMIT)}")
                lines += [
                    f"  - {_finding(s.finding, s.message)}" for s in merged(fs, [f" ({t})" for _, t in conds])
                ]
        lines.append("")
    notices = [f for f in report.notices if f.severity != "allow"]
    if notices:
        lines += ["### Notices", ""]
        lines += [f"- {_finding(f)}" for f in notices]
        lines.append("")
    lines.append(
        f"<sub>licensecheck {_text(ctx.tool_version, 40)}; {_text(ctx.inputs_line(), LINE_LIMIT)}</sub>"
    )
    return "\n".join(lines) + "\n"


def _cells(model: ModelReport, postures: tuple[str, ...], baseline: bool = False) -> list[str]:
    meta = model.meta
    if meta.error is not None:
        licence = f"*unresolved: {_text(meta.error.kind, 40)}*"
    elif model.resolution.expression is None:
        licence = "*unidentified*"
    else:
        licence = licence_cell(model)
    verdicts = [_MARKERS.get(model.verdicts.get(p, ""), "n/a") for p in postures]
    row = [_text(meta.id, CELL_LIMIT), licence, *verdicts]
    if baseline:
        row.append(baseline_label(model) or "")
    return row


def licence_cell(model: ModelReport) -> str:
    """Each licence's name with its SPDX id or LicenseRef beside it (the expression's operators kept when
    it has several), and a licence with no recorded category said to be so."""
    terms = model.resolution.licenses
    expr = model.resolution.expression or ""
    names = {f.id: f for f in terms}
    if len(names) == 1:
        f = terms[0]
        cell = _named(f.name, f.id)
    else:
        cell = " ".join(
            _named(names[w].name, w) if w in names else _text(w, CELL_LIMIT) for w in expr.split()
        )
    if terms and all(f.category == "unknown" for f in terms):
        cell += f" ({UNKNOWN_CATEGORY})"
    return cell


def _code(value: str, limit: int) -> str:
    """`value` as a code span (backticks dropped, `|` escaped for tables)."""
    flat = " ".join(printable(value).split()).replace("`", "")
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f"`{flat.replace('|', chr(92) + '|')}`"


def _named(name: str, lid: str) -> str:
    code = _code(lid, CELL_LIMIT)
    if not name or name == lid:
        return code
    return f"{_text(name, CELL_LIMIT)} ({code})"


def _finding(finding: Finding, message: str | None = None) -> str:
    code = f"`{finding.code}`" if _CODE.fullmatch(finding.code) else _text(finding.code, 60)
    marker = "waived" if finding.waived else _MARKERS.get(finding.severity, _text(finding.severity, 10))
    text = finding.message if message is None else message
    line = f"{marker} {code} ({_text(finding.posture, 60)}): {_text(text, LINE_LIMIT)}"
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
