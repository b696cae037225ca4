"""SPDX 2.3 JSON through spdx-tools: a package per model, every LicenseRef- declared, validated on the way."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from license_expression import LicenseSymbol, LicenseWithExceptionSymbol
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.annotation import Annotation, AnnotationType
from spdx_tools.spdx.model.document import CreationInfo, Document
from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo
from spdx_tools.spdx.model.package import (
    ExternalPackageRef,
    ExternalPackageRefCategory,
    Package,
    PackagePurpose,
)
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.validation.uri_validators import validate_url
from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

from licensecheck.model import LicenseFacts, ModelReport, Report
from licensecheck.printable import printable
from licensecheck.render.context import RenderContext, hub_url, model_purl

DOCUMENT_ID = "SPDXRef-DOCUMENT"
NAMESPACE_BASE = "https://spdx.org/spdxdocs/licensecheck-"
REF_PREFIX = "LicenseRef-"

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
_LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.-]+")


@dataclass
class _Refs:
    """The LicenseRef- ids a document uses: the licence key each stands for and what is known of it."""

    keys: dict[str, str] = field(default_factory=dict)
    facts: dict[str, LicenseFacts] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)


def render(report: Report, ctx: RenderContext) -> str:
    created = ctx.created_at()
    tool = Actor(ActorType.TOOL, f"licensecheck-{printable(ctx.tool_version)}")
    seed = "\n".join([created.isoformat(), ctx.tool_version, *(_seed(m) for m in report.models)])
    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id=DOCUMENT_ID,
        name="licensecheck-models",
        document_namespace=NAMESPACE_BASE + str(uuid.uuid5(uuid.NAMESPACE_URL, seed)),
        creators=[tool],
        created=created,
        creator_comment=printable(f"Licence audit of AI models under: {', '.join(report.postures) or '-'}."),
    )
    document = Document(creation)
    refs = _Refs()
    taken: set[str] = set()
    ids: dict[str, str] = {}  # model id (and Hub id) -> SPDXID of its first package, for lineage
    packages: list[tuple[ModelReport, str]] = []
    for model in report.models:
        spdx_id = _unique(f"SPDXRef-Model-{_safe(model.meta.id)}", taken)
        packages.append((model, spdx_id))
        for key in (model.meta.id, model.meta.repo_id):
            if key:
                ids.setdefault(key, spdx_id)
        document.packages.append(_package(model, spdx_id, refs))
        document.relationships.append(Relationship(DOCUMENT_ID, RelationshipType.DESCRIBES, spdx_id))
        document.annotations.extend(_annotations(model, spdx_id, tool, created))
    if not report.models:  # a document must describe something: say that it describes nothing
        document.relationships.append(Relationship(DOCUMENT_ID, RelationshipType.DESCRIBES, SpdxNone()))
    for model, spdx_id in packages:
        for entry in model.lineage:
            base = ids.get(entry.id)
            if entry.depth == 1 and base is not None and base != spdx_id:
                rel = Relationship(spdx_id, RelationshipType.DESCENDANT_OF, base, printable(entry.relation))
                document.relationships.append(rel)
    document.extracted_licensing_info = [_extracted(ref, refs) for ref in sorted(refs.keys)]
    problems = validate_full_spdx_document(document)
    if problems:
        detail = "; ".join(str(p.validation_message) for p in problems)
        raise RuntimeError(f"licensecheck built an invalid SPDX document: {detail}")
    out = io.StringIO()
    write_document_to_stream(document, out, validate=False)
    return out.getvalue() + "\n"


def _package(model: ModelReport, spdx_id: str, refs: _Refs) -> Package:
    meta = model.meta
    page = hub_url(meta.repo_id)
    declared, comment = _declared(model, refs)
    supplier_name = (model.publisher.name or model.publisher.org) if model.publisher else meta.author
    package = Package(
        spdx_id=spdx_id,
        name=printable(meta.id),
        download_location=page if page else SpdxNoAssertion(),
        version=printable(meta.revision) if meta.revision else None,
        supplier=Actor(ActorType.ORGANIZATION, _actor(supplier_name)) if supplier_name else SpdxNoAssertion(),
        files_analyzed=False,
        homepage=page,
        license_concluded=SpdxNoAssertion(),
        license_declared=declared,
        license_comment=comment,
        comment=_comment(model),
        primary_package_purpose=PackagePurpose.OTHER,
    )
    purl = model_purl(meta.repo_id, meta.revision)
    if purl:
        package.external_references = [
            ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)
        ]
    return package


def _declared(model: ModelReport, refs: _Refs) -> tuple[Any, str]:
    """The declared licence as spdx-tools' expression (or NOASSERTION) and a comment on how it was found."""
    res = model.resolution
    if res.expression is None:
        return SpdxNoAssertion(), printable(
            f"licensecheck could not identify the card's licence ({res.method})."
        )
    how = f"licensecheck resolved the card's licence by {res.method}"
    if res.detail:
        how += f" ({res.detail})"
    local: dict[str, str] = {}
    try:
        parsed = spdx_licensing.parse(res.expression)
        expression = spdx_licensing.parse(_rewrite(parsed, local)) if parsed is not None else None
    except Exception:  # the library raises several types for text it cannot read; none may escape
        expression = None
    if expression is None:
        return SpdxNoAssertion(), printable(f"{how}; its expression {res.expression!r} is not valid SPDX.")
    for key in spdx_licensing.license_keys(expression):
        if str(key).startswith(REF_PREFIX):
            _remember(str(key), local.get(str(key), str(key)), model, refs)
    return expression, printable(how + ".")


