"""Policies: parse YAML keeping positions, validate into a frozen Policy, collecting every problem."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import PolicyError
from .facts import CATEGORIES
from .yamlio import YamlProblem, compose

ACTIONS = ("allow", "info", "warn", "deny")
BUILTINS = ("openness", "commercial", "export-caution")
USES = ("internal", "saas", "distribute", "fine-tune", "distill")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

SUBJECT_FACTS: dict[str, tuple[str, ...]] = {
    "license": (
        "id",
        "name",
        "category",
        "osi_approved",
        "fsf_libre",
        "commercial_use",
        "derivatives",
        "use_restrictions",
        "user_limit",
        "attribution",
        "naming",
        "governing_law",
        "governing_law_of_concern",
        "territory_exclusions",
        "territory_restricted",
        "export_clause",
        "aliases",
        "network_copyleft",
        "distill_restricted",
    ),
    "model": ("id", "author", "gated", "parameters", "tags", "pipeline_tag", "library_name", "eu_disallowed"),
    "publisher": ("country", "country_of_concern", "lists", "listed", "org", "name", "known"),
    "context": ("use",),
}
NESTED = ("lineage", "datasets")
COMBINATORS = ("all", "any", "not")
PREDICATE_KEYS = ("gte", "gt", "lte", "lt", "matches", "not_in")

Pos = tuple[str, int, int]


# ---- conditions ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Pred:
    op: str  # eq | in | gte | gt | lte | lt | matches | not_in
    value: Any


@dataclass(frozen=True, slots=True)
class FactTest:
    subject: str
    fact: str
    pred: Pred


@dataclass(frozen=True, slots=True)
class Combo:
    op: str  # all | any | not
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Nested:
    subject: str  # lineage | datasets
    cond: Cond


Cond = FactTest | Combo | Nested


def subjects(cond: Cond, top: bool = True) -> set[str]:
    """Subjects a condition tests at its own level (nested lineage/datasets are not descended)."""
    if isinstance(cond, FactTest):
        return {cond.subject}
    if isinstance(cond, Nested):
        return {cond.subject}
    out: set[str] = set()
    for item in cond.items:
        out |= subjects(item, top)
    return out


# ---- policy values ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    action: str
    when: Cond
    code: str
    message: str | None = None
    description: str | None = None
    pos: Pos = ("", 0, 0)

    @property
    def per_term(self) -> bool:
        return "license" in subjects(self.when)

    @property
    def origin(self) -> bool:
        return "publisher" in subjects(self.when)


@dataclass(frozen=True, slots=True)
class Waiver:
    models: tuple[str, ...]
    rules: tuple[str, ...]
    reason: str
    approved_by: str | None = None
    expires: dt.date | None = None
    pos: Pos = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Clarify:
    models: tuple[str, ...]
    license: str
    reason: str
    pos: Pos = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Settings:
    default: str = "deny"
    unresolved: str = "deny"
    follow: bool = True
    depth: int = 3
    licenses: bool | None = None  # judge base models' licences; None = when the policy is a licence posture


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    rules: tuple[Rule, ...]
    settings: Settings = field(default_factory=Settings)
    waivers: tuple[Waiver, ...] = ()
    clarify: tuple[Clarify, ...] = ()
    path: str = ""

    @property
    def licence_lineage(self) -> bool:
        """Whether base models' licences are judged (licence postures; not origin postures)."""
        if self.settings.licenses is not None:
            return self.settings.licenses
        return any(r.per_term for r in self.rules) and not any(r.origin for r in self.rules)


