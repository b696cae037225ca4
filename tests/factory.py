"""The one report factory for tests: ModelReport and Report values built from a few arguments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from licensecheck.model import (
    Finding,
    LicenseFacts,
    LineageEntry,
    ModelMeta,
    ModelReport,
    Obligation,
    Publisher,
    Reference,
    Report,
    Resolution,
)


def model_report(
    model_id: str,
    expression: str | None,
    verdicts: Mapping[str, str],
    findings: Sequence[Finding] = (),
    *,
    facts: Sequence[LicenseFacts] = (),
    publisher: Publisher | None = None,
    obligations: Sequence[Obligation] = (),
    lineage: Sequence[LineageEntry] = (),
    references: Sequence[Reference] = (),
    **meta: Any,
) -> ModelReport:
    """A judged model: `meta` are ModelMeta fields (repo_id defaults to the id, source to "hub")."""
    meta.setdefault("repo_id", model_id)
    meta.setdefault("source", "hub")
    return ModelReport(
        meta=ModelMeta(id=model_id, **meta),
        resolution=Resolution(expression, "hf-id" if expression else "none", tuple(facts)),
        publisher=publisher,  # type: ignore[arg-type]
        lineage=tuple(lineage),
        references=tuple(references),
        verdicts=dict(verdicts),  # type: ignore[arg-type]
        findings=tuple(findings),
        obligations=tuple(obligations),
    )


def report(postures: Sequence[str], *models: ModelReport, notices: Sequence[Finding] = ()) -> Report:
    return Report(postures=tuple(postures), models=tuple(models), notices=tuple(notices))
