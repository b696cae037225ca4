"""A card's licence fields read as a whole: the `license` value, `license_name`, `license_link`, the
`license:*` tags and the LICENSE file; where they name different licences, all of them apply (their AND)
and the conflict is recorded for a `license-conflict` finding."""

from __future__ import annotations

import re
from itertools import islice

from licensecheck.licenses.facts import KnowledgeBase, alias_key
from licensecheck.licenses.normalize import (
    LICENCE_WORD,
    MAX_FIELD,
    MAX_TERMS,
    combine,
    identify_text,
    inferred_resolution,
    is_inferred,
    kb,
    normalize_license_string,
    replace_method,
    resolution_of,
    unidentified_term,
)
from licensecheck.model import Declared, Resolution


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


def _family(lid: str) -> str:
    return lid.removesuffix("-only").removesuffix("-or-later")


def _agrees(side: Resolution, main: Resolution) -> bool:
    """Every licence the side source names is one the main expression already has."""
    have = {_family(f.id) for f in main.licenses}
    return all(_family(f.id) in have for f in side.licenses)


def normalize_declared(
    declared: Declared, license_text: str | None = None, base: KnowledgeBase | None = None
) -> Resolution:
    """Normalize a card's licence fields as a whole (DESIGN.md section 4). A list in `license` means
    AND; `license_name`, `license_link`, `license:*` tags and the LICENSE text identify an `other`
    term, and any of them naming another licence than `license` applies too (AND, `license-conflict`)."""
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
    if unknown and (len(values) > 1 or other):
        return unknown[0]  # one term of several is unidentified: the whole expression is (never a guess)
    sides = _side_sources(declared, license_text, base, values)
    if not values or other or unknown:
        # the name, link, tags or LICENSE text identify the `other` (or missing) term
        named = _exact_over_family([(label, r) for label, r in sides if r.expression is not None])
        # The Hub writes one `license:*` tag per `license` value: with values given, the tags re-find
        # the terms already read (and a tag would stand in for the unknown one); they only conflict.
        naming = [(label, r) for label, r in named if not (values and label.startswith("tag "))]
        if not naming:
            naming = _link_named(declared, base) or _link_family(declared, base, values if unknown else [])
        if not naming:
            if unknown and not other:
                return unknown[0]
            if (
                not values
                and not declared.license_name
                and not declared.license_link
                and license_text is None
            ):
                return Resolution(None, "none", detail="the card declares no licence")
            name = declared.license_name if isinstance(declared.license_name, str) else None
            detail = (
                f"license_name {name!r} is not in the knowledge base"
                if name
                else "no licence name, link or text"
            )
            return Resolution(None, "unrecognized", detail=detail)
        parts.extend(_side_term(naming, base))
        res = combine(parts, base) if len(parts) > 1 else parts[0]
        return _with_conflicts(res, [n for n in named if n is not naming[0]], naming[:1], base)
    main = combine(parts, base) if len(parts) > 1 else parts[0]
    named = [(label, r) for label, r in sides if r.expression is not None]
    named.extend(_unidentified_names(declared, sides, main, base))
    return _with_conflicts(main, named, [("license", main)], base)


def _exact_over_family(named: list[tuple[str, Resolution]]) -> list[tuple[str, Resolution]]:
    """A `family` reading stands in for a licence nobody identified (a publisher's strictest, a known
    licence's kin); when another field identifies the licence itself (`stable-diffusion-xl-1.0-license`
    beside a link to the OpenRAIL++-M text), that field says which it is and the stand-in goes. A
    reading of terms the name states (`name-terms`) stays: it is the name's own word."""
    # a licence named in a notice's sentence is a reading too, not an identification
    if not any(not is_inferred(r) and "text-statement" not in r.method for _, r in named):
        return named
    return [(label, r) for label, r in named if not (is_inferred(r) and r.method == "family")]


