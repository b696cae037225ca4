"""Hugging Face Hub model references in source and config files (DESIGN.md section 8, Scan).

A reference is an `org/name` (or `org/name@revision`) string where a reader would see a model: an
argument of a model loader in Python, the value of a model key in YAML/JSON/TOML, a `huggingface-cli
download` in a script, a `huggingface.co/ORG/NAME` link, a transformers.js call. The line reported is
the line of the string itself, so a constant passed to a loader is reported where it is written.
A `revision=` / `--revision` beside the id gives `org/name@revision`. A line containing
`licensecheck: ignore` reports nothing.
"""

from __future__ import annotations

import ast
import bisect
import functools
import json
import os
import re
import shlex
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import yaml

__all__ = ["ModelReference", "scan_file", "scan_paths", "scan_text"]


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


def _pairs(spec: str) -> dict[str, str]:
    """`"a:x b:y"` as `{"a": "x", "b": "y"}`."""
    return {key: value for key, _, value in (pair.partition(":") for pair in spec.split())}


MAX_BYTES = 5 * 1024 * 1024  # larger files are skipped
MAX_NODES = 500_000  # YAML nodes walked per file (aliases are walked once)
MAX_DEPTH = 10_000  # JSON/TOML nesting followed
SKIP_DIRS = _words(
    ".git node_modules .venv venv __pycache__ build dist .tox .mypy_cache .pytest_cache .ruff_cache "
    ".hypothesis"
)
IGNORE_MARK = "licensecheck: ignore"

Hit: TypeAlias = tuple[str, int]  # candidate string, 1-based line
Entry: TypeAlias = tuple[str | None, int, str, int]  # nearest key, id of its mapping, string value, line


@dataclass(frozen=True, slots=True)
class ModelReference:
    """A Hub model id found in a file: `model` is `org/name` or `org/name@revision`."""

    model: str
    file: str
    line: int


