"""Knowing more than the list from a licence TEXT: the clauses that matter (a commercial ban, user or
revenue thresholds, an acceptable-use policy passed downstream, naming and attribution, governing law,
excluded territories, export), each quoted as evidence (the `text-clauses` inference)."""

from __future__ import annotations

import hashlib
import re

from licensecheck.licenses.infer import MAX_EVIDENCE, PREFIX, Inference
from licensecheck.model import CommercialUse, LicenseFacts

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
            r"(?:solely|only|exclusively) for:? (?:non-?commercial|research|academic|evaluation|personal)|"
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
# "You may not:" / "provided only for:" followed by a bulleted list: one sentence, so the list's items
# are read with the words that introduce them ("may not: ... commercially host", "only for: research").
_COLON_LIST = re.compile(r":[ \t]*\n(?:[ \t]*\n)?((?:[ \t]*(?:[-*•]|\d+[.)])[ \t]+[^\n]*(?:\n|$))+)")
_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d+[.)])[ \t]+", re.MULTILINE)


def _flow_list(m: re.Match[str]) -> str:
    items = [i.strip().rstrip(".;,") for i in _ITEM.split(m.group(1)) if i.strip()]
    return ": " + ", ".join(items) + ".\n"


def clauses(text: str) -> dict[str, list[str]]:
    """Sentences of `text` per clause kind they state (each sentence trimmed for quoting)."""
    found: dict[str, list[str]] = {}
    listed = _COLON_LIST.sub(_flow_list, text[: 512 * 1024])
    flowed = _LINE_BREAK.sub(" ", listed)  # a sentence wrapped over lines is one sentence
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


# ---- licences a text names in a sentence ---------------------------------------------------------
# "The weights are distributed under the MIT license." A notice that is no licence text of its own
# still says which licences apply; each name it gives is read like a card's license_name.
_STATED = re.compile(
    r"\b(?:licen[cs]ed|released|distributed|available|provided|published|offered)\s+under\s+(?:the\s+)?"
    r"(?:terms\s+of\s+(?:the\s+)?)?(?P<rest>(?:[^;\n.]|\.(?=\d)){1,120})",
    re.IGNORECASE,
)
_STATED_END = re.compile(
    r"\s+(?:for|except|unless|which|that|as|if|when|where)\b|,\s+(?:and|or|but)\b|[;(]|\.\s", re.I
)
_NEGATED = re.compile(r"\b(?:not|never|no longer)\b", re.IGNORECASE)
MAX_STATED = 8


# A text that grants rights itself, or keeps calling itself "this License", is a licence of its own: the
# other licences its sentences name are mentions ("released under this License, rather than under the MIT
# License its predecessors carried"), not the terms that apply.
_OWN_GRANT = re.compile(
    r"\b(?:hereby\s+grants?|grants?\s+(?:to\s+)?(?:you|licensee|the\s+licensee|recipients?)\b|"
    r"permission\s+is\s+(?:hereby\s+)?granted|you\s+are\s+(?:hereby\s+)?granted)",
    re.IGNORECASE,
)
_SELF = re.compile(r"\bthis\s+(?:licen[cs]e|agreement)\b", re.IGNORECASE)


def is_own_licence(text: str) -> bool:
    """Whether the text is a licence of its own (it grants rights, or names itself "this License" three
    times or more) rather than a notice saying which licences apply."""
    head = _LINE_BREAK.sub(" ", text[: 64 * 1024])
    return _OWN_GRANT.search(head) is not None or len(_SELF.findall(head)) >= 3


def stated_names(text: str) -> list[str]:
    """What the text's sentences say something is licensed under, each as the words after "under"
    (up to a clause boundary); a negated sentence ("is not licensed under") says nothing."""
    names: list[str] = []
    flowed = _LINE_BREAK.sub(" ", text[: 64 * 1024])
    for m in _STATED.finditer(flowed):
        before = flowed[max(0, m.start() - 80) : m.start()]
        if _NEGATED.search(re.split(r"[.;!?]\s", before)[-1]):
            continue  # "is not licensed under X", in the same sentence
        rest = m.group("rest")
        end = _STATED_END.search(rest)
        name = " ".join((rest[: end.start()] if end else rest).split()).rstrip(".,:").strip()
        if name and name not in names:
            names.append(name)
        if len(names) >= MAX_STATED:
            break
    return names
