"""Raw licence fields of a card (or a LICENSE text) -> an SPDX expression, and how it was reached."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import islice

from licensecheck.licenses import facts as kb_mod
from licensecheck.licenses import spdx
from licensecheck.licenses.facts import KnowledgeBase, alias_key
from licensecheck.model import Declared, Resolution

MAX_FIELD = 2000
MAX_TEXT = 512 * 1024
MAX_TERMS = 64  # distinct values read from a `license` list, and `license:*` tags tried

# Informal spellings of SPDX-list licences seen on real cards (ids and names are handled generically).
_INFORMAL: dict[str, str] = {
    "apache": "Apache-2.0",
    "apache2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache2.0": "Apache-2.0",
    "apache-license-2.0": "Apache-2.0",
    "apache-license,-version-2.0": "Apache-2.0",
    "apache-license-version-2.0": "Apache-2.0",
    "apache-2.0-license": "Apache-2.0",
    "mit-license": "MIT",
    "the-mit-license": "MIT",
    "bsd-3": "BSD-3-Clause",
    "bsd-2": "BSD-2-Clause",
    "gplv2": "GPL-2.0-only",
    "gplv3": "GPL-3.0-only",
    "agplv3": "AGPL-3.0-only",
    "lgplv3": "LGPL-3.0-only",
    "cc-by-nc": "CC-BY-NC-4.0",
    "cc-by-nc-sa": "CC-BY-NC-SA-4.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc0": "CC0-1.0",
    "public-domain": "LicenseRef-licensecheck-public-domain",
}

# Distinctive lines of common SPDX-list licence texts, for LICENSE files (upper case, single-spaced).
_SPDX_MARKERS: tuple[tuple[str, str], ...] = (
    ("GNU AFFERO GENERAL PUBLIC LICENSE VERSION 3", "AGPL-3.0-only"),
    ("GNU LESSER GENERAL PUBLIC LICENSE VERSION 3", "LGPL-3.0-only"),
    ("GNU LESSER GENERAL PUBLIC LICENSE VERSION 2.1", "LGPL-2.1-only"),
    ("GNU GENERAL PUBLIC LICENSE VERSION 3", "GPL-3.0-only"),
    ("GNU GENERAL PUBLIC LICENSE VERSION 2", "GPL-2.0-only"),
    ("MOZILLA PUBLIC LICENSE VERSION 2.0", "MPL-2.0"),
    ("APACHE LICENSE VERSION 2.0, JANUARY 2004", "Apache-2.0"),
    ("ATTRIBUTION-NONCOMMERCIAL-SHAREALIKE 4.0 INTERNATIONAL", "CC-BY-NC-SA-4.0"),
    ("ATTRIBUTION-NONCOMMERCIAL-NODERIVATIVES 4.0 INTERNATIONAL", "CC-BY-NC-ND-4.0"),
    ("ATTRIBUTION-NONCOMMERCIAL 4.0 INTERNATIONAL", "CC-BY-NC-4.0"),
    ("ATTRIBUTION-SHAREALIKE 4.0 INTERNATIONAL", "CC-BY-SA-4.0"),
    ("CREATIVE COMMONS ATTRIBUTION 4.0 INTERNATIONAL", "CC-BY-4.0"),
    ("CC0 1.0 UNIVERSAL", "CC0-1.0"),
    ("THIS IS FREE AND UNENCUMBERED SOFTWARE RELEASED INTO THE PUBLIC DOMAIN", "Unlicense"),
    (
        "REDISTRIBUTION AND USE IN SOURCE AND BINARY FORMS, WITH OR WITHOUT MODIFICATION, ARE PERMITTED "
        "PROVIDED THAT THE FOLLOWING CONDITIONS ARE MET",
        "BSD-family",
    ),
    ("PERMISSION IS HEREBY GRANTED, FREE OF CHARGE, TO ANY PERSON OBTAINING A COPY", "MIT"),
)
_BSD3_LINE = "NEITHER THE NAME OF"


def kb() -> KnowledgeBase:
    return kb_mod.load()


@lru_cache(maxsize=1)
def _spdx_names() -> dict[str, str]:
    """Lower-case full name -> id; a current id wins over a deprecated one with the same name."""
    names: dict[str, str] = {}
    for lid, lic in sorted(spdx.spdx_licenses().items(), key=lambda kv: kv[1].deprecated_id, reverse=True):
        names[" ".join(lic.name.lower().split())] = lid
    return names


def _current(lid: str) -> str:
    """The current form of an SPDX id (deprecated ids map to their replacements)."""
    return spdx.DEPRECATED.get(lid, lid)


def resolve_symbol(text: str, base: KnowledgeBase) -> tuple[str | None, str]:
    """One licence name or id -> (expression, method); (None, reason) when it is not identified."""
    raw = text.strip().strip("\"'`").strip()
    if not raw:
        return None, "empty"
    key = alias_key(raw)
    if key in base.hub_ids:
        target = base.hub_ids[key]
        if target is None:
            return None, "declared-unknown" if key == "unknown" else "declared-other"
        return target, "hf-id"
    lid = spdx.canonical_id(raw)
    if lid is not None:
        current = _current(lid)
        return current, "spdx-id" if current == lid else "spdx-deprecated"
    name_id = _spdx_names().get(" ".join(raw.lower().split()))
    if name_id is not None:
        return _current(name_id), "spdx-name"
    alias = base.lookup_alias(raw)
    if alias is not None:
        return alias, "alias"
    for custom_id in base.custom:
        if custom_id.lower() == raw.lower():
            return custom_id, "license-ref"
    if key in _INFORMAL and base.known(_INFORMAL[key]):
        return _INFORMAL[key], "informal-name"
    if spdx.is_license_ref(raw):
        return raw, "license-ref-unknown"
    return None, "unrecognized"


def normalize_license_string(text: str, base: KnowledgeBase | None = None) -> Resolution:
    """Normalize one licence string: a Hub id, SPDX id or name, alias, or an SPDX expression."""
    base = base or kb()
    if not isinstance(text, str):
        return Resolution(None, "invalid-type", detail=f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_FIELD:
        return Resolution(None, "invalid", detail=f"longer than {MAX_FIELD} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return Resolution(None, "invalid", detail="contains control characters")
    expr, method = resolve_symbol(text, base)
    if expr is not None:
        return _resolution(expr, method, base)
    if method in ("declared-unknown", "declared-other", "empty"):
        return Resolution(None, method)
    try:
        tree = spdx.parse(text)
    except spdx.ExpressionError as exc:
        return Resolution(None, "unrecognized", detail=str(exc))
    if isinstance(tree, spdx.Lic) and tree.exception is None and tree.key == text.strip():
        return Resolution(None, "unrecognized", detail=f"unknown licence {text.strip()!r}")
    unknown: list[str] = []

    def fix(leaf: spdx.Lic) -> spdx.Lic:
        got, _ = resolve_symbol(leaf.key, base)
        if got is None or " " in got:
            if got is None:
                unknown.append(leaf.key)
            return spdx.Lic(got or leaf.key, leaf.exception)
        exc_id = spdx.canonical_exception(leaf.exception) if leaf.exception else None
        if leaf.exception and exc_id is None:
            unknown.append(leaf.exception)
        return spdx.Lic(got, exc_id or leaf.exception)

    fixed = spdx.map_leaves(tree, fix)
    if unknown:
        return Resolution(None, "unrecognized", detail="unknown licence(s): " + ", ".join(unknown))
    return _resolution(fixed.render(), "spdx-expression", base)


def _resolution(expression: str, method: str, base: KnowledgeBase, detail: str | None = None) -> Resolution:
    """Build a Resolution with the facts of every licence in `expression`, canonically rendered."""
    try:
        tree = spdx.parse(expression)
    except spdx.ExpressionError:
        tree = spdx.Lic(expression)
    seen: dict[str, None] = {}
    for leaf in spdx.leaves(tree):
        seen.setdefault(leaf.key)
    facts = tuple(base.facts(k) for k in seen)
    return Resolution(tree.render(), method, facts, detail)


def identify_text(text: str, base: KnowledgeBase | None = None) -> Resolution:
    """Identify a LICENSE file by its title and distinctive lines; the detail carries the text's hash."""
    base = base or kb()
    body = text[:MAX_TEXT]
    flat = " ".join(body.upper().split())
    digest = hashlib.sha256(" ".join(body.split()).encode("utf-8", "replace")).hexdigest()[:16]
    for marker, lid in base.text_markers():
        if marker and marker in flat:
            return _resolution(lid, "license-text", base, f"matched {marker[:60]!r}; sha256:{digest}")
    for marker, lid in _SPDX_MARKERS:
        if marker in flat:
            if lid == "BSD-family":
                lid = "BSD-3-Clause" if _BSD3_LINE in flat else "BSD-2-Clause"
            return _resolution(lid, "license-text", base, f"matched {marker[:60]!r}; sha256:{digest}")
    return Resolution(None, "license-text-unrecognized", detail=f"sha256:{digest}")


