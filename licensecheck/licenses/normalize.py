"""Raw licence fields of a card (or a LICENSE text) -> an SPDX expression, and how it was reached."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice

from licensecheck.licenses import facts as kb_mod
from licensecheck.licenses import infer, spdx, textmatch, titles
from licensecheck.licenses.facts import KnowledgeBase, alias_key
from licensecheck.model import Declared, LicenseFacts, Resolution

MAX_FIELD = 2000
MAX_TEXT = textmatch.MAX_TEXT
MAX_TERMS = 64  # distinct values read from a `license` list, and `license:*` tags tried

# Informal spellings of SPDX-list licences seen on real cards (ids, names and titles are handled
# generically). Only spellings that state the version: "apache", "gplv2" or "cc-by" name a family, and
# which member is meant is not guessed.
_INFORMAL: dict[str, str] = {
    "apache2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache2.0": "Apache-2.0",
    "apache-license,-version-2.0": "Apache-2.0",
    "mit-license": "MIT",
    "bsd-3": "BSD-3-Clause",
    "bsd-2": "BSD-2-Clause",
    "cc0": "CC0-1.0",
    "public-domain": "LicenseRef-licensecheck-public-domain",
}
INFERRED_METHODS = frozenset(infer.METHODS)


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
    title = titles.lookup(raw, base) if _title_like(raw) else None
    if title is not None:
        return title, "title"
    if spdx.is_license_ref(raw):
        return raw, "license-ref-unknown"
    return None, "unrecognized"


def _inferred(inf: infer.Inference, base: KnowledgeBase, source: str) -> Resolution:
    """A resolution holding one inferred licence, with its evidence and a `license-inferred` flag."""
    message = (
        f"{inf.facts.name} is not in the knowledge base; read as {inf.facts.category} "
        f"({inf.method}, from {source}): {'; '.join(inf.evidence)[:300]}"
    )
    return Resolution(
        inf.facts.id,
        inf.method,
        (inf.facts,),
        f"inferred ({inf.method}) from {source}",
        inf.evidence,
        (("license-inferred", message),),
    )


def _title_like(raw: str) -> bool:
    """Text that could be a title: printable, with balanced parentheses."""
    if any(unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cs") for ch in raw):
        return False
    depth = 0
    for ch in raw:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def normalize_license_string(text: str, base: KnowledgeBase | None = None) -> Resolution:
    """Normalize one licence string: a Hub id, SPDX id, name or title, alias, or an SPDX expression.
    A name the knowledge base does not hold may be inferred from its family or the terms it states."""
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
        return _infer_name(text, base) or Resolution(None, "unrecognized", detail=str(exc))
    if isinstance(tree, spdx.Lic) and tree.exception is None and tree.key == text.strip():
        return _infer_name(text, base) or Resolution(
            None, "unrecognized", detail=f"unknown licence {text.strip()!r}"
        )
    unknown: list[str] = []
    inferred: list[Resolution] = []

    def fix(leaf: spdx.Lic) -> spdx.Lic:
        got, _ = resolve_symbol(leaf.key, base)
        if got is None and leaf.exception is None:
            guess = _infer_name(leaf.key, base)
            if guess is not None and guess.expression is not None:
                inferred.append(guess)
                return spdx.Lic(guess.expression)
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
    res = _resolution(fixed.render(), "spdx-expression", base, extra=inferred)
    if inferred:
        methods = "+".join(dict.fromkeys(["spdx-expression", *(r.method for r in inferred)]))
        res = Resolution(
            res.expression,
            methods,
            res.licenses,
            res.detail,
            tuple(e for r in inferred for e in r.evidence),
            tuple(f for r in inferred for f in r.flags),
        )
    return res


def _infer_name(name: str, base: KnowledgeBase) -> Resolution | None:
    inf = infer.from_name(name, base)
    return _inferred(inf, base, f"the name {name.strip()[:80]!r}") if inf is not None else None


def _resolution(
    expression: str,
    method: str,
    base: KnowledgeBase,
    detail: str | None = None,
    extra: Sequence[Resolution] = (),
) -> Resolution:
    """Build a Resolution with the facts of every licence in `expression`, canonically rendered; facts
    of licences the knowledge base does not hold (inferred ones) come from `extra`."""
    try:
        tree = spdx.parse(expression)
    except spdx.ExpressionError:
        tree = spdx.Lic(expression)
    known: dict[str, LicenseFacts] = {f.id: f for r in extra for f in r.licenses}
    seen: dict[str, None] = {}
    for leaf in spdx.leaves(tree):
        seen.setdefault(leaf.key)
    facts = tuple(known.get(k) or base.facts(k) for k in seen)
    return Resolution(tree.render(), method, facts, detail)


def combine(
    parts: Sequence[Resolution],
    base: KnowledgeBase,
    method: str | None = None,
    detail: str | None = None,
    flags: Iterable[tuple[str, str]] = (),
) -> Resolution:
    """All of `parts` apply: their AND, with their facts, evidence and flags."""
    exprs: list[str] = []
    for p in parts:
        if p.expression is not None and p.expression not in exprs:
            exprs.append(p.expression)
    joined = " AND ".join(f"({e})" if " OR " in e else e for e in exprs)
    how = method or "+".join(dict.fromkeys(m for p in parts for m in p.method.split("+")))
    res = _resolution(joined, how, base, detail or _one_detail(parts), extra=parts)
    return Resolution(
        res.expression,
        res.method,
        res.licenses,
        res.detail,
        tuple(dict.fromkeys(e for p in parts for e in p.evidence)),
        tuple(dict.fromkeys([*(f for p in parts for f in p.flags), *flags])),
    )


def _one_detail(parts: Sequence[Resolution]) -> str | None:
    details = [p.detail for p in parts if p.detail]
    return "; ".join(dict.fromkeys(details)) if details else None


def is_inferred(res: Resolution) -> bool:
    """The resolution rests on an inference (a name's family or terms, or a text's clauses)."""
    return any(f.id.startswith(infer.PREFIX) for f in res.licenses)


def identify_text(text: str, base: KnowledgeBase | None = None) -> Resolution:
    """Identify a LICENSE file by its whole text (see textmatch); the detail carries the text's hash."""
    base = base or kb()
    body = text[:MAX_TEXT]
    reading = textmatch.read(body, base)
    sha = f"sha256:{reading.digest}"
    if not reading.parts:
        stub = textmatch.title_stub(body, base)
        if stub is not None:
            return _resolution(stub[0], "license-text", base, f"title {stub[1][:80]!r}; {sha}")
        inf = infer.from_text(body)
        if inf is not None:
            return _inferred(inf, base, f"the LICENSE text ({sha})")
        return Resolution(None, "license-text-unrecognized", detail=sha)
    ids = list(dict.fromkeys(p.id for p in reading.parts))
    how = sorted({p.how for p in reading.parts})
    found = _resolution(
        " AND ".join(ids), "license-text", base, f"whole-text {'/'.join(how)} match: {', '.join(ids)}; {sha}"
    )
    rest = infer.clauses(reading.gap)
    # a commercial ban beside licences that already forbid commercial use adds nothing to them
    allows = any(f.commercial_use is not False for f in found.licenses)
    if (allows and infer.RESTRICTIVE & rest.keys()) or textmatch.unclear(reading):
        # text beside the identified licences that no known licence explains: its terms apply as well
        inf = infer.from_text(reading.gap, "the rest of the LICENSE text")
        if inf is None:
            return Resolution(
                None,
                "license-text-partial",
                detail=f"{', '.join(ids)} and {reading.gap_words} words of other terms; {sha}",
            )
        return combine([found, _inferred(inf, base, f"the rest of the LICENSE text ({sha})")], base)
    return found


# ---- the card as a whole ------------------------------------------------------------------------
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
        named = [(label, r) for label, r in sides if r.expression is not None]
        # The Hub writes one `license:*` tag per `license` value: with values given, the tags re-find
        # the terms already read (and a tag would stand in for the unknown one); they only conflict.
        naming = [(label, r) for label, r in named if not (values and label.startswith("tag "))]
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
    return _with_conflicts(main, named, [("license", main)], base)


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
        flags.append(
            (
                "license-conflict",
                f"the card's {first} says {res.expression} but its {label} names {side.expression}; "
                "both apply",
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
            _resolution(lid, "license-link", base, f"license_link {link[:120]!r}")
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


def replace_method(res: Resolution, method: str, detail: str) -> Resolution:
    if res.expression is None or res.method in INFERRED_METHODS or "+" in res.method:
        return res
    return Resolution(res.expression, method, res.licenses, detail, res.evidence, res.flags)
