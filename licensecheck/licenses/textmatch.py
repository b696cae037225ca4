"""Identify a LICENSE file by its whole text, not by a phrase another licence may also contain.

SPDX-list licences are matched by similarity over the whole normalized text (the `licenseclassifier`
package: templates of every SPDX licence, matched region by region; imported on first use). Model
licences, which no SPDX matcher knows, are found by the knowledge base's title lines, but only where
a line of the file is that title (a licence that quotes or "is based upon" another names it inside a
sentence, not as its own title). Every region of the file counts: several licences are their AND;
text that no known licence covers is read for its clauses, and a commercial ban or a research-only
clause there is never dropped in favour of the permissive licence beside it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from licensecheck.licenses import clauses, spdx, titles
from licensecheck.licenses.facts import KnowledgeBase

MAX_TEXT = 512 * 1024
MAX_HEADING = 160
STUB_WORDS = 60  # a title followed by at most this many words is a title stub ("MIT License" + a line)
GAP_WORDS = 60  # unexplained text above this many words (and a quarter of the file) makes it unclear
_APPENDIX = re.compile(r"how to apply these terms", re.IGNORECASE)
_GNU_BARE = re.compile(r"^(A?GPL|LGPL|GFDL)-(\d\.\d)$")
_GNU_ONLY = re.compile(r"^(A?GPL|LGPL|GFDL)-\d\.\d-only$")
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|\(c\)|©|all rights reserved|spdx-license-identifier)", re.I)
_WORD = re.compile(r"[A-Za-z]{2,}")
_DECOR = " \t#*_=`>|-~\"'“”[]"


@dataclass(frozen=True, slots=True)
class Part:
    """One identified region of a LICENSE file: [start, end) and the licence id."""

    start: int
    end: int
    id: str
    how: str  # "similarity" | "title"


@dataclass(frozen=True, slots=True)
class TextReading:
    """What a LICENSE text holds: identified parts, unexplained text, and the file's hash."""

    parts: tuple[Part, ...]
    gap: str
    gap_words: int
    words: int
    digest: str


def digest_of(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "replace")).hexdigest()[:16]


def _classify(text: str) -> list[tuple[int, int, str]]:
    from licenseclassifier import identify_license  # lazy: start-up does not pay for the templates

    from licensecheck.licenses.specific import most_specific

    found = identify_license(text, coverage_threshold=0.0)
    return [(m.start, m.end, most_specific(text[m.start : m.end], m.id)) for m in found]


def spdx_regions(text: str) -> list[Part]:
    """SPDX licences matched by similarity, ids in their current form, version choice read from the
    text: a GNU licence is `-or-later` only when an "or any later version" notice outside the licence's
    own "How to Apply" appendix says so, else `-only` (the licence text names its version)."""
    found: list[tuple[int, int, str, bool]] = []
    for start, end, lid in _classify(text):
        # the sample notice in the GPL's own appendix is part of that text, not the licensor's choice
        appendix = lid.endswith("-or-later") and bool(_APPENDIX.search(text[max(0, start - 2500) : start]))
        found.append((start, end, lid, appendix))
    later = {
        lid.removesuffix("-or-later") for _, _, lid, app in found if lid.endswith("-or-later") and not app
    }
    ids = {lid for _, _, lid, app in found if not app}
    out: list[Part] = []
    for start, end, lid, appendix in found:
        if appendix or (lid.endswith("-or-later") and lid.removesuffix("-or-later") in ids):
            if out:  # the appendix, or the notice of a text matched in full: covered by that text
                out.append(Part(start, end, out[-1].id, "similarity"))
            continue
        if _GNU_BARE.match(lid):
            lid = f"{lid}-or-later" if lid in later else f"{lid}-only"
        lid = spdx.DEPRECATED.get(lid, lid)
        canonical = spdx.canonical_id(lid)
        if " " in lid or canonical is None:
            continue
        out.append(Part(start, end, canonical, "similarity"))
    lgpl = next((p.id for p in out if p.id.startswith("LGPL-3.0")), None)
    if lgpl is not None:  # the LGPL 3 text carries the GPL 3 text it amends
        out = [Part(p.start, p.end, lgpl, p.how) if p.id.startswith("GPL-3.0") else p for p in out]
    return out


def _heading(line: str) -> str:
    return line.strip().strip(_DECOR).strip()


def kb_headings(text: str, base: KnowledgeBase, regions: list[Part]) -> list[Part]:
    """Lines that are the title of a knowledge-base licence (outside SPDX-matched regions)."""
    out: list[Part] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        head = _heading(line)
        if not head or len(head) > MAX_HEADING or any(r.start <= start < r.end for r in regions):
            continue
        lid = titles.lookup(head, base)
        if lid is not None and lid in base.custom:
            out.append(Part(start, pos, lid, "title"))
    if not out:  # a file whose line breaks were lost: the title must open it
        flat = " ".join(text[:2000].split()).upper().lstrip(_DECOR)
        for marker, lid in base.text_markers():
            if marker and flat.startswith(marker):
                out.append(Part(0, len(text), lid, "title"))
                break
    return out


def _words(text: str) -> int:
    return sum(len(_WORD.findall(line)) for line in text.splitlines() if not _COPYRIGHT.match(line))


def read(text: str, base: KnowledgeBase) -> TextReading:
    """Split a LICENSE text into identified parts and the text no known licence explains."""
    body = text[:MAX_TEXT]
    regions = spdx_regions(body)
    headings = kb_headings(body, base, regions)
    # a title's part runs to the next identified region or title
    starts = sorted({p.start for p in regions} | {h.start for h in headings} | {len(body)})
    parts = list(regions)
    for h in headings:
        end = next(s for s in starts if s > h.start)
        parts.append(Part(h.start, end, h.id, h.how))
    parts.sort(key=lambda p: p.start)
    gap_chunks, cursor = [], 0
    for p in parts:
        if p.start > cursor:
            gap_chunks.append(body[cursor : p.start])
        cursor = max(cursor, p.end)
    gap_chunks.append(body[cursor:])
    gap = "\n".join(gap_chunks)
    return TextReading(tuple(parts), gap, _words(gap), _words(body), digest_of(body))


def title_stub(text: str, base: KnowledgeBase) -> tuple[str, str] | None:
    """A file that is only a licence's title (and a line or two): (id, the title lines)."""
    lines = [ln for ln in (_heading(x) for x in text[:MAX_TEXT].splitlines()) if ln]
    for n in (3, 2, 1):
        head = " ".join(lines[:n])
        if len(head) > MAX_HEADING * 2:
            continue
        lid = titles.lookup(head, base)
        if lid is None:
            # the GNU licence document names its version; only an "or later" notice widens it
            only = titles.lookup(f"{head} only", base)
            lid = only if only is not None and _GNU_ONLY.match(only) else None
        if lid is None:
            continue
        rest = "\n".join(lines[n:])
        if _words(rest) <= STUB_WORDS and not clauses.clauses(rest):
            return lid, head
        return None
    return None


def unclear(reading: TextReading) -> bool:
    """Too much of the file is text that no identified licence explains."""
    return reading.gap_words > GAP_WORDS and reading.gap_words * 4 > reading.words