def _link_named(declared: Declared, base: KnowledgeBase) -> list[tuple[str, Resolution]]:
    """Nothing else identifies the `other` (or missing) term, but the licence link's file or page name
    does (`.../Non-Commercial-License.pdf`, `.../acme-research-license/`): read it as a licence name,
    with the same inference as a `license_name`."""
    link = declared.license_link
    name = _link_name(link.strip()) if isinstance(link, str) else None
    if not name or not isinstance(link, str):
        return []
    res = normalize_license_string(name, base)
    if res.expression is None:
        return []
    label = f"license_link {link[:80]!r}"
    return [(label, Resolution(res.expression, res.method, res.licenses, label, res.evidence, res.flags))]


def _link_family(
    declared: Declared, base: KnowledgeBase, unknown_values: list[str]
) -> list[tuple[str, Resolution]]:
    """Nothing identifies the `other` (or missing, or unknown) term but the licence link is on a known
    publisher's site or Hub/GitHub organisation: the publisher's family (its strictest known licence,
    at most `community`), inferred and flagged. The card's license_name (or its unknown `license`
    value) names the inferred licence."""
    link = declared.license_link
    if not isinstance(link, str) or not link.strip():
        return []
    name = (
        declared.license_name
        if isinstance(declared.license_name, str) and declared.license_name.strip()
        else None
    )
    from licensecheck.licenses import infer  # lazy: most cards name a known licence

    inf = infer.from_link(link[:MAX_FIELD], base, name or (unknown_values[0] if unknown_values else None))
    if inf is None:
        return []
    label = f"license_link {link[:80]!r}"
    return [(label, inferred_resolution(inf, base, f"the licence link {link.strip()[:80]!r}"))]


# ---- a name the knowledge base does not know, beside a `license` id ---------------------------------
_RESTATE_STOP = frozenset({"license", "licence", "agreement", "version", "v", "the", "of", "terms"})
_GENERIC_FILE = re.compile(r"^(?:license|licence|copying|readme|notice|model[-_]?license)s?(?:\.\w+)?$", re.I)


def _words(text: str) -> set[str]:
    """Comparable words of a licence name: lower case, "licence" as "license", versions without `.0`."""
    out = set()
    for tok in re.findall(r"[a-z]+|\d+(?:\.\d+)*", text.lower().replace("licence", "license")):
        while tok.endswith(".0"):
            tok = tok[:-2]
        out.add(tok)
    return out


def _restates(name: str, main: Resolution, base: KnowledgeBase) -> bool:
    """The name says nothing the `license` terms do not: its words are all words of their ids, names,
    aliases or Hub ids (`apache-2.0` / "Apache License 2.0" / "apache 2"), or it says nothing at all."""
    said = _words(name[:MAX_FIELD]) - _RESTATE_STOP
    ids = {f.id for f in main.licenses}
    known: set[str] = set()
    for f in main.licenses:
        for text in (f.id, f.name, *f.aliases):
            known |= _words(text)
    for hub_id, target in base.hub_ids.items():
        if target in ids:
            known |= _words(hub_id)
    return said <= known


def _link_name(link: str) -> str | None:
    """The licence a link names by its last path segment (`.../jamba-open-model-license/`), or None for
    a link to a file (`.../blob/main/LICENSE`) or a page that names no licence."""
    path = link[:MAX_FIELD].split("?", 1)[0].split("#", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1] if "/" in path else path
    if not last or _GENERIC_FILE.match(last) or not LICENCE_WORD.search(last):
        return None
    return last.rsplit(".", 1)[0] if re.search(r"\.(?:md|txt|html?|pdf)$", last, re.I) else last


