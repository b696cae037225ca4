"""Knowing more than the list, only toward the stricter reading: family, name-terms and text-clauses.

Each inference builds the facts of a licence the knowledge base does not hold, with the evidence it
relied on. The caller marks it `license-inferred` (a warn finding in every posture), so an inferred
licence is never an unqualified allow.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from licensecheck.licenses import publishers
from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase
from licensecheck.licenses.normalize import INFERRED_PREFIX
from licensecheck.model import CommercialUse, LicenseFacts

PREFIX = INFERRED_PREFIX
METHODS = ("family", "name-terms", "text-clauses")
MAX_NAME = 200
MAX_EVIDENCE = 8


@dataclass(frozen=True, slots=True)
class Inference:
    facts: LicenseFacts
    method: str
    evidence: tuple[str, ...]


def slug(text: str) -> str:
    """A LicenseRef-safe slug; the words and/or/with are left out (an expression parser would read
    them as operators)."""
    words = [w for w in _tokens(text) if w not in ("and", "or", "with")]
    return "-".join(words)[:60].strip("-.") or "unnamed"


def _tokens(text: str) -> list[str]:
    """Lower-case words and version numbers; accents dropped (`propriétaire` is `proprietaire`)."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z]+|\d+(?:\.\d+)*", folded.replace("licence", "license"))


# ---- name-terms ---------------------------------------------------------------------------------
_NC_NAME = re.compile(
    r"(?:^|-)(non-?commercial|no-commercial|nc|research(?:-only|-use)?|academic(?:-only|-use)?|"
    r"non-production|educational(?:-use)?(?:-only)?|review-only|"
    # the same terms in the languages cards are written in besides English
    r"no-comercial|nao-comercial|non-commerciale|non-commerciali|nicht-kommerziell|uso-no-comercial|"
    r"evaluation(?:-only)?|eval-only|personal-use(?:-only)?|not-for-commercial(?:-use)?)(?=-|$)"
)
_ND_NAME = re.compile(r"(?:^|-)(nd|no-?derivatives|no-?derivs)(?=-|$)")
# A name that keeps the model in-house (internal use only, no redistribution, confidential) states
# terms stricter than non-commercial: `proprietary`, and it wins over a research term beside it
# (`internal-research` is a model only its owner may use, not a research licence).
_PROPRIETARY_NAME = re.compile(
    r"(?:^|-)(proprietary|all-rights-reserved|confidential|internal(?:-use)?(?:-only)?|"
    r"propietari[ao]|proprietari[ao]|proprietaire|proprietar|proprietaer|"
    r"todos-los-derechos-reservados|tous-droits-reserves|alle-rechte-vorbehalten|"
    r"(?:no|not-for|without)-(?:re)?-?distribution|do-not-(?:re)?-?distribute|"
    r"non-?(?:re)?-?distributable)(?=-|$)"
)
# A name that claims the permissive category and also states a research or non-commercial term
# names two categories: none is read from it (unidentified, the strictest reading), so the permissive
# word can never loosen the restriction, nor the publisher's other licences stand in. `open` claims no
# category (an "open model licence" has conditions): with a research term the name reads non-commercial.
_LOOSE_NAME = re.compile(r"(?:^|-)(permissive)(?=-|$)")
# A "community" licence is, in model licensing, a custom licence that allows commercial use under
# conditions (user or revenue caps, an acceptable-use policy, naming): the `community` category, read
# only when the name states no stricter term (those are tried first).
_COMMUNITY_NAME = re.compile(r"(?:^|-)(community)(?=-|$)")
# An "open model licence" (or a publisher's "open licence") is, in 2025-2026 model licensing, a custom
# licence whose openness has conditions (revenue caps, notices, acceptable use): read as `community`
# (conditional), never as permissive, unless the knowledge base holds the licence itself.
_OPEN_MODEL_NAME = re.compile(
    r"(?:^|-)(open-(?:weights?-)?(?:models?-)?(?:license|agreement)|open-weights?)(?=-|$)"
)


