"""Licence names built from other licence names (`method: compound-name`).

Real cards join names with words rather than SPDX operators (`apache-2.0-and-lfm1.0`, `MIT + CC-BY-4.0`,
`apache-2.0-or-mit`, `apache-2.0-with-commons-clause`), and free-text names say which licence covers
what (`Apache-2.0 base weights; GPL-3.0 runtime`). Each part is read on its own; a part nobody can
identify stays in the AND as an unidentified term, so the name is never read as its known parts alone.
"""

from __future__ import annotations

import re

from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.licenses.normalize import (
    MAX_FIELD,
    combine,
    inferred_from_name,
    is_inferred,
    leading_licence,
    resolution_of,
    resolve_symbol,
    unidentified_term,
)
from licensecheck.model import Resolution

# The parser needs upper-case operators between ids; a name joins licence names with words.
_JOINER = re.compile(r"[-_\s]+(and|or|with|plus)[-_\s]+|\s*([+&])\s+|\s+([+&])\s*", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*[;,]\s*")
# Words that name terms rather than what a licence covers: a clause holding them is not a scope.
_TERMS_WORD = re.compile(
    r"licen[cs]e|terms|agreement|polic|restrict|clause|addendum|eula|permission|rights|pending|unknown",
    re.IGNORECASE,
)
# A scope says what a licence covers in words (`weights`, `the backbone`), not a version (`v3`, `3.0`).
_SCOPE_WORD = re.compile(r"\b(?!v\d|version\b)[a-z]{3,}\b", re.IGNORECASE)
MAX_WORDS = 24
# Real names join two to four licences; a "name" of more parts is prose, and reading each part costs an
# inference: a hostile field must not buy hundreds of them.
MAX_PARTS = 8
_TERMS_TAIL = re.compile(r"[-_\s]+(?:terms|conditions)$", re.IGNORECASE)


def compound_name(name: str, base: KnowledgeBase) -> Resolution | None:
    """The reading of a name made of licence names, or None when it is not one: at least one part must
    be a licence the knowledge base holds."""
    if re.search(r"[()]|\b(?:AND|OR|WITH)\b", name):
        return None  # an SPDX expression the parser refused: malformed, not a name
    text = name[:MAX_FIELD]
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    if len(clauses) > 1:
        if len(clauses) > MAX_PARTS:
            return None
        parts = [_clause(c, base, name) for c in clauses]
        if not any(p.method != "unidentified-name" and not is_inferred(p) for p in parts):
            return None
        return combine(parts, base, method="compound-name", detail=_detail(name, len(parts)))
    return _scoped(text, base) or _joined(text, base, name)


def _detail(name: str, count: int) -> str:
    return f"the name {name.strip()[:80]!r} joins {count} licence names"


def _clause(clause: str, base: KnowledgeBase, name: str) -> Resolution:
    """One clause of a free-text name: a licence, a licence with its scope, joined names, an inferred
    licence, or an unidentified term."""
    lid, method = resolve_symbol(clause, base)
    if lid is not None:
        return resolution_of(lid, method, base)
    return (
        _scoped(clause, base)
        or _joined(clause, base, name)
        or inferred_from_name(clause, base)
        or _unknown_part(clause, name)
    )


def _scoped(clause: str, base: KnowledgeBase) -> Resolution | None:
    """`Apache 2.0 for the backbone`, `GPL-3.0 project runtime and adapter`: a licence followed by words
    that only say what it covers (no licence or terms words, and nothing the inference would read as
    a licence of its own)."""
    words = clause.split()
    if len(words) < 2 or len(words) > MAX_WORDS:
        return None
    # a family name (`GPL v3`) is not a licence with a scope: its version is not guessed
    found = leading_licence(words[:-1], base, lambda lid: " " not in lid and not lid.endswith("-family"))
    if found is None:
        return None
    lid, _, n = found
    rest = " ".join(words[n:])
    if (
        not _SCOPE_WORD.search(rest)
        or _TERMS_WORD.search(rest)
        or resolve_symbol(rest, base)[0] is not None
        or inferred_from_name(rest, base)
    ):
        return None
    res = resolution_of(lid, "compound-name", base)
    detail = f"{clause.strip()[:80]!r}: {lid} for {rest[:80]!r}"
    return Resolution(res.expression, res.method, res.licenses, detail)


def _joined(text: str, base: KnowledgeBase, name: str) -> Resolution | None:
    """`and`, `plus`, `+`, `&`: their AND; a part that is not known is inferred, else an unidentified term (it
    names terms nobody has read). `or`: their OR, only between known licences (an inferred branch could
    loosen the known one). `with`: a known licence with a known rider (`commons-clause`), their AND;
    any other `with` (`mit-with-attribution`) is a modification, read by the family inference."""
    pieces, ops, last = [], set(), 0
    for m in _JOINER.finditer(text):
        pieces.append(text[last : m.start()])
        word = (m.group(1) or "and").upper()
        ops.add("AND" if word == "PLUS" else word)
        last = m.end()
    pieces.append(text[last:])
    if len(pieces) < 2 or len(pieces) > MAX_PARTS or len(ops) != 1 or not all(p.strip() for p in pieces):
        return None
    (op,) = ops
    parts: list[Resolution] = []
    known = 0
    for piece in pieces:
        lid, method = resolve_symbol(piece, base)
        if lid is None and (bare := _TERMS_TAIL.sub("", piece)) != piece:
            lid, method = resolve_symbol(bare, base)  # `llama3.1-terms` names the Llama 3.1 licence
        if lid is not None:
            parts.append(resolution_of(lid, method, base))
            known += 1
        elif op == "OR" or (op == "WITH" and _a_known_kind_of_change(piece)):
            return None  # `mit-with-attribution`: a modification, read by the family inference
        elif op == "WITH":
            parts.append(_unknown_part(piece, name))  # `llama2-with-training-data-terms`: terms not read
        else:
            parts.append(inferred_from_name(piece, base) or _unknown_part(piece, name))
    if not known:
        return None  # nothing known: the whole name is read as one (its own terms or family)
    if op != "OR":
        return combine(parts, base, method="compound-name", detail=_detail(name, len(parts)))
    exprs = [p.expression for p in parts if p.expression]
    joined = " OR ".join(f"({e})" if " " in e else e for e in exprs)
    return resolution_of(joined, "compound-name", base, _detail(name, len(parts)))


def _a_known_kind_of_change(piece: str) -> bool:
    from licensecheck.licenses import modified

    words = set(re.findall(r"[a-z]+", piece.lower().replace("licence", "license")))
    return bool(words) and words <= modified.MODIFIER and not words & modified.ADDED


def _unknown_part(piece: str, name: str) -> Resolution:
    return unidentified_term(
        piece,
        f"a part of the licence name {name.strip()[:80]!r}; not in the knowledge base",
        f"{piece.strip()[:80]!r}: not identified",
    )