# -- what a Hub model id is ------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
_REV = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,127}")
_MIME = _words("application audio chemical example font image message model multipart text video")
_FILE_EXT = re.compile(
    r"\.(bin|pt|pth|ckpt|safetensors|gguf|ggml|onnx|h5|hdf5|pkl|pickle|joblib|npy|npz|msgpack|tflite|pb"
    r"|model|json|jsonl|ya?ml|toml|txt|csv|tsv|parquet|arrow|py|sh|md|zip|tar|gz|tgz|bz2|xz|zst|wav|mp3"
    r"|png|jpe?g|gif|webp|html?|xml|ini|cfg|log)$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"\.(com|org|net|io|dev|ai|co|gov|edu|app|cloud)$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _model_id(raw: str) -> str | None:
    """`raw` as a Hub model id, or None: MIME types, paths, npm scopes and URLs are not ids."""
    text = raw[7:] if raw[:7].lower() in ("hf-hub:", "hf_hub:") else raw
    base, at, rev = text.partition("@")
    if not _ID.fullmatch(base) or (at and not _REV.fullmatch(rev)):
        return None
    org, name = base.split("/")
    if (
        org.lower() in _MIME
        or "--" in base
        or ".." in base
        or org[-1] in ".-"
        or name[-1] in ".-"
        or _FILE_EXT.search(name)
        or _DOMAIN.search(org)
        or (org.isdigit() and name.isdigit())
    ):
        return None
    return text


def _at(model: str, revision: str | None) -> str:
    """`model` pinned to `revision` when one was given beside it."""
    if revision and "@" not in model and _REV.fullmatch(revision):
        return f"{model}@{revision}"
    return model


_KEYS = frozenset(
    {"model", "model_id", "model_name", "model_name_or_path", "tokenizer_name", "tokenizer_name_or_path"}
)
_KEY_ENDS = ("_model", "_model_id", "_model_name", "_model_name_or_path")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.lru_cache(maxsize=4096)
def _snake(key: str) -> str:
    return _CAMEL.sub("_", key).lower().replace("-", "_")


def _is_model_key(key: str, repo_id: bool = True) -> bool:
    """A key (or variable, flag, keyword) whose value is a model: `model`, `base_model`, `*_model`, ..."""
    snake = _snake(key)
    return snake in _KEYS or snake.endswith(_KEY_ENDS) or (repo_id and snake == "repo_id")


# -- huggingface.co links --------------------------------------------------------------------------

_LINK = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?:www\.)?(?:huggingface|hf)\.co/([\w.~%+/@=&?#:-]+)", re.IGNORECASE
)
_NOT_REPOS = _words(
    "api blog brand changelog chat collections course datasets docs enterprise huggingchat "
    "inference-api inference-endpoints join learn login models new new-dataset new-space "
    "notifications organizations papers posts pricing privacy search settings spaces support tasks "
    "terms-of-service transformers"
)
_REPO_PAGES = frozenset({"", "blob", "tree", "resolve", "raw", "commit", "commits", "discussions", "edit"})


def _links(text: str, line: int) -> list[Hit]:
    """`org/name` of every model page or file link in `text`, whose first line is `line`."""
    hits: list[Hit] = []
    pos = 0
    for match in _LINK.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        parts = re.split(r"[?#]", match.group(1), maxsplit=1)[0].rstrip(".,;:!").split("/")
        page = parts[2] if len(parts) > 2 else ""
        if len(parts) >= 2 and parts[0].lower() not in _NOT_REPOS and page in _REPO_PAGES:
            hits.append((f"{parts[0]}/{parts[1]}", line))
    return hits


# -- Python ----------------------------------------------------------------------------------------

# loader name -> (position of the model argument, keywords that carry it)
_LOADERS: dict[str, tuple[int, tuple[str, ...]]] = {
    "from_pretrained": (0, ("pretrained_model_name_or_path",)),
    "pipeline": (1, ("model", "tokenizer")),
    "SentenceTransformer": (0, ("model_name_or_path",)),
    "CrossEncoder": (0, ("model_name", "model_name_or_path")),
    "SparseEncoder": (0, ("model_name_or_path",)),
    "InferenceClient": (0, ("model",)),
    "LLM": (0, ("model",)),
    "create_model": (0, ("model_name",)),
    "create_model_and_transforms": (0, ("model_name",)),
}
_HUB_CALLS = _words(
    "hf_hub_download snapshot_download hf_hub_url try_to_load_from_cache model_info repo_info "
    "list_repo_files list_repo_tree file_exists repo_exists"
)
_NOT_MODELS = _words(
    "load_dataset load_dataset_builder load_from_disk dataset_info space_info get_dataset_config_names"
)
_OPTIONS = frozenset({"add_argument", "option"})  # argparse / click: a model option's default
_NONE = ast.Constant(value=None)


def _func_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _receiver(func: ast.expr) -> str:
    if not isinstance(func, ast.Attribute):
        return ""
    value = func.value
    return _func_name(value.func) if isinstance(value, ast.Call) else _func_name(value)


def _str(expr: ast.expr | None) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg}


def _default(call: ast.Call) -> ast.expr | None:
    """The default of `os.getenv(NAME, DEFAULT)`, `os.environ.get(...)`, `field(default=...)`."""
    name, kws = _func_name(call.func), _keywords(call)
    if name == "getenv" or (name in ("get", "setdefault") and _receiver(call.func) == "environ"):
        return call.args[1] if len(call.args) > 1 else kws.get("default")
    if name in ("field", "Field"):
        return kws.get("default", call.args[0] if name == "Field" and call.args else None)
    return None


