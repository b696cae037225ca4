"""Loading policies: a built-in posture or a file, its `extends` merged in order, waivers checked against
the rules; every problem collected. The values and the parsing of one document are in parsing.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# `name as name`: re-exported, the policy values live in conditions.py, overrides.py and parsing.py
from licensecheck.codes import ENGINE_CODES
from licensecheck.errors import PolicyError
from licensecheck.policy.conditions import USES as USES
from licensecheck.policy.conditions import Combo as Combo
from licensecheck.policy.conditions import Cond as Cond
from licensecheck.policy.conditions import FactTest as FactTest
from licensecheck.policy.conditions import Nested as Nested
from licensecheck.policy.conditions import Pred as Pred
from licensecheck.policy.conditions import subjects as subjects
from licensecheck.policy.overrides import Clarify as Clarify
from licensecheck.policy.overrides import Waiver as Waiver
from licensecheck.policy.parsing import Policy as Policy
from licensecheck.policy.parsing import Rule as Rule
from licensecheck.policy.parsing import Settings, parse_document
from licensecheck.schema.located import Problems, suggest
from licensecheck.schema.yamlio import POLICY_BYTES, read_input

BUILTINS = ("openness", "commercial", "export-caution")


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
    return read_input(p, POLICY_BYTES, "policy file")


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
