"""`check --offline` over a lockfile of 100 models (run by hand; target < 0.2 s in-process).

    python benchmarks/offline.py [--models 100] [--repeat 10] [--format json]

Writes a lockfile of `--models` models (mixed licences, some fine-tunes whose base models are locked
too, so lineage is followed) into a temporary folder, then times `licensecheck check --offline` with
the default postures (openness and export-caution):

* in-process, first call: includes loading the knowledge base, the policies and the SPDX tables;
* in-process, later calls: best and median of `--repeat`;
* as a subprocess (`python -m licensecheck`), best and median of 5, next to a bare `python -c pass`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CARDS: list[dict[str, Any]] = [
    {"license": "apache-2.0"},
    {"license": "mit"},
    {"license": "llama3.1"},
    {"license": "cc-by-nc-4.0"},
    {"license": "other", "license_name": "qwen"},
    {"license": "openrail"},
    {"license": "gemma"},
    {"license": ["apache-2.0", "mit"]},
    {"license": "other", "license_name": "deepseek-license"},
    {"license": "bsd-3-clause"},
]
ORGS = ["acme", "deepseek-ai", "Qwen", "meta-llama", "google", "mistralai", "THUDM", "newcorp"]


def write_lockfile(path: Path, n: int) -> list[str]:
    from licensecheck.licenses import facts
    from licensecheck.sources.lockfile import Lockfile

    models: dict[str, dict[str, Any]] = {}
    ids = []
    for i in range(n):
        org = ORGS[i % len(ORGS)]
        repo_id = f"{org}/model-{i:03d}"
        card = CARDS[i % len(CARDS)]
        bases = [ids[i - 7]] if i >= 7 and i % 3 == 0 else []  # some fine-tunes of earlier models
        lic = card["license"]
        models[repo_id] = {
            "author": org,
            "base_models": bases,
            "base_relation": "finetune" if bases else None,
            "datasets": [],
            "eu_disallowed": False,
            "fetched": "2025-01-01T00:00:00Z",
            "gated": "manual" if i % 11 == 0 else False,
            "library_name": "transformers",
            "license": lic,
            "license_link": None,
            "license_name": card.get("license_name"),
            "parameters": 7_000_000_000 + i,
            "pipeline_tag": "text-generation",
            "revision": f"{i:040x}",
            "tags": sorted(
                [
                    "transformers",
                    "region:us",
                    *(f"license:{x}" for x in (lic if isinstance(lic, list) else [lic])),
                ]
            ),
        }
        ids.append(repo_id)
    Lockfile(path, models, {}).write(facts.load().version)
    return ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--format", default="json")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="lc-bench-offline-"))
    lock = folder / "licensecheck.lock"
    os.environ["LICENSECHECK_CACHE_DIR"] = str(folder / "cache")
    os.environ["NO_COLOR"] = "1"
    start = time.perf_counter()
    from licensecheck.cli import main as cli_main

    import_time = time.perf_counter() - start
    ids = write_lockfile(lock, args.models)
    argv = ["check", "--offline", "--lockfile", str(lock), "--format", args.format, *ids]

    def run() -> tuple[float, str]:
        out = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            cli_main(argv)
        return time.perf_counter() - t0, out.getvalue()

    # the first call pays for imports and the knowledge base: measure it in a fresh interpreter
    probe = (
        f"import sys,time,io,contextlib;sys.path.insert(0,{str(ROOT)!r});t=time.perf_counter();"
        "from licensecheck.cli import main;o=io.StringIO()\n"
        f"with contextlib.redirect_stdout(o),contextlib.suppress(SystemExit): main({argv!r})\n"
        "print(time.perf_counter()-t)"
    )
    cold = float(
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    )

    first, text = run()
    if args.format == "json":
        report = json.loads(text)
        assert report["summary"]["models"] == args.models, report["summary"]
        assert all(m["error"] is None for m in report["models"]), "a model was missing from the lockfile"
        summary = report["summary"]
    else:
        summary = {}
    warm = [run()[0] for _ in range(args.repeat)]

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bare = [_wall([sys.executable, "-c", "pass"], env) for _ in range(5)]
    sub = [_wall([sys.executable, "-m", "licensecheck", *argv], env) for _ in range(5)]

    print(f"lockfile: {args.models} models, {lock.stat().st_size / 1024:.0f} KiB; --format {args.format}")
    print(f"import licensecheck.cli          : {import_time * 1000:7.1f} ms")
    print(f"first check, fresh interpreter   : {cold * 1000:7.1f} ms (imports + knowledge base + run)")
    print(f"first check in this process      : {first * 1000:7.1f} ms")
    print(
        f"check --offline, in-process      : {min(warm) * 1000:7.1f} ms best, "
        f"{statistics.median(warm) * 1000:.1f} ms median of {len(warm)}  (target < 200 ms)"
    )
    print(
        f"python -m licensecheck (wall)    : {min(sub) * 1000:7.1f} ms best, {statistics.median(sub) * 1000:.1f} ms median"
    )
    print(f"python -c pass (wall)            : {min(bare) * 1000:7.1f} ms best")
    print(f"summary: {summary}")
    return 0 if statistics.median(warm) < 0.2 else 1


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
