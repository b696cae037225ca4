"""Prefer the most specific SPDX template that explains a matched region.

The classifier picks one template per region, and a broad template (HPND, with its alternates for
old-style notices) can win over the SPDX licence the text really is (dtoa, metamail), because both
match. This module re-reads a matched region against the other templates that could explain it and
prefers one that covers nearly all of the region (COVERAGE percent of its words) while using nearly
all of its own words (PRECISION): a template fitted to this text rather than one broad enough to
admit it. It reaches into the classifier's engine for single-template scanners; if that engine
changes shape, the refinement is skipped and the classifier's own answer stands.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from typing import Any

COVERAGE = 90.0  # percent of the region's words the rival template must match
PRECISION = 0.9  # share of the rival template's own words that must occur in the region
RECALL = 0.75  # share of the region's distinct words the rival template must name (holes take the rest)
MIN_WORDS = 10  # templates smaller than this explain too little to replace a match
_COMMENT = re.compile(r"//\*\*.*?\*\*//", re.S)
_HOLE = re.compile(r"__\d+__")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class _Template:
    id: str
    entries: list[dict[str, Any]]
    words: frozenset[str]
    scanner: Any = None


_index: list[_Template] | None = None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _load() -> list[_Template]:
    """Every template of the classifier, with the words its pattern names (comments and holes dropped)."""
    global _index
    if _index is None:
        try:
            from licenseclassifier._engine.scan import _DATA_PATH

            with gzip.open(_DATA_PATH, "rt", encoding="utf-8") as fh:
                raw = json.load(fh)
        except (ImportError, AttributeError, OSError, ValueError):
            raw = []
        grouped: dict[str, list[dict[str, Any]]] = {}
        for entry in raw if isinstance(raw, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("lre"), str) and entry.get("id"):
                grouped.setdefault(str(entry["id"]), []).append(entry)
        index = []
        for lid, entries in grouped.items():
            words = frozenset().union(*(_words(_HOLE.sub(" ", _COMMENT.sub(" ", e["lre"]))) for e in entries))
            if len(words) >= MIN_WORDS:
                index.append(_Template(lid, entries, words))
        _index = index
    return _index


def _precision(template: _Template, region_words: set[str]) -> float:
    return len(template.words & region_words) / len(template.words)


def _covers(template: _Template, region: str) -> bool:
    if template.scanner is None:
        from licenseclassifier._engine.scan import Scanner

        template.scanner = Scanner(template.entries)
    coverage = template.scanner.scan(region)
    return bool(coverage.percent >= COVERAGE and any(m.id == template.id for m in coverage.match))


def most_specific(region: str, matched: str) -> str:
    """The id of the template that fits `region` most closely: `matched` unless a rival covers the
    region and uses a larger share of its own words."""
    try:
        index = _load()
        region_words = _words(region)
        limit = len(region_words) / PRECISION  # a template with more words cannot reach PRECISION
        own = next((t for t in index if t.id == matched), None)
        best, best_precision = matched, (_precision(own, region_words) if own else 0.0)
        floor = RECALL * len(region_words)  # a template naming fewer of the region's words cannot cover it
        rivals = []
        for template in index:
            size = len(template.words)
            if template.id == matched or size > limit or size < floor:
                continue
            shared = len(template.words & region_words)
            if shared >= floor and shared >= PRECISION * size and shared > best_precision * size:
                rivals.append((shared / size, template))
        for precision, template in sorted(rivals, key=lambda r: (-r[0], r[1].id)):
            if _covers(template, region):
                best, best_precision = template.id, precision
                break
        return best
    except (ImportError, AttributeError, TypeError, ValueError):
        return matched
