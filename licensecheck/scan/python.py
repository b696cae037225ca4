"""Model references in Python: loader calls, model-named variables, keys and options, read from the AST.

Two passes over the module: names are bound per scope (functions, lambdas, classes), then loader calls,
dicts and values assigned to model-named targets are resolved to the string constants they can be,
so a constant passed to a loader is reported on the line where it is written.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import TypeAlias

from .ids import (
    Hit,
    hub_part,
    is_dataset_key,
    is_model_key,
    links,
    model_id,
    negative,
    new_group,
    pinned,
    snake_case,
    strong,
    weak,
    words,
)

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
_HUB_CALLS = words(
    "hf_hub_download snapshot_download hf_hub_url try_to_load_from_cache model_info repo_info "
    "list_repo_files list_repo_tree file_exists repo_exists"
)
_NOT_MODELS = words(
    "load_dataset load_dataset_builder load_from_disk dataset_info space_info get_dataset_config_names "
    "get_dataset_split_names push_to_hub create_repo upload_folder upload_file upload_large_folder "
    "delete_repo create_branch create_commit duplicate_space"
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


_Value: TypeAlias = tuple[str, int]  # a string an expression can be, and the line it is written on
_MAX_JOINED = 16  # f-string combinations followed per expression


class _PythonScan:
    """Two passes over a module: bind names per scope, then read loader calls, dicts and model names.

    Every string literal outside docstrings is a weak candidate; the contexts read in the second pass
    make some strong (a loader argument, a model key, a model-named variable or collection) and some
    negative (a dataset loader, an upload, a dataset key).
    """

    def __init__(self, tree: ast.Module, lines: list[str] | None = None) -> None:
        self.lines = lines or []
        self.hits: list[Hit] = []
        self.memo: dict[tuple[int, str], list[_Value]] = {}
        self.named: list[tuple[ast.expr, _Scope, str]] = []  # values assigned to model-named targets
        self.not_models: list[tuple[ast.expr, _Scope, str]] = []
        docs: set[int] = set()
        calls: list[tuple[ast.Call, _Scope]] = []
        dicts: list[tuple[ast.Dict, _Scope]] = []
        stack: list[tuple[ast.AST, _Scope]] = [(tree, _Scope(None))]
        while stack:
            node, scope = stack.pop()
            if id(node) in docs:
                continue
            body = getattr(node, "body", None)
            if isinstance(body, list):
                docs.update(
                    id(stmt.value)
                    for stmt in body
                    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Constant, ast.JoinedStr))
                )
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                inner = _Scope(scope, isinstance(node, ast.ClassDef))
                if not isinstance(node, ast.ClassDef):
                    for arg, default in _params(node.args):
                        bound = inner.names.setdefault(arg.arg, [])
                        if default is not None:
                            bound.append(default)
                            self.classify(arg.arg, default, scope, "default of parameter")
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
            elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                self.collection(node.elts)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.hits.extend(self.placed(links(node.value, node.lineno), node))
                if "/" in node.value and len(node.value) < 200:
                    self.hits.append(weak(node.value, node.lineno, "string in code"))
            stack.extend((child, scope) for child in ast.iter_child_nodes(node))
        for dict_node, scope in dicts:
            self.dict_hits(dict_node, scope)
        for call, scope in calls:
            self.call_hits(call, scope)
        for expr, scope, why in self.named:
            self.hits.extend(strong(value, line, why) for value, line in self.values(expr, scope))
        for expr, scope, why in self.not_models:
            self.hits.extend(negative(value, line, why) for value, line in self.values(expr, scope))

    def placed(self, hits: list[Hit], node: ast.Constant) -> list[Hit]:
        """A literal over several source lines whose value does not keep them (implicitly joined
        pieces, escaped newlines): each hit goes on the first of those lines that spells its id."""
        end = node.end_lineno or node.lineno
        if end == node.lineno or str(node.value).count("\n") == end - node.lineno:
            return hits
        out = []
        for value, line, why, strength, group in hits:
            span = range(node.lineno, min(end, len(self.lines)) + 1)
            found = next((n for n in span if value.lower() in self.lines[n - 1].lower()), line)
            out.append((value, found, why, strength, group))
        return out

    def collection(self, items: list[ast.expr]) -> None:
        """The string items of one literal list, tuple, set or dict: neighbours of one another."""
        group = new_group()
        for item in items:
            text = _str(item)
            if text is not None and "/" in text:
                self.hits.append(weak(text, item.lineno, "in a collection with other models", group))

    def classify(self, key: str, value: ast.expr, scope: _Scope, why: str) -> None:
        if is_model_key(key, repo_id=False):
            self.named.append((value, scope, f"{why} {key}"))
        elif is_dataset_key(key):
            self.not_models.append((value, scope, f"{why} {key} (a dataset)"))

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
        if key is not None:
            self.classify(key, value, scope, "assigned to")

    def values(self, expr: ast.expr, scope: _Scope, depth: int = 0) -> list[_Value]:
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
        if isinstance(expr, (ast.JoinedStr, ast.BinOp)):
            return self.joined(expr, scope, depth)
        if isinstance(expr, ast.IfExp):
            parts: list[ast.expr] = [expr.body, expr.orelse]
        elif isinstance(expr, ast.BoolOp):
            parts = expr.values
        elif isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            parts = expr.elts
        elif isinstance(expr, ast.Dict):
            parts = expr.values
        elif isinstance(expr, ast.Call):
            default = _default(expr)
            parts = [] if default is None else [default]
        else:
            return []
        return [hit for part in parts for hit in self.values(part, scope, depth + 1)]

    def joined(self, expr: ast.JoinedStr | ast.BinOp, scope: _Scope, depth: int) -> list[_Value]:
        """`f"{ORG}/{NAME}"` and `ORG + "/" + NAME` built from constants: each string they can be."""
        if isinstance(expr, ast.BinOp):
            if not isinstance(expr.op, ast.Add):
                return []
            pieces: list[ast.expr] = [expr.left, expr.right]
        else:
            pieces = [p.value if isinstance(p, ast.FormattedValue) else p for p in expr.values]
        texts = [""]
        for piece in pieces:
            options = {value for value, _ in self.values(piece, scope, depth + 1)}
            if not options or len(texts) * len(options) > _MAX_JOINED:
                return []
            texts = [text + option for text in texts for option in sorted(options)]
        return [(text, expr.lineno) for text in texts]

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
        self.collection([value for value in node.values if value is not None])
        repo_type = next((value for key, value in items if snake_case(key) == "repo_type"), None)
        other_type = repo_type is not None and not self.is_model_type(repo_type, scope)
        for key, value in items:
            if other_type and snake_case(key) in ("repo_id", "repo", "path", "name"):
                self.not_models.append((value, scope, "beside a repo_type that is not model"))
            elif is_model_key(key):
                self.named.append((value, scope, f"value of key {key!r}"))
            elif is_dataset_key(key):
                self.not_models.append((value, scope, f"value of key {key!r} (a dataset)"))

    def call_hits(self, call: ast.Call, scope: _Scope) -> None:
        name, kws = _func_name(call.func), _keywords(call)
        if name in _NOT_MODELS or ("repo_type" in kws and not self.is_model_type(kws["repo_type"], scope)):
            why = f"argument of {name}()" if name in _NOT_MODELS else "beside a repo_type that is not model"
            self.not_models.extend((arg, scope, why) for arg in [*call.args, *kws.values()])
            return
        exprs = [value for key, value in kws.items() if is_model_key(key, repo_id=False)]
        for key, value in kws.items():
            if is_dataset_key(key):
                self.not_models.append((value, scope, f"{name}() keyword {key} (a dataset)"))
        rule = _LOADERS.get(name) or ((0, ("repo_id",)) if name in _HUB_CALLS else None)
        if name == "from_pretrained" and _receiver(call.func).startswith("PeftModel"):
            rule = (1, ("model_id",))  # PeftModel.from_pretrained(base_model, "org/adapter")
        if rule is not None:
            pos, keywords = rule
            if len(call.args) > pos and not any(isinstance(a, ast.Starred) for a in call.args[: pos + 1]):
                exprs.append(call.args[pos])
            exprs.extend(value for key, value in kws.items() if key in keywords)
        options = [(_str(arg) or "").lstrip("-") for arg in call.args]
        if name in _OPTIONS and "default" in kws and any(is_model_key(o, repo_id=False) for o in options):
            exprs.append(kws["default"])
        default = _default(call)
        if default is not None and options and is_model_key(options[0], repo_id=False):
            exprs.append(default)  # os.getenv("MODEL_ID", "org/name")
        revisions = {value for value, _ in self.values(kws.get("revision") or _NONE, scope)}
        revision = revisions.pop() if len(revisions) == 1 else None
        for expr in exprs:
            self.hits.extend(
                strong(pinned(value, revision), line, f"argument of {name}()")
                for value, line in self.values(expr, scope)
            )


# a whole string literal shaped like an id (or a repo with a file in it), a Hub link, or the "/" of an
# id put together from parts (f"{ORG}/{NAME}", ORG + "/" + NAME)
_WHOLE_ID = re.compile(
    r"""["'](?:hf[-_]hub:)?([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}(?:@[\w./-]+)?/?[\w.-]*)["']"""
)
_JOINS = re.compile(r"""\}/|/\{|huggingface\.co|hf\.co/""")


def may_hold_id(text: str) -> bool:
    """Whether `text` has a string that can be (or build) an id: files without one are not parsed."""
    if _JOINS.search(text):
        return True
    return any(model_id(hub_part(match.group(1))) is not None for match in _WHOLE_ID.finditer(text))


def scan_python(text: str) -> list[Hit]:
    if not may_hold_id(text):
        return []  # no string here can be an id: not worth parsing
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        return _PythonScan(tree, text.splitlines()).hits
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
