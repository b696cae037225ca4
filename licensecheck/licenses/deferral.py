"""Cards whose licence name says "the base model's licence" (`same-as-base-model`, `see-base-model`,
`upstream-licenses-apply`, `TODO-copy-from-base-model`): no licence of their own, so neither the
knowledge base nor an inference reads the name; once the base models are known (lineage), the card's
term is the AND of their licences, flagged `license-inferred` (the card said so, nobody read a text)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.licenses.normalize import combine
from licensecheck.model import Declared, Resolution

_WORD = re.compile(r"[a-z]+")
_WHERE = frozenset({"base", "original", "upstream", "parent", "underlying", "source"})
_DEFER = frozenset(
    {"same", "see", "inherit", "inherits", "inherited", "follow", "follows", "copy", "apply", "applies",
     "license", "licenses", "licence", "licences", "as", "from", "model", "models"}
)  # fmt: skip
MAX_WORDS = 8


def defers(name: str) -> bool:
    """The name says the licence is the base's, and nothing else (no licence, terms or other words)."""
    words = _WORD.findall(name[:200].lower())
    if not words or len(words) > MAX_WORDS or not _WHERE & set(words):
        return False
    return set(words) <= _WHERE | _DEFER | {"todo", "the", "of", "its", "their", "to", "s"}


def deferred_name(declared: Declared) -> str | None:
    """The card's deferring licence name (its `license_name`, or a `license` value), if it has one."""
    values = [
        declared.license_name,
        *(declared.license if isinstance(declared.license, list) else [declared.license]),
    ]
    return next((v for v in values if isinstance(v, str) and defers(v)), None)


def inherited(name: str, bases: Sequence[Resolution], base: KnowledgeBase) -> Resolution:
    """The card's term read as its base models' licences (their AND)."""
    res = combine(
        bases, base, method="base-model", detail=f"license {name[:80]!r}: the base models' licences"
    )
    message = f"the card's licence {name[:80]!r} defers to its base models; read as {res.expression}"
    return Resolution(
        res.expression,
        res.method,
        res.licenses,
        res.detail,
        res.evidence,
        (*res.flags, ("license-inferred", message)),
    )
