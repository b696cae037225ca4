"""`--author ORG` audits: requests per page and memory against the number of models (run by hand).

    python benchmarks/author.py [--n 500] [--mode cli|prefetch|listing] [--page-size 100] [--tracemalloc]
    python benchmarks/author.py --sweep 1000,10000,100000 [--modes listing,prefetch,cli]

One run starts the fake Hub (tests/fakehub.py) in-process with an organisation of `--n` generated
models and measures one of:

* `listing`:  iterate `HubSource.list_author(ORG)` and drop each model (the source alone, streaming);
* `prefetch`: `sources.hub.list_author(ORG, source)`, what the CLI calls: ids plus every model's
  metadata kept in `source.prefetched` for the audit;
* `cli`:      `licensecheck check --author ORG --no-cache -p openness --format FMT > /dev/null`
              (`--format`, default json).

It prints the listing requests and per-model requests counted by the fake Hub, the wall time and the
peak memory: the growth of the peak RSS (`ru_maxrss`) over the RSS before the run (and, with
`--tracemalloc`, the peak of Python allocations, which is slower). `--sweep` runs each N and mode in a
fresh subprocess (a process's peak RSS never goes down) and prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORG = "bigorg"
LICENSES = ["apache-2.0", "mit", "cc-by-nc-4.0", "llama3.1", "openrail"]


def _rss_kib() -> int:
    """Current resident set size in KiB (Linux /proc), else the peak so far."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def one(n: int, mode: str, page_size: int, trace: bool, fmt: str = "json") -> dict[str, Any]:
    from tests.fakehub import FakeHub

    hub = FakeHub(page_size=page_size).start()
    os.environ.update(
        {
            "HF_ENDPOINT": hub.url,
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "LICENSECHECK_CACHE_DIR": tempfile.mkdtemp(prefix="lc-bench-cache-"),
            "HF_HOME": tempfile.mkdtemp(prefix="lc-bench-hfhome-"),
            "NO_COLOR": "1",
        }
    )
    os.environ.pop("HF_TOKEN", None)
    hub.generate_author(ORG, n, lambda i: {"license": LICENSES[i % len(LICENSES)]})

    # import and warm everything first, so the measured growth is the run's own
    from licensecheck.cli import main as cli_main
    from licensecheck.licenses import facts
    from licensecheck.policy.document import load_policy
    from licensecheck.sources.hub import HubSource, list_author

    facts.load()
    load_policy("openness")
    HubSource(use_cache=False)
    hub.reset_counts()

    before = _rss_kib()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    count = 0
    if mode == "listing":
        source = HubSource(use_cache=False)
        for _meta in source.list_author(ORG):
            count += 1
    elif mode == "prefetch":
        source = HubSource(use_cache=False)
        count = len(list_author(ORG, source))
    else:
        argv = ["check", "--author", ORG, "--no-cache", "-p", "openness", "--format", fmt]
        with (
            open(os.devnull, "w", encoding="utf-8") as sink,
            contextlib.redirect_stdout(sink),
            contextlib.suppress(SystemExit),
        ):
            cli_main(argv)
        count = n
    elapsed = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    result = {
        "n": n,
        "mode": mode if mode != "cli" else f"cli-{fmt}",
        "models": count,
        "list_requests": hub.count("/api/models?"),
        "model_requests": hub.count("/api/models/"),
        "all_requests": hub.count(),
        "seconds": round(elapsed, 2),
        "rss_before_mib": round(before / 1024, 1),
        "peak_growth_mib": round((_peak_kib() - before) / 1024, 1),
        "tracemalloc_peak_mib": round(traced / 2**20, 1) if traced is not None else None,
    }
    hub.stop()
    return result


def show(r: dict[str, Any]) -> str:
    traced = (
        f"{r['tracemalloc_peak_mib']:>8} MiB" if r["tracemalloc_peak_mib"] is not None else "       -    "
    )
    per = r["peak_growth_mib"] * 1024 / max(r["n"], 1)
    return (
        f"{r['mode']:<13}{r['n']:>8}  {r['list_requests']:>6} pages  {r['model_requests']:>4} per-model  "
        f"{r['seconds']:>7.2f} s  peak RSS +{r['peak_growth_mib']:>7.1f} MiB ({per:5.2f} KiB/model)  "
        f"tracemalloc {traced}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--mode", choices=["cli", "prefetch", "listing"], default="cli")
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--format", default="json", help="report format of the cli mode (json, text, ...)")
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("--sweep", help="comma-separated N, each run in a fresh subprocess")
    ap.add_argument("--modes", default="listing,prefetch,cli", help="modes for --sweep")
    ap.add_argument("--json", action="store_true", help="print the result as JSON (used by --sweep)")
    args = ap.parse_args()

    if not args.sweep:
        result = one(args.n, args.mode, args.page_size, args.tracemalloc, args.format)
        print(json.dumps(result) if args.json else show(result))
        expected = -(-args.n // args.page_size)
        return 0 if result["list_requests"] <= expected + 1 and result["model_requests"] == 0 else 1

    print(f"page size {args.page_size}; peak RSS growth over the RSS before the run (fresh process each)")
    for n in (int(x) for x in args.sweep.split(",")):
        for mode in args.modes.split(","):
            cmd = [sys.executable, __file__, "--json", "--n", str(n), "--mode", mode]
            cmd += ["--page-size", str(args.page_size), "--format", args.format]
            cmd += ["--tracemalloc"] if args.tracemalloc else []
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode not in (0, 1) or not done.stdout.strip():
                print(f"{mode:<13}{n:>8}  failed: {done.stderr.strip()[-300:]}")
                continue
            print(show(json.loads(done.stdout.strip().splitlines()[-1])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
