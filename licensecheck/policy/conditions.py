"""The condition language of policy rules: subjects and their facts, predicates, combinators, `when`."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

import yaml

from licensecheck.codes import USES as USES
from licensecheck.schema.kinds import CATEGORIES
from licensecheck.schema.located import Bad, Problems, mapping_items, scalar, suggest
from licensecheck.values import Value

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
    "publisher": (
        "country",
        "country_of_concern",
        "lists",
        "listed",
        "org",
        "name",
        "known",
        "kind",
        "verified",
    ),
    "context": ("use",),
}
NESTED = ("lineage", "datasets")
COMBINATORS = ("all", "any", "not")
PREDICATE_KEYS = ("gte", "gt", "lte", "lt", "matches", "not_in")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Pred(Value):
    """A comparison of a fact with a value."""

    op: str  # eq | in | gte | gt | lte | lt | matches | not_in
    value: Any


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FactTest(Value):
    """A predicate on one fact of one subject (license, model, publisher, context)."""

    subject: str
    fact: str
    pred: Pred


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Combo(Value):
    """all / any / not of conditions."""

    op: str  # all | any | not
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Nested(Value):
    """A condition over a model's base models (lineage) or training data (datasets)."""

    subject: str  # lineage | datasets
    cond: Cond


Cond = FactTest | Combo | Nested


# Licence-term facts about origin (law, territory, export) rather than what the licence allows.
ORIGIN_LICENCE_FACTS = frozenset(
    {
        "governing_law",
        "governing_law_of_concern",
        "territory_exclusions",
        "territory_restricted",
        "export_clause",
    }
)
# What a licence posture tests of a licence term (an origin posture tests only the facts above).
LICENCE_TERM_FACTS = frozenset(SUBJECT_FACTS["license"]) - ORIGIN_LICENCE_FACTS


def tests_licence_terms(cond: Cond) -> bool:
    """Whether a condition judges what a licence allows (category, commercial use, ...), at its own level."""
    if isinstance(cond, FactTest):
        return cond.subject == "license" and cond.fact in LICENCE_TERM_FACTS
    if isinstance(cond, Combo):
        return any(tests_licence_terms(c) for c in cond.items)
    return False


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


def _pred(node: yaml.Node, probs: Problems, where: str) -> Pred | None:
    if isinstance(node, yaml.ScalarNode):
        v = scalar(node, probs)
        return None if v is Bad else Pred("eq", v)
    if isinstance(node, yaml.SequenceNode):
        values = [scalar(i, probs) for i in node.value]
        if any(v is Bad for v in values):
            probs.add(node, f"{where}: a list predicate must hold plain values")
            return None
        return Pred("in", tuple(values))
    items = mapping_items(node, probs, where) or []  # a scalar and a list were handled above
    if len(items) != 1:
        probs.add(node, f"{where}: a predicate mapping has exactly one of {', '.join(PREDICATE_KEYS)}")
        return None
    key, knode, vnode = items[0]
    if key not in PREDICATE_KEYS:
        probs.add(knode, f"{where}: unknown predicate '{key}'{suggest(key, PREDICATE_KEYS)}")
        return None
    if key in ("gte", "gt", "lte", "lt"):
        v = scalar(vnode, probs)
        if isinstance(v, str):
            v = _number(v)  # YAML 1.1 reads 1.0e11 (no exponent sign) as a string
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            probs.add(vnode, f"{where}: '{key}' needs a number")
            return None
        return Pred(key, v)
    if key == "matches":
        v = scalar(vnode, probs)
        if not isinstance(v, str):
            probs.add(vnode, f"{where}: 'matches' needs a glob string")
            return None
        return Pred("matches", v)
    if not isinstance(vnode, yaml.SequenceNode):
        probs.add(vnode, f"{where}: 'not_in' needs a list")
        return None
    values = [scalar(i, probs) for i in vnode.value]
    if any(v is Bad for v in values):
        probs.add(vnode, f"{where}: 'not_in' must list plain values")
        return None
    return Pred("not_in", tuple(values))


def _number(text: str) -> float | str:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return text


def _subject_cond(subject: str, node: yaml.Node, probs: Problems) -> Cond | None:
    items = mapping_items(node, probs, f"'{subject}' condition")
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
            probs.add(knode, f"unknown {subject} fact '{key}'{suggest(key, facts)}")
            continue
        pred = _pred(vnode, probs, f"{subject}.{key}")
        if pred is None:
            continue
        if subject == "license" and key == "category":
            for v in pred.value if pred.op in ("in", "not_in") else (pred.value,):
                if pred.op in ("eq", "in", "not_in") and v not in CATEGORIES:
                    probs.add(vnode, f"unknown licence category '{v}'{suggest(str(v), CATEGORIES)}")
        if subject == "context" and key == "use":
            for v in pred.value if pred.op in ("in", "not_in") else (pred.value,):
                if v not in USES:
                    probs.add(vnode, f"unknown use '{v}'{suggest(str(v), USES)}")
        parts.append(FactTest(subject, key, pred))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Combo("all", tuple(parts))


def _combo_of(key: str, node: yaml.Node, probs: Problems, parse: Any) -> Cond | None:
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


def parse_when(node: yaml.Node, probs: Problems) -> Cond | None:
    items = mapping_items(node, probs, "'when'")
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
            probs.add(knode, f"unknown subject '{key}'{suggest(key, valid)}")
            continue
        if cond is not None:
            parts.append(cond)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Combo("all", tuple(parts))


# ---- predicate semantics -------------------------------------------------------------------------
def _same(fact: Any, wanted: Any) -> bool:
    """One fact value equals a policy value: identifiers case-insensitively, and a boolean is never a
    number (YAML `true` does not match a count of 1)."""
    if isinstance(fact, str) and isinstance(wanted, str):
        return fact.casefold() == wanted.casefold()
    if isinstance(fact, bool) or isinstance(wanted, bool):
        return fact is wanted
    return bool(fact == wanted)


def _glob(fact: Any, pattern: Any) -> bool:
    return isinstance(fact, str) and fnmatch.fnmatchcase(fact.casefold(), str(pattern).casefold())


def _compare(fact: Any, op: str, n: float) -> bool:
    if isinstance(fact, bool) or not isinstance(fact, (int, float)):
        return False
    return bool({"gte": fact >= n, "gt": fact > n, "lte": fact <= n, "lt": fact < n}[op])


def pred_holds(value: Any, pred: Pred, glob: bool = False) -> bool:
    """Whether a fact satisfies a predicate. A single fact is read as a list of one, so single and
    list-valued facts behave alike: the predicate holds when any element satisfies it, and `not_in` is
    exactly the complement of `in` (no element is one of the values). `glob` makes equality a glob match
    (model ids)."""
    items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    if pred.op == "not_in":
        return not pred_holds(items, Pred("in", pred.value), glob)
    if pred.op in ("eq", "in"):
        wanted = pred.value if pred.op == "in" else (pred.value,)
        same = _glob if glob else _same
        return any(same(item, w) for item in items for w in wanted)
    if pred.op == "matches":
        return any(_glob(item, pred.value) for item in items)
    return any(_compare(item, pred.op, pred.value) for item in items)