def _params(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = [
        *zip(positional, [*defaults, *args.defaults], strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]
    return pairs + [(extra, None) for extra in (args.vararg, args.kwarg) if extra is not None]


class _Scope:
    __slots__ = ("is_class", "names", "parent")

    def __init__(self, parent: _Scope | None, is_class: bool = False) -> None:
        self.parent = parent
        self.is_class = is_class
        self.names: dict[str, list[ast.expr]] = {}

    def lookup(self, name: str) -> tuple[_Scope, list[ast.expr]] | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names and (scope is self or not scope.is_class):
                return scope, scope.names[name]
            scope = scope.parent
        return None


class _PythonScan:
    """Two passes over a module: bind names per scope, then read loader calls, dicts and model names."""

    def __init__(self, tree: ast.Module) -> None:
        self.hits: list[Hit] = []
        self.memo: dict[tuple[int, str], list[Hit]] = {}
        self.named: list[tuple[ast.expr, _Scope]] = []  # values assigned to model-named targets
        calls: list[tuple[ast.Call, _Scope]] = []
        dicts: list[tuple[ast.Dict, _Scope]] = []
        stack: list[tuple[ast.AST, _Scope]] = [(tree, _Scope(None))]
        while stack:
            node, scope = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                inner = _Scope(scope, isinstance(node, ast.ClassDef))
                if not isinstance(node, ast.ClassDef):
                    for arg, default in _params(node.args):
                        bound = inner.names.setdefault(arg.arg, [])
                        if default is not None:
                            bound.append(default)
                            if _is_model_key(arg.arg, repo_id=False):
                                self.named.append((default, scope))
                scope = inner
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self.bind(target, node.value, scope)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self.bind(node.target, node.value, scope)
            elif isinstance(node, ast.Call):
                calls.append((node, scope))
            elif isinstance(node, ast.Dict):
                dicts.append((node, scope))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.hits.extend(_links(node.value, node.lineno))
            stack.extend((child, scope) for child in ast.iter_child_nodes(node))
        for expr, scope in self.named:
            self.hits.extend(self.values(expr, scope))
        for dict_node, scope in dicts:
            self.dict_hits(dict_node, scope)
        for call, scope in calls:
            self.call_hits(call, scope)

    def bind(self, target: ast.expr, value: ast.expr, scope: _Scope) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                for sub_target, sub_value in zip(target.elts, value.elts, strict=True):
                    self.bind(sub_target, sub_value, scope)
            return
        if isinstance(target, ast.Name):
            scope.names.setdefault(target.id, []).append(value)
            key: str | None = target.id
        elif isinstance(target, ast.Attribute):
            key = target.attr
        else:
            key = _str(target.slice) if isinstance(target, ast.Subscript) else None
        if key is not None and _is_model_key(key, repo_id=False):
            self.named.append((value, scope))

    def values(self, expr: ast.expr, scope: _Scope, depth: int = 0) -> list[Hit]:
        """The string constants `expr` can be: a literal, a name bound to one, an env default, ..."""
        if depth > 50:
            return []
        text = _str(expr)
        if text is not None:
            return [(text, expr.lineno)]
        if isinstance(expr, ast.Name):
            found = scope.lookup(expr.id)
            if found is None:
                return []
            owner, exprs = found
            key = (id(owner), expr.id)
            if key not in self.memo:
                self.memo[key] = []  # a cycle resolves to nothing
                self.memo[key] = [hit for bound in exprs for hit in self.values(bound, owner, depth + 1)]
            return self.memo[key]
        if isinstance(expr, ast.IfExp):
            parts: list[ast.expr] = [expr.body, expr.orelse]
        elif isinstance(expr, ast.BoolOp):
            parts = expr.values
        elif isinstance(expr, (ast.List, ast.Tuple)):
            parts = expr.elts
        elif isinstance(expr, ast.Call):
            default = _default(expr)
            parts = [] if default is None else [default]
        else:
            return []
        return [hit for part in parts for hit in self.values(part, scope, depth + 1)]

    def is_model_type(self, repo_type: ast.expr, scope: _Scope) -> bool:
        if isinstance(repo_type, ast.Constant) and repo_type.value is None:
            return True
        return {value for value, _ in self.values(repo_type, scope)} == {"model"}

    def dict_hits(self, node: ast.Dict, scope: _Scope) -> None:
        items = [
            (key, value)
            for key_node, value in zip(node.keys, node.values, strict=True)
            if (key := _str(key_node)) is not None
        ]
        repo_type = next((value for key, value in items if _snake(key) == "repo_type"), None)
        for key, value in items:
            if not _is_model_key(key):
                continue
            if _snake(key) == "repo_id" and repo_type and not self.is_model_type(repo_type, scope):
                continue
            self.hits.extend(self.values(value, scope))

    def call_hits(self, call: ast.Call, scope: _Scope) -> None:
        name, kws = _func_name(call.func), _keywords(call)
        if name in _NOT_MODELS or ("repo_type" in kws and not self.is_model_type(kws["repo_type"], scope)):
            return
        exprs = [value for key, value in kws.items() if _is_model_key(key, repo_id=False)]
        rule = _LOADERS.get(name) or ((0, ("repo_id",)) if name in _HUB_CALLS else None)
        if name == "from_pretrained" and _receiver(call.func).startswith("PeftModel"):
            rule = (1, ("model_id",))  # PeftModel.from_pretrained(base_model, "org/adapter")
        if rule is not None:
            pos, keywords = rule
            if len(call.args) > pos and not any(isinstance(a, ast.Starred) for a in call.args[: pos + 1]):
                exprs.append(call.args[pos])
            exprs.extend(value for key, value in kws.items() if key in keywords)
        options = [(_str(arg) or "").lstrip("-") for arg in call.args]
        if name in _OPTIONS and "default" in kws and any(_is_model_key(o, repo_id=False) for o in options):
            exprs.append(kws["default"])
        default = _default(call)
        if default is not None and options and _is_model_key(options[0], repo_id=False):
            exprs.append(default)  # os.getenv("MODEL_ID", "org/name")
        revisions = {value for value, _ in self.values(kws.get("revision") or _NONE, scope)}
        revision = revisions.pop() if len(revisions) == 1 else None
        for expr in exprs:
            self.hits.extend((_at(value, revision), line) for value, line in self.values(expr, scope))


def _scan_python(text: str) -> list[Hit]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        return _PythonScan(tree).hits
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


# -- YAML, JSON, TOML ------------------------------------------------------------------------------


def _config_hits(entries: list[Entry]) -> list[Hit]:
    """Values of model keys (skipping a `repo_id` beside a non-model `repo_type`) and links anywhere."""
    repo_types = {owner: value for key, owner, value, _ in entries if key and _snake(key) == "repo_type"}
    hits: list[Hit] = []
    for key, owner, value, line in entries:
        hits.extend(_links(value, line))
        other_type = _snake(key or "") == "repo_id" and repo_types.get(owner, "model") != "model"
        if key and _is_model_key(key) and not other_type:
            hits.append((value, line))
    return hits


def _scan_yaml(text: str) -> list[Hit]:
    """Walks `yaml.compose` nodes (never constructs objects); an aliased node is walked once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries: list[Entry] = []
    owners = walked = 0
    try:
        for document in yaml.compose_all(text, Loader=loader):
            seen: set[int] = set()
            stack: list[tuple[yaml.Node, str | None, int]] = [] if document is None else [(document, None, 0)]
            while stack:
                node, key, owner = stack.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                walked += 1
                if walked > MAX_NODES:
                    return _config_hits(entries)
                if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
                    block = int(node.style in ("|", ">"))
                    entries.append((key, owner, node.value, node.start_mark.line + 1 + block))
                elif isinstance(node, yaml.MappingNode):
                    owners += 1
                    for key_node, value_node in node.value:
                        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                        stack.append((value_node, name, owners))
                elif isinstance(node, yaml.SequenceNode):
                    stack.extend((item, key, owner) for item in node.value)
    except (yaml.YAMLError, RecursionError, UnicodeError):
        return []
    return _config_hits(entries)


Token: TypeAlias = tuple[str, str, int]  # kind ("str", "bare", "punct", "nl"), text, line

_JSON_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"|([{}\[\],:])|(\s+)|[^\s{}\[\],:"]+', re.DOTALL)
_TOML_TOKEN = re.compile(
    r'("""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')|"([^"\\\n]*(?:\\.[^"\\\n]*)*)"|\'([^\'\n]*)\'|(\n)'
    r'|([ \t\r]+|#[^\n]*)|([{}\[\],=.])|[^\s{}\[\],=."\'#]+'
)


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _json_tokens(text: str) -> Iterator[Token]:
    line = 1
    for match in _JSON_TOKEN.finditer(text):
        raw, punct, space = match.groups()
        if space is not None:
            line += space.count("\n")
        elif raw is not None:
            yield "str", _unescape(raw), line
        else:
            yield ("punct" if punct else "bare"), match.group(), line


def _toml_tokens(text: str) -> Iterator[Token]:
    line = 1
    for match in _TOML_TOKEN.finditer(text):
        multi, basic, literal, newline, skip, punct = match.groups()
        if multi is not None:
            inner = multi[3:-3]
            lead = int(inner.startswith("\n"))
            yield "str", inner[lead:], line + lead
            line += multi.count("\n")
        elif basic is not None or literal is not None:
            yield "str", _unescape(basic) if basic is not None else literal, line
        elif newline is not None:
            yield "nl", "\n", line
            line += 1
        elif skip is None:
            yield ("punct" if punct else "bare"), match.group(), line


class _Frame:
    """An open table (JSON object, TOML table or inline table) or array, and the key it sits under."""

    __slots__ = ("expecting_key", "key", "owner", "table")

    def __init__(self, table: bool, key: str | None, owner: int) -> None:
        self.table, self.key, self.owner, self.expecting_key = table, key, owner, table


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
            entries.append((top.key, top.owner, text, line))
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


def _scan_json(text: str) -> list[Hit]:
    try:
        json.loads(text)
    except RecursionError:
        pass  # nested deeper than the parser goes: the tokenizer below has no such limit
    except ValueError:
        return []
    return _config_hits(_tree_entries(_json_tokens(text), toml=False) or [])


def _scan_toml(text: str) -> list[Hit]:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return []
    return _config_hits(_tree_entries(_toml_tokens(text), toml=True) or [])


# -- shell scripts and Dockerfiles -----------------------------------------------------------------

_SHELL_OPERATOR = re.compile(r"[;&|()<>]+")
_HF_VALUE_FLAGS = _words(
    "--repo-type --revision --local-dir --cache-dir --token --include --exclude --max-workers "
    "--local-dir-use-symlinks --etag-timeout --format"
)


def _shell_words(line: str) -> list[str]:
    if len(line) > 20_000:  # shlex builds tokens a character at a time: quadratic on huge lines
        return line.split()
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes
        return line.split()


def _option(words: list[str], names: tuple[str, ...]) -> str | None:
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(name + "="):
                return word[len(name) + 1 :]
    return None


def _first_positional(words: list[str]) -> str | None:
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _HF_VALUE_FLAGS
        else:
            return word
    return None


def _command_hits(words: list[str]) -> list[str]:
    """`hf download ORG/NAME`, `vllm serve ORG/NAME`, `--model ORG/NAME`, `MODEL_ID=ORG/NAME`."""
    found: list[str] = []
    repo_type = _option(words, ("--repo-type", "--repo_type"))
    model_repo = repo_type in (None, "model")
    revision = _option(words, ("--revision",))
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        program = word.rsplit("/", 1)[-1]
        if program in ("huggingface-cli", "hf") and following == "download":
            repo = _first_positional(words[i + 2 :])
            if repo and model_repo:
                found.append(_at(repo, revision))
        elif program == "vllm" and following == "serve" and i + 2 < len(words):
            found.append(words[i + 2])
        elif "=" in word:
            name, _, value = word.partition("=")
            key = name.lstrip("-+").rsplit(".", 1)[-1]
            if _is_model_key(key, repo_id=name.startswith("-") and model_repo):
                found.append(value)
        elif word.startswith("-") and following and _is_model_key(word.lstrip("-"), repo_id=model_repo):
            found.append(following)
    return found


def _docker_words(words: list[str], line: str) -> list[str]:
    """Exec-form `RUN ["cmd", ...]` as words; legacy `ENV NAME value` as `NAME=value`."""
    instruction = words[0].upper()
    rest = line.strip()[len(words[0]) :].strip()
    if instruction in ("RUN", "CMD", "ENTRYPOINT") and rest.startswith("["):
        try:
            parsed = json.loads(rest)
        except ValueError:
            return words
        if isinstance(parsed, list) and all(isinstance(word, str) for word in parsed):
            return [instruction, *parsed]
    elif instruction in ("ENV", "ARG") and len(words) == 3 and "=" not in words[1]:
        return [instruction, f"{words[1]}={words[2]}"]
    return words


def _scan_shell(text: str, docker: bool = False) -> list[Hit]:
    lines = text.split("\n")
    hits: list[Hit] = []
    i = 0
    while i < len(lines):
        pieces, starts, rows = [lines[i]], [0], [i]  # a logical line: physical lines joined at "\"
        length = len(lines[i])
        while pieces[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            if docker and lines[i].lstrip().startswith("#"):
                continue  # Docker drops comment lines inside a continued instruction
            pieces[-1] = pieces[-1][:-1] + " "
            starts.append(length)
            rows.append(i)
            pieces.append(lines[i])
            length += len(lines[i])
        logical = "".join(pieces)
        words = _shell_words(logical)
        if docker and words:
            words = _docker_words(words, logical)
        commands = [value for command in _split_commands(words) for value in _command_hits(command)]
        links = [model for word in words for model, _ in _links(word, 0)]
        for found in (commands, links):  # each in the order written: find each value after the last
            cursor = 0
            for value in found:
                needle = value.partition("@")[0]
                pos = logical.find(needle, cursor)
                row = rows[0] if pos < 0 else rows[bisect.bisect_right(starts, pos) - 1]
                cursor = cursor if pos < 0 else pos + len(needle)
                hits.append((value, row + 1))
        i += 1
    return hits


def _split_commands(words: list[str]) -> Iterator[list[str]]:
    command: list[str] = []
    for word in words:
        if _SHELL_OPERATOR.fullmatch(word):
            yield command
            command = []
        else:
            command.append(word)
    yield command


def _scan_docker(text: str) -> list[Hit]:
    return _scan_shell(text, docker=True)


# -- JavaScript / TypeScript (transformers.js, huggingface.js) -------------------------------------

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


def _scan_js(text: str) -> list[Hit]:
    code = _JS_NOISE.sub(_blank_comments, text)
    newlines = [match.start() for match in re.finditer("\n", code)]
    hits = _links(code, 1)
    for match in _JS_CALL.finditer(code):
        group = "a" if match.group("a") is not None else "b"
        hits.append((match.group(group), bisect.bisect_right(newlines, match.start(group)) + 1))
    for match in _JS_KEY.finditer(code):
        if _is_model_key(match.group("key").strip("'\""), repo_id=False):
            hits.append((match.group("value"), bisect.bisect_right(newlines, match.start("value")) + 1))
    return hits


# -- Markdown and reStructuredText -----------------------------------------------------------------

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})\s*([\w+-]*)")
_FENCE_KINDS = _pairs(
    "python:py py:py python3:py pycon:py bash:sh sh:sh shell:sh console:sh zsh:sh js:js javascript:js "
    "ts:js typescript:js jsx:js tsx:js yaml:yaml yml:yaml json:json toml:toml dockerfile:docker"
)


