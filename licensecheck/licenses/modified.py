"""A known licence with words that say it was changed (`modified-apache-2.0`,
`apache-2.0-with-restrictions`, `mit-with-attribution`): the `family` inference, from the known
licence's facts, never more permissive than `community`."""

from __future__ import annotations

import re

from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.licenses.infer import MAX_NAME, Inference, as_member, capped_at_community, usable_as_family

# Words that say a name is a known licence with a change of a known kind (`modified-mit`,
# `mit-with-attribution`, `cc-by-4.0-with-aup`); at least one of _CHANGED must be among them. Words
# that say terms were ADDED (`additional`, `extra`, `terms`, `rider`, `restrictions`, `custom`) name
# terms nobody has read: such a name is the known licence AND an unidentified term (licenses/compound),
# never the known licence's facts, which the added terms may narrow to non-commercial.
_CHANGED = frozenset({"modified", "modification", "modifications", "amended", "amendment", "variant",
                      "customized", "attribution", "aup"})  # fmt: skip
ADDED = frozenset({"additional", "extra", "terms", "conditions", "rider", "addendum", "restrictions",
                   "restricted", "custom"})  # fmt: skip
MODIFIER = _CHANGED | frozenset({"with", "plus", "and", "acceptable", "use", "policy", "license"})


def from_modified(name: str, base: KnowledgeBase) -> Inference | None:
    """A known licence's id or name with words that say it was changed: that licence's facts, never
    more permissive than `community` (the changes are unread conditions)."""
    from licensecheck.licenses.normalize import resolve_symbol

    toks = re.findall(r"[a-z]+|\d+(?:\.\d+)*", name[:MAX_NAME].lower().replace("licence", "license"))
    for size in range(len(toks) - 1, 0, -1):
        for start in range(len(toks) - size + 1):
            rest = toks[:start] + toks[start + size :]
            if not set(rest) <= MODIFIER or not set(rest) & _CHANGED:
                continue
            run = "-".join(toks[start : start + size])
            lid, _ = resolve_symbol(run, base)
            if lid is None or " " in lid or not usable_as_family(known := base.facts(lid)):
                continue
            notes = f"inferred as a modified {known.name} ({lid}); not in the knowledge base"
            facts = capped_at_community(as_member(known, name, notes))
            evidence = f"the name {name.strip()[:MAX_NAME]!r} is {run!r} ({lid}) with {'-'.join(rest)!r}"
            return Inference(facts, "family", (evidence,))
    return None
