"""Hub fetch throughput: a plain serial `HfApi().model_info` loop vs `licensecheck check` (run by hand).

    python benchmarks/fetch.py [--models 200] [--delay 0.1] [--jobs 16] [--subprocess]

Starts the fake Hub (tests/fakehub.py) on 127.0.0.1 with `--delay` seconds per request, serves
`--models` models, then times (1) a serial loop of `HfApi().model_info(repo_id)`, one per model, and
(2) `licensecheck check --no-cache -p openness --format json <all models>` in-process (and, with
`--subprocess`, as `python -m licensecheck`). Prints both times and the ratio; the target is >= 12x
(the ceiling with 16 workers is about 16x).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LICENSES = ["apache-2.0", "mit", "llama3.1", "cc-by-nc-4.0", "openrail", "gemma", "bsd-3-clause", "gpl-3.0"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=int, default=200)
    ap.add_argument("--delay", type=float, default=0.1, help="seconds per request at the fake Hub")
    ap.add_argument("--jobs", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3, help="runs of licensecheck (best and median shown)")
    ap.add_argument("--subprocess", action="store_true", help="also time `python -m licensecheck check`")
    args = ap.parse_args()

    from tests.fakehub import FakeHub

    hub = FakeHub(delay=args.delay).start()
    cache = tempfile.mkdtemp(prefix="lc-bench-cache-")
    hf_home = tempfile.mkdtemp(prefix="lc-bench-hfhome-")
    env = {
        "HF_ENDPOINT": hub.url,
        "HF_HOME": hf_home,
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
        "LICENSECHECK_CACHE_DIR": cache,
        "NO_COLOR": "1",
    }
    os.environ.update(env)
    for name in ("HF_TOKEN", "HF_HUB_OFFLINE"):
        os.environ.pop(name, None)
    ids = [f"bench/model-{i:04d}" for i in range(args.models)]
    for i, repo_id in enumerate(ids):
        hub.add_model(repo_id, {"license": LICENSES[i % len(LICENSES)]}, safetensors_total=7_000_000_000)

    from huggingface_hub import HfApi

    from licensecheck.cli import main as cli_main

    try:
        api = HfApi(endpoint=hub.url, token=False)
        api.model_info(ids[0])  # warm up the client's connection pool and imports
        hub.reset_counts()
        start = time.perf_counter()
        for repo_id in ids:
            api.model_info(repo_id)
        serial = time.perf_counter() - start
        serial_requests = hub.count()

        argv = ["check", "--no-cache", "-p", "openness", "--format", "json", "--jobs", str(args.jobs), *ids]
        runs: list[float] = []
        for _ in range(args.repeat):  # the first run is cold (knowledge base, policies, SPDX tables)
            hub.reset_counts()
            out = io.StringIO()
            start = time.perf_counter()
            with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
                cli_main(argv)
            runs.append(time.perf_counter() - start)
            our_requests = hub.count()
            report = json.loads(out.getvalue())
            assert report["summary"]["models"] == args.models, report["summary"]
            assert all(m["error"] is None for m in report["models"])

        subs: list[float] = []
        for _ in range(args.repeat if args.subprocess else 0):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "licensecheck", *argv],
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                check=False,
                cwd=tempfile.gettempdir(),
            )
            subs.append(time.perf_counter() - start)
    finally:
        hub.stop()
    ours = min(runs)

    print(f"fake Hub: {args.models} models, {args.delay * 1000:.0f} ms per request; --jobs {args.jobs}")
    print(f"plain HfApi().model_info loop : {serial:7.2f} s  ({serial_requests} requests)")
    print(
        f"licensecheck check (in-process): {ours:7.2f} s best, {statistics.median(runs):.2f} s median, "
        f"{runs[0]:.2f} s first of {len(runs)}  ({our_requests} requests)"
    )
    print(f"ratio (best in-process)       : {serial / ours:7.1f}x  (target >= 12x)")
    print(f"ratio (first, cold run)       : {serial / runs[0]:7.1f}x")
    if subs:
        print(
            f"licensecheck check (subprocess): {min(subs):7.2f} s best, {statistics.median(subs):.2f} s median "
            f"-> ratio {serial / min(subs):.1f}x (includes interpreter start and imports)"
        )
    print(f"summary: {report['summary']}")
    return 0 if serial / ours >= 12 else 1


if __name__ == "__main__":
    sys.exit(main())
