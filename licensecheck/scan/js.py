"""Model references in JavaScript and TypeScript: transformers.js and huggingface.js calls and keys.

Comments are blanked first (keeping line breaks); then `pipeline(task, "org/name")`,
`.from_pretrained("org/name")`, `model: "org/name"`, `const MODEL_ID = "org/name"` and links are read.
"""

from __future__ import annotations

import bisect
import re

from .ids import Hit, is_model_key, links, strong

_JS_NOISE = re.compile(
    r"//[^\n]*|/\*[\s\S]*?\*/|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`(?:[^`\\]|\\.)*`"
)
_JS_CALL = re.compile(
    r"""\bpipeline\s*\(\s*(['"`])[^'"`\n]*\1\s*,\s*(['"`])(?P<a>[^'"`\n]*)\2"""
    r"""|\.from_pretrained\s*\(\s*(['"`])(?P<b>[^'"`\n]*)\4"""
)
_JS_KEY = re.compile(  # `model: "org/name"`, `const MODEL_ID = 'org/name'`
    r"""(?<![\w$])(?P<key>[A-Za-z_$][\w$]*|'[^'\n]*'|"[^"\n]*")\s*(?::|=(?![=>]))\s*"""
    r"""(['"`])(?P<value>[^'"`\n]*)\2"""
)


def _blank_comments(match: re.Match[str]) -> str:
    text = match.group()
    return text if text[0] in "'\"`" else re.sub(r"[^\n]", " ", text)


def scan_js(text: str) -> list[Hit]:
    code = _JS_NOISE.sub(_blank_comments, text)
    newlines = [match.start() for match in re.finditer("\n", code)]
    found = [(match, "a" if match.group("a") is not None else "b") for match in _JS_CALL.finditer(code)]
    found += [
        (match, "value")
        for match in _JS_KEY.finditer(code)
        if is_model_key(match.group("key").strip("'\""), repo_id=False)
    ]
    hits = links(code, 1)
    for match, group in found:
        why = "transformers.js call" if group != "value" else f"value of {match.group('key')}"
        hits.append(strong(match.group(group), bisect.bisect_right(newlines, match.start(group)) + 1, why))
    return hits
