"""`check --offline` over a lockfile of 100 models (run by hand; target < 0.15 s in a fresh interpreter).

    python benchmarks/offline.py [--models 100] [--repeat 10] [--runs 15] [--format json]

Writes a lockfile of `--models` models (mixed licences, some fine-tunes whose base models are locked
too, so lineage is followed) into a temporary folder, then times `licensecheck check --offline` with
the default postures (openness and export-caution):

* as a fresh process (`python -m licensecheck`, `--runs` times, bytecode cached as for an installed
  package): the figure users feel, imports, the knowledge base, the policies, the lockfile and the
  run; its CPU time (user + system, which other load
  on the machine disturbs much less than wall time) and wall time, each as a median and as a ratio to a
  bare `python -c pass` measured the same way, interleaved;
* in-process, first call and later calls (best and median of `--repeat`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
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
    ap.add_argument("--runs", type=int, default=15)
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

    first, text = run()
    if args.format == "json":
        report = json.loads(text)
        assert report["summary"]["models"] == args.models, report["summary"]
        assert all(m["error"] is None for m in report["models"]), "a model was missing from the lockfile"
        summary = report["summary"]
    else:
        summary = {}
    warm = [run()[0] for _ in range(args.repeat)]

    env = bytecode_env(folder)
    _child([sys.executable, "-m", "licensecheck", *argv], env)  # writes the bytecode, as an install does
    bare_cpu, bare_wall, cold_cpu, cold_wall = [], [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        cpu, wall = _child([sys.executable, "-c", "pass"], env)
        bare_cpu.append(cpu)
        bare_wall.append(wall)
        cpu, wall = _child([sys.executable, "-m", "licensecheck", *argv], env)
        cold_cpu.append(cpu)
        cold_wall.append(wall)
    med = statistics.median

    print(f"lockfile: {args.models} models, {lock.stat().st_size / 1024:.0f} KiB; --format {args.format}")
    print(f"import licensecheck.cli          : {import_time * 1000:7.1f} ms")
    print(
        f"fresh process, CPU time          : {med(cold_cpu) * 1000:7.1f} ms median "
        f"({min(cold_cpu) * 1000:.1f} best) = {med(cold_cpu) / med(bare_cpu):.1f} x python -c pass "
        f"({med(bare_cpu) * 1000:.1f} ms)  (target < 150 ms)"
    )
    print(
        f"fresh process, wall time         : {med(cold_wall) * 1000:7.1f} ms median "
        f"({min(cold_wall) * 1000:.1f} best) = {med(cold_wall) / med(bare_wall):.1f} x python -c pass "
        f"({med(bare_wall) * 1000:.1f} ms)"
    )
    print(f"first check in this process      : {first * 1000:7.1f} ms")
    print(
        f"check --offline, in-process      : {min(warm) * 1000:7.1f} ms best, "
        f"{statistics.median(warm) * 1000:.1f} ms median of {len(warm)}"
    )
    print(f"summary: {summary}")
    return 0 if med(cold_cpu) < 0.15 else 1


def bytecode_env(folder: Path) -> dict[str, str]:
    """The children's environment: the checkout first on the path, and bytecode cached (in `folder`, not
    in the checkout) even where PYTHONDONTWRITEBYTECODE is set, as for an installed package, whose
    modules pip compiles at install time: otherwise every start would also compile every module."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU time (user + system) and wall time of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


if __name__ == "__main__":
    sys.exit(main())
