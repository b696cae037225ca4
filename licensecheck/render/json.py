"""The JSON report (DESIGN.md section 3, schema_version 1)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from ..model import Finding, ModelReport, Report
from .context import RenderContext


def model_json(m: ModelReport) -> dict[str, Any]:
    meta = m.meta
    return {
        "id": meta.id,
        "revision": meta.revision,
        "source": meta.source,
        "declared": meta.declared.as_json(),
        "license": {
            "expression": m.resolution.expression,
            "method": m.resolution.method,
            "detail": m.resolution.detail,
            "licenses": [f.as_json() for f in m.resolution.licenses],
        },
        "publisher": {
            **m.publisher.as_json(),
            "known": m.publisher.known,
            "kind": m.publisher.kind,
            "verified": m.publisher.verified,
        }
        if m.publisher
        else None,
        "lineage": [e.as_json() for e in m.lineage],
        "references": [{"file": r.file, "line": r.line} for r in m.references],
        "verdicts": dict(m.verdicts),
        "verdict": m.verdict,
        "findings": [f.as_json() for f in m.findings],
        "obligations": [{"kind": o.kind, "text": o.text, "source": o.source} for o in m.obligations],
        "error": meta.error.as_json() if meta.error else None,
        "baseline": m.baseline,
    }


def report_json(report: Report, ctx: RenderContext) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "licensecheck", "version": ctx.tool_version},
        "postures": list(report.postures),
        "summary": report.summary(),
        "models": [model_json(m) for m in report.models],
        "notices": [f.as_json() for f in report.notices],
    }


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(report_json(report, ctx), indent=2, ensure_ascii=False) + "\n"


def stream(
    out: TextIO,
    postures: Sequence[str],
    models: Iterable[ModelReport],
    notices: Callable[[], Sequence[Finding]],
    ctx: RenderContext,
) -> dict[str, int]:
    """Write the report model by model (memory flat in the number of models); return the summary.

    The same document as `render`, except that `summary` follows `models` (it is known only at the end).
    """
    head = {
        "schema_version": 1,
        "tool": {"name": "licensecheck", "version": ctx.tool_version},
        "postures": list(postures),
    }
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "models": [')
    summary = {"models": 0, "allow": 0, "warn": 0, "deny": 0}
    for m in models:
        summary["models"] += 1
        summary[m.verdict] += 1
        text = json.dumps(model_json(m), indent=2, ensure_ascii=False)
        out.write(("\n" if summary["models"] == 1 else ",\n") + textwrap.indent(text, "    "))
    out.write("\n  ],\n" if summary["models"] else "],\n")
    out.write(f'  "summary": {json.dumps(summary)},\n')
    out.write(f'  "notices": {json.dumps([f.as_json() for f in notices()], ensure_ascii=False)}\n}}\n')
    return summary
