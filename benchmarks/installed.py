"""Installed models: a 10,000-model Hugging Face cache audited offline, and a large GGUF file's header.

    python benchmarks/installed.py [--models 10000] [--gguf-gb 40] [--vocab 150000]

* Cache: writes a cache folder in huggingface_hub's layout (`models--ORG--NAME/{blobs,refs,snapshots}`,
  snapshot files linked to blobs) with `--models` models (mixed licences), then times
  `licensecheck check --offline CACHE -p openness --format json` in a fresh interpreter, against a bare
  `huggingface_hub.scan_cache_dir` + README read of the same cache (the floor: the files must be read),
  and reports the peak RSS of both.
* GGUF: writes a real GGUF (the `gguf` package's writer) with a `--vocab`-token vocabulary, makes it a
  sparse file of `--gguf-gb` GB, and times reading its header (best of 5) against reading the header of
  the same file before it was grown: the size of the tensor data must not matter.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LICENSES = ["mit", "apache-2.0", "llama3.1", "cc-by-nc-4.0", "gemma", "openrail"]


def write_cache(root: Path, n: int) -> None:
    for i in range(n):
        repo = root / f"models--org{i % 97}--model-{i:05d}"
        sha = hashlib.sha1(str(i).encode()).hexdigest()
        card = f"---\nlicense: {LICENSES[i % len(LICENSES)]}\n---\n# model {i}\n".encode()
        blob = hashlib.sha256(card).hexdigest()
        (repo / "blobs").mkdir(parents=True)
        (repo / "blobs" / blob).write_bytes(card)
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(sha)
        snap = repo / "snapshots" / sha
        snap.mkdir(parents=True)
        os.symlink(f"../../blobs/{blob}", snap / "README.md")


FLOOR = """
import resource, sys, time
from pathlib import Path
t = time.perf_counter()
from huggingface_hub import scan_cache_dir
n = 0
for repo in scan_cache_dir(sys.argv[1]).repos:
    for rev in repo.revisions:
        n += len((Path(rev.snapshot_path) / "README.md").read_bytes()) > 0
print(n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

AUDIT = """
import contextlib, io, resource, sys, time
t = time.perf_counter()
from licensecheck.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(["check", "--offline", sys.argv[1], "-p", "openness", "--format", "json", "--fail-on", "never"])
    except SystemExit:
        pass
import json
print(len(json.loads(out.getvalue())["models"]), time.perf_counter() - t,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _run(code: str, arg: Path) -> tuple[int, float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, str(arg)], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    n, secs, rss = out.stdout.split()[-3:]
    return int(n), float(secs), int(rss) / 1024


def bench_cache(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "hub"
        t = time.perf_counter()
        write_cache(cache, n)
        print(f"cache of {n} models written in {time.perf_counter() - t:.1f} s")
        fn, fsecs, frss = _run(FLOOR, cache)
        an, asecs, arss = _run(AUDIT, cache)
        print(f"scan_cache_dir + README reads : {fn:6d} models {fsecs:6.2f} s  peak RSS {frss:6.1f} MiB")
        print(f"licensecheck check --offline  : {an:6d} models {asecs:6.2f} s  peak RSS {arss:6.1f} MiB")
        print(
            f"ratio to the floor            : {asecs / fsecs:.2f}x  ({1000 * asecs / max(an, 1):.2f} ms per model)"
        )


def bench_gguf(gigabytes: int, vocab: int) -> None:
    from licensecheck.sources.gguf import read_header
    from tests.test_installed import write_gguf

    def best(path: Path) -> float:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            read_header(path)
            times.append(time.perf_counter() - t)
        return min(times)

    with tempfile.TemporaryDirectory() as tmp:
        path = write_gguf(Path(tmp) / "m.gguf", {"general.license": "llama3.1"}, vocab=vocab)
        small = path.stat().st_size
        t_small = best(path)
        with path.open("r+b") as fh:
            fh.truncate(gigabytes * 1024**3)
        t_big = best(path)
        print(f"GGUF header, {small / 1e6:.1f} MB file ({vocab} tokens): {1000 * t_small:7.2f} ms")
        print(f"GGUF header, same file grown to {gigabytes} GB (sparse): {1000 * t_big:7.2f} ms "
              f"(ratio {t_big / t_small:.2f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--gguf-gb", type=int, default=40)
    parser.add_argument("--vocab", type=int, default=150_000)
    args = parser.parse_args()
    bench_gguf(args.gguf_gb, args.vocab)
    bench_cache(args.models)


if __name__ == "__main__":
    main()