def _as_strings(value: object) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return (
            [v for v in value if isinstance(v, str) and v.strip()]
            if all(isinstance(v, str) or v is None for v in value)
            else None
        )
    return None


def normalize_declared(
    declared: Declared, license_text: str | None = None, base: KnowledgeBase | None = None
) -> Resolution:
    """Normalize a card's licence fields (DESIGN.md section 4). A list in `license` means AND."""
    base = base or kb()
    if declared.invalid:
        return Resolution(None, "invalid-type", detail=declared.invalid)
    values = _as_strings(declared.license)
    if values is None:
        return Resolution(None, "invalid-type", detail="license is neither a string nor a list of strings")
    values = list(dict.fromkeys(values))
    if len(values) > MAX_TERMS:
        return Resolution(
            None, "invalid-type", detail=f"license lists {len(values)} distinct values (at most {MAX_TERMS})"
        )
    parts: list[Resolution] = []
    unknown: list[Resolution] = []
    other = False
    for value in values:
        res = normalize_license_string(value, base)
        if res.expression is not None:
            parts.append(res)
        elif res.method == "declared-unknown":
            return Resolution(None, "declared-unknown")
        elif res.method == "declared-other":
            other = True
        else:
            unknown.append(res)
    if not values:
        # nothing in `license`: the name, link, `license:*` tags or LICENSE text may say which
        extra = _from_side_fields(declared, license_text, base, use_tags=True)
        if (
            extra.expression is None
            and not declared.license_name
            and not declared.license_link
            and (license_text is None)
        ):
            return Resolution(None, "none", detail="the card declares no licence")
        return extra
    if unknown and (len(values) > 1 or other):
        return unknown[0]  # one term of several is unidentified: the whole expression is (never a guess)
    if other or unknown:
        # `other` (or one unknown name): the name, link or LICENSE text identify that term. The tags are
        # not used here: the Hub writes one `license:*` tag per listed value, so they would re-find the
        # terms already identified and silently drop the unknown one.
        extra = _from_side_fields(declared, license_text, base, use_tags=False)
        if extra.expression is None:
            return unknown[0] if unknown and not other else extra
        parts.append(extra)
    if any(p.expression is None for p in parts):
        bad = next(p for p in parts if p.expression is None)
        return bad
    if len(parts) == 1:
        return parts[0]
    exprs: list[str] = []
    for p in parts:
        assert p.expression is not None
        if p.expression not in exprs:
            exprs.append(p.expression)
    joined = " AND ".join(f"({e})" if " OR " in e else e for e in exprs)
    methods = "+".join(dict.fromkeys(p.method for p in parts))
    return _resolution(joined, methods, base)