# A licence sold to commercial users (`acme-commercial-license`, `...-developer-license`, an `eula`) is a
# proprietary licence: rights come from a paid agreement, not from the card. Weaker than a stated
# non-commercial or no-derivatives term (`cc-by-nc-4.0-commercial` stays non-commercial).
_PAID_NAME = re.compile(
    r"(?:^|-)((?:commercial|developer|enterprise)(?:-model)?-license(?:-agreement)?|"
    r"end-user-license-agreement|eula|commercial$)(?=-|$)"
)
# A RAIL licence (Responsible AI License, open or not) grants use under behavioural restrictions that
# travel downstream: `open-rail`, read only when the name states no stricter term.
_RAIL_NAME = re.compile(r"(?:^|-)((?:open-?)?rail(?:-?\+\+)?(?:-[msda]+)?)(?=-|$)")


def _stricter_terms(joined: str) -> tuple[str, str] | None:
    """(category, the words that say so) for a name that states a restriction."""
    if m := _PROPRIETARY_NAME.search(joined):
        return "proprietary", m.group(1)
    if m := _NC_NAME.search(joined):
        return "non-commercial", m.group(1)
    if m := _ND_NAME.search(joined):
        return "no-derivatives", m.group(1)
    if (m := _PAID_NAME.search(joined)) and not re.search(
        r"(?:^|-)(?:non|no|not)-(?:for-)?commercial", joined
    ):
        return "proprietary", m.group(1)
    return None


def contradictory(name: str) -> bool:
    """The name says `permissive` and also a research or non-commercial term."""
    joined = "-".join(_tokens(name[:MAX_NAME]))
    found = _stricter_terms(joined)
    return found is not None and found[0] == "non-commercial" and bool(_LOOSE_NAME.search(joined))


def from_name_terms(name: str, *, community: bool = True) -> Inference | None:
    """A name that states its terms (`...-non-commercial-...`, `...-nc-...`, `...-research-only`,
    `...-community-license`); with `community=False` only the restrictive terms are read."""
    joined = "-".join(_tokens(name[:MAX_NAME]))
    found = _stricter_terms(joined)
    if contradictory(name):
        return None
    if found is None and community and (m := _RAIL_NAME.search(joined)):
        found = ("open-rail", m.group(1))
    if (
        found is None
        and community
        and (m := _COMMUNITY_NAME.search(joined) or _OPEN_MODEL_NAME.search(joined))
    ):
        found = ("community", m.group(1))
    if found is None:
        return None
    category, said = found
    derivatives = False if _ND_NAME.search(joined) or category == "proprietary" else None
    commercial: CommercialUse = False
    if category == "no-derivatives":
        commercial = True
    elif category in ("community", "open-rail"):
        commercial = "conditional"
    facts = LicenseFacts(
        id=PREFIX + slug(name),
        name=name.strip()[:MAX_NAME],
        category=category,
        commercial_use=commercial,
        derivatives=derivatives,
        notes=f"inferred from the name (it says {said!r}); not in the knowledge base",
    )
    return Inference(facts, "name-terms", (f"the name {name.strip()[:MAX_NAME]!r} says {said!r}",))


# ---- family -------------------------------------------------------------------------------------
_FAMILY_STOP = frozenset(
    {"license", "agreement", "the", "of", "v", "version", "and", "model", "terms", "use"}
)


@lru_cache(maxsize=8192)  # the knowledge base's titles are read for every unknown name
def _signature(text: str) -> tuple[str, ...]:
    return tuple(t for t in _tokens(text) if t not in _FAMILY_STOP and not t[0].isdigit())


