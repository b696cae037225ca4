"""Scanner recall and precision on real files of published PyPI packages, against hand labels.

    python benchmarks/scan_recall.py [--cache DIR] [--split dev|holdout] [-v]

The labels (`benchmarks/data/scan_labels.yaml`) name a package, an exact version, whether the file is
read from the sdist or the wheel, the path inside it and every model reference in it (line, id). This
script downloads each exact version with pip (`pip download --no-deps`) into a cache directory outside
the repository (default: the user cache, `licensecheck-bench/scan`), reads each labelled file straight
from the archive, scans it as `scan --offline` would (the organisations known offline are the knowledge
base's publishers; no lockfile, no Hub), and prints recall and precision per split. A reference counts
when both its line and its id match (ids compared case-insensitively, without `@revision`).
With `-v` it prints every miss and every false positive with the scanner's reason.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensecheck.licenses.facts import load as load_kb  # noqa: E402
from licensecheck.scan import scan_text  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "scan_labels.yaml"


def _default_cache() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("licensecheck-bench")) / "scan"


def _archive(cache: Path, package: str, version: str, dist: str) -> Path:
    """The sdist or wheel of `package==version` in `cache`, downloaded with pip when missing."""
    stem = package.lower().replace("-", "_").replace(".", "_")
    wanted = ".whl" if dist == "wheel" else ".tar.gz"

    def find() -> Path | None:
        for path in cache.iterdir():
            name = path.name.lower().replace("-", "_")
            if name.startswith(f"{stem}_{version}") and name.endswith(wanted):
                return path
        return None

    cache.mkdir(parents=True, exist_ok=True)
    found = find()
    if found is None:
        kind = ["--only-binary", ":all:"] if dist == "wheel" else ["--no-binary", ":all:"]
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *kind]
        subprocess.run([*command, f"{package}=={version}", "-d", str(cache)], check=True)
        found = find()
    if found is None:
        raise SystemExit(f"pip downloaded no {dist} of {package}=={version} into {cache}")
    return found


def _member(archive: Path, path: str) -> str:
    """The text of `path` inside a wheel, or inside an sdist below its top folder."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zf:
            return zf.read(path).decode("utf-8", errors="replace")
    with tarfile.open(archive) as tf:
        for info in tf.getmembers():
            if info.isfile() and info.name.split("/", 1)[-1] == path:
                handle = tf.extractfile(info)
                assert handle is not None
                return handle.read().decode("utf-8", errors="replace")
    raise SystemExit(f"{path} not found in {archive.name}")


def _key(line: int, model: str) -> tuple[int, str]:
    return line, model.partition("@")[0].lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--split", choices=("dev", "holdout"), default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    cache = args.cache or _default_cache()
    files: list[dict[str, Any]] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["files"]
    known = frozenset(load_kb().publishers)
    totals: dict[str, list[int]] = {}
    for entry in files:
        split = entry["split"]
        if args.split and split != args.split:
            continue
        archive = _archive(cache, entry["package"], str(entry["version"]), entry["dist"])
        text = _member(archive, entry["path"])
        expected = {_key(line, model) for line, model in entry["references"]}
        found = {_key(ref.line, ref.model): ref for ref in scan_text(entry["path"], text, known_orgs=known)}
        tp = len(expected & found.keys())
        fp, fn = len(found.keys() - expected), len(expected - found.keys())
        bucket = totals.setdefault(split, [0, 0, 0])
        bucket[0], bucket[1], bucket[2] = bucket[0] + tp, bucket[1] + fp, bucket[2] + fn
        print(f"{split:8} {entry['package']:22} {entry['path'][:60]:60} tp={tp:3} fp={fp:2} fn={fn:2}")
        if args.verbose:
            for line, model in sorted(expected - found.keys()):
                print(f"    miss  {line}: {model}")
            for key in sorted(found.keys() - expected):
                print(f"    false {key[0]}: {key[1]}  ({found[key].why})")
    for split, (tp, fp, fn) in totals.items():
        recall = tp / (tp + fn) if tp + fn else 1.0
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(f"{split}: recall {recall:.1%} ({tp}/{tp + fn}), precision {precision:.1%} ({tp}/{tp + fp})")


if __name__ == "__main__":
    main()
