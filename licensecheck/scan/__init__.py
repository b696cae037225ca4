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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .ids import NEGATIVE, PROVIDERS, STRONG, github_repos, hub_part, model_id, pairs, words
from .markup import CODE_SCANNERS, scan_markdown, scan_rst

__all__ = ["Confirm", "ModelReference", "scan_file", "scan_paths", "scan_text"]

# Online confirmation: given the uncertain candidates (ids), return those that are models on the Hub.
Confirm = Callable[[set[str]], set[str]]

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
    why: str = field(default="", compare=False)  # the evidence that made it a reference


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


@dataclass(slots=True)
class _Candidate:
    model: str
    file: str
    line: int
    why: str
    strength: int
    group: int


def _candidates(path: str, text: str) -> list[_Candidate]:
    """Every id-shaped string of `text` read as the file `path`, with its evidence, vetoes applied."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    kind = _kind(path, text)
    if kind is None or "/" not in text:
        return []
    hits = _SCANNERS[kind](text)
    if not hits:
        return []
    ignored = set()
    if IGNORE_MARK in text:
        ignored = {n for n, line in enumerate(text.split("\n"), 1) if IGNORE_MARK in line}
    github = github_repos(text) if "github.com" in text else frozenset()
    best: dict[tuple[str, int], _Candidate] = {}
    vetoed: set[tuple[str, int]] = set()
    for raw, line, why, strength, group in hits:
        if line in ignored:
            continue
        value = hub_part(raw) if strength == STRONG else raw
        model = model_id(value)
        if model is None:
            continue
        org = model.partition("/")[0].lower()
        if org in PROVIDERS:
            continue
        key = (model, line)
        if strength == NEGATIVE:
            vetoed.add(key)
            continue
        if strength < STRONG and model.partition("@")[0].lower() in github:
            continue  # a GitHub owner/repo named elsewhere in the file
        current = best.get(key)
        if current is None or strength > current.strength:
            best[key] = _Candidate(model, path, line, why, strength, group)
        elif current.group == 0 and group:
            current.group = group
    return [c for key, c in best.items() if key not in vetoed]


def _resolve(
    candidates: list[_Candidate], known_orgs: Iterable[str], confirm: Confirm | None
) -> list[ModelReference]:
    """Strong candidates are references; weak ones are when their organisation is known (the knowledge
    base's publishers, the lockfile's organisations), a neighbour in their list or mapping is a
    reference, or `confirm` says the Hub has them."""
    known = {org.lower() for org in known_orgs}
    found: dict[int, str] = {}  # candidate index -> why

    def accept() -> None:
        for i, c in enumerate(candidates):
            if i in found:
                continue
            org = c.model.partition("/")[0]
            if c.strength == STRONG:
                found[i] = c.why
            elif org.lower() in known:
                found[i] = f"{c.why}; known organisation {org}"

    def spread() -> None:
        groups = {candidates[i].group for i in found if candidates[i].group}
        for i, c in enumerate(candidates):
            if i not in found and c.group in groups:
                found[i] = f"{c.why}; beside models in the same list or mapping"

    accept()
    spread()
    if confirm is not None:
        uncertain = {c.model.partition("@")[0] for i, c in enumerate(candidates) if i not in found}
        confirmed = confirm(uncertain) if uncertain else set()
        for i, c in enumerate(candidates):
            if i not in found and c.model.partition("@")[0] in confirmed:
                found[i] = f"{c.why}; confirmed on the Hub"
        spread()
    refs = {
        ModelReference(candidates[i].model, candidates[i].file, candidates[i].line, why)
        for i, why in found.items()
    }
    return sorted(refs, key=_order)


def scan_text(
    path: str, text: str, *, known_orgs: Iterable[str] = (), confirm: Confirm | None = None
) -> list[ModelReference]:
    """References in `text`, read as the file `path` (whose name picks the scanner); unknown kinds: []."""
    return _resolve(_candidates(path, text), known_orgs, confirm)


def _order(ref: ModelReference) -> tuple[str, int, str]:
    return ref.file, ref.line, ref.model


def scan_file(
    path: Path, *, known_orgs: Iterable[str] = (), confirm: Confirm | None = None
) -> list[ModelReference]:
    """References in one file; unreadable, binary (a NUL byte) or larger than MAX_BYTES: []."""
    return _resolve(_file_candidates(path), known_orgs, confirm)


def _file_candidates(path: Path) -> list[_Candidate]:
    if "." in path.name and _kind(str(path), "") is None:
        return []  # a suffix no scanner reads: not worth opening
    try:
        if path.stat().st_size > MAX_BYTES:
            return []
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return []
    if len(data) > MAX_BYTES or b"\0" in data[:8192] or b"/" not in data:
        return []
    return _candidates(str(path), data.decode("utf-8", errors="replace"))


def _files(path: Path) -> Iterator[Path]:
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(name for name in dirs if name not in SKIP_DIRS)
        for name in sorted(files):
            yield Path(root, name)


def scan_paths(
    paths: Iterable[Path], *, known_orgs: Iterable[str] = (), confirm: Confirm | None = None
) -> list[ModelReference]:
    """References in files and directories (walked, skipping SKIP_DIRS), sorted and de-duplicated.

    The candidates of every file are resolved together: an organisation referenced for sure in one
    file makes its weak candidates in the others references, and `confirm` is called once."""
    candidates: list[_Candidate] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _files(Path(path)):
            if file not in seen:
                seen.add(file)
                candidates.extend(_file_candidates(file))
    return _resolve(candidates, known_orgs, confirm)