# ---- located YAML -------------------------------------------------------------------------------
class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[tuple[str, int, int, str]] = []

    def add(self, node: yaml.Node | None, msg: str) -> None:
        mark = node.start_mark if node is not None else None
        self.items.append((self.path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, msg))

    def pos(self, node: yaml.Node) -> Pos:
        return (self.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _scalar(node: yaml.Node, probs: _Problems) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return _Bad
    if node.tag.startswith("tag:yaml.org,2002:python") or not node.tag.startswith("tag:yaml.org,2002:"):
        probs.add(node, f"unsupported YAML tag {node.tag!r}: policies are plain data")
        return _Bad
    try:
        return yaml.SafeLoader("").construct_object(node)
    except ValueError:
        return node.value  # e.g. an impossible date: keep the text, the caller says what was expected
    except yaml.YAMLError as exc:
        probs.add(node, f"bad value: {exc}")
        return _Bad


class _BadType:
    pass


_Bad: Any = _BadType()


def _check_tags(node: yaml.Node, probs: _Problems) -> bool:
    """Refuse any non-standard tag anywhere (nothing in a policy ever executes)."""
    ok = True
    stack = [node]
    while stack:
        n = stack.pop()
        if not n.tag.startswith("tag:yaml.org,2002:") or "python" in n.tag:
            probs.add(n, f"unsupported YAML tag {n.tag!r}: policies are plain data")
            ok = False
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return ok


def _items(node: yaml.Node, probs: _Problems, what: str) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
    if not isinstance(node, yaml.MappingNode):
        probs.add(node, f"{what} must be a mapping")
        return None
    seen: set[str] = set()
    out = []
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if not isinstance(key, str):
            probs.add(knode, f"{what}: keys must be strings")
            continue
        if key in seen:
            probs.add(knode, f"{what}: duplicate key '{key}'")
            continue
        seen.add(key)
        out.append((key, knode, vnode))
    return out


def _str_list(node: yaml.Node, probs: _Problems, what: str) -> tuple[str, ...] | None:
    if isinstance(node, yaml.ScalarNode):
        v = _scalar(node, probs)
        if isinstance(v, str) and v:
            return (v,)
        probs.add(node, f"{what} must be a string or a list of strings")
        return None
    if isinstance(node, yaml.SequenceNode):
        out = []
        for item in node.value:
            v = _scalar(item, probs)
            if not isinstance(v, str) or not v:
                probs.add(item, f"{what} must contain strings")
                return None
            out.append(v)
        return tuple(out)
    probs.add(node, f"{what} must be a string or a list of strings")
    return None


# ---- conditions ---------------------------------------------------------------------------------
def _pred(node: yaml.Node, probs: _Problems, where: str) -> Pred | None:
    if isinstance(node, yaml.ScalarNode):
        v = _scalar(node, probs)
        return None if v is _Bad else Pred("eq", v)
    if isinstance(node, yaml.SequenceNode):
        values = [_scalar(i, probs) for i in node.value]
        if any(v is _Bad for v in values):
            probs.add(node, f"{where}: a list predicate must hold plain values")
            return None
        return Pred("in", tuple(values))
    items = _items(node, probs, where)
    if items is None:
        return None
    if len(items) != 1:
        probs.add(node, f"{where}: a predicate mapping has exactly one of {', '.join(PREDICATE_KEYS)}")
        return None
    key, knode, vnode = items[0]
    if key not in PREDICATE_KEYS:
        probs.add(knode, f"{where}: unknown predicate '{key}'{_suggest(key, PREDICATE_KEYS)}")
        return None
    if key in ("gte", "gt", "lte", "lt"):
        v = _scalar(vnode, probs)
        if isinstance(v, str):
            v = _number(v)  # YAML 1.1 reads 1.0e11 (no exponent sign) as a string
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            probs.add(vnode, f"{where}: '{key}' needs a number")
            return None
        return Pred(key, v)
    if key == "matches":
        v = _scalar(vnode, probs)
        if not isinstance(v, str):
            probs.add(vnode, f"{where}: 'matches' needs a glob string")
            return None
        return Pred("matches", v)
    if not isinstance(vnode, yaml.SequenceNode):
        probs.add(vnode, f"{where}: 'not_in' needs a list")
        return None
    values = [_scalar(i, probs) for i in vnode.value]
    return Pred("not_in", tuple(values))


def _number(text: str) -> float | str:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return text


def _subject_cond(subject: str, node: yaml.Node, probs: _Problems) -> Cond | None:
    items = _items(node, probs, f"'{subject}' condition")
    if items is None:
        return None
    if not items:
        probs.add(node, f"'{subject}' condition is empty")
        return None
    facts = SUBJECT_FACTS[subject]
    parts: list[Cond] = []
    for key, knode, vnode in items:
        if key in COMBINATORS:
            sub = _combo_of(key, vnode, probs, lambda n: _subject_cond(subject, n, probs))
            if sub is not None:
                parts.append(sub)
            continue
        if key not in facts:
            probs.add(knode, f"unknown {subject} fact '{key}'{_suggest(key, facts)}")
            continue
        pred = _pred(vnode, probs, f"{subject}.{key}")
        if pred is None:
            continue
        if subject == "license" and key == "category":
            for v in pred.value if pred.op in ("in", "not_in") else (pred.value,):
                if pred.op in ("eq", "in", "not_in") and v not in CATEGORIES:
                    probs.add(vnode, f"unknown licence category '{v}'{_suggest(str(v), CATEGORIES)}")
        if subject == "context" and key == "use":
            for v in pred.value if pred.op in ("in", "not_in") else (pred.value,):
                if v not in USES:
                    probs.add(vnode, f"unknown use '{v}'{_suggest(str(v), USES)}")
        parts.append(FactTest(subject, key, pred))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Combo("all", tuple(parts))


def _combo_of(key: str, node: yaml.Node, probs: _Problems, parse: Any) -> Cond | None:
    if key == "not":
        inner = parse(node)
        return None if inner is None else Combo("not", (inner,))
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        probs.add(node, f"'{key}' needs a non-empty list of conditions")
        return None
    subs = [parse(n) for n in node.value]
    if any(s is None for s in subs):
        return None
    return Combo(key, tuple(subs))


def parse_when(node: yaml.Node, probs: _Problems) -> Cond | None:
    items = _items(node, probs, "'when'")
    if items is None:
        return None
    if not items:
        probs.add(node, "'when' is empty: a rule must say when it applies")
        return None
    parts: list[Cond] = []
    valid = (*SUBJECT_FACTS, *NESTED, *COMBINATORS)
    for key, knode, vnode in items:
        cond: Cond | None
        if key in COMBINATORS:
            cond = _combo_of(key, vnode, probs, lambda n: parse_when(n, probs))
        elif key in NESTED:
            inner = parse_when(vnode, probs)
            cond = None if inner is None else Nested(key, inner)
        elif key in SUBJECT_FACTS:
            cond = _subject_cond(key, vnode, probs)
        else:
            probs.add(knode, f"unknown subject '{key}'{_suggest(key, valid)}")
            continue
        if cond is not None:
            parts.append(cond)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Combo("all", tuple(parts))


# ---- the document -------------------------------------------------------------------------------
TOP_KEYS = ("version", "name", "description", "extends", "settings", "rules", "waivers", "clarify")
RULE_KEYS = ("id", "action", "when", "message", "code", "description")
WAIVER_KEYS = ("models", "rules", "reason", "approved_by", "expires")
CLARIFY_KEYS = ("models", "license", "reason")
SETTINGS_KEYS = ("default", "unresolved", "lineage")
LINEAGE_KEYS = ("follow", "depth", "licenses")


@dataclass
class _Raw:
    """A validated document before `extends` is merged."""

    name: str
    description: str
    extends: list[tuple[str, yaml.Node]]
    settings: dict[str, Any]
    rules: list[Rule]
    waivers: list[Waiver]
    clarify: list[Clarify]


def _action(node: yaml.Node, probs: _Problems, what: str) -> str | None:
    v = _scalar(node, probs)
    if v not in ACTIONS:
        probs.add(node, f"{what} must be one of {', '.join(ACTIONS)}, not {v!r}{_suggest(str(v), ACTIONS)}")
        return None
    return str(v)


def _settings(node: yaml.Node, probs: _Problems) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, knode, vnode in _items(node, probs, "settings") or []:
        if key in ("default", "unresolved"):
            a = _action(vnode, probs, f"settings.{key}")
            if a:
                out[key] = a
        elif key == "lineage":
            for lkey, lknode, lvnode in _items(vnode, probs, "settings.lineage") or []:
                v = _scalar(lvnode, probs)
                if lkey == "follow":
                    if not isinstance(v, bool):
                        probs.add(lvnode, "settings.lineage.follow must be true or false")
                    else:
                        out["follow"] = v
                elif lkey == "licenses":
                    if not isinstance(v, bool):
                        probs.add(lvnode, "settings.lineage.licenses must be true or false")
                    else:
                        out["licenses"] = v
                elif lkey == "depth":
                    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10:
                        probs.add(lvnode, "settings.lineage.depth must be an integer from 0 to 10")
                    else:
                        out["depth"] = v
                else:
                    probs.add(lknode, f"unknown key 'settings.lineage.{lkey}'{_suggest(lkey, LINEAGE_KEYS)}")
        else:
            probs.add(knode, f"unknown key 'settings.{key}'{_suggest(key, SETTINGS_KEYS)}")
    return out


def _rule(node: yaml.Node, probs: _Problems) -> Rule | None:
    items = _items(node, probs, "a rule")
    if items is None:
        return None
    fields = {k: (kn, vn) for k, kn, vn in items}
    for key, knode, _ in items:
        if key not in RULE_KEYS:
            probs.add(knode, f"unknown rule key '{key}'{_suggest(key, RULE_KEYS)}")
    ok = True
    rid = None
    if "id" not in fields:
        probs.add(node, "rule has no 'id'")
        ok = False
    else:
        rid = _scalar(fields["id"][1], probs)
        if not isinstance(rid, str) or not KEBAB.match(rid):
            probs.add(fields["id"][1], f"rule id must be kebab-case (like 'non-commercial'), not {rid!r}")
            ok = False
    action = None
    if "action" not in fields:
        probs.add(node, f"rule {rid or ''} has no 'action'".replace("  ", " "))
        ok = False
    else:
        action = _action(fields["action"][1], probs, "action")
    when = None
    if "when" not in fields:
        probs.add(node, "rule has no 'when'")
        ok = False
    else:
        when = parse_when(fields["when"][1], probs)
    texts: dict[str, str | None] = {}
    for key in ("message", "code", "description"):
        if key in fields:
            v = _scalar(fields[key][1], probs)
            if not isinstance(v, str):
                probs.add(fields[key][1], f"'{key}' must be a string")
                ok = False
            else:
                texts[key] = v
    code = texts.get("code") or rid
    if "code" in texts and (not isinstance(code, str) or not KEBAB.match(code)):
        probs.add(fields["code"][1], "code must be kebab-case")
        ok = False
    if not ok or action is None or when is None or not isinstance(rid, str) or not isinstance(code, str):
        return None
    return Rule(rid, action, when, code, texts.get("message"), texts.get("description"), probs.pos(node))


def _date(node: yaml.Node, probs: _Problems, what: str) -> dt.date | None:
    v = _scalar(node, probs)
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    probs.add(node, f"{what} must be a date like 2027-06-30, not {v!r}")
    return None


def _waiver(node: yaml.Node, probs: _Problems) -> Waiver | None:
    items = _items(node, probs, "a waiver")
    if items is None:
        return None
    f = {k: vn for k, _, vn in items}
    for key, knode, _ in items:
        if key not in WAIVER_KEYS:
            probs.add(knode, f"unknown waiver key '{key}'{_suggest(key, WAIVER_KEYS)}")
    models = _str_list(f["models"], probs, "waiver models") if "models" in f else None
    rules = _str_list(f["rules"], probs, "waiver rules") if "rules" in f else None
    if "models" not in f:
        probs.add(node, "waiver has no 'models'")
    if "rules" not in f:
        probs.add(node, "waiver has no 'rules'")
    reason = _scalar(f["reason"], probs) if "reason" in f else None
    if not isinstance(reason, str) or not reason.strip():
        probs.add(f.get("reason", node), "waiver needs a 'reason' (why the finding is acceptable)")
        reason = None
    approved = _scalar(f["approved_by"], probs) if "approved_by" in f else None
    if approved is not None and not isinstance(approved, str):
        probs.add(f["approved_by"], "approved_by must be a string")
    expires = _date(f["expires"], probs, "expires") if "expires" in f else None
    if models is None or rules is None or reason is None:
        return None
    return Waiver(
        models, rules, reason, approved if isinstance(approved, str) else None, expires, probs.pos(node)
    )


def _clarify(node: yaml.Node, probs: _Problems) -> Clarify | None:
    items = _items(node, probs, "a clarify entry")
    if items is None:
        return None
    f = {k: vn for k, _, vn in items}
    for key, knode, _ in items:
        if key not in CLARIFY_KEYS:
            probs.add(knode, f"unknown clarify key '{key}'{_suggest(key, CLARIFY_KEYS)}")
    models = _str_list(f["models"], probs, "clarify models") if "models" in f else None
    if "models" not in f:
        probs.add(node, "clarify entry has no 'models'")
    lic = _scalar(f["license"], probs) if "license" in f else None
    if not isinstance(lic, str) or not lic.strip():
        probs.add(f.get("license", node), "clarify entry needs a 'license' (an SPDX expression)")
        lic = None
    reason = _scalar(f["reason"], probs) if "reason" in f else None
    if not isinstance(reason, str) or not reason.strip():
        probs.add(f.get("reason", node), "clarify entry needs a 'reason'")
        reason = None
    if models is None or lic is None or reason is None:
        return None
    return Clarify(models, lic, reason, probs.pos(node))


def _seq(node: yaml.Node, probs: _Problems, what: str) -> list[yaml.Node]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null") and node.tag.endswith(":null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        probs.add(node, f"'{what}' must be a list")
        return []
    return list(node.value)


def parse_document(text: str, path: str, probs: _Problems) -> _Raw | None:
    try:
        root = compose(text)
    except YamlProblem as exc:
        probs.items.append((path, exc.line or 1, exc.col or 1, exc.message))
        return None
    if root is None:
        probs.items.append((path, 1, 1, "empty policy file (expected 'version: 1' and 'rules')"))
        return None
    if not _check_tags(root, probs):
        return None
    items = _items(root, probs, "the policy")
    if items is None:
        return None
    f = {k: (kn, vn) for k, kn, vn in items}
    for key, knode, _ in items:
        if key not in TOP_KEYS:
            probs.add(knode, f"unknown key '{key}'{_suggest(key, TOP_KEYS)}")
    if "rules" not in f and "extends" not in f:
        probs.add(root, "a policy needs 'rules' (or 'extends' to build on another policy)")
    if "version" not in f:
        probs.add(root, "missing 'version: 1'")
    else:
        v = _scalar(f["version"][1], probs)
        if v != 1 or isinstance(v, bool):
            probs.add(
                f["version"][1], f"unsupported policy version {v!r} (this licensecheck reads version 1)"
            )
    name = Path(path).stem
    desc = ""
    for key in ("name", "description"):
        if key in f:
            v = _scalar(f[key][1], probs)
            if not isinstance(v, str):
                probs.add(f[key][1], f"'{key}' must be a string")
            elif key == "name":
                name = v
            else:
                desc = v
    extends: list[tuple[str, yaml.Node]] = []
    if "extends" in f:
        node = f["extends"][1]
        nodes = [node] if isinstance(node, yaml.ScalarNode) else _seq(node, probs, "extends")
        for n in nodes:
            v = _scalar(n, probs)
            if not isinstance(v, str) or not v:
                probs.add(n, "extends entries must be policy names or relative paths")
            else:
                extends.append((v, n))
    settings = _settings(f["settings"][1], probs) if "settings" in f else {}
    rules: list[Rule] = []
    ids: dict[str, yaml.Node] = {}
    for rnode in _seq(f["rules"][1], probs, "rules") if "rules" in f else []:
        rule = _rule(rnode, probs)
        if rule is None:
            continue
        if rule.id in ids:
            probs.add(
                rnode, f"duplicate rule id '{rule.id}' (first at line {ids[rule.id].start_mark.line + 1})"
            )
            continue
        ids[rule.id] = rnode
        rules.append(rule)
    waivers = [
        w
        for n in (_seq(f["waivers"][1], probs, "waivers") if "waivers" in f else [])
        if (w := _waiver(n, probs))
    ]
    clar = [
        c
        for n in (_seq(f["clarify"][1], probs, "clarify") if "clarify" in f else [])
        if (c := _clarify(n, probs))
    ]
    return _Raw(name, desc, extends, settings, rules, waivers, clar)


def builtin_text(name: str) -> str:
    return (
        resources.files("licensecheck").joinpath("rules").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    )


def _resolve(spec: str, base_dir: Path | None) -> tuple[str, str] | None:
    """(display path, text) of a built-in name or a file path; None when neither exists."""
    if spec in BUILTINS:
        return f"<builtin>/{spec}.yaml", builtin_text(spec)
    p = Path(spec)
    if base_dir is not None and not p.is_absolute():
        p = base_dir / p
    if p.is_file():
        return str(p), _read_policy_file(p)
    return None


def _below(spec: str, base_dir: Path | None) -> bool:
    """A relative path that stays inside `base_dir` (a policy from a PR must not read other files)."""
    p = Path(spec)
    if p.is_absolute() or base_dir is None:
        return base_dir is None and not p.is_absolute()
    try:
        (base_dir / p).resolve().relative_to(base_dir.resolve())
    except (ValueError, OSError):
        return False
    return True


def _read_policy_file(p: Path) -> str:
    with p.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024 + 1)
    if len(data) > 4 * 1024 * 1024:
        raise PolicyError([(str(p), 1, 1, "policy file larger than 4 MiB")])
    return data.decode("utf-8", errors="replace")


