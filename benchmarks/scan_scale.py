"""Scanning installed Python files against parsing each of them once with `ast`, in one process.

    python benchmarks/scan_scale.py [--files 3000] [--repeat 3] [--root DIR]

Takes the first N `.py` files (sorted) under the running interpreter's site-packages (or --root),
reads them all into memory first, then times, best of --repeat, (a) `ast.parse` of each file and
(b) `licensecheck.scan.scan_text` of each file, and prints the ratio b/a (target: at most 1.0). The
scanner may skip a file that cannot hold a Hub id before parsing it; `ast.parse` never skips.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import sys
import sysconfig
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensecheck.scan import scan_text  # noqa: E402


def _texts(root: Path, count: int) -> list[tuple[str, str]]:
    texts = []
    for path in sorted(root.rglob("*.py")):
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
        if len(texts) == count:
            break
    return texts


def _parse_all(texts: list[tuple[str, str]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, text in texts:
            with contextlib.suppress(SyntaxError, ValueError, RecursionError):
                ast.parse(text)


def _scan_all(texts: list[tuple[str, str]]) -> int:
    return sum(len(scan_text(path, text)) for path, text in texts)


def _best(fn: object, texts: list[tuple[str, str]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(texts)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    args = parser.parse_args()
    texts = _texts(args.root, args.files)
    size = sum(len(text) for _, text in texts) / 1e6
    parse = _best(_parse_all, texts, args.repeat)
    scan = _best(_scan_all, texts, args.repeat)
    print(f"{len(texts)} files, {size:.1f} MB of Python under {args.root}")
    print(f"ast.parse each once: {parse:.2f} s")
    print(f"scan_text each:      {scan:.2f} s  ({_scan_all(texts)} references)")
    print(f"ratio scan/parse:    {scan / parse:.2f}")


if __name__ == "__main__":
    main()
