"""Model references in Markdown and reStructuredText: links, YAML front matter, fenced code blocks.

A fenced block in a known language is read by that language's scanner (a `>>> ` session as the code
it runs), its lines shifted to where the block stands in the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .configs import scan_json, scan_toml, scan_yaml
from .ids import Hit, links, pairs
from .js import scan_js
from .python import scan_python
from .shell import scan_docker, scan_shell

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})\s*([\w+-]*)")
# the scanners a block in a known language is read with; the package dispatches files through it too
CODE_SCANNERS: dict[str, Callable[[str], list[Hit]]] = {
    "py": scan_python,
    "yaml": scan_yaml,
    "json": scan_json,
    "toml": scan_toml,
    "sh": scan_shell,
    "docker": scan_docker,
    "js": scan_js,
}
_FENCE_KINDS = pairs(
    "python:py py:py python3:py pycon:py bash:sh sh:sh shell:sh console:sh zsh:sh js:js javascript:js "
    "ts:js typescript:js jsx:js tsx:js yaml:yaml yml:yaml json:json toml:toml dockerfile:docker"
)


def _doctest(lines: list[str]) -> list[str]:
    """`>>> ` sessions as the code they run (output lines blanked, so line numbers hold)."""
    if not any(line.startswith(">>> ") for line in lines):
        return lines
    return [line[4:] if line.startswith((">>> ", "... ")) else "" for line in lines]


def _block(kind: str, lines: list[str], offset: int) -> list[Hit]:
    """Hits in `lines` read as `kind`, each line moved down by `offset` (the lines above the block)."""
    code = "\n".join(_doctest(lines) if kind == "py" else lines)
    return [(value, line + offset) for value, line in CODE_SCANNERS[kind](code)]


def scan_markdown(text: str) -> list[Hit]:
    """Links anywhere, the YAML front matter, and fenced code blocks in a known language."""
    hits = links(text, 1)
    lines = text.split("\n")
    if lines[0].strip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].strip() in ("---", "...")), 0)
        hits.extend(_block("yaml", lines[1:end], 1))
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence = match.group(1)
        close = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*")
        end = next((n for n in range(i + 1, len(lines)) if close.fullmatch(lines[n])), len(lines))
        kind = _FENCE_KINDS.get(match.group(2).lower())
        if kind is not None:
            hits.extend(_block(kind, lines[i + 1 : end], i + 1))
        i = end + 1
    return hits


def scan_rst(text: str) -> list[Hit]:
    return links(text, 1)