def load_policy(spec: str, base_dir: Path | None = None) -> Policy:
    """Load a built-in posture or a policy file with its `extends`; raise PolicyError with every problem."""
    probs = _Problems(spec)
    found = _resolve(spec, base_dir)
    if found is None:
        msg = f"no built-in policy or file named '{spec}'{_suggest(spec, BUILTINS)}"
        raise PolicyError([(spec, 1, 1, msg)])
    policy = _load(found[0], found[1], probs, chain=())
    if probs.items or policy is None:
        raise PolicyError(probs.items)
    return policy


def _load(path: str, text: str, probs: _Problems, chain: tuple[str, ...]) -> Policy | None:
    local = _Problems(path)
    raw = parse_document(text, path, local)
    probs.items.extend(local.items)
    if raw is None:
        return None
    rules: dict[str, Rule] = {}
    settings: dict[str, Any] = {}
    waivers: list[Waiver] = []
    clarify: list[Clarify] = []
    base_dir = None if path.startswith("<builtin>") else Path(path).parent
    for spec, node in raw.extends:
        if spec not in BUILTINS and not _below(spec, base_dir):
            local.add(node, f"extends: '{spec}' must be a built-in name or a file below this policy's folder")
            probs.items.extend(local.items[-1:])
            continue
        found = _resolve(spec, base_dir)
        if found is None:
            local.add(node, f"extends: no built-in policy or file named '{spec}'{_suggest(spec, BUILTINS)}")
            probs.items.extend(local.items[-1:])
            continue
        if found[0] in chain or found[0] == path:
            local.add(node, f"extends: '{spec}' extends itself (cycle)")
            probs.items.extend(local.items[-1:])
            continue
        parent = _load(found[0], found[1], probs, (*chain, path))
        if parent is None:
            continue
        for r in parent.rules:
            rules[r.id] = r
        settings.update(
            default=parent.settings.default,
            unresolved=parent.settings.unresolved,
            follow=parent.settings.follow,
            depth=parent.settings.depth,
            licenses=parent.settings.licenses,
        )
        waivers.extend(parent.waivers)
        clarify.extend(parent.clarify)
    for r in raw.rules:
        rules.pop(r.id, None)
        rules[r.id] = r
    settings.update(raw.settings)
    waivers.extend(raw.waivers)
    clarify.extend(raw.clarify)
    known = set(rules) | {r.code for r in rules.values()} | _ENGINE_CODES
    for w in raw.waivers:
        for rid in w.rules:
            if rid not in known:
                probs.items.append(
                    (
                        w.pos[0],
                        w.pos[1],
                        w.pos[2],
                        f"waiver names unknown rule '{rid}'{_suggest(rid, sorted(known))}",
                    )
                )
    return Policy(
        raw.name,
        raw.description,
        tuple(rules.values()),
        Settings(**settings),
        tuple(waivers),
        tuple(clarify),
        path,
    )


# Codes the engine itself emits; waivers may name them too.
_ENGINE_CODES = {
    "license-unmatched",
    "base-model-license",
    "base-model-unresolved",
    "license-mismatch",
    "unresolved",
    "license-changed",
    "lineage-cycle",
    "training-data-license",
}


def validate_files(paths: list[str]) -> list[tuple[str, int, int, str]]:
    """Every problem of every file (the `policy validate` command)."""
    problems: list[tuple[str, int, int, str]] = []
    for p in paths:
        try:
            load_policy(p, None)
        except PolicyError as exc:
            problems.extend(exc.problems)
    return problems