def _from_side_fields(
    declared: Declared, license_text: str | None, base: KnowledgeBase, *, use_tags: bool
) -> Resolution:
    """`other` or nothing: try license_name, license_link, license:* tags, then the LICENSE text."""
    if isinstance(declared.license_name, str) and declared.license_name.strip():
        res = normalize_license_string(declared.license_name, base)
        if res.expression is not None:
            return _resolution(
                res.expression, "license-name", base, f"license_name {declared.license_name!r}"
            )
    if isinstance(declared.license_link, str) and declared.license_link.strip():
        lid = base.lookup_link(declared.license_link[:MAX_FIELD])
        if lid is not None:
            return _resolution(lid, "license-link", base, f"license_link {declared.license_link!r}")
    licence_tags = (t for t in declared.tags if use_tags and isinstance(t, str) and t.startswith("license:"))
    for tag in islice(licence_tags, MAX_TERMS):
        res = normalize_license_string(tag.split(":", 1)[1], base)
        if res.expression is not None:
            return _resolution(res.expression, "tag", base, f"tag {tag!r}")
    if license_text:
        res = identify_text(license_text, base)
        if res.expression is not None:
            return res
    name = declared.license_name if isinstance(declared.license_name, str) else None
    detail = (
        f"license_name {name!r} is not in the knowledge base" if name else "no licence name, link or text"
    )
    return Resolution(None, "unrecognized", detail=detail)
