"""Licence titles in their real spellings -> one licence id (SPDX names and ids, knowledge-base names).

A title is reduced to a key that ignores what people vary without meaning another licence: case,
"Licence"/"License", "Agreement", "the", "International"/"Unported", hyphens, spaces and
underscores ("Attribution-ShareAlike" = "Attribution Share Alike"), the word "version" and a "v"
before a number, trailing ".0" (3 = 3.0 = v3), a month-and-year date and URLs. A key two licences
share is ambiguous and identifies neither. GNU ids without "only"/"or later" are not keys: a bare
"GPLv2" does not say which of the two it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from licensecheck.licenses import spdx
from licensecheck.licenses.facts import KnowledgeBase

_STOP = frozenset({"the", "license", "agreement", "international", "unported", "version", "v", "and", "of"})
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+(?:\d{{1,2}},?\s+)?\d{{4}}\b")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_GNU_V = re.compile(r"\b(a?gpl|lgpl|fdl|gfdl)v(?=\d)")
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)*")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
# Spellings of one word that differ between publishers (applied to the joined key).
_SAME = (
    ("noderivs", "noderivatives"),
    ("gnulessergeneralpublic", "lgpl"),
    ("gnuafferogeneralpublic", "agpl"),
    ("gnugeneralpublic", "gpl"),
    ("gnulgpl", "lgpl"),
    ("gnuagpl", "agpl"),
    ("gnugpl", "gpl"),
)
# GNU ids whose version choice (only / or later) the id itself does not state.
_GNU_AMBIGUOUS = re.compile(r"^(A?GPL|LGPL|GFDL)-\d\.\d$")
MAX_TITLE = 300


def title_key(text: str) -> str:
    """The comparison form of a licence title or id ('' when nothing is left)."""
    s = text[:MAX_TITLE].lower().replace("licence", "license")
    s = _URL.sub(" ", s)
    s = _DATE.sub(" ", s)
    s = _GNU_V.sub(r"\1 ", s)
    s = s.replace("+", " or later ")
    s = re.sub(r"\bor\s+(?:any\s+)?later(?:\s+version)?\b", " orlater ", s)
    out: list[str] = []
    for tok in _TOKEN.findall(s):
        if tok in _STOP:
            continue
        if _NUMBER.fullmatch(tok):
            tok = re.sub(r"(?:\.0+)+$", "", tok)
            out.append(f"-{tok}-")
        else:
            out.append(tok)
    key = "".join(out).replace("--", "-").strip("-")
    for a, b in _SAME:
        key = key.replace(a, b)
    return key


def exact_key(text: str) -> str:
    """A title as written, but for case, spacing, the Licence/License spelling, a leading "the" and a
    trailing "agreement"."""
    words = text[:MAX_TITLE].lower().replace("licence", "license").split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[-1:] == ["agreement"]:
        words = words[:-1]
    return " ".join(words)


def _variants(title: str, *, bare: bool) -> Iterable[str]:
    yield title
    without = re.sub(r"\([^)]*\)", " ", title)
    if bare and without != title:
        yield without
    if title.lower().startswith("creative commons "):  # the legal code's own titles
        short = title[len("creative commons ") :]
        yield from (short, f"{title} Public License", f"{short} Public License")


class TitleIndex:
    """Keys of every SPDX id and name and every knowledge-base name, alias and title line."""

    def __init__(self, base: KnowledgeBase) -> None:
        self._ids: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        # Titles as written come first: two licences whose loose keys meet ("NVIDIA Open Model License
        # Agreement" and "NVIDIA Open Model Agreement") are still told apart by their exact titles.
        self._exact: dict[str, str] = {}
        self._exact_ambiguous: set[str] = set()
        for lid, lic in sorted(spdx.spdx_licenses().items(), key=lambda kv: (kv[1].deprecated_id, kv[0])):
            current = spdx.DEPRECATED.get(lid, lid)
            if " " in current:  # a deprecated id that became an expression (GPL-2.0-with-...)
                continue
            titles = [lid, lic.name]
            if _GNU_AMBIGUOUS.match(lid):  # "GPL-2.0" and "GNU ... v3.0" do not say only / or later
                titles = [t for t in titles if re.search(r"\b(only|or later)\b", t, re.IGNORECASE)]
            for title in titles:
                for v in _variants(title, bare=False):
                    self._add(title_key(v), current, weak=bool(lic.deprecated_id))
        for facts in base.custom.values():
            for title in (facts.name, facts.id, *facts.aliases, *facts.text_markers):
                for v in _variants(title, bare=True):
                    self._add(title_key(v), facts.id, weak=False)
                    self._add_exact(exact_key(v), facts.id)

    def _add(self, key: str, lid: str, *, weak: bool) -> None:
        if not key or key in self._ambiguous:
            return
        have = self._ids.get(key)
        if have is None:
            self._ids[key] = lid
        elif have != lid and not weak:
            del self._ids[key]
            self._ambiguous.add(key)

    def _add_exact(self, key: str, lid: str) -> None:
        if not key or key in self._exact_ambiguous:
            return
        have = self._exact.setdefault(key, lid)
        if have != lid:
            del self._exact[key]
            self._exact_ambiguous.add(key)

    def lookup(self, text: str) -> str | None:
        exact = self._exact.get(exact_key(text))
        return exact if exact is not None else self._ids.get(title_key(text))

    def keys(self) -> dict[str, str]:
        return dict(self._ids)


_CACHE: list[tuple[KnowledgeBase, TitleIndex]] = []


def index(base: KnowledgeBase) -> TitleIndex:
    """The title index of a knowledge base (built once per knowledge-base object)."""
    for kb, idx in _CACHE:
        if kb is base:
            return idx
    idx = TitleIndex(base)
    _CACHE.append((base, idx))
    del _CACHE[:-4]
    return idx


def lookup(text: str, base: KnowledgeBase) -> str | None:
    """The licence id a title names, or None (unknown or ambiguous)."""
    return index(base).lookup(text)
