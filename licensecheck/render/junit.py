"""JUnit XML for CI: a suite per posture, a test case per model (deny fails, an unreadable model errs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from licensecheck.model import Finding, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import RenderContext

MESSAGE_LIMIT = 1000


def render(report: Report, ctx: RenderContext) -> str:
    root = ET.Element("testsuites", name="licensecheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for posture in report.postures:
        suite = ET.SubElement(root, "testsuite", name=_clean(f"licensecheck.{posture}"))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for model in report.models:
            outcome = _testcase(suite, model, posture)
            counts["tests"] += 1
            if outcome:
                counts[outcome] += 1
        notices = _notices(report, posture)
        if notices:
            ET.SubElement(suite, "system-out").text = _lines(notices)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    root.append(ET.Comment(f" licensecheck {_clean(ctx.tool_version).replace('--', '- -')} "))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: ET.Element, model: ModelReport, posture: str) -> str | None:
    """Add the test case of `model` under `posture`; return the counter it adds to, if any."""
    case = ET.SubElement(suite, "testcase", classname=_clean(posture), name=_clean(model.meta.id))
    findings = [f for f in model.findings if f.posture == posture]
    denials = [f for f in findings if f.severity == "deny" and not f.waived]
    others = [f for f in findings if f not in denials and f.severity != "allow"]
    verdict = model.verdicts.get(posture)
    outcome: str | None = None
    if model.meta.error is not None:
        error = model.meta.error
        message = _clean(error.message, MESSAGE_LIMIT)
        node = ET.SubElement(case, "error", message=message, type=_clean(error.kind))
        node.text = _lines(denials) or _clean(error.message)
        outcome = "errors"
    elif verdict is None:
        ET.SubElement(case, "skipped", message=_clean(f"not judged under {posture}"))
        outcome = "skipped"
    elif verdict == "deny":
        first = denials[0].message if denials else f"denied under {posture}"
        more = f" (and {len(denials) - 1} more)" if len(denials) > 1 else ""
        node = ET.SubElement(case, "failure", message=_clean(first + more, MESSAGE_LIMIT), type="deny")
        node.text = _lines(denials) or _clean(first)
        outcome = "failures"
    if others:
        ET.SubElement(case, "system-out").text = _lines(others)
    return outcome


def _notices(report: Report, posture: str) -> list[Finding]:
    """Run-level findings (unused or expired waivers...) of `posture`; the first suite takes the rest."""
    first = posture == report.postures[0]
    return [f for f in report.notices if f.posture == posture or (first and f.posture not in report.postures)]


def _lines(findings: list[Finding]) -> str:
    out = []
    for f in findings:
        label = f"waived {f.severity}" if f.waived else f.severity
        line = f"{label} {f.code}: {f.message}"
        if f.waived:
            line += f" (waived: {f.waived.reason})"
        out.append(_clean(line))
    return "\n".join(out)


def _clean(text: str, limit: int | None = None) -> str:
    """Text XML 1.0 can carry, optionally cut to `limit` characters."""
    text = printable(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
