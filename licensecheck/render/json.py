"""The JSON report (DESIGN.md section 3, schema_version 1)."""

from __future__ import annotations

import json
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
    return dumps(report_json(report, ctx)) + "\n"


class _Unusual(Exception):
    """A value the fast writer leaves to json.dumps (a float, a non-string key, another type)."""


def dumps(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, character for character, about three times
    faster: with an indent, json.dumps takes its pure-Python encoder (a generator per container), and a
    report is tens of thousands of values. Floats and anything but str/int/bool/None, lists, tuples and
    dicts with string keys go to json.dumps itself."""
    parts: list[str] = []
    try:
        _write(value, parts, "\n")
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(parts)


_quote: Callable[[str], str] = json.encoder.encode_basestring


def _write(value: Any, parts: list[str], newline: str) -> None:
    """Append the JSON of `value` to `parts`; `newline` is a newline and the current indent."""
    if isinstance(value, str):
        parts.append(_quote(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            parts.append(sep)
            parts.append(_quote(key))
            parts.append(": ")
            _write(item, parts, inner)
            sep = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            parts.append(sep)
            _write(item, parts, inner)
            sep = "," + inner
        parts.append(newline + "]")
    else:
        raise _Unusual


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
    import textwrap

    out.write('  "models": [')
    summary = {"models": 0, "allow": 0, "warn": 0, "deny": 0}
    for m in models:
        summary["models"] += 1
        summary[m.verdict] += 1
        text = dumps(model_json(m))
        out.write(("\n" if summary["models"] == 1 else ",\n") + textwrap.indent(text, "    "))
    out.write("\n  ],\n" if summary["models"] else "],\n")
    out.write(f'  "summary": {json.dumps(summary)},\n')
    out.write(f'  "notices": {json.dumps([f.as_json() for f in notices()], ensure_ascii=False)}\n}}\n')
    return summary
