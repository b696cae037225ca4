"""What `check` makes of a card's LICENSE text when the card's licence fields leave the licence unidentified.

Usage: python benchmarks/license_texts.py [--texts DIR] [--data FILE] [--verbose]

benchmarks/data/license_texts.yaml names cards of the fresh2, fresh3 and fresh4 sets whose licence fields
alone come out unidentified, and for each one where the licence text the card points to was read (repository,
path, commit and index file id), the sha256 of that text, and the outcome measured by hand on it. Licence
texts are third-party text and are never committed: a reviewer fetches each one by its recorded location
and saves it in DIR under the card's file name (`text_name`: the card id with every character other than
letters, digits, `.`, `_` and `-` turned into `_`, plus `.txt`).

With --texts DIR each text's sha256 is checked (over its UTF-8 bytes with CRLF line ends read as LF), then
the normalizer runs on it as `check` does, `normalize_declared(declared_from(card fields), license_text=TEXT)`,
and the effective category is scored against the card's label by the rules of recent_cards.py (its
`effective`; an unidentified licence counts as `unknown`, the least permissive). Without DIR the recorded
outcomes are printed. Either way: the share identified, the share whose category equals the label, and
every card whose category is MORE PERMISSIVE than its label.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recent_cards import COMMERCIAL_RANK, FIELDS, effective

from licensecheck.licenses import spdx
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase
from licensecheck.licenses.normalize import kb
from licensecheck.sources.card import declared_from

DATA = Path(__file__).resolve().parent / "data" / "license_texts.yaml"


def text_name(card_id: str) -> str:
    """The file a card's licence text is saved under in DIR."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", card_id) + ".txt"


def digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def labelled_cards(set_name: str) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """card id -> (card, label) of one card set (benchmarks/data/<set>_cards.yaml)."""
    data = yaml.safe_load((DATA.parent / f"{set_name}_cards.yaml").read_text(encoding="utf-8"))
    return {card["card"]: (card, data["labels"][card["label"]]) for card in data["cards"]}


def measure(card: dict[str, Any], label: dict[str, Any], text: str, base: KnowledgeBase) -> dict[str, Any]:
    """The outcome of the text path on one card: what was identified, its category, and how it compares."""
    front = {k: card[k] for k in FIELDS if card.get(k) is not None}
    res = normalize_declared(declared_from(front), license_text=text)
    category, commercial = "unknown", None
    if res.expression is not None:
        category, commercial = effective(spdx.parse(res.expression), {f.id: f for f in res.licenses}, base)
    return {
        "identified": res.expression is not None,
        "expression": res.expression,
        "method": res.method,
        "category": category,
        "commercial_use": commercial,
        "right": category == label["category"],
        "more_permissive": CATEGORY_RANK.get(category, 0) > CATEGORY_RANK[label["category"]],
        "commercial_more_permissive": COMMERCIAL_RANK.get(commercial, 0)
        > COMMERCIAL_RANK[label["commercial_use"]],
        # the clause kinds an inference quoted (the kinds only: the quoted sentences are the licence's)
        "clauses": sorted({e.split(":", 1)[0] for e in res.evidence}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, help="a folder holding the licence texts, one per card")
    parser.add_argument("--data", type=Path, default=DATA, help=f"the record (default {DATA.name})")
    parser.add_argument("--verbose", action="store_true", help="print every card's outcome")
    args = parser.parse_args()
    record = yaml.safe_load(args.data.read_text(encoding="utf-8"))
    base = kb()
    sets: dict[str, dict[str, tuple[dict[str, Any], dict[str, Any]]]] = {}
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for entry in record["cards"]:
        sets.setdefault(entry["set"], labelled_cards(entry["set"]))
        card, label = sets[entry["set"]][entry["card"]]
        if card["label"] != entry["label"]:
            print(f"error: {entry['card']}: label {entry['label']!r}, the set says {card['label']!r}")
            return 1
        outcome = entry["outcome"]
        if args.texts is not None:
            path = args.texts / text_name(entry["card"])
            if not path.is_file():
                print(f"skipped {entry['card']}: no {path}")
                continue
            text = path.read_text(encoding="utf-8")
            if digest(text) != entry["sha256"]:
                print(f"skipped {entry['card']}: {path.name} is not the text measured (sha256 differs)")
                continue
            outcome = measure(card, label, text, base)
        rows.append((entry["card"], label, outcome))
    n = max(len(rows), 1)
    identified = sum(bool(o["identified"]) for _, _, o in rows)
    right = sum(bool(o["right"]) for _, _, o in rows)
    source = f"texts in {args.texts}" if args.texts is not None else f"recorded in {args.data.name}"
    print(f"== {len(rows)} cards with their licence text ({source}) ==")
    print(f"identified:      {identified:4}  ({100 * identified / n:.1f}%)")
    print(f"right category:  {right:4}  ({100 * right / n:.1f}%)")
    print(f"more permissive: {sum(bool(o['more_permissive']) for _, _, o in rows):4}")
    for card_id, label, o in rows:
        line = (
            f"{card_id}  label {label['category']}/{label['commercial_use']}, got {o['category']}/"
            f"{o['commercial_use']} ({o['expression']}, {o['method']}; clauses {', '.join(o['clauses']) or '-'})"
        )
        if o["more_permissive"]:
            print(f"  MORE PERMISSIVE  {line}")
        elif o["commercial_more_permissive"]:
            print(f"  COMMERCIAL USE MORE PERMISSIVE  {line}")
        elif args.verbose:
            print(f"  {'right' if o['right'] else 'wrong'}  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
