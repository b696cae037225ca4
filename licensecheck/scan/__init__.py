"""Hugging Face Hub model references in source and config files (DESIGN.md section 8, Scan).

A reference is an `org/name` (or `org/name@revision`) string where a reader would see a model: an
argument of a model loader in Python, the value of a model key in YAML/JSON/TOML, a `huggingface-cli
download` in a script, a `huggingface.co/ORG/NAME` link, a transformers.js call. The line reported is
the line of the string itself, so a constant passed to a loader is reported where it is written.
A `revision=` / `--revision` beside the id gives `org/name@revision`. A line containing
`licensecheck: ignore` reports nothing.

This module picks a scanner by file kind and keeps the candidates that are ids; the scanners are
`python`, `configs` (YAML, JSON, TOML), `shell` (and Dockerfiles), `markup` (Markdown, rST) and `js`;
`ids` says what an id is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .ids import model_id, pairs, words
from .markup import CODE_SCANNERS, scan_markdown, scan_rst

__all__ = ["ModelReference", "scan_file", "scan_paths", "scan_text"]

MAX_BYTES = 5 * 1024 * 1024  # larger files are skipped
SKIP_DIRS = words(
    ".git node_modules .venv venv __pycache__ build dist .tox .mypy_cache .pytest_cache .ruff_cache "
    ".hypothesis"
)
IGNORE_MARK = "licensecheck: ignore"


@dataclass(frozen=True, slots=True)
class ModelReference:
    """A Hub model id found in a file: `model` is `org/name` or `org/name@revision`."""

    model: str
    file: str
    line: int


_SCANNERS = {**CODE_SCANNERS, "md": scan_markdown, "rst": scan_rst}
_SUFFIX_KINDS = pairs(
    "py:py yaml:yaml yml:yaml json:json toml:toml sh:sh bash:sh md:md markdown:md mdx:md rst:rst "
    "js:js mjs:js cjs:js jsx:js ts:js tsx:js mts:js cts:js dockerfile:docker"
)


def _kind(path: str, text: str) -> str | None:
    """The scanner for a file: by name, else by `#!` line for a file without a suffix."""
    name = os.path.basename(path).lower()
    if name.startswith(("dockerfile", "containerfile")):
        return "docker"
    if "." in name:
        return _SUFFIX_KINDS.get(name.rsplit(".", 1)[1])
    shebang = text.split("\n", 1)[0] if text.startswith("#!") else ""
    if "python" in shebang:
        return "py"
    return "sh" if re.search(r"\b(ba|z|da|k)?sh\b", shebang) else None


def scan_text(path: str, text: str) -> list[ModelReference]:
    """References in `text`, read as the file `path` (whose name picks the scanner); unknown kinds: []."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    kind = _kind(path, text)
    if kind is None:
        return []
    ignored = {n for n, line in enumerate(text.split("\n"), 1) if IGNORE_MARK in line}
    found: set[ModelReference] = set()
    for raw, line in _SCANNERS[kind](text):
        model = model_id(raw)
        if model is not None and line not in ignored:
            found.add(ModelReference(model, path, line))
    return sorted(found, key=_order)


def _order(ref: ModelReference) -> tuple[str, int, str]:
    return ref.file, ref.line, ref.model


def scan_file(path: Path) -> list[ModelReference]:
    """References in one file; unreadable, binary (a NUL byte) or larger than MAX_BYTES: []."""
    if "." in path.name and _kind(str(path), "") is None:
        return []  # a suffix no scanner reads: not worth opening
    try:
        if path.stat().st_size > MAX_BYTES:
            return []
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return []
    if len(data) > MAX_BYTES or b"\0" in data[:8192]:
        return []
    return scan_text(str(path), data.decode("utf-8", errors="replace"))


def _files(path: Path) -> Iterator[Path]:
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(name for name in dirs if name not in SKIP_DIRS)
        for name in sorted(files):
            yield Path(root, name)


def scan_paths(paths: Iterable[Path]) -> list[ModelReference]:
    """References in files and directories (walked, skipping SKIP_DIRS), sorted and de-duplicated."""
    found: set[ModelReference] = set()
    for path in paths:
        for file in _files(Path(path)):
            found.update(scan_file(file))
    return sorted(found, key=_order)
