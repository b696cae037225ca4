"""The JSON report (DESIGN.md section 3, schema_version 1)."""

from __future__ import annotations

import json
from typing import Any

from ..model import ModelReport, Report
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
        "publisher": {**m.publisher.as_json(), "known": m.publisher.known} if m.publisher else None,
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