def _unidentified_names(
    declared: Declared, sides: list[tuple[str, Resolution]], main: Resolution, base: KnowledgeBase
) -> list[tuple[str, Resolution]]:
    """A license_name (or a licence-named link) that neither resolves nor restates the `license` id
    names another licence: it applies too, as an unidentified term (category unknown), so the card is
    read as strictly as its strictest field (`license: apache-2.0` + `license_name: jamba-open-model-
    license` is not Apache-2.0 alone)."""
    out: list[tuple[str, Resolution]] = []
    for label, res in sides:
        if res.expression is not None:
            continue
        from licensecheck.licenses import infer  # lazy: most cards name a known licence
        from licensecheck.licenses.infer import MAX_NAME

        if label.startswith("license_name") and isinstance(declared.license_name, str):
            name: str | None = declared.license_name.strip()[:MAX_NAME]
        elif label.startswith("license_link") and isinstance(declared.license_link, str):
            name = _link_name(declared.license_link.strip())
        else:
            continue
        if not name or _restates(name, main, base):
            continue
        if label.startswith("license_link") and any(
            alias_key(name) == alias_key(str(n)) for n in (declared.license_name,) if isinstance(n, str)
        ):
            continue  # the link repeats the license_name, which is read already
        guess = infer.from_name(name, base) if label.startswith("license_link") else None
        if guess is not None:
            out.append((label, inferred_resolution(guess, base, f"the name in the licence link {name!r}")))
            continue
        notes = f"named by the card's {label.split(' ', 1)[0]}; not in the knowledge base"
        out.append((label, unidentified_term(name, notes, f"{label}: not identified")))
    return out


def _side_term(named: list[tuple[str, Resolution]], base: KnowledgeBase) -> list[Resolution]:
    """The term an `other` stands for: the first source that names it (the others are compared with it
    by `_with_conflicts`)."""
    label, res = named[0]
    if label.startswith("license_name") and res.method in ("hf-id", "spdx-id", "alias", "title"):
        return [Resolution(res.expression, "license-name", res.licenses, f"{label}", res.evidence, res.flags)]
    if label.startswith(("license_link", "tag")):
        return [Resolution(res.expression, res.method, res.licenses, label, res.evidence, res.flags)]
    return [res]


def _with_conflicts(
    res: Resolution,
    others: list[tuple[str, Resolution]],
    against: list[tuple[str, Resolution]],
    base: KnowledgeBase,
) -> Resolution:
    """Add every source that names another licence than `res` (AND) and flag the disagreement."""
    extra: list[Resolution] = []
    flags: list[tuple[str, str]] = []
    current = res
    for label, side in others:
        if side.expression is None or _agrees(side, current):
            continue
        extra.append(side)
        first = against[0][0] if against else "license"
        what = side.expression
        if side.method == "unidentified-name":
            what = "a licence the knowledge base does not hold"
            if not label.startswith("license_name"):
                what = f"{side.licenses[0].name!r}, {what}"
        flags.append(
            (
                "license-conflict",
                f"the card's {first} says {res.expression} but its {label} names {what}; both apply",
            )
        )
        current = combine([current, side], base)
    if not extra:
        return res
    return combine([res, *extra], base, flags=flags)


def _side_sources(
    declared: Declared, license_text: str | None, base: KnowledgeBase, values: list[str]
) -> list[tuple[str, Resolution]]:
    """What license_name, license_link, the `license:*` tags and the LICENSE text each name, labelled
    with the field (unidentified ones included, as `Resolution(None, ...)`)."""
    out: list[tuple[str, Resolution]] = []
    name = declared.license_name
    if isinstance(name, str) and name.strip():
        out.append((f"license_name {name[:80]!r}", normalize_license_string(name, base)))
    link = declared.license_link
    if isinstance(link, str) and link.strip():
        lid = base.lookup_link(link[:MAX_FIELD])
        res = (
            resolution_of(lid, "license-link", base, f"license_link {link[:120]!r}")
            if lid is not None
            else Resolution(None, "unrecognized")
        )
        out.append((f"license_link {link[:80]!r}", res))
    declared_keys = {alias_key(v) for v in values} | {"other", "unknown"}
    tags = (t for t in declared.tags if isinstance(t, str) and t.startswith("license:"))
    for tag in islice(tags, MAX_TERMS):
        value = tag.split(":", 1)[1]
        if alias_key(value) in declared_keys:
            continue  # the Hub writes one license:* tag per `license` value
        res = normalize_license_string(value, base)
        out.append((f"tag {tag[:80]!r}", replace_method(res, "tag", f"tag {tag[:80]!r}")))
    if license_text:
        out.append(("LICENSE file", identify_text(license_text, base)))
    return out