def _is_subsequence(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    it = iter(big)
    return all(any(tok == b for b in it) for tok in small)


def from_family(name: str, base: KnowledgeBase) -> Inference | None:
    """A new licence named after a known one: a model name or version inserted into a known slug."""
    sig = _signature(name[:MAX_NAME])
    if not sig:
        return None
    best: tuple[int, int, str, LicenseFacts, str] | None = None
    for facts in base.custom.values():
        if facts.id.endswith("-family") or facts.id.startswith(PREFIX):
            continue
        for title in (facts.name, *facts.aliases):
            fam = _signature(title)
            strong = len(fam) >= 2 or (len(fam) == 1 and len(fam[0]) >= 4)
            if not strong or not _is_subsequence(fam, sig) or len(sig) - len(fam) > 3:
                continue
            # the longest family name wins; then the stricter licence; then the newest
            rank = (len(fam), -CATEGORY_RANK.get(facts.category, 0), facts.as_of or "")
            if best is None or rank > best[:3]:
                best = (*rank, facts, title)
    if best is None:
        return None
    family, title = best[3], best[4]
    facts = as_member(
        family,
        name,
        f"inferred as a member of the {family.name} family ({family.id}); not in the knowledge base",
    )
    if not family.verified:  # facts not read in the licence text are not promoted to permissive
        facts = capped_at_community(facts)
    evidence = f"the name {name.strip()[:MAX_NAME]!r} extends {title!r} ({family.id})"
    return Inference(facts, "family", (evidence,))


# Words that begin licence names without naming a publisher or product.
_GENERIC_LEAD = frozenset(
    {
        "open", "openrail", "creative", "creativeml", "community", "research", "ai", "ml", "modified",
        "custom", "non", "commercial", "public", "free", "academic", "responsible", "general", "software",
        "data", "content", "new", "simple", "standard", "permissive", "limited", "restricted", "personal",
        "my", "our", "your", "this", "private", "internal", "evaluation", "gnu", "apache", "mit", "bsd", "cc",
    }
)  # fmt: skip


def capped_at_community(facts: LicenseFacts) -> LicenseFacts:
    """Never more permissive than `community` (a custom model licence's usual terms)."""
    if CATEGORY_RANK.get(facts.category, 0) > CATEGORY_RANK["community"]:
        return replace(facts, category="community", commercial_use="conditional")
    return facts


def as_member(family: LicenseFacts, name: str, notes: str) -> LicenseFacts:  # the family's facts, renamed
    return replace(
        family,
        id=PREFIX + slug(name),
        name=name.strip()[:MAX_NAME],
        aliases=(),
        links=(),
        text_markers=(),
        verified=False,
        notes=notes,
    )


def usable_as_family(facts: LicenseFacts) -> bool:
    """Whether a known licence may lend its facts to a new name: not a stand-in, an inference or unknown."""
    return not (facts.id.endswith("-family") or facts.id.startswith(PREFIX) or facts.category == "unknown")


def _pick(kin: dict[str, LicenseFacts], states: str | None) -> LicenseFacts:
    """The strictest of a publisher's licences; of those of the category a name states when it has
    some (`...-community` takes its community licence, not its non-commercial one)."""
    if states is not None and any(f.category == states for f in kin.values()):
        kin = {k: f for k, f in kin.items() if f.category == states}
    return min(kin.values(), key=lambda f: (CATEGORY_RANK.get(f.category, 0), f.id))


def from_publisher(name: str, base: KnowledgeBase, states: str | None = None) -> Inference | None:
    """A name that begins with a publisher's or product's word that begins known licence names
    (`bria-3.2` beside the BRIA RMBG licence): the strictest of that publisher's known licences, and
    never more permissive than `community` (a custom model licence's usual terms). A name that states
    its category (`states`: `stable-audio-community`) takes the publisher's licences of that category
    when it has some (its community licence, not its non-commercial one), looking also at the other
    licences of the publisher that hosts those (`stable-...` and `stability-...` are both Stability's)."""
    sig = _signature(name[:MAX_NAME])
    if not sig or len(sig[0]) < 3 or sig[0] in _GENERIC_LEAD:
        return None
    lead = sig[0]
    kin: dict[str, LicenseFacts] = {}
    for facts in base.custom.values():
        if not usable_as_family(facts):
            continue
        for title in (facts.name, *facts.aliases):
            fam = _signature(title)
            if fam and fam[0] == lead:
                kin[facts.id] = facts
                break
    if not kin:
        return None
    if states is not None and not any(f.category == states for f in kin.values()):
        keys = frozenset(k for f in kin.values() for k in publishers.licence_keys(f))
        kin.update(publishers.kin(keys, base))
    strictest = _pick(kin, states)
    facts = capped_at_community(
        as_member(
            strictest,
            name,
            f"inferred from its publisher's known licences (the strictest: {strictest.id}); "
            "not in the knowledge base",
        )
    )
    others = ", ".join(sorted(kin))[:200]
    evidence = (
        f"the name {name.strip()[:MAX_NAME]!r} begins with {lead!r}, as the publisher's known licences "
        f"do ({others}); the strictest is {strictest.id}"
    )
    return Inference(facts, "family", (evidence,))


def from_link(link: str, base: KnowledgeBase, name: str | None = None) -> Inference | None:
    """A licence link on a known publisher's site or Hub/GitHub organisation (`license_link` to
    `huggingface.co/<org>/...` or `<publisher>.com/...`) that names no licence the knowledge base holds:
    the strictest of that publisher's known licences, never more permissive than `community`. A name
    that states a category (`...-community`, `...-open-model-license`) picks that category's licences."""
    keys = publishers.url_keys(link[: MAX_NAME * 5])
    if not keys:
        return None
    kin = publishers.kin(keys, base)
    if not kin:
        return None
    if name and contradictory(name):
        return None
    label = (name or "").strip()[:MAX_NAME] or f"the licence at {link.strip()[:120]}"
    stated = from_name_terms(name) if name else None
    if stated is not None and stated.facts.category != "community":
        return stated  # the name states a restriction: that is the reading (stricter than a family)
    strictest = _pick(kin, "community" if stated is not None else None)
    facts = capped_at_community(
        as_member(
            strictest,
            label,
            f"inferred from the publisher its licence link belongs to (the strictest of its known "
            f"licences: {strictest.id}); not in the knowledge base",
        )
    )
    where = ", ".join(sorted(keys))[:120]
    evidence = (
        f"the licence link {link.strip()[:160]!r} is on {where}, where the knowledge base knows "
        f"{', '.join(sorted(kin))[:200]}; the strictest is {strictest.id}"
    )
    return Inference(facts, "family", (evidence,))


# ---- a known licence with another version number -------------------------------------------------
@lru_cache(maxsize=8192)
def _versioned(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, version numbers) of a licence name; numbers without trailing `.0`."""
    words: list[str] = []
    numbers: list[str] = []
    for tok in _tokens(text):
        if tok[0].isdigit():
            numbers.append(re.sub(r"(?:\.0+)+$", "", tok) or "0")
        elif tok not in _FAMILY_STOP:
            words.append(tok)
    return tuple(words), tuple(numbers)


def from_version(name: str, base: KnowledgeBase) -> Inference | None:
    """A known licence's name with another version number (`acme-k2.6` when `acme-k2` is known): the
    same words, the same count of numbers, some of them different. Within the same major version the
    known licence's facts carry over; across a major version (terms change there: Kimi K2 to K3) or
    from a licence whose facts the knowledge base did not read in its text (`verified: false`), never
    more permissive than `community`."""
    words, numbers = _versioned(name[:MAX_NAME])
    if not words or not numbers:
        return None
    best: tuple[tuple[int, int, str], LicenseFacts, str, bool] | None = None
    for facts in base.custom.values():
        if not usable_as_family(facts):
            continue
        for title in (facts.name, facts.id, *facts.aliases):
            w, n = _versioned(title)
            if w == words and n == numbers:
                return None  # the known licence itself, not another version of it
            if w != words or len(n) != len(numbers):
                continue
            same_major = all(a.split(".")[0] == b.split(".")[0] for a, b in zip(n, numbers, strict=True))
            rank = (int(same_major), -CATEGORY_RANK.get(facts.category, 0), facts.id)
            if best is None or rank > best[0]:
                best = (rank, facts, title, same_major)
    if best is None:
        return None
    _, family, title, same_major = best
    facts = as_member(
        family,
        name,
        f"inferred as another version of {family.name} ({family.id}); not in the knowledge base",
    )
    why = "the same major version"
    if not same_major or not family.verified:
        facts = capped_at_community(facts)
        why = "another major version" if not same_major else "facts not read in the licence text"
    evidence = (
        f"the name {name.strip()[:MAX_NAME]!r} is {title!r} ({family.id}) with another version number ({why})"
    )
    return Inference(facts, "family", (evidence,))


def from_name(name: str, base: KnowledgeBase) -> Inference | None:
    """Restrictive name-terms first (they can only be stricter), then family, then a `community` term;
    when a family and a `community` term both apply, the stricter of the two is taken."""
    from licensecheck.licenses import modified  # it builds on this module's helpers

    if not name.strip() or contradictory(name):
        return None
    terms = from_name_terms(name, community=False)
    if terms is not None:
        return terms
    community = from_name_terms(name)
    states = community.facts.category if community is not None else None
    family = (
        from_version(name, base)
        or modified.from_modified(name, base)
        or from_family(name, base)
        or from_publisher(name, base, states)
    )
    if family is None or community is None:
        return family or community
    if CATEGORY_RANK.get(family.facts.category, 0) > CATEGORY_RANK["community"]:
        return Inference(capped_at_community(family.facts), "family", (*family.evidence, *community.evidence))
    return family


def is_inferred(lid: str) -> bool:
    return lid.startswith(PREFIX)
