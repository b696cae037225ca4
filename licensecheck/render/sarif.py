"""SARIF 2.1.0: a rule per finding code, a result per finding at the file:line where the model is used."""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import quote

from licensecheck.codes import describe
from licensecheck.model import Finding, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import RenderContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/model-licensecheck/"
FINGERPRINT_KEY = "licensecheck/v1"

_LEVELS = {"deny": "error", "warn": "warning", "info": "note"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")

Json = dict[str, object]


def render(report: Report, ctx: RenderContext) -> str:
    pending: list[tuple[ModelReport | None, Finding]] = [
        (m, f) for m in report.models for f in m.findings if f.severity in _LEVELS
    ]
    pending += [(None, f) for f in report.notices if f.severity in _LEVELS]
    codes = sorted({f.code for _, f in pending})
    index = {code: i for i, code in enumerate(codes)}
    fallback = _fallback_location(ctx)
    results = [_result(m, f, index[f.code], _config_location(m, ctx) or fallback) for m, f in pending]
    log: Json = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "licensecheck",
                        "version": ctx.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "results": results,
                "properties": {"postures": list(report.postures)},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(code: str) -> Json:
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", code)),
        "shortDescription": {"text": printable(describe(code))},
    }


def _result(model: ModelReport | None, finding: Finding, rule_index: int, fallback: Json | None) -> Json:
    subject = model.meta.id if model is not None else ""
    text = f"{finding.message} [{finding.posture}]"
    result: Json = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "note" if finding.waived else _LEVELS[finding.severity],
        "message": {"text": printable(f"{subject}: {text}" if subject else text)},
    }
    locations = _locations(model) if model is not None else []
    if not locations and fallback is not None:
        locations = [fallback]
    if locations:
        result["locations"] = locations
    # Notices have no model: their message tells them apart.
    seed = "\0".join((subject, finding.code, finding.posture, "" if model is not None else finding.message))
    digest = hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()
    result["partialFingerprints"] = {FINGERPRINT_KEY: digest}
    if finding.waived is not None:
        suppression: Json = {
            "kind": "external",
            "status": "accepted",
            "justification": printable(finding.waived.reason),
        }
        extra = {"approved_by": finding.waived.approved_by, "expires": finding.waived.expires}
        if any(extra.values()):
            suppression["properties"] = {k: printable(v) for k, v in extra.items() if v}
        result["suppressions"] = [suppression]
    props: Json = {"posture": finding.posture, "severity": finding.severity}
    if model is not None:
        props["model"] = printable(model.meta.id)
    result["properties"] = props
    return result


def _locations(model: ModelReport) -> list[Json]:
    """Where the model is referenced; a local model card checked by path is its own location."""
    refs = [(ref.file, ref.line) for ref in model.references]
    if not refs and model.meta.source == "local" and model.meta.id.lower().endswith(".md"):
        refs = [(model.meta.id, 1)]
    seen: set[tuple[str, int]] = set()
    out: list[Json] = []
    for file, line in refs:
        key = (_artifact_uri(file), max(1, line))
        if key[0] and key not in seen:
            seen.add(key)
            out.append(_location(*key))
    return out


def _config_location(model: ModelReport | None, ctx: RenderContext) -> Json | None:
    """The line of the config's `models:` that lists the model (for `check`, where nothing references it)."""
    if model is None or not ctx.config_path:
        return None
    line = ctx.config_line(model.meta.id)
    uri = _artifact_uri(ctx.config_path)
    return _location(uri, line) if line is not None and uri else None


def _fallback_location(ctx: RenderContext) -> Json | None:
    for path in (ctx.config_path, ctx.lockfile_path):
        if path and _artifact_uri(path):
            return _location(_artifact_uri(path), 1)
    return None


def _location(uri: str, line: int) -> Json:
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}}}


def _artifact_uri(path: str) -> str:
    """A file path as a URI reference: relative paths stay relative (to the repository root)."""
    posix = printable(path).replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    if _WINDOWS_DRIVE.match(posix):
        return "file:///" + posix[:2] + quote(posix[2:], safe="/")
    return quote(posix, safe="/")
