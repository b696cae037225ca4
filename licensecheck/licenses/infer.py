"""Knowing more than the list, only toward the stricter reading: family, name-terms and text-clauses.

Each inference builds the facts of a licence the knowledge base does not hold, with the evidence it
relied on. The caller marks it `license-inferred` (a warn finding in every posture), so an inferred
licence is never an unqualified allow.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase
from licensecheck.model import CommercialUse, LicenseFacts

PREFIX = "LicenseRef-licensecheck-inferred-"
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
    return re.findall(r"[a-z]+|\d+(?:\.\d+)*", text.lower().replace("licence", "license"))


# ---- name-terms ---------------------------------------------------------------------------------
_NC_NAME = re.compile(
    r"(?:^|-)(non-?commercial|no-commercial|nc|research(?:-only|-use)?|academic(?:-only|-use)?|"
    r"non-production|internal(?:-use)?(?:-only)?|educational(?:-use)?(?:-only)?|"
    r"evaluation(?:-only)?|eval-only|personal-use(?:-only)?|not-for-commercial(?:-use)?)(?=-|$)"
)
_ND_NAME = re.compile(r"(?:^|-)(nd|no-?derivatives|no-?derivs)(?=-|$)")
_PROPRIETARY_NAME = re.compile(r"(?:^|-)(proprietary|all-rights-reserved)(?=-|$)")
# A "community" licence is, in model licensing, a custom licence that allows commercial use under
# conditions (user or revenue caps, an acceptable-use policy, naming): the `community` category, read
# only when the name states no stricter term (those are tried first).
_COMMUNITY_NAME = re.compile(r"(?:^|-)(community)(?=-|$)")


def _stricter_terms(joined: str) -> tuple[str, str] | None:
    """(category, the words that say so) for a name that states a restriction."""
    if m := _PROPRIETARY_NAME.search(joined):
        return "proprietary", m.group(1)
    if m := _NC_NAME.search(joined):
        return "non-commercial", m.group(1)
    if m := _ND_NAME.search(joined):
        return "no-derivatives", m.group(1)
    return None


def from_name_terms(name: str, *, community: bool = True) -> Inference | None:
    """A name that states its terms (`...-non-commercial-...`, `...-nc-...`, `...-research-only`,
    `...-community-license`); with `community=False` only the restrictive terms are read."""
    joined = "-".join(_tokens(name[:MAX_NAME]))
    found = _stricter_terms(joined)
    if found is None and community and (m := _COMMUNITY_NAME.search(joined)):
        found = ("community", m.group(1))
    if found is None:
        return None
    category, said = found
    derivatives = False if _ND_NAME.search(joined) or category == "proprietary" else None
    commercial: CommercialUse = False
    if category == "no-derivatives":
        commercial = True
    elif category == "community":
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
    facts = replace(
        family,
        id=PREFIX + slug(name),
        name=name.strip()[:MAX_NAME],
        aliases=(),
        links=(),
        text_markers=(),
        notes=f"inferred as a member of the {family.name} family ({family.id}); not in the knowledge base",
    )
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


def from_publisher(name: str, base: KnowledgeBase, states: str | None = None) -> Inference | None:
    """A name that begins with a publisher's or product's word that begins known licence names
    (`bria-3.2` beside the BRIA RMBG licence): the strictest of that publisher's known licences, and
    never more permissive than `community` (a custom model licence's usual terms). A name that states
    its category (`states`: `stable-audio-community`) takes the publisher's licences of that category
    when it has some (its community licence, not its non-commercial one)."""
    sig = _signature(name[:MAX_NAME])
    if not sig or len(sig[0]) < 3 or sig[0] in _GENERIC_LEAD:
        return None
    lead = sig[0]
    kin: dict[str, LicenseFacts] = {}
    for facts in base.custom.values():
        if facts.id.endswith("-family") or facts.id.startswith(PREFIX) or facts.category == "unknown":
            continue
        for title in (facts.name, *facts.aliases):
            fam = _signature(title)
            if fam and fam[0] == lead:
                kin[facts.id] = facts
                break
    if not kin:
        return None
    if states is not None and any(f.category == states for f in kin.values()):
        kin = {k: f for k, f in kin.items() if f.category == states}
    strictest = min(kin.values(), key=lambda f: (CATEGORY_RANK.get(f.category, 0), f.id))
    facts = replace(
        strictest,
        id=PREFIX + slug(name),
        name=name.strip()[:MAX_NAME],
        aliases=(),
        links=(),
        text_markers=(),
        notes=f"inferred from its publisher's known licences (the strictest: {strictest.id}); "
        "not in the knowledge base",
    )
    if CATEGORY_RANK.get(facts.category, 0) > CATEGORY_RANK["community"]:
        facts = replace(facts, category="community", commercial_use="conditional")
    others = ", ".join(sorted(kin))[:200]
    evidence = (
        f"the name {name.strip()[:MAX_NAME]!r} begins with {lead!r}, as the publisher's known licences "
        f"do ({others}); the strictest is {strictest.id}"
    )
    return Inference(facts, "family", (evidence,))


def from_name(name: str, base: KnowledgeBase) -> Inference | None:
    """Restrictive name-terms first (they can only be stricter), then family, then a `community` term;
    when a family and a `community` term both apply, the stricter of the two is taken."""
    if not name.strip():
        return None
    terms = from_name_terms(name, community=False)
    if terms is not None:
        return terms
    community = from_name_terms(name)
    states = community.facts.category if community is not None else None
    family = from_family(name, base) or from_publisher(name, base, states)
    if family is None or community is None:
        return family or community
    if CATEGORY_RANK.get(family.facts.category, 0) > CATEGORY_RANK["community"]:
        facts = replace(family.facts, category="community", commercial_use="conditional")
        return Inference(facts, "family", (*family.evidence, *community.evidence))
    return family


# ---- text-clauses -------------------------------------------------------------------------------
_SENTENCE = re.compile(r"[^.;!?\n]+(?:[.;!?]|\n|$)")
_LINE_BREAK = re.compile(r"[ \t]*\n(?![ \t]*(?:\n|\d+[.)]\s|[-*•]\s))[ \t]*")
_CLAUSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "commercial-ban",
        re.compile(
            r"non-?commercial|not for commercial|no commercial use|"
            r"\b(?:may|shall|must|will|can)\s*not\b[^.]{0,100}\bcommercial|\bcannot\b[^.]{0,100}\bcommercial|"
            r"commercial (?:use|purposes?|exploitation)[^.]{0,60}\b(?:not (?:permitted|allowed)|prohibited|forbidden)|"
            r"(?:solely|only|exclusively) for (?:non-?commercial|research|academic|evaluation|personal)|"
            r"(?:research|academic|evaluation|testing)(?: (?:and|or) [a-z]+)? (?:purposes|use) only|"
            r"\bnon-production\b|"
            r"(?:prohibited|forbidden|not (?:permitted|allowed)) (?:from|to)\b[^.]{0,80}\bcommercial",
            re.IGNORECASE,
        ),
    ),
    (
        # commercial use needs another licence: a ban unless the sentence sets a threshold (then the
        # licence allows commercial use below it: `user-threshold`)
        "commercial-licence-required",
        re.compile(
            r"(?:obtain|request|require|need|purchase|acquire|enter into)s?\b[^.]{0,60}"
            r"\b(?:separate |a |an )?commercial (?:licen[cs]e|agreement)|"
            r"commercial (?:use|purposes?|deployment)[^.]{0,80}\b(?:requires?|subject to)\b[^.]{0,40}"
            r"\b(?:separate|written|prior) (?:licen[cs]e|agreement|permission|authori[sz]ation|consent)",
            re.IGNORECASE,
        ),
    ),
    (
        "user-threshold",
        re.compile(
            r"monthly active users|daily active users|\bMAU\b|\bDAU\b|"
            r"(?:annual|monthly|yearly) (?:gross )?revenue|revenue (?:of|exceeding|in excess of|above)",
            re.IGNORECASE,
        ),
    ),
    (
        "use-restrictions",
        re.compile(
            r"acceptable use policy|use restrictions|prohibited uses?|"
            r"(?:include|pass|impose|enforce)[^.]{0,80}\brestrictions?\b[^.]{0,80}"
            r"(?:downstream|recipients?|third part|users? of|any (?:agreement|distribution))",
            re.IGNORECASE,
        ),
    ),
    (
        "naming",
        re.compile(
            r"\bname[sd]?\b[^.]{0,80}\b(?:begin|start|prefix|include)s?\b[^.]{0,20}\bwith\b|"
            r"\b(?:begin|start)s?\b[^.]{0,40}\bwith\b[^.]{0,40}\bname\b",
            re.IGNORECASE,
        ),
    ),
    (
        "attribution",
        re.compile(r"[\"“'](?:built with|powered by|built on|based on) [^\"”']{1,40}[\"”']", re.I),
    ),
    ("governing-law", re.compile(r"governed by[^.]{0,60}\blaws? of\b", re.IGNORECASE)),
    (
        "territory",
        re.compile(
            r"(?:European Union|\bEU\b|\bEEA\b)[^.]{0,120}(?:not (?:granted|licensed|permitted|available)|excluded)|"
            r"(?:not (?:granted|licensed|permitted|available)|exclud\w*|does not apply)[^.]{0,120}"
            r"(?:European Union|\bEU\b|\bEEA\b)",
            re.IGNORECASE,
        ),
    ),
    ("export", re.compile(r"export control|export administration|\bsanction|\bITAR\b|export laws?", re.I)),
)
_LAW: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), code)
    for p, code in (
        (r"hong kong", "HK"),
        (r"people'?s republic of china|\bPRC\b|\bchina\b|mainland", "CN"),
        (r"united states|\bU\.?S\.?A?\b|california|delaware|new york|washington|texas|massachusetts", "US"),
        (r"england|wales|united kingdom|\bU\.?K\.?\b", "GB"),
        (r"singapore", "SG"),
        (r"korea", "KR"),
        (r"japan", "JP"),
        (r"france|french", "FR"),
        (r"germany|federal republic", "DE"),
        (r"united arab emirates|abu dhabi|dubai", "AE"),
        (r"switzerland|swiss", "CH"),
        (r"canada|ontario|quebec", "CA"),
        (r"israel", "IL"),
        (r"india\b", "IN"),
        (r"ireland", "IE"),
        (r"netherlands", "NL"),
        (r"russia", "RU"),
    )
)
RESTRICTIVE = frozenset({"commercial-ban"})


def clauses(text: str) -> dict[str, list[str]]:
    """Sentences of `text` per clause kind they state (each sentence trimmed for quoting)."""
    found: dict[str, list[str]] = {}
    flowed = _LINE_BREAK.sub(" ", text[: 512 * 1024])  # a sentence wrapped over lines is one sentence
    for m in _SENTENCE.finditer(flowed):
        sentence = " ".join(m.group(0).split())
        if len(sentence) < 8:
            continue
        kinds = [kind for kind, pattern in _CLAUSES if pattern.search(sentence)]
        if "commercial-licence-required" in kinds:
            kinds.remove("commercial-licence-required")
            if "user-threshold" not in kinds:
                kinds.append("commercial-ban")
        for kind in dict.fromkeys(kinds):
            found.setdefault(kind, []).append(sentence[:240])
    return found


def _law(sentences: list[str]) -> str | None:
    for s in sentences:
        tail = s.split("laws of", 1)[-1] if "laws of" in s.lower() else s
        for pattern, code in _LAW:
            if pattern.search(tail):
                return code
    return None


def from_text(text: str, label: str = "LICENSE text") -> Inference | None:
    """The terms an unknown licence text states, or None when it states none of the clauses read."""
    found = clauses(text)
    if not found:
        return None
    commercial: CommercialUse
    if "commercial-ban" in found:
        category, commercial = "non-commercial", False
    elif {"user-threshold", "use-restrictions", "naming"} & found.keys():
        category, commercial = "community", "conditional"
    else:
        category, commercial = "unknown", None
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8", "replace")).hexdigest()[:12]
    attribution = next(iter(found.get("attribution", [])), None)
    naming = next(iter(found.get("naming", [])), None)
    facts = LicenseFacts(
        id=f"{PREFIX}text-{digest}",
        name=f"Unidentified licence ({label}, sha256:{digest})",
        category=category,
        commercial_use=commercial,
        use_restrictions="use-restrictions" in found,
        attribution=attribution[:120] if attribution else None,
        naming=naming[:120] if naming else None,
        governing_law=_law(found.get("governing-law", [])),
        territory_exclusions=("EU",) if "territory" in found else (),
        export_clause="export" in found,
        notes="inferred from the clauses of a licence text the knowledge base does not hold",
    )
    evidence: list[str] = []
    for kind, _ in _CLAUSES:
        for sentence in found.get(kind, [])[:2]:
            if len(evidence) < MAX_EVIDENCE:
                evidence.append(f"{kind}: {sentence!r}")
    return Inference(facts, "text-clauses", tuple(evidence))


def is_inferred(lid: str) -> bool:
    return lid.startswith(PREFIX)
