"""Model references in YAML, JSON and TOML: the values of model keys, found with the line they stand on.

YAML is walked as `yaml.compose` nodes (no object is ever constructed). JSON and TOML are checked by
their parsers, then read again by one small tokenizer that keeps lines, since neither parser does.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TypeAlias

import yaml

from .ids import Hit, is_dataset_key, is_model_key, links, negative, new_group, snake_case, strong, weak

MAX_NODES = 500_000  # YAML nodes walked per file (aliases are walked once)
MAX_DEPTH = 10_000  # JSON/TOML nesting followed

# nearest key, id of its mapping, string value, line, the keys above it, its list or mapping (a group)
Entry: TypeAlias = tuple[str | None, int, str, int, tuple[str, ...], int]
_LITELLM = frozenset({"litellm_params", "litellm_settings", "model_list"})


def _config_hits(entries: list[Entry]) -> list[Hit]:
    """Values of model keys (not a `repo_id` beside a non-model `repo_type`), links anywhere, and every
    other id-shaped value as a weak candidate; values under dataset keys and LiteLLM's `litellm_params`
    (provider ids) are not models."""
    repo_types = {owner: value for key, owner, value, *_ in entries if key and snake_case(key) == "repo_type"}
    hits: list[Hit] = []
    for key, owner, value, line, above, group in entries:
        hits.extend(links(value, line))
        if "/" not in value or len(value) > 300:
            continue
        other_type = (
            snake_case(key or "") in ("repo_id", "repo") and repo_types.get(owner, "model") != "model"
        )
        if other_type:
            hits.append(negative(value, line, "beside a repo_type that is not model"))
        elif any(name in _LITELLM for name in above):
            hits.append(negative(value, line, "LiteLLM provider model"))
        elif any(is_dataset_key(name) for name in above if name):
            hits.append(negative(value, line, "under a dataset key"))
        elif key and is_model_key(key):
            hits.append(strong(value, line, f"value of key {key!r}"))
        else:
            hits.append(weak(value, line, "config value", group))
    return hits


def scan_yaml(text: str) -> list[Hit]:
    """Walks `yaml.compose` nodes (never constructs objects); an aliased node is walked once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries: list[Entry] = []
    owners = walked = 0
    try:
        for document in yaml.compose_all(text, Loader=loader):
            seen: set[int] = set()
            root: tuple[yaml.Node, str | None, int, tuple[str, ...], int] = (document, None, 0, (), 0)
            stack = [] if document is None else [root]
            while stack:
                node, key, owner, above, group = stack.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                walked += 1
                if walked > MAX_NODES:
                    return _config_hits(entries)
                if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
                    block = int(node.style in ("|", ">"))
                    line = node.start_mark.line + 1 + block
                    entries.append((key, owner, node.value, line, above, group))
                elif isinstance(node, yaml.MappingNode):
                    owners += 1
                    inner = new_group()
                    for key_node, value_node in node.value:
                        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                        path = (*above[-8:], name) if name is not None else above
                        stack.append((value_node, name, owners, path if name else above, inner))
                elif isinstance(node, yaml.SequenceNode):
                    inner = new_group()
                    stack.extend((item, key, owner, above, inner) for item in node.value)
    except (yaml.YAMLError, RecursionError, UnicodeError):
        return []
    return _config_hits(entries)


Token: TypeAlias = tuple[str, str, int]  # kind ("str", "bare", "punct", "nl"), text, line

