"""Start-up cost of the CLI over a bare Python start (DESIGN.md section 9: under 60 ms).

Usage: python benchmarks/startup.py [--runs 30]

Runs each command in a fresh process many times (bytecode cached outside the checkout, as for an
installed package) and prints the median wall time, the difference from `python -c pass` and the ratio
to it. Also lists which heavy modules each command imported (none should be).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("huggingface_hub", "spdx_tools", "cyclonedx", "license_expression", "httpx", "httpx2")
COMMANDS = (["--version"], ["check", "--help"], ["--help"])


ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="lc-pyc-")}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # otherwise every start would also compile every module


def median_ms(argv: list[str], runs: int) -> float:
    subprocess.run(argv, capture_output=True, check=False, env=ENV)  # writes the bytecode
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, env=ENV)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def imported(args: list[str]) -> list[str]:
    code = (
        "import sys\nfrom licensecheck.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=ENV)
    return [m for m in done.stderr.strip().splitlines()[-1].split(",") if m] if done.stderr.strip() else []


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    base = median_ms([sys.executable, "-c", "pass"], args.runs)
    print(f"python -c pass        {base:7.1f} ms")
    worst = 0.0
    for cmd in COMMANDS:
        t = median_ms([sys.executable, "-m", "licensecheck", *cmd], args.runs)
        worst = max(worst, t - base)
        heavy = imported(cmd)
        print(
            f"licensecheck {' '.join(cmd):<10}{t:7.1f} ms  +{t - base:5.1f} ms over bare Python"
            f" ({t / base:.1f} x)"
            f"  heavy imports: {', '.join(heavy) or 'none'}"
        )
    print(f"worst overhead: {worst:.1f} ms (target < 60 ms): {'OK' if worst < 60 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
