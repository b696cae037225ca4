"""Model references in Markdown and reStructuredText: links, YAML front matter, fenced code blocks.

A fenced block in a known language is read by that language's scanner (a `>>> ` session as the code
it runs), its lines shifted to where the block stands in the document.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from .configs import scan_json, scan_toml, scan_yaml
from .ids import Hit, links, pairs, prose_ids
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
    return [(value, line + offset, *rest) for value, line, *rest in CODE_SCANNERS[kind](code)]  # type: ignore[misc]


def _untagged(lines: list[str], offset: int) -> list[Hit]:
    """A fence with no language: Python when it parses as Python, else shell."""
    code = "\n".join(_doctest(lines))
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _block("sh", lines, offset)
    return _block("py", lines, offset)


_INLINE_CODE = re.compile(r"`([^`\n]+)`")


def _prose(text: str, line: int) -> list[Hit]:
    """Weak candidates of Markdown prose, and its inline code read as a shell command (so that
    `--repo-id ORG/NAME` of an upload or `--data ORG/NAME` says what the id is not)."""
    hits = prose_ids(text, line, "named in Markdown")
    for match in _INLINE_CODE.finditer(text):
        if " " in match.group(1).strip():
            row = line + text.count("\n", 0, match.start())
            hits.extend((value, row, *rest) for value, _, *rest in scan_shell(match.group(1)))  # type: ignore[misc]
    return hits


def scan_markdown(text: str) -> list[Hit]:
    """Links anywhere, the YAML front matter, fenced code blocks (read by their language's scanner;
    with none, as Python or shell), and every id-shaped word of the prose as a weak candidate."""
    hits = links(text, 1)
    lines = text.split("\n")
    start = 0
    if lines[0].strip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].strip() in ("---", "...")), 0)
        hits.extend(_block("yaml", lines[1:end], 1))
        start = end + 1 if end else 0
    i = start
    prose_from = start
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        hits.extend(_prose("\n".join(lines[prose_from:i]), prose_from + 1))
        fence = match.group(1)
        close = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*")
        end = next((n for n in range(i + 1, len(lines)) if close.fullmatch(lines[n])), len(lines))
        language = match.group(2).lower()
        kind = _FENCE_KINDS.get(language)
        if kind is not None:
            hits.extend(_block(kind, lines[i + 1 : end], i + 1))
        elif not language:
            hits.extend(_untagged(lines[i + 1 : end], i + 1))
        else:
            hits.extend(prose_ids("\n".join(lines[i + 1 : end]), i + 2, f"in a {language} block"))
        i = end + 1
        prose_from = i
    hits.extend(_prose("\n".join(lines[prose_from:]), prose_from + 1))
    return hits


def scan_rst(text: str) -> list[Hit]:
    return links(text, 1) + prose_ids(text, 1, "named in reStructuredText")
