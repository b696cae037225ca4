"""The HTML report's chart: an inline SVG of licence categories (one bar each) stacked by verdict.

Colours come from the page's stylesheet (`assets/report.css`: the `bar` and `seg` classes).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping

from licensecheck.printable import printable

VERDICTS = ("allow", "warn", "deny")
LABEL_LIMIT = 24

# Chart geometry, in SVG user units.
_Y_TITLE = 26  # room for the rotated y-axis title
_LABEL_W = 178  # category labels
_PLOT_W = 600
_RIGHT = 44  # room for the totals after the bars
_LEGEND_H = 38
_ROW_H = 34
_BAR_H = 22
_AXIS_H = 54


def svg(by_category: Mapping[str, Counter[str]]) -> str:
    """A horizontal stacked bar chart: one bar per licence category, segments by overall verdict."""
    rows = sorted(by_category.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    top = max(sum(c.values()) for _, c in rows)
    step = _tick_step(top)
    axis_max = -(-top // step) * step
    scale = _PLOT_W / axis_max
    x0 = _Y_TITLE + _LABEL_W
    plot_top = _LEGEND_H
    plot_h = len(rows) * _ROW_H
    width = x0 + _PLOT_W + _RIGHT
    height = plot_top + plot_h + _AXIS_H
    desc = "; ".join(f"{name}: " + ", ".join(f"{c[v]} {v}" for v in VERDICTS if c[v]) for name, c in rows)
    out = [
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Audited models per licence category, stacked by overall verdict</title>',
        f'<desc id="chart-desc">{_e(desc)}</desc>',
    ]
    # legend
    lx = x0
    for v in VERDICTS:
        out.append(f'<rect class="bar {v}" x="{lx}" y="10" width="14" height="14" rx="2"/>')
        out.append(f'<text class="legend" x="{lx + 20}" y="22">{v}</text>')
        lx += 84
    # grid and x ticks
    for tick in range(0, axis_max + 1, step):
        x = x0 + tick * scale
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_top + plot_h}"/>')
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{plot_top + plot_h + 18}" text-anchor="middle">{tick}</text>'
        )
    # bars
    for i, (name, c) in enumerate(rows):
        y = plot_top + i * _ROW_H + (_ROW_H - _BAR_H) / 2
        mid = y + _BAR_H / 2 + 4.5
        label = name if len(name) <= LABEL_LIMIT else name[: LABEL_LIMIT - 1] + "…"
        out.append(
            f'<text class="cat" x="{x0 - 8}" y="{mid:.1f}" text-anchor="end"><title>{_e(name)}</title>'
            f"{_e(label)}</text>"
        )
        x = float(x0)
        for v in VERDICTS:
            n = c[v]
            if not n:
                continue
            w = n * scale
            out.append(
                f'<rect class="bar {v}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_BAR_H}">'
                f"<title>{_e(name)}: {n} {v}</title></rect>"
            )
            if w >= 18:
                out.append(
                    f'<text class="seg {v}" x="{x + w / 2:.1f}" y="{mid:.1f}" text-anchor="middle">{n}</text>'
                )
            x += w
        out.append(f'<text class="total" x="{x + 6:.1f}" y="{mid:.1f}">{sum(c.values())}</text>')
    # axes and their titles
    out.append(f'<line class="axis" x1="{x0}" y1="{plot_top}" x2="{x0}" y2="{plot_top + plot_h}"/>')
    out.append(
        f'<line class="axis" x1="{x0}" y1="{plot_top + plot_h}" x2="{x0 + _PLOT_W}" y2="{plot_top + plot_h}"/>'
    )
    out.append(
        f'<text class="axis-title" x="{x0 + _PLOT_W / 2:.1f}" y="{height - 10}" text-anchor="middle">'
        "Number of models</text>"
    )
    cy = plot_top + plot_h / 2
    out.append(
        f'<text class="axis-title" x="16" y="{cy:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {cy:.1f})">Licence category</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _tick_step(top: int) -> int:
    """A 1-2-5 step giving at most 10 ticks up to `top`."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if top / (m * magnitude) <= 10:
                return m * magnitude
        magnitude *= 10


def _e(value: object) -> str:
    return html.escape(printable(str(value)), quote=True)
