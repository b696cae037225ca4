"""The one report factory for tests: ModelReport and Report values built from a few arguments, and whole
reports judged offline from a lockfile (`audit_lock`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

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


def audit_lock(
    folder: Path,
    models: Mapping[str, Mapping[str, Any]],
    postures: Sequence[str] = (),
    *,
    policy_text: str | None = None,
    targets: Sequence[str] | None = None,
    datasets: Mapping[str, Mapping[str, Any]] | None = None,
    licenses: Sequence[Mapping[str, Any]] = (),
    publishers: Sequence[Mapping[str, Any]] = (),
    today: dt.date = dt.date(2026, 11, 29),
    uses: tuple[str, ...] = (),
) -> Report:
    """A judged report, offline: `models` (and `datasets`) written as a lockfile in `folder`, the shipped
    `postures` plus `policy_text` (written as folder/policy.yaml), the knowledge base extended with
    `licenses` and `publishers` as a config would. `targets` defaults to every model."""
    from licensecheck.engine import audit
    from licensecheck.engine.match import Env
    from licensecheck.licenses import facts
    from licensecheck.policy.document import load_policy
    from licensecheck.sources.lockfile import Lockfile

    lock = folder / "licensecheck.lock"
    doc: dict[str, Any] = {"version": 1, "models": dict(models)}
    if datasets:
        doc["datasets"] = dict(datasets)
    lock.write_text(yaml.safe_dump(doc), encoding="utf-8")
    specs = list(postures)
    if policy_text is not None:
        (folder / "policy.yaml").write_text(policy_text, encoding="utf-8")
        specs.append(str(folder / "policy.yaml"))
    src = Lockfile.read(lock)
    kb = facts.load().extend(licenses, publishers)
    sources = audit.Sources(models=src.fetch_many, datasets=src.fetch_datasets)
    chosen = list(models) if targets is None else list(targets)
    return audit.run(chosen, [load_policy(s) for s in specs], kb, sources, Env(kb, today, uses))
