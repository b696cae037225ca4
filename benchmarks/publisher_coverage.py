"""How much of a model-card corpus the publisher registry covers.

Usage: python benchmarks/publisher_coverage.py [CORPUS] [--min 3] [--registry FILE] [--list]

CORPUS is JSON lines with a `repo_id_guess` ("org/name") per card; the default is
../shared/corpus/hf-model-cards-2024-12.jsonl next to this checkout. A model's organisation is the part of
its id before the slash. An organisation is covered when the registry has an entry for it (matched
case-insensitively, as `licensecheck` matches a model's author): either a publisher (company, university,
research lab, government body, nonprofit), with or without a sourced country, or an organisation marked
individual, community or re-uploader, whose models take their origin from their base models.

Prints: organisations with at least --min models and how many are covered; the share of the corpus's
models whose organisation is in the registry; both broken down by kind; how many covered publishers
have a country; how many entries are verified. --registry measures another registry file (for example
an older revision: `git show REV:licensecheck/licenses/data/publishers.yaml > old.yaml`) instead of the shipped one.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from licensecheck.errors import ConfigError
from licensecheck.licenses import facts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "hf-model-cards-2024-12.jsonl"


@dataclass(frozen=True)
class Entry:
    kind: str
    country: str | None
    verified: bool


def fail(message: str) -> int:
    print(f"publisher_coverage: {message}", file=sys.stderr)
    return 2


def read_corpus(path: Path) -> tuple[collections.Counter[str], int]:
    """Models per organisation, and how many lines were not a usable card."""
    orgs: collections.Counter[str] = collections.Counter()
    skipped = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                skipped += 1
                continue
            repo = row.get("repo_id_guess") if isinstance(row, dict) else None
            if not isinstance(repo, str) or "/" not in repo or not repo.split("/", 1)[0]:
                skipped += 1
                continue
            orgs[repo.split("/", 1)[0]] += 1
    return orgs, skipped


@dataclass(frozen=True)
class Registry:
    by_org: dict[str, Entry]  # organisation (lower case) -> its entry
    entries: tuple[Entry, ...]  # one per registry entry (an entry may name several organisations)


def registry_entries(entries: Iterable[Any]) -> Registry:
    """The registry read the way licensecheck reads it (kinds, countries dropped for marked kinds)."""
    by_org: dict[str, Entry] = {}
    kept: list[Entry] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        orgs = entry.get("orgs") or ()
        names = [str(o) for o in ([orgs] if isinstance(orgs, str) else orgs)]
        if not names:
            continue
        pub = facts.publisher_from_mapping(names[0], entry, None)
        item = Entry(pub.kind or "unspecified", pub.country, pub.verified)
        kept.append(item)
        for org in names:
            by_org[org.lower()] = item
    return Registry(by_org, tuple(kept))


def load_registry(path: Path | None) -> Registry:
    if path is None:
        text = (
            resources.files("licensecheck.licenses")
            .joinpath("data")
            .joinpath("publishers.yaml")
            .read_text(encoding="utf-8")
        )
    else:
        text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping) or not isinstance(data.get("publishers"), list):
        raise ConfigError("the registry has no 'publishers' list")
    return registry_entries(data["publishers"])


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "n/a"


def report(orgs: collections.Counter[str], reg: Registry, minimum: int, listing: bool) -> None:
    registry = reg.by_org
    total = sum(orgs.values())
    big = {org: n for org, n in orgs.items() if n >= minimum}
    covered = {org: n for org, n in orgs.items() if org.lower() in registry}
    big_covered = [org for org in big if org.lower() in registry]
    print(f"corpus: {total} models from {len(orgs)} organisations")
    print(
        f"organisations with >= {minimum} models: {len(big)} ({sum(big.values())} models, "
        f"{pct(sum(big.values()), total)} of the corpus); covered: {len(big_covered)} ({pct(len(big_covered), len(big))})"
    )
    print(
        f"models whose organisation is in the registry: {sum(covered.values())} of {total} "
        f"({pct(sum(covered.values()), total)}), from {len(covered)} organisations"
    )
    by_kind_orgs: collections.Counter[str] = collections.Counter()
    by_kind_models: collections.Counter[str] = collections.Counter()
    with_country = 0
    for org, n in covered.items():
        entry = registry[org.lower()]
        by_kind_orgs[entry.kind] += 1
        by_kind_models[entry.kind] += n
        with_country += entry.country is not None
    print("covered corpus organisations by kind (organisations / models):")
    for kind, n in by_kind_orgs.most_common():
        print(f"  {kind:13} {n:4} / {by_kind_models[kind]}")
    print(f"covered corpus organisations with a country: {with_country} of {len(covered)}")
    kinds = collections.Counter(e.kind for e in reg.entries)
    print(
        f"registry: {len(reg.entries)} entries naming {len(registry)} organisations; verified entries: "
        f"{sum(e.verified for e in reg.entries)}; entries by kind: "
        + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    )
    missing = sorted((org for org in big if org.lower() not in registry), key=lambda o: (-big[o], o.lower()))
    if missing:
        shown = missing if listing else missing[:20]
        print(f"not covered (>= {minimum} models): " + ", ".join(f"{o} ({big[o]})" for o in shown))
        if len(shown) < len(missing):
            print(f"  ... and {len(missing) - len(shown)} more (--list shows all)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument(
        "--min", type=int, default=3, help="models an organisation needs to count (default 3)"
    )
    parser.add_argument(
        "--registry", type=Path, help="a publishers.yaml to measure instead of the shipped one"
    )
    parser.add_argument("--list", action="store_true", help="list every organisation not covered")
    args = parser.parse_args(argv)
    if args.min < 1:
        return fail("--min must be at least 1")
    if not args.corpus.is_file():
        return fail(f"corpus not found: {args.corpus} (give the path of a JSON-lines card corpus)")
    if args.registry is not None and not args.registry.is_file():
        return fail(f"registry not found: {args.registry}")
    try:
        orgs, skipped = read_corpus(args.corpus)
        registry = load_registry(args.registry)
    except OSError as exc:
        return fail(f"cannot read: {exc}")
    except (yaml.YAMLError, ConfigError) as exc:
        return fail(f"bad registry: {exc}")
    if not orgs:
        return fail(
            f"no usable cards in {args.corpus} (each line needs a 'repo_id_guess' of the form org/name)"
        )
    if skipped:
        print(f"skipped {skipped} line(s) without a usable repo_id_guess")
    report(orgs, registry, args.min, args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