def _doctest(lines: list[str]) -> list[str]:
    """`>>> ` sessions as the code they run (output lines blanked, so line numbers hold)."""
    if not any(line.startswith(">>> ") for line in lines):
        return lines
    return [line[4:] if line.startswith((">>> ", "... ")) else "" for line in lines]


def _scan_markdown(text: str) -> list[Hit]:
    """Links anywhere, the YAML front matter, and fenced code blocks in a known language."""
    hits = _links(text, 1)
    lines = text.split("\n")
    if lines[0].strip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].strip() in ("---", "...")), 0)
        hits.extend((value, line + 1) for value, line in _scan_yaml("\n".join(lines[1:end])))
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
            block = lines[i + 1 : end]
            code = "\n".join(_doctest(block) if kind == "py" else block)
            hits.extend((value, line + i + 1) for value, line in _SCANNERS[kind](code))
        i = end + 1
    return hits


def _scan_rst(text: str) -> list[Hit]:
    return _links(text, 1)


# -- dispatch --------------------------------------------------------------------------------------

_SCANNERS: dict[str, Callable[[str], list[Hit]]] = {
    "py": _scan_python,
    "yaml": _scan_yaml,
    "json": _scan_json,
    "toml": _scan_toml,
    "sh": _scan_shell,
    "docker": _scan_docker,
    "md": _scan_markdown,
    "rst": _scan_rst,
    "js": _scan_js,
}
_SUFFIX_KINDS = _pairs(
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
        model = _model_id(raw)
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