def _rewrite(node: Any, local: dict[str, str]) -> str:
    """Render a parsed expression, turning every key spdx-tools does not know into a LicenseRef-."""
    if isinstance(node, LicenseWithExceptionSymbol):
        lic, exc = node.license_symbol, node.exception_symbol
        if not _known(exc, exception=True):  # SPDX 2.3 has no custom exceptions: the pair becomes one ref
            return _ref(f"{lic.key} WITH {exc.key}", local)
        licence = lic.key if _known(lic, exception=False) else _ref(str(lic.key), local)
        return f"{licence} WITH {exc.key}"
    if isinstance(node, LicenseSymbol):
        return str(node.key) if _known(node, exception=False) else _ref(str(node.key), local)
    op = " AND " if isinstance(node, spdx_licensing.AND) else " OR "
    parts = [_rewrite(arg, local) for arg in node.args]
    return op.join(
        f"({part})" if isinstance(arg, (spdx_licensing.AND, spdx_licensing.OR)) else part
        for arg, part in zip(node.args, parts, strict=True)
    )


def _known(symbol: Any, *, exception: bool) -> bool:
    known = spdx_licensing.known_symbols.get(symbol.key)
    return known is not None and bool(known.is_exception) == exception


def _ref(key: str, local: dict[str, str]) -> str:
    """The LicenseRef- standing for `key` (a well-formed LicenseRef- stands for itself)."""
    if _LICENSE_REF.fullmatch(key):
        ref = key
    else:
        body = key[len(REF_PREFIX) :] if key.startswith(REF_PREFIX) else key
        ref = REF_PREFIX + (_safe(body) or "unknown")
    local.setdefault(ref, key)
    return ref


def _remember(ref: str, key: str, model: ModelReport, refs: _Refs) -> None:
    refs.keys.setdefault(ref, key)
    wanted = {ref.lower(), key.lower()}
    for facts in model.resolution.licenses:
        if facts.id.lower() in wanted:
            refs.facts.setdefault(ref, facts)
    links = refs.links.setdefault(ref, [])
    facts_found = refs.facts.get(ref)
    candidates = [*(facts_found.links if facts_found else ()), *(facts_found.sources if facts_found else ())]
    if model.meta.declared.license_link:
        candidates.append(model.meta.declared.license_link)
    for url in candidates:
        if url and url not in links and url.startswith(("https://", "http://")) and not validate_url(url):
            links.append(url)


def _extracted(ref: str, refs: _Refs) -> ExtractedLicensingInfo:
    key = refs.keys[ref]
    facts = refs.facts.get(ref)
    name = facts.name if facts else (key if key != ref else ref[len(REF_PREFIX) :])
    links = refs.links.get(ref, [])
    text = f"{name}: licensecheck does not collect licence texts"
    text += f"; see {links[0]}." if links else "."
    comment = None
    if key != ref:
        comment = (
            f"{key!r} is not an id on the SPDX licence list spdx-tools validates against;"
            f" this document writes it as {ref}."
        )
    return ExtractedLicensingInfo(
        license_id=ref,
        extracted_text=printable(text),
        license_name=printable(name),
        cross_references=links,
        comment=printable(comment) if comment else None,
    )


def _annotations(model: ModelReport, spdx_id: str, tool: Actor, created: datetime) -> list[Annotation]:
    out: list[Annotation] = []
    for f in model.findings:
        if f.severity == "allow":
            continue
        text = f"[{f.posture}] {f.severity} {f.code}: {f.message}"
        if f.waived:
            text += f" (waived: {f.waived.reason})"
        out.append(Annotation(spdx_id, AnnotationType.REVIEW, tool, created, printable(text)))
    return out


def _comment(model: ModelReport) -> str:
    verdicts = ", ".join(f"{p}={v}" for p, v in model.verdicts.items()) or "none"
    text = f"licensecheck verdict: {model.verdict} ({verdicts}); metadata from {model.meta.source}."
    if model.meta.error is not None:
        text += f" Metadata could not be read ({model.meta.error.kind}): {model.meta.error.message}"
    return printable(text)


def _actor(name: str) -> str:
    """An actor name that reads back the same (the format puts an optional e-mail in parentheses)."""
    return printable(name).translate(str.maketrans("()", "[]")).strip() or "unknown"


def _safe(text: str) -> str:
    """`text` in the characters SPDX ids allow (letters, digits, `.` and `-`), accents dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _ID_UNSAFE.sub("-", ascii_text).strip("-.")


def _unique(candidate: str, taken: set[str]) -> str:
    """`candidate` (an SPDXID), with a numeric suffix if taken; the result is added to `taken`."""
    if candidate.endswith("-"):
        candidate += "unnamed"
    unique, n = candidate, 2
    while unique in taken:
        unique, n = f"{candidate}-{n}", n + 1
    taken.add(unique)
    return unique


def _seed(model: ModelReport) -> str:
    return f"{model.meta.id}@{model.meta.revision or ''}"
