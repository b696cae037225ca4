"""Policies: parse YAML keeping positions, validate into a frozen Policy, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# `name as name`: re-exported, these moved to conditions.py and overrides.py
from licensecheck.codes import ENGINE_CODES
from licensecheck.errors import PolicyError
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
from licensecheck.policy.overrides import clarify_from, waiver_from
from licensecheck.schema import kinds
from licensecheck.schema.load import load_text
from licensecheck.schema.located import Pos, Problems, suggest
from licensecheck.schema.validate import BAD, LocDict, LocStr

ACTIONS = kinds.ACTIONS
BUILTINS = ("openness", "commercial", "export-caution")


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
@dataclass
class _Raw:
    """A validated document before `extends` is merged."""

    name: str
    description: str
    extends: list[LocStr]
    settings: dict[str, Any]
    rules: list[Rule]
    waivers: list[Waiver]
    clarify: list[Clarify]


def _rule(entry: LocDict) -> Rule:
    return Rule(
        entry["id"],
        entry["action"],
        entry["when"],
        entry.get("code") or entry["id"],
        entry.get("message"),
        entry.get("description"),
        entry.pos,
    )


def parse_document(text: str, path: str, probs: Problems) -> _Raw | None:
    """Validate a policy's text against the POLICY schema (schema/kinds.py) and build its parts."""
    doc = load_text(
        text,
        path,
        kinds.POLICY,
        probs,
        empty="empty policy file (expected 'version: 1' and 'rules')",
        hooks={"when": parse_when},
    )
    if doc is BAD:
        return None
    if "rules" not in doc and "extends" not in doc:
        probs.items.append((*doc.pos, "a policy needs 'rules' (or 'extends' to build on another policy)"))
    settings = dict(doc.get("settings") or {})
    settings.update(settings.pop("lineage", None) or {})
    rules: list[Rule] = []
    first: dict[str, Rule] = {}
    for entry in doc.get("rules") or ():
        rule = _rule(entry)
        if rule.id in first:
            msg = f"duplicate rule id '{rule.id}' (first at line {first[rule.id].pos[1]})"
            probs.items.append((*rule.pos, msg))
            continue
        first[rule.id] = rule
        rules.append(rule)
    waivers = [waiver_from(w) for w in doc.get("waivers") or ()]
    clar = [c for e in doc.get("clarify") or () if (c := clarify_from(e, probs))]
    name = doc.get("name") or Path(path).stem
    return _Raw(
        name, doc.get("description") or "", list(doc.get("extends") or ()), settings, rules, waivers, clar
    )


def builtin_text(name: str) -> str:
    # A plain path (the package is installed as files): importlib.resources costs ~10 ms to import.
    from importlib import import_module

    folder = Path(str(import_module("licensecheck.rules").__file__)).parent
    return (folder / f"{name}.yaml").read_text(encoding="utf-8")


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
    for spec in raw.extends:
        if spec not in BUILTINS and not _below(spec, base_dir):
            probs.items.append(
                (*spec.pos, f"extends: '{spec}' must be a built-in name or a file below this policy's folder")
            )
            continue
        found = _resolve(spec, base_dir)
        if found is None:
            msg = f"extends: no built-in policy or file named '{spec}'{suggest(spec, BUILTINS)}"
            probs.items.append((*spec.pos, msg))
            continue
        if found[0] in chain or found[0] == path:
            probs.items.append((*spec.pos, f"extends: '{spec}' extends itself (cycle)"))
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


def validate_files(paths: list[str]) -> list[tuple[str, int, int, str]]:
    """Every problem of every file (the `policy validate` command)."""
    problems: list[tuple[str, int, int, str]] = []
    for p in paths:
        try:
            load_policy(p, None)
        except PolicyError as exc:
            problems.extend(exc.problems)
    return problems
