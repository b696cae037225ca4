"""How licensecheck's normalizer does on real 2025-2026 model cards with licence names it was not built from.

Usage: python benchmarks/recent_cards.py [--data FILE [--data FILE ...]] [--verbose] [--check-only]

A second set, benchmarks/data/fresh_cards.yaml, is a FRESH holdout collected after the knowledge base was
extended (split `fresh` on every card, no hash rule): run it once, after the method work lands.
`--check-only` validates a file's shape (fields, splits, label keys) without normalizing anything.

The set (benchmarks/data/recent_cards.yaml) holds facts only: each card's four licence fields
(`license`, `license_name`, `license_link`, `base_model`), where it was found, and a label (category and
commercial use) written from the licence text before licensecheck ran on it. Its split is fixed by a hash
of the licence name; the knowledge base was extended from the dev split only, so the holdout figures
measure how far the normalizer generalises, not how long the list is.

Per split it prints: the share of cards identified (an SPDX expression, not null), the share whose
effective category equals the label, and every card whose effective category is MORE PERMISSIVE than its
label (rank of DESIGN.md section 6; an unidentified card counts as `unknown`, the least permissive).
The effective category of an expression follows the policy semantics: `A AND B` is as permissive as its
least permissive term, `A OR B` as its most permissive branch. Cards whose commercial use came out more
permissive than the label (false < conditional < true) are listed too.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from licensecheck.licenses import spdx
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.facts import CATEGORY_RANK, KnowledgeBase, alias_key
from licensecheck.licenses.normalize import kb
from licensecheck.model import LicenseFacts
from licensecheck.sources.card import declared_from

DATA = Path(__file__).resolve().parent / "data" / "recent_cards.yaml"
FIELDS = ("license", "license_name", "license_link", "base_model")
COMMERCIAL_RANK = {False: 0, None: 0, "conditional": 1, True: 2}
SPLITS = ("dev", "holdout", "fresh")
LABEL_CATEGORIES = set(CATEGORY_RANK) | {"unknown"}


def split_of(card: dict[str, Any]) -> str:
    """The rule the set was split by: sha256 of the licence name's alias form, odd -> holdout."""
    name = card.get("license_name") or card.get("license") or ""
    digest = hashlib.sha256(alias_key(str(name)).encode("utf-8")).hexdigest()
    return "holdout" if int(digest[:8], 16) % 2 else "dev"


def check_shape(data: Any) -> list[str]:
    """Every problem with the set's shape: cards with an id, a known split and a label that exists; labels with a
    category and a commercial use. A file is either all `fresh` or split by the hash rule."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("cards"), list)
        or not isinstance(data.get("labels"), dict)
    ):
        return ["the file needs a `cards` list and a `labels` mapping"]
    problems = []
    for key, label in data["labels"].items():
        if not isinstance(label, dict) or label.get("category") not in LABEL_CATEGORIES:
            problems.append(f"label {key}: category must be one of {sorted(LABEL_CATEGORIES)}")
        elif label.get("commercial_use") not in COMMERCIAL_RANK:
            problems.append(f"label {key}: commercial_use must be true, false or conditional")
    splits = set()
    for i, card in enumerate(data["cards"]):
        if not isinstance(card, dict) or not card.get("card"):
            problems.append(f"card {i}: needs a `card` id")
            continue
        split = card.get("split")
        splits.add(split)
        if split not in SPLITS:
            problems.append(f"{card['card']}: split {split!r} is not one of {SPLITS}")
        elif split != "fresh" and split_of(card) != split:
            problems.append(f"{card['card']} is marked {split} but the split rule says {split_of(card)}")
        if card.get("label") not in data["labels"]:
            problems.append(f"{card['card']}: label {card.get('label')!r} is not in `labels`")
        if not (card.get("license") or card.get("license_name")):
            problems.append(f"{card['card']}: needs `license` or `license_name`")
    if "fresh" in splits and len(splits) > 1:
        problems.append("a file with `fresh` cards must hold only `fresh` cards")
    return problems


def merged(sets: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    """Several files as one set: their cards, each label key prefixed by its file's name."""
    if len(sets) == 1:
        return sets[0][1]
    cards, labels = [], {}
    for path, one in sets:
        for key, label in one["labels"].items():
            labels[f"{path.stem}:{key}"] = label
        cards += [{**card, "label": f"{path.stem}:{card['label']}"} for card in one["cards"]]
    return {"cards": cards, "labels": labels}


