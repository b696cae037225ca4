"""The human-readable report: a table of models and postures, the findings that matter, a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from licensecheck.printable import printable

from ..model import Finding, ModelReport, Report
from .context import RenderContext

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


def _findings_lines(m: ModelReport, color: bool, verbose: bool, indent: str = "  ") -> list[str]:
    out = []
    for f in m.findings:
        if not (f.severity in ("warn", "deny") or (verbose and f.severity == "info") or f.waived is not None):
            continue
        tag = "waived" if f.waived else f.severity
        extra = f" (waived: {printable(f.waived.reason)})" if f.waived else ""
        out.append(
            f"{indent}{_paint(tag, f.severity, color, 6)} {printable(f.posture):<15} {printable(f.code):<24} "
            f"{printable(f.message)}{extra}"
        )
    return out


def _row(m: ModelReport, postures: Sequence[str]) -> list[str]:
    return [printable(m.meta.id), printable(licence_cell(m)), *[m.verdicts.get(p, "-") for p in postures]]


def _table_line(row: list[str], widths: list[int], color: bool) -> str:
    cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
    cells += [_paint(v, v, color, widths[i + 2]) for i, v in enumerate(row[2:])]
    return "  ".join(cells).rstrip()


def _tail(
    notices: Sequence[Finding], summary: dict[str, int], postures: Sequence[str], color: bool
) -> list[str]:
    lines: list[str] = []
    if notices:
        lines += ["", "Policy notices:"]
        lines += [
            f"  {_paint(n.severity, n.severity, color, 6)} {printable(n.code):<24} {printable(n.message)}"
            for n in notices
        ]
    lines += [
        "",
        f"{summary['models']} models: {summary['allow']} allow, {summary['warn']} warn, {summary['deny']} deny "
        f"(postures: {printable(', '.join(postures))})",
    ]
    return lines


def render(report: Report, ctx: RenderContext, *, color: bool = False, verbose: bool = False) -> str:
    postures = list(report.postures)
    rows = [_row(m, postures) for m in report.models]
    header = ["MODEL", "LICENCE", *[printable(p.upper()) for p in postures]]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += [_table_line(row, widths, color) for row in rows]
    details: list[str] = []
    for m in report.models:
        shown = _findings_lines(m, color, verbose)
        if shown:
            details += [f"{printable(m.meta.id)}{_where(m)}:", *shown]
    if details:
        lines += ["", *details]
    lines += _tail(report.notices, report.summary(), postures, color)
    return "\n".join(lines) + "\n"


def _where(m: ModelReport, limit: int = 3) -> str:
    """` (file:line, ...)`: where `scan` found the model referenced; empty for `check`."""
    refs = [f"{printable(r.file)}:{r.line}" for r in m.references or ()]
    if not refs:
        return ""
    more = f", +{len(refs) - limit} more" if len(refs) > limit else ""
    return f" ({', '.join(refs[:limit])}{more})"


STREAM_MODEL_WIDTH = 48


def stream(
    out: TextIO,
    postures: Sequence[str],
    models: Iterable[ModelReport],
    notices: Callable[[], Sequence[Finding]],
    *,
    color: bool = False,
    verbose: bool = False,
) -> dict[str, int]:
    """The table written row by row with fixed widths, each row's findings under it; return the summary."""
    header = ["MODEL", "LICENCE", *[printable(p.upper()) for p in postures]]
    widths = [STREAM_MODEL_WIDTH, MAX_LICENSE, *[max(len(p), 5) for p in postures]]
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
    summary = {"models": 0, "allow": 0, "warn": 0, "deny": 0}
    for m in models:
        summary["models"] += 1
        summary[m.verdict] += 1
        row = _row(m, postures)
        if len(row[0]) > STREAM_MODEL_WIDTH:
            row[0] = row[0][: STREAM_MODEL_WIDTH - 1] + "…"
        out.write(_table_line(row, widths, color) + "\n")
        for line in _findings_lines(m, color, verbose, indent="    "):
            out.write(line + "\n")
    out.write("\n".join(_tail(notices(), summary, postures, color)) + "\n")
    return summary
