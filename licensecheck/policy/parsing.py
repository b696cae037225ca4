"""One policy document: its values (Rule, Settings, Policy) and the parsing of its text against the POLICY
schema, every problem collected. Loading (built-in names, files, `extends`) is in document.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from licensecheck.policy.conditions import Cond, parse_when, subjects, tests_licence_terms
from licensecheck.policy.overrides import Clarify, Waiver, clarify_from, waiver_from
from licensecheck.schema import kinds
from licensecheck.schema.load import load_text
from licensecheck.schema.located import Pos, Problems
from licensecheck.schema.validate import BAD, LocDict, LocStr
from licensecheck.values import Value


# ---- policy values ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Rule(Value):
    """One rule of a posture: when it holds, its action and code."""

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


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Settings(Value):
    """A posture's defaults: actions for unmatched and unresolved models, how lineage is followed."""

    default: str = "deny"
    unresolved: str = "deny"
    follow: bool = True
    depth: int = 3
    licenses: bool | None = None  # judge base models' licences; None = when the policy is a licence posture


@dataclass(frozen=True, eq=False, repr=False)
class Policy(Value):
    """A posture: its rules, settings, waivers and clarifications."""

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
class Parsed:
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


def parse_document(text: str, path: str, probs: Problems) -> Parsed | None:
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
    return Parsed(
        name, doc.get("description") or "", list(doc.get("extends") or ()), settings, rules, waivers, clar
    )
