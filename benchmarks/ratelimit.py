"""Rate limits: audit 2,000 models through a stand-in Hub that enforces 500 API calls per window.

    python benchmarks/ratelimit.py [--models 2000] [--quota 500] [--window 6] [--jobs 16]

The stand-in (tests/fakehub.py, in this process) counts requests in fixed windows as the Hub does and
answers 429 past the quota; every answer carries `RateLimit: "api";r=..;t=..` and `RateLimit-Policy`.
`licensecheck check` runs in a subprocess with HF_ENDPOINT pointed at it, no cache, one posture. The
window is short (seconds, not the Hub's 300 s) so the run takes seconds; the logic is the same.

It prints: the models judged and how many ended `rate-limited` (must be 0), the calls the stand-in saw
and how many it refused (429), the pauses licensecheck announced, and the wall time beside the least
time the budget allows: (ceil(calls / quota) - 1) full windows, since the last window's calls need no wait.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(models: int, quota: int, window: float, jobs: int) -> dict[str, Any]:
    from tests.fakehub import FakeHub

    with FakeHub() as hub, tempfile.TemporaryDirectory() as tmp:
        ids = [f"bench/model-{i:05d}" for i in range(models)]
        for i, repo_id in enumerate(ids):
            hub.add_model(repo_id, {"license": ["mit", "apache-2.0", "cc-by-nc-4.0"][i % 3]})
        hub.rate_limit(quota=quota, window=window)
        env = {
            **os.environ,
            "HF_ENDPOINT": hub.url,
            "HF_HOME": str(Path(tmp) / "hf"),
            "LICENSECHECK_CACHE_DIR": str(Path(tmp) / "cache"),
            "PYTHONPATH": str(ROOT),
        }
        for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"):
            env.pop(name, None)
        args = [sys.executable, "-m", "licensecheck", "check", "--no-cache", "-v", "--format", "json"]
        args += ["-p", "openness", "--jobs", str(jobs), "--fail-on", "never", *ids]
        start = time.monotonic()
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, cwd=tmp)
        seconds = time.monotonic() - start
        if proc.returncode != 0:
            raise SystemExit(f"licensecheck exited {proc.returncode}:\n{proc.stderr[-3000:]}")
        report = json.loads(proc.stdout)
        kinds = [m["error"]["kind"] for m in report["models"] if m.get("error")]
        calls = hub.count("/api/models/")
        return {
            "models": len(report["models"]),
            "rate_limited": kinds.count("rate-limited"),
            "other_errors": len(kinds) - kinds.count("rate-limited"),
            "calls": calls,
            "refused_429": hub.throttled,
            "pauses": sum("budget is spent" in line for line in proc.stderr.splitlines()),
            "seconds": round(seconds, 1),
            "least_seconds": (math.ceil(models / quota) - 1) * window,
            "usage": [line for line in proc.stderr.splitlines() if "Hub API call" in line],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--quota", type=int, default=500)
    parser.add_argument("--window", type=float, default=6.0)
    parser.add_argument("--jobs", type=int, default=16)
    ns = parser.parse_args()
    got = run(ns.models, ns.quota, ns.window, ns.jobs)
    print(json.dumps(got, indent=2))
    if got["rate_limited"] or got["models"] != ns.models:
        raise SystemExit("FAILED: some model was rate-limited or missing")


if __name__ == "__main__":
    main()
