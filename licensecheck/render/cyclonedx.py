"""CycloneDX 1.6 JSON (an ML-BOM) through cyclonedx-python-lib: a machine-learning-model per model."""

from __future__ import annotations

import re
import uuid

from cyclonedx.exception.model import InvalidUriException
from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType, Pedigree
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense, License, LicenseAcknowledgement, LicenseExpression
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.spdx import fixup_id
from packageurl import PackageURL

from licensecheck.model import LicenseFacts, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import RenderContext, hub_url, model_purl, split_repo_id

PREFIX = "licensecheck:"
INFORMATION_URI = "https://pypi.org/project/model-licensecheck/"

_SINGLE_ID = re.compile(r"[A-Za-z0-9.+-]+")


def render(report: Report, ctx: RenderContext) -> str:
    created = ctx.created_at()
    tool = Component(
        type=ComponentType.APPLICATION,
        name="licensecheck",
        version=printable(ctx.tool_version),
        external_references=_links(ExternalReferenceType.WEBSITE, INFORMATION_URI),
    )
    metadata = BomMetaData(
        timestamp=created,
        tools=ToolRepository(components=[tool]),
        properties=[Property(name=f"{PREFIX}posture", value=printable(p)) for p in report.postures],
    )
    models = (f"{m.meta.id}@{m.meta.revision or ''}" for m in report.models)
    seed = "\n".join([created.isoformat(), ctx.tool_version, *models])
    bom = Bom(serial_number=uuid.uuid5(uuid.NAMESPACE_URL, seed), metadata=metadata)
    taken: set[str] = set()
    for model in report.models:
        bom.components.add(_component(model, _unique(printable(model.meta.id), taken)))
    return str(JsonV1Dot6(bom).output_as_string(indent=2)) + "\n"


def _component(model: ModelReport, bom_ref: str) -> Component:
    meta = model.meta
    org, name = split_repo_id(meta.repo_id)
    res = model.resolution
    publisher = model.publisher
    supplier_name = (publisher.name or publisher.org) if publisher else meta.author
    purl = model_purl(meta.repo_id, meta.revision)
    component = Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        bom_ref=bom_ref,
        name=printable(name or meta.id),
        group=org,
        version=printable(meta.revision) if meta.revision else None,
        supplier=OrganizationalEntity(name=printable(supplier_name)) if supplier_name else None,
        publisher=printable(publisher.name) if publisher and publisher.name else None,
        purl=PackageURL.from_string(purl) if purl else None,
        licenses=_licenses(res.expression, res.licenses, meta.declared.license_link),
        external_references=[
            *_links(ExternalReferenceType.WEBSITE, hub_url(meta.repo_id)),
            *_links(ExternalReferenceType.LICENSE, meta.declared.license_link),
        ],
        properties=_properties(model),
    )
    ancestors = [_ancestor(e.id, e.license) for e in model.lineage if e.depth == 1]
    if ancestors:
        component.pedigree = Pedigree(ancestors=ancestors)
    return component


def _licenses(expression: str | None, facts: tuple[LicenseFacts, ...], link: str | None) -> list[License]:
    """The declared licence: an SPDX id, a named licence (LicenseRef- and the like) or an expression."""
    if expression is None:
        return []
    ack = LicenseAcknowledgement.DECLARED
    known = fixup_id(expression)
    if known:
        return [DisjunctiveLicense(id=known, acknowledgement=ack)]
    if not _SINGLE_ID.fullmatch(expression):
        return [LicenseExpression(printable(expression), acknowledgement=ack)]
    found = next((f for f in facts if f.id.lower() == expression.lower()), None)
    urls = [*(found.links if found else ()), *([link] if link else [])]
    url = next((u for u in (_uri(u) for u in urls) if u is not None), None)
    name = found.name if found else expression
    return [DisjunctiveLicense(name=printable(name), url=url, acknowledgement=ack)]


def _properties(model: ModelReport) -> list[Property]:
    meta, res = model.meta, model.resolution
    pairs: list[tuple[str, str]] = [("verdict", model.verdict)]
    pairs += [(f"verdict:{posture}", verdict) for posture, verdict in model.verdicts.items()]
    pairs += [("license", res.expression or "NOASSERTION"), ("license-method", res.method)]
    pairs.append(("source", meta.source))
    if meta.error is not None:
        pairs.append(("error", f"{meta.error.kind}: {meta.error.message}"))
    for f in model.findings:
        if f.severity in ("warn", "deny"):
            status = "waived" if f.waived else f.severity
            pairs.append((f"finding:{f.posture}", f"{status} {f.code}: {f.message}"))
    return [Property(name=printable(PREFIX + name), value=printable(value)) for name, value in pairs]


def _ancestor(model_id: str, expression: str | None) -> Component:
    org, name = split_repo_id(model_id)
    purl = model_purl(model_id, None)
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=printable(name or model_id),
        group=org,
        purl=PackageURL.from_string(purl) if purl else None,
        licenses=_licenses(expression, (), None),
        external_references=_links(ExternalReferenceType.WEBSITE, hub_url(model_id)),
    )


def _links(kind: ExternalReferenceType, url: str | None) -> list[ExternalReference]:
    uri = _uri(url)
    return [ExternalReference(type=kind, url=uri)] if uri is not None else []


def _uri(url: str | None) -> XsUri | None:
    """An http(s) URL the library accepts, or None."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    try:
        return XsUri(printable(url).strip())
    except InvalidUriException:
        return None


def _unique(candidate: str, taken: set[str]) -> str:
    unique, n = candidate or "model", 2
    while unique in taken:
        unique, n = f"{candidate}#{n}", n + 1
    taken.add(unique)
    return unique
