"""The human-readable report: a table of models and postures, the findings that matter, a summary."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from licensecheck.printable import printable

from ..model import Finding, ModelReport, Report
from .context import (
    RenderContext,
    baseline_counts,
    baseline_label,
    condition_suffixes,
    merged,
    plural,
)

_COLORS = {"deny": "\033[31m", "warn": "\033[33m", "allow": "\033[32m", "info": "\033[36m"}
_RESET = "\033[0m"
MAX_LICENSE = 42
WIDTH = 100  # long messages wrap here (the CLI passes the terminal's width, kept within 80-120)
_CONT = " " * 7  # continuation lines start under the posture column


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
    if m.resolution.licenses and all(f.category == "unknown" for f in m.resolution.licenses):
        expr = f"{expr} (category unknown)"
    if len(expr) > MAX_LICENSE:
        return expr[: MAX_LICENSE - 1] + "…"
    return expr


def _findings_lines(
    m: ModelReport, color: bool, verbose: bool, indent: str = "  ", width: int = WIDTH
) -> list[str]:
    """The model's findings that matter (warn, deny, waived; info with -v), each on one line (wrapped at
    `width`), the conditions of its licence once, and with -v the rule trace."""
    wanted = [
        f
        for f in m.findings
        if f.severity in ("warn", "deny") or (verbose and f.severity == "info") or f.waived is not None
    ]
    conds = condition_suffixes(m) if wanted else []
    shown = merged(wanted, [f" ({text})" for _, text in conds])
    out: list[str] = []
    for name, text in conds:
        head = "conditions: " if len(conds) == 1 else f"conditions of {printable(name)}: "
        out += _wrap(f"{indent}{head}", printable(text), width, indent + " " * len(head))
    for s in shown:
        f = s.finding
        tag = "waived" if f.waived else f.severity
        extra = f" (waived: {printable(f.waived.reason)})" if f.waived else ""
        first = (
            f"{indent}{_paint(tag, f.severity, color, 6)} {printable(f.posture):<15} {printable(f.code):<24} "
        )
        visible = len(f"{indent}{tag:<6} {printable(f.posture):<15} {printable(f.code):<24} ")
        lines = _wrap(" " * visible, printable(s.message) + extra, width, indent + _CONT)
        out += [first + lines[0][visible:], *lines[1:]]
    if verbose and (shown or m.trace):
        for t in m.trace:
            out += _wrap(f"{indent}trace  ", printable(t), width, indent + _CONT)
    return out


def _wrap(first: str, text: str, width: int, rest: str) -> list[str]:
    """`text` after `first`, wrapped at `width` with `rest` before each following line (never mid-word)."""
    return textwrap.wrap(
        text,
        width=max(width, len(first) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first]


def _row(m: ModelReport, postures: Sequence[str], baseline: bool = False) -> list[str]:
    row = [printable(m.meta.id), printable(licence_cell(m)), *[m.verdicts.get(p, "-") for p in postures]]
    if baseline:
        row.append(baseline_label(m) or "-")
    return row


def _table_line(row: list[str], widths: list[int], color: bool) -> str:
    cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
    cells += [_paint(v, v, color, widths[i + 2]) for i, v in enumerate(row[2:])]
    return "  ".join(cells).rstrip()


def _tail(
    notices: Sequence[Finding],
    summary: dict[str, int],
    postures: Sequence[str],
    color: bool,
    baseline: tuple[int, int] | None = None,
    ctx: RenderContext | None = None,
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
        f"{plural(summary['models'], 'model')}: {summary['allow']} allow, {summary['warn']} warn, "
        f"{summary['deny']} deny (postures: {printable(', '.join(postures))})",
    ]
    if baseline is not None:
        gating, exempt = baseline
        lines.append(
            f"baseline: {gating} new or relicensed (can fail the run), {exempt} exempt (unchanged since the baseline)"
        )
    if ctx is not None:
        lines.append(ctx.inputs_line())
    return lines


def render(
    report: Report, ctx: RenderContext, *, color: bool = False, verbose: bool = False, width: int = WIDTH
) -> str:
    postures = list(report.postures)
    marks = baseline_counts(report.models)
    rows = [_row(m, postures, marks is not None) for m in report.models]
    header = ["MODEL", "LICENCE", *[printable(p.upper()) for p in postures]]
    if marks is not None:
        header.append("BASELINE")
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += [_table_line(row, widths, color) for row in rows]
    details: list[str] = []
    for m in report.models:
        shown = _findings_lines(m, color, verbose, width=width)
        if shown:
            details += [_heading(m, ctx), *shown]
    if details:
        lines += ["", *details]
    lines += _tail(report.notices, report.summary(), postures, color, marks, ctx)
    return "\n".join(lines) + "\n"


def _heading(m: ModelReport, ctx: RenderContext | None) -> str:
    """`org/name (file:line, ...) [new]:` where the model comes from, and its baseline mark."""
    mark = baseline_label(m)
    return f"{printable(m.meta.id)}{_where(m, ctx)}{f' [{mark}]' if mark else ''}:"


def _where(m: ModelReport, ctx: RenderContext | None, limit: int = 3) -> str:
    """` (file:line, ...)`: where `scan` found the model referenced, or its line in the config's `models`."""
    places = ctx.locations(m) if ctx is not None else [(r.file, r.line) for r in m.references]
    refs = [f"{printable(file)}:{line}" for file, line in places]
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
    ctx: RenderContext | None = None,
    width: int = WIDTH,
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
        for line in _findings_lines(m, color, verbose, indent="    ", width=width):
            out.write(line + "\n")
    out.write("\n".join(_tail(notices(), summary, postures, color, None, ctx)) + "\n")
    return summary
