"""Raw licence fields of a card (or a LICENSE text) -> an SPDX expression, and how it was reached."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from licensecheck.licenses import facts as kb_mod
from licensecheck.licenses import spdx
from licensecheck.licenses.facts import KnowledgeBase, alias_key
from licensecheck.model import LicenseFacts, Resolution

if TYPE_CHECKING:
    from licensecheck.licenses import infer

# infer, textmatch and titles are imported where they are needed: most licence fields resolve by id or
# alias, and a check need not pay for their patterns at start-up.

INFERRED_PREFIX = "LicenseRef-licensecheck-inferred-"
LICENCE_WORD = re.compile(
    r"licen[cs]e|agreement|terms", re.IGNORECASE
)  # a name that names terms  # the ids `infer` gives the licences it builds
MAX_FIELD = 2000
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
    alias = base.lookup_alias(raw) or base.lookup_squashed(raw)
    if alias is not None:
        return alias, "alias"
    for custom_id in base.custom:
        if custom_id.lower() == raw.lower():
            return custom_id, "license-ref"
    if key in _INFORMAL and base.known(_INFORMAL[key]):
        return _INFORMAL[key], "informal-name"
    title = None
    if _title_like(raw):
        from licensecheck.licenses import titles

        title = titles.lookup(raw, base)
    if title is not None:
        return title, "title"
    if spdx.is_license_ref(raw):
        return raw, "license-ref-unknown"
    return None, "unrecognized"


def inferred_resolution(inf: infer.Inference, base: KnowledgeBase, source: str) -> Resolution:
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
        return resolution_of(expr, method, base)
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
    res = resolution_of(fixed.render(), "spdx-expression", base, extra=inferred)
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
    from licensecheck.licenses.compound import compound_name
    from licensecheck.licenses.deferral import defers

    if defers(name):
        return None  # "same as the base model": read from the lineage, never inferred from the words
    compound = compound_name(name, base)
    if compound is not None:
        return compound
    return inferred_from_name(name, base)


def inferred_from_name(name: str, base: KnowledgeBase, source: str | None = None) -> Resolution | None:
    """The licence a name's family or stated terms infer (infer.from_name), as a flagged resolution."""
    from licensecheck.licenses import infer

    inf = infer.from_name(name, base)
    return inferred_resolution(inf, base, source or f"the name {name.strip()[:80]!r}") if inf else None


def leading_licence(
    words: Sequence[str], base: KnowledgeBase, accept: Callable[[str], bool] | None = None
) -> tuple[str, str, int] | None:
    """(id, method, word count) of the longest run of leading `words` that names a licence `accept`
    takes: `Apache 2.0` of "Apache 2.0 for the weights"."""
    for n in range(len(words), 0, -1):
        lid, method = resolve_symbol(" ".join(words[:n]), base)
        if lid is not None and (accept is None or accept(lid)):
            return lid, method, n
    return None


UNIDENTIFIED_PREFIX = "LicenseRef-licensecheck-unidentified-"


def unidentified_term(name: str, notes: str, detail: str) -> Resolution:
    """A licence that is named but not identified: a term of category `unknown` (the strictest reading),
    so an expression holding it is never read as the known licences beside it alone."""
    from licensecheck.licenses.infer import MAX_NAME, slug

    facts = LicenseFacts(
        id=UNIDENTIFIED_PREFIX + slug(name), name=name.strip()[:MAX_NAME], category="unknown", notes=notes
    )
    return Resolution(facts.id, "unidentified-name", (facts,), detail)


def resolution_of(
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
    res = resolution_of(joined, how, base, detail or _one_detail(parts), extra=parts)
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
    return any(f.id.startswith(INFERRED_PREFIX) for f in res.licenses)


def identify_text(text: str, base: KnowledgeBase | None = None) -> Resolution:
    """Identify a LICENSE file by its whole text (see textmatch); the detail carries the text's hash."""
    from licensecheck.licenses import clauses, textmatch

    base = base or kb()
    body = text[: textmatch.MAX_TEXT]
    reading = textmatch.read(body, base)
    sha = f"sha256:{reading.digest}"
    if not reading.parts:
        stub = textmatch.title_stub(body, base)
        if stub is not None:
            return resolution_of(stub[0], "license-text", base, f"title {stub[1][:80]!r}; {sha}")
        inf = clauses.from_text(body)
        stated = None if clauses.is_own_licence(body) else _stated(body, base, sha)
        if stated is not None:
            if inf is not None and inf.facts.category != "unknown":  # its own terms apply as well
                return combine([stated, inferred_resolution(inf, base, f"the LICENSE text ({sha})")], base)
            return stated
        if inf is not None:
            return inferred_resolution(inf, base, f"the LICENSE text ({sha})")
        return Resolution(None, "license-text-unrecognized", detail=sha)
    ids = list(dict.fromkeys(p.id for p in reading.parts))
    how = sorted({p.how for p in reading.parts})
    found = resolution_of(
        " AND ".join(ids), "license-text", base, f"whole-text {'/'.join(how)} match: {', '.join(ids)}; {sha}"
    )
    rest = clauses.clauses(reading.gap)
    # a commercial ban beside licences that already forbid commercial use adds nothing to them
    allows = any(f.commercial_use is not False for f in found.licenses)
    if (allows and clauses.RESTRICTIVE & rest.keys()) or textmatch.unclear(reading):
        # text beside the identified licences that no known licence explains: its terms apply as well
        inf = clauses.from_text(reading.gap, "the rest of the LICENSE text")
        if inf is None:
            return Resolution(
                None,
                "license-text-partial",
                detail=f"{', '.join(ids)} and {reading.gap_words} words of other terms; {sha}",
            )
        return combine([found, inferred_resolution(inf, base, f"the rest of the LICENSE text ({sha})")], base)
    return found


def _stated(body: str, base: KnowledgeBase, sha: str) -> Resolution | None:
    """A text that is no licence of its own but says what things are licensed under ("the weights are
    distributed under the MIT license"): the AND of every licence it names (a name that is not known is
    inferred or unidentified), flagged `license-inferred`, since a sentence was read, not a licence."""
    from licensecheck.licenses import clauses

    parts: list[Resolution] = []
    for name in clauses.stated_names(body):
        found = leading_licence(name.split()[:12], base)
        if found is not None:
            parts.append(resolution_of(found[0], "text-statement", base))
        elif LICENCE_WORD.search(name):
            parts.append(
                inferred_from_name(name, base, f"a sentence of the LICENSE text ({sha})")
                or unidentified_term(name, "named in a sentence of the LICENSE text", f"{name[:80]!r}")
            )
    if not parts:
        return None
    res = combine(
        parts, base, method="text-statement", detail=f"licences named in sentences of the text; {sha}"
    )
    what = res.expression or "nothing"
    flag = ("license-inferred", f"the LICENSE text is no licence text of its own; its sentences name {what}")
    others = tuple(f for f in res.flags if f[0] != "license-inferred")  # one such warning says it all
    return Resolution(res.expression, res.method, res.licenses, res.detail, res.evidence, (*others, flag))


# ---- the card as a whole ------------------------------------------------------------------------
def replace_method(res: Resolution, method: str, detail: str) -> Resolution:
    if res.expression is None or "+" in res.method:
        return res
    from licensecheck.licenses.infer import METHODS

    if res.method in METHODS:
        return res
    return Resolution(res.expression, method, res.licenses, detail, res.evidence, res.flags)