def effective(node: spdx.Node, facts: dict[str, LicenseFacts], base: KnowledgeBase) -> tuple[str, Any]:
    """(category, commercial_use) of an expression tree: AND takes the least, OR the most permissive.
    A term's facts come from the resolution (an inferred licence lives only there), else the KB."""
    if isinstance(node, spdx.Lic):
        term = facts.get(node.key) or base.facts(node.key)
        return term.category, term.commercial_use
    parts = [effective(a, facts, base) for a in node.args]
    pick = min if node.op == "AND" else max
    category = pick(parts, key=lambda p: CATEGORY_RANK.get(p[0], 0))[0]
    commercial = pick(parts, key=lambda p: COMMERCIAL_RANK.get(p[1], 0))[1]
    return category, commercial


def judge(card: dict[str, Any], base: KnowledgeBase) -> dict[str, Any]:
    front = {k: card[k] for k in FIELDS if card.get(k) is not None}
    res = normalize_declared(declared_from(front))
    if res.expression is None:
        category, commercial = "unknown", None
    else:
        facts = {f.id: f for f in res.licenses}
        category, commercial = effective(spdx.parse(res.expression), facts, base)
    return {
        "expression": res.expression,
        "method": res.method,
        "category": category,
        "commercial": commercial,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        help=f"a set to score (default {DATA.name}); give it several times to score several files as one set",
    )
    parser.add_argument("--verbose", action="store_true", help="print every card's result")
    parser.add_argument(
        "--check-only", action="store_true", help="validate the file's shape only; normalize nothing"
    )
    args = parser.parse_args()
    paths: list[Path] = args.data or [DATA]
    sets = []
    for path in paths:
        one = yaml.safe_load(path.read_text(encoding="utf-8"))
        problems = check_shape(one)
        for problem in problems:
            print(f"error: {path}: {problem}")
        if problems:
            return 1
        if args.check_only:
            names = {alias_key(str(c.get("license_name") or c.get("license"))) for c in one["cards"]}
            print(f"{path}: {len(one['cards'])} cards, {len(names)} licence names, shape ok")
        sets.append((path, one))
    if args.check_only:
        return 0
    data = merged(sets)
    labels: dict[str, dict[str, Any]] = data["labels"]
    base = kb()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    looser: dict[str, list[str]] = defaultdict(list)
    looser_commercial: dict[str, list[str]] = defaultdict(list)
    wrong: dict[str, list[str]] = defaultdict(list)
    for card in data["cards"]:
        split = card["split"]
        label = labels[card["label"]]
        got = judge(card, base)
        row = stats[split]
        row["cards"] += 1
        row["identified"] += got["expression"] is not None
        row["right"] += got["category"] == label["category"]
        line = (
            f"{card['card']}  [{card.get('license')} / {card.get('license_name')}]  "
            f"label {label['category']}, got {got['category']} ({got['expression']}, {got['method']})"
        )
        if args.verbose:
            print(f"{split:8} {line}")
        if got["category"] != label["category"]:
            wrong[split].append(line)
        if CATEGORY_RANK.get(got["category"], 0) > CATEGORY_RANK[label["category"]]:
            looser[split].append(line)
        if COMMERCIAL_RANK.get(got["commercial"], 0) > COMMERCIAL_RANK[label["commercial_use"]]:
            looser_commercial[split].append(
                f"{line}; commercial_use label {label['commercial_use']}, got {got['commercial']}"
            )
    for split in [s for s in SPLITS if s in stats]:
        row = stats[split]
        n = max(row["cards"], 1)
        names = {
            alias_key(str(c.get("license_name") or c.get("license")))
            for c in data["cards"]
            if c["split"] == split
        }
        print(f"\n== {split}: {row['cards']} cards, {len(names)} licence names ==")
        print(f"identified:      {row['identified']:4}  ({100 * row['identified'] / n:.1f}%)")
        print(f"right category:  {row['right']:4}  ({100 * row['right'] / n:.1f}%)")
        print(f"more permissive: {len(looser[split]):4}")
        for line in looser[split]:
            print(f"  MORE PERMISSIVE  {line}")
        for line in looser_commercial[split]:
            if line.split(";")[0] not in looser[split]:
                print(f"  COMMERCIAL USE MORE PERMISSIVE  {line}")
        if args.verbose:
            for line in wrong[split]:
                print(f"  wrong category  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
