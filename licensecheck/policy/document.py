"""Policies: parse YAML keeping positions, validate into a frozen Policy, collecting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from licensecheck.errors import PolicyError

# `name as name`: re-exported, these moved to conditions.py and overrides.py
from licensecheck.policy.conditions import USES as USES
from licensecheck.policy.conditions import Combo as Combo
from licensecheck.policy.conditions import Cond as Cond
from licensecheck.policy.conditions import FactTest as FactTest
from licensecheck.policy.conditions import Nested as Nested
from licensecheck.policy.conditions import Pred as Pred
from licensecheck.policy.conditions import parse_when, tests_licence_terms
from licensecheck.policy.conditions import subjects as subjects
from licensecheck.policy.overrides import Clarify as Clarify
from licensecheck.policy.overrides import Waiver as Waiver
from licensecheck.policy.overrides import parse_clarify, parse_waiver
from licensecheck.schema.located import Pos, Problems, check_tags, mapping_items, scalar, seq, suggest
from licensecheck.schema.yamlio import YamlProblem, compose

ACTIONS = ("allow", "info", "warn", "deny")
BUILTINS = ("openness", "commercial", "export-caution")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
        return any(r.per_term and tests_licence_terms(r.when) for r in self.rules)


# ---- the document -------------------------------------------------------------------------------
TOP_KEYS = ("version", "name", "description", "extends", "settings", "rules", "waivers", "clarify")
RULE_KEYS = ("id", "action", "when", "message", "code", "description")
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


def _action(node: yaml.Node, probs: Problems, what: str) -> str | None:
    v = scalar(node, probs)
    if v not in ACTIONS:
        probs.add(node, f"{what} must be one of {', '.join(ACTIONS)}, not {v!r}{suggest(str(v), ACTIONS)}")
        return None
    return str(v)


def _settings(node: yaml.Node, probs: Problems) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, knode, vnode in mapping_items(node, probs, "settings") or []:
        if key in ("default", "unresolved"):
            a = _action(vnode, probs, f"settings.{key}")
            if a:
                out[key] = a
        elif key == "lineage":
            for lkey, lknode, lvnode in mapping_items(vnode, probs, "settings.lineage") or []:
                v = scalar(lvnode, probs)
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
                    probs.add(lknode, f"unknown key 'settings.lineage.{lkey}'{suggest(lkey, LINEAGE_KEYS)}")
        else:
            probs.add(knode, f"unknown key 'settings.{key}'{suggest(key, SETTINGS_KEYS)}")
    return out


def _rule(node: yaml.Node, probs: Problems) -> Rule | None:
    items = mapping_items(node, probs, "a rule")
    if items is None:
        return None
    fields = {k: (kn, vn) for k, kn, vn in items}
    for key, knode, _ in items:
        if key not in RULE_KEYS:
            probs.add(knode, f"unknown rule key '{key}'{suggest(key, RULE_KEYS)}")
    ok = True
    rid = None
    if "id" not in fields:
        probs.add(node, "rule has no 'id'")
        ok = False
    else:
        rid = scalar(fields["id"][1], probs)
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
            v = scalar(fields[key][1], probs)
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


def parse_document(text: str, path: str, probs: Problems) -> _Raw | None:
    try:
        root = compose(text)
    except YamlProblem as exc:
        probs.items.append((path, exc.line or 1, exc.col or 1, exc.message))
        return None
    if root is None:
        probs.items.append((path, 1, 1, "empty policy file (expected 'version: 1' and 'rules')"))
        return None
    if not check_tags(root, probs):
        return None
    items = mapping_items(root, probs, "the policy")
    if items is None:
        return None
    f = {k: (kn, vn) for k, kn, vn in items}
    for key, knode, _ in items:
        if key not in TOP_KEYS:
            probs.add(knode, f"unknown key '{key}'{suggest(key, TOP_KEYS)}")
    if "rules" not in f and "extends" not in f:
        probs.add(root, "a policy needs 'rules' (or 'extends' to build on another policy)")
    if "version" not in f:
        probs.add(root, "missing 'version: 1'")
    else:
        v = scalar(f["version"][1], probs)
        if v != 1 or isinstance(v, bool):
            probs.add(
                f["version"][1], f"unsupported policy version {v!r} (this licensecheck reads version 1)"
            )
    name = Path(path).stem
    desc = ""
    for key in ("name", "description"):
        if key in f:
            v = scalar(f[key][1], probs)
            if not isinstance(v, str):
                probs.add(f[key][1], f"'{key}' must be a string")
            elif key == "name":
                name = v
            else:
                desc = v
    extends: list[tuple[str, yaml.Node]] = []
    if "extends" in f:
        node = f["extends"][1]
        nodes = [node] if isinstance(node, yaml.ScalarNode) else seq(node, probs, "extends")
        for n in nodes:
            v = scalar(n, probs)
            if not isinstance(v, str) or not v:
                probs.add(n, "extends entries must be policy names or relative paths")
            else:
                extends.append((v, n))
    settings = _settings(f["settings"][1], probs) if "settings" in f else {}
    rules: list[Rule] = []
    ids: dict[str, yaml.Node] = {}
    for rnode in seq(f["rules"][1], probs, "rules") if "rules" in f else []:
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
        for n in (seq(f["waivers"][1], probs, "waivers") if "waivers" in f else [])
        if (w := parse_waiver(n, probs))
    ]
    clar = [
        c
        for n in (seq(f["clarify"][1], probs, "clarify") if "clarify" in f else [])
        if (c := parse_clarify(n, probs))
    ]
    return _Raw(name, desc, extends, settings, rules, waivers, clar)


def builtin_text(name: str) -> str:
    return resources.files("licensecheck.rules").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


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
    probs = Problems(spec)
    found = _resolve(spec, base_dir)
    if found is None:
        msg = f"no built-in policy or file named '{spec}'{suggest(spec, BUILTINS)}"
        raise PolicyError([(spec, 1, 1, msg)])
    policy = _load(found[0], found[1], probs, chain=())
    if probs.items or policy is None:
        raise PolicyError(probs.items)
    return policy


def _load(path: str, text: str, probs: Problems, chain: tuple[str, ...]) -> Policy | None:
    local = Problems(path)
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
            local.add(node, f"extends: no built-in policy or file named '{spec}'{suggest(spec, BUILTINS)}")
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
        )  # `lineage.licenses` is not inherited: it describes the document that sets it
        waivers.extend(parent.waivers)
        clarify.extend(parent.clarify)
    for r in raw.rules:
        rules.pop(r.id, None)
        rules[r.id] = r
    settings.update(raw.settings)
    waivers.extend(raw.waivers)
    clarify.extend(raw.clarify)
    known = set(rules) | {r.code for r in rules.values()} | ENGINE_CODES
    for w in raw.waivers:
        for rid in w.rules:
            if rid not in known:
                probs.items.append(
                    (
                        w.pos[0],
                        w.pos[1],
                        w.pos[2],
                        f"waiver names unknown rule '{rid}'{suggest(rid, sorted(known))}",
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
ENGINE_CODES = {
    "license-unmatched",
    "base-model-license",
    "base-model-unresolved",
    "license-mismatch",
    "unresolved",
    "lineage-cycle",
    "lineage-truncated",
    "too-many-bases",
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
