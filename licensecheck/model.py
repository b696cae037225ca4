"""Frozen values that flow through the pipeline: metadata, licence facts, findings, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from licensecheck.values import Value

Verdict = Literal["allow", "warn", "deny"]
Severity = Literal["allow", "info", "warn", "deny"]
CommercialUse = bool | Literal["conditional"] | None

SEVERITY_RANK: dict[str, int] = {"allow": 0, "info": 1, "warn": 2, "deny": 3}


def most_severe(severities: list[str] | tuple[str, ...], floor: str = "allow") -> str:
    """The most severe of `severities` (by SEVERITY_RANK), or `floor` when empty."""
    best = floor
    for sev in severities:
        if SEVERITY_RANK[sev] > SEVERITY_RANK[best]:
            best = sev
    return best


def to_verdict(severity: str) -> Verdict:
    """Map a finding severity to a verdict: info counts as allow."""
    if severity == "deny":
        return "deny"
    if severity == "warn":
        return "warn"
    return "allow"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LicenseFacts(Value):
    """What the knowledge base knows about one licence (DESIGN.md section 5)."""

    id: str
    name: str
    category: str = "unknown"
    osi_approved: bool = False
    fsf_libre: bool = False
    commercial_use: CommercialUse = None
    derivatives: bool | None = None
    use_restrictions: bool = False
    user_limit: int | None = None
    user_limit_basis: str | None = None  # what user_limit counts when not monthly active users
    attribution: str | None = None
    naming: str | None = None
    governing_law: str | None = None
    territory_exclusions: tuple[str, ...] = ()
    territory_exclusions_multimodal: tuple[str, ...] = ()  # excluded for multimodal models only
    export_clause: bool = False
    aliases: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    text_markers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    as_of: str | None = None
    deprecated: bool = False
    notes: str | None = None
    obligations: tuple[Obligation, ...] = ()
    verified: bool = False  # the knowledge base read the facts in the licence text (licenses.yaml)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "osi_approved": self.osi_approved,
            "fsf_libre": self.fsf_libre,
            "commercial_use": self.commercial_use,
            "derivatives": self.derivatives,
            "use_restrictions": self.use_restrictions,
            "user_limit": self.user_limit,
            "attribution": self.attribution,
            "naming": self.naming,
            "governing_law": self.governing_law,
            "territory_exclusions": list(self.territory_exclusions),
            "export_clause": self.export_clause,
            "aliases": list(self.aliases),
            "sources": list(self.sources),
            "as_of": self.as_of,
        }


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Obligation(Value):
    """Something a user of a licensed model must do (ship text, attribute, name, pass on an AUP...)."""

    kind: str
    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Listing(Value):
    """A restricted-party list a publisher is on."""

    list: str
    since: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Publisher(Value):
    """Who publishes a repository namespace: the registry's facts, or `known=False`."""

    org: str
    name: str | None = None
    country: str | None = None
    lists: tuple[Listing, ...] = ()
    sources: tuple[str, ...] = ()
    as_of: str | None = None
    known: bool = True
    kind: str | None = None  # company, university, ... or individual / community / re-uploader
    verified: bool = False  # the registry's facts were checked against a cited source
    evidence: str | None = None  # why an organisation is marked individual / community / re-uploader

    def as_json(self) -> dict[str, object]:
        return {
            "org": self.org,
            "name": self.name,
            "country": self.country,
            "lists": [{"list": li.list, "since": li.since, "source": li.source} for li in self.lists],
        }


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Declared(Value):
    """The raw licence fields as a card declares them (echoed in reports and lockfiles)."""

    license: str | tuple[str, ...] | None = None
    license_name: str | None = None
    license_link: str | None = None
    tags: tuple[str, ...] = ()
    invalid: str | None = None  # set when `license` has an unusable type (a number, a mapping...)

    def as_json(self) -> dict[str, object]:
        lic: object = list(self.license) if isinstance(self.license, tuple) else self.license
        return {"license": lic, "license_name": self.license_name, "license_link": self.license_link}


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Resolution(Value):
    """An SPDX expression (or None when unidentified) and how it was reached."""

    expression: str | None
    method: str
    licenses: tuple[LicenseFacts, ...] = ()
    detail: str | None = None
    evidence: tuple[str, ...] = ()  # what an inference relied on (quoted sentences, the name's words)
    flags: tuple[tuple[str, str], ...] = ()  # (code, message): warn findings in every posture


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FetchError(Value):
    """Why a model's metadata could not be read (DESIGN.md section 3 `error`)."""

    kind: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Reference(Value):
    """Where a model is referenced (a scanned file and line)."""

    file: str
    line: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ModelMeta(Value):
    """Everything a source knows about one model. `id` echoes the target as given."""

    id: str
    repo_id: str | None = None
    revision: str | None = None
    source: str = "local"
    declared: Declared = field(default_factory=Declared)
    author: str | None = None
    gated: bool | str | None = None
    base_models: tuple[str, ...] = ()
    base_relation: str | None = None
    datasets: tuple[str, ...] = ()
    parameters: int | None = None
    tags: tuple[str, ...] = ()
    pipeline_tag: str | None = None
    library_name: str | None = None
    last_modified: str | None = None
    eu_disallowed: bool = False
    lineage_documented: tuple[str, ...] = ()  # sources of bases taken from the lineage table
    license_text: str | None = None
    license_file: str | None = None
    fetched: str | None = None
    error: FetchError | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Waived(Value):
    """The waiver that turned a finding into info."""

    reason: str
    approved_by: str | None
    expires: str | None

    def as_json(self) -> dict[str, object]:
        return {"reason": self.reason, "approved_by": self.approved_by, "expires": self.expires}


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Finding(Value):
    """One thing a posture found about a model: a code, its severity and a message."""

    code: str
    posture: str
    severity: str
    message: str
    waived: Waived | None = None
    rule: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "posture": self.posture,
            "severity": "info" if self.severity == "allow" else self.severity,  # the contract: deny|warn|info
            "message": self.message,
            "waived": self.waived.as_json() if self.waived else None,
        }


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LineageEntry(Value):
    """One base model on a model's lineage, as reports list it."""

    id: str
    relation: str
    license: str | None
    depth: int = 1
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "relation": self.relation, "license": self.license, "depth": self.depth}


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ModelReport(Value):
    """One model judged: what was read, resolved and found, and a verdict per posture."""

    meta: ModelMeta
    resolution: Resolution
    publisher: Publisher | None
    lineage: tuple[LineageEntry, ...]
    references: tuple[Reference, ...]
    verdicts: dict[str, Verdict]
    findings: tuple[Finding, ...]
    trace: tuple[str, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    baseline: str | None = None  # new | changed | unchanged, with --baseline

    @property
    def gating(self) -> bool:
        """Whether this model's verdict can fail the run (all can, except unchanged ones under --baseline)."""
        return self.baseline != "unchanged"

    @property
    def verdict(self) -> Verdict:
        return to_verdict(most_severe(list(self.verdicts.values())))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Report(Value):
    """A whole audit: the postures, every model judged, and run-level notices."""

    postures: tuple[str, ...]
    models: tuple[ModelReport, ...]
    notices: tuple[Finding, ...] = ()

    def summary(self) -> dict[str, int]:
        counts = {"models": len(self.models), "allow": 0, "warn": 0, "deny": 0}
        for m in self.models:
            counts[m.verdict] += 1
        return counts

    def to_dict(self) -> dict[str, object]:
        """The report as `licensecheck check --format json` writes it (DESIGN.md section 3)."""
        from licensecheck._version import __version__
        from licensecheck.render.context import RenderContext
        from licensecheck.render.json import report_json

        return report_json(self, RenderContext(tool_version=__version__))
