"""Normalize every card of a corpus (JSON lines with `front_matter`) and print coverage and speed.

Usage: python benchmarks/corpus_sweep.py ../shared/corpus/hf-model-cards-2024-12.jsonl

"Declares a licence": the card has a `license` value other than `other`/`unknown`, or names one in
`license_name`, or links one in `license_link`. A bare `license: other` with neither is counted
separately: it says a licence exists without saying which, and only the repository's LICENSE file
(fetched by `check` from the Hub, not present in the corpus) can identify it.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb
from licensecheck.sources.card import declared_from


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    kb()  # load the knowledge base before timing
    counts = collections.Counter()
    unresolved: collections.Counter[str] = collections.Counter()
    methods: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for row in rows:
        fm = row.get("front_matter") or {}
        if not isinstance(fm, dict):
            fm = {}
        counts["cards"] += 1
        declared = declared_from(
            fm,
            tuple(t for t in fm.get("tags") or [] if isinstance(t, str))
            if isinstance(fm.get("tags"), list)
            else (),
        )
        res = normalize_declared(declared)
        lic = fm.get("license")
        bare = lic in ("other", ["other"]) and not declared.license_name and not declared.license_link
        if lic is None and not declared.license_name and not declared.license_link:
            counts["no licence field"] += 1
            continue
        if lic == "unknown":
            counts["license: unknown"] += 1
            continue
        if bare:
            counts["bare other"] += 1
            continue
        counts["declares"] += 1
        if res.expression is not None:
            counts["resolved"] += 1
            methods[res.method] += 1
        else:
            key = f"license={lic!r} license_name={declared.license_name!r} link={declared.license_link!r}"
            unresolved[key[:160]] += 1
    elapsed = time.perf_counter() - start
    declares, resolved = counts["declares"], counts["resolved"]
    with_any = declares + counts["bare other"]
    print(f"cards:                      {counts['cards']}")
    print(f"no licence field:           {counts['no licence field']}")
    print(f"license: unknown:           {counts['license: unknown']}")
    print(f"bare 'other' (no name/link): {counts['bare other']}")
    print(f"declare a licence:          {declares}")
    print(
        f"resolved:                   {resolved}  ({100 * resolved / max(declares, 1):.2f}% of those declaring)"
    )
    print(
        f"resolved incl. bare other:  {100 * resolved / max(with_any, 1):.2f}% (bare 'other' counted as failures)"
    )
    print(f"methods:                    {dict(methods.most_common())}")
    print(
        f"time:                       {1000 * elapsed / max(len(rows), 1) * 1000:.1f} ms per 1,000 cards "
        f"({elapsed:.3f} s for {len(rows)})"
    )
    if unresolved:
        print("\ntop unresolved values:")
        for key, n in unresolved.most_common(args.top):
            print(f"  {n:5}  {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