# One tokenizer reads both: the name of the group that matched says what a token is.
_JSON_TOKEN = re.compile(
    r'"(?P<basic>[^"\\]*(?:\\.[^"\\]*)*)"|(?P<punct>[{}\[\],:])|(?P<skip>\s+)|[^\s{}\[\],:"]+', re.DOTALL
)
_TOML_TOKEN = re.compile(
    r'(?P<multi>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')|"(?P<basic>[^"\\\n]*(?:\\.[^"\\\n]*)*)"'
    r"|\'(?P<literal>[^\'\n]*)\'|(?P<nl>\n)|(?P<skip>[ \t\r]+|#[^\n]*)|(?P<punct>[{}\[\],=.])"
    r'|[^\s{}\[\],=."\'#]+'
)


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _tokens(pattern: re.Pattern[str], text: str) -> Iterator[Token]:
    """Strings, newlines (TOML only), punctuation and bare words with their lines; space is skipped."""
    line = 1
    for match in pattern.finditer(text):
        group, token = match.lastgroup, match.group()
        if group == "multi":
            inner = token[3:-3]
            lead = int(inner.startswith("\n"))
            yield "str", inner[lead:], line + lead
            line += token.count("\n")
        elif group == "basic":
            yield "str", _unescape(match.group(group)), line
        elif group == "literal":
            yield "str", match.group(group), line
        elif group == "nl":
            yield "nl", "\n", line
            line += 1
        elif group == "skip":
            line += token.count("\n")
        else:
            yield ("punct" if group == "punct" else "bare"), token, line


class _Frame:
    """An open table (JSON object, TOML table or inline table) or array, and the key it sits under."""

    __slots__ = ("expecting_key", "group", "key", "owner", "table")

    def __init__(self, table: bool, key: str | None, owner: int) -> None:
        self.table, self.key, self.owner, self.expecting_key = table, key, owner, table
        self.group = new_group()


def _tree_entries(tokens: Iterable[Token], toml: bool) -> list[Entry] | None:
    """String values with their nearest key, from JSON or TOML tokens; None when brackets do not balance."""
    entries: list[Entry] = []
    stack = [_Frame(toml, None, 0)]  # the root: a table in TOML, a container of one value in JSON
    segments: list[str] = []  # a (dotted) key being read
    owners = 0
    header = False
    for kind, text, line in tokens:
        top = stack[-1]
        if kind == "nl":
            if len(stack) == 1:
                top.expecting_key, header = True, False
                segments.clear()
            continue
        if header:
            continue
        if top.expecting_key:  # a key, up to its ":" or "="
            if toml and len(stack) == 1 and kind == "punct" and text == "[" and not segments:
                header, owners = True, owners + 1  # [table] or [[array.of.tables]]
                top.owner = owners
            elif kind in ("str", "bare"):
                segments.append(text)
            elif text in (":", "="):
                top.key, top.expecting_key = (segments[-1] if segments else None), False
                segments.clear()
            elif text == "}" and len(stack) > 1:
                stack.pop()
            continue
        if kind == "str":
            above = tuple(frame.key for frame in stack[-8:] if frame.key)
            entries.append((top.key, top.owner, text, line, above, top.group))
        elif kind != "punct" or text in (":", "=", "."):
            continue
        elif text in ("{", "["):
            if len(stack) > MAX_DEPTH:
                return entries
            if text == "{":
                owners += 1
                stack.append(_Frame(True, None, owners))
            else:
                stack.append(_Frame(False, top.key, top.owner))
        elif text in ("}", "]"):
            if len(stack) == 1:
                return None
            stack.pop()
        elif text == "," and top.table:
            top.expecting_key = True
    return entries if len(stack) == 1 else None


def _tree_hits(text: str, toml: bool) -> list[Hit]:
    """Hits in JSON or TOML `text`, read by the tokenizer; none when its brackets do not balance."""
    return _config_hits(_tree_entries(_tokens(_TOML_TOKEN if toml else _JSON_TOKEN, text), toml) or [])


def scan_json(text: str) -> list[Hit]:
    try:
        json.loads(text)
    except RecursionError:
        pass  # nested deeper than the parser goes: the tokenizer below has no such limit
    except ValueError:
        return []
    return _tree_hits(text, toml=False)


def scan_toml(text: str) -> list[Hit]:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return []
    return _tree_hits(text, toml=True)
