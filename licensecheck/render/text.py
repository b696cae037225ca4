"""The human-readable report: a table of models and postures, the findings that matter, a summary."""

from __future__ import annotations

from ..model import ModelReport, Report
from .context import RenderContext, printable

_COLORS = {"deny": "\033[31m", "warn": "\033[33m", "allow": "\033[32m", "info": "\033[36m"}
_RESET = "\033[0m"
MAX_LICENSE = 42


def _paint(text: str, sev: str, color: bool, width: int = 0) -> str:
    padded = text.ljust(width)
    if not color or sev not in _COLORS:
        return padded
    return f"{_COLORS[sev]}{padded}{_RESET}"


def licence_cell(m: ModelReport) -> str:
    if m.meta.error is not None:
        return f"(error: {m.meta.error.kind})"
    expr = m.resolution.expression
    if expr is None:
        return "(unidentified)"
    if len(m.resolution.licenses) == 1 and expr.startswith("LicenseRef-"):
        expr = m.resolution.licenses[0].name  # a readable name for a single custom licence
    if len(expr) > MAX_LICENSE:
        return expr[: MAX_LICENSE - 1] + "…"
    return expr


def render(report: Report, ctx: RenderContext, *, color: bool = False, verbose: bool = False) -> str:
    postures = list(report.postures)
    rows = [
        [printable(m.meta.id), printable(licence_cell(m)), *[m.verdicts.get(p, "-") for p in postures]]
        for m in report.models
    ]
    header = ["MODEL", "LICENCE", *[p.upper() for p in postures]]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip()]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [_paint(v, v, color, widths[i + 2]) for i, v in enumerate(row[2:])]
        lines.append("  ".join(cells).rstrip())
    details: list[str] = []
    for m in report.models:
        shown = [
            f
            for f in m.findings
            if f.severity in ("warn", "deny") or (verbose and f.severity == "info") or f.waived is not None
        ]
        if not shown:
            continue
        details.append(f"{printable(m.meta.id)}:")
        for f in shown:
            tag = "waived" if f.waived else f.severity
            extra = f" (waived: {printable(f.waived.reason)})" if f.waived else ""
            details.append(
                f"  {_paint(tag, f.severity, color, 6)} {f.posture:<15} {f.code:<24} {printable(f.message)}{extra}"
            )
    if details:
        lines += ["", *details]
    if report.notices:
        lines += ["", "Policy notices:"]
        lines += [
            f"  {_paint(n.severity, n.severity, color, 6)} {n.code:<24} {printable(n.message)}"
            for n in report.notices
        ]
    s = report.summary()
    lines += [
        "",
        f"{s['models']} models: {s['allow']} allow, {s['warn']} warn, {s['deny']} deny "
        f"(postures: {', '.join(postures)})",
    ]
    return "\n".join(lines) + "\n"
