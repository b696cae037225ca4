"""Issue 10, exact semantics: the predicate truth table, `eq`/`not_in` complements, facts that disagree with
their category under every shipped posture, base-model relations in `explain`, and waiving
`license-changed`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from licensecheck.engine import audit
from licensecheck.engine.explain import explain_model
from licensecheck.engine.match import Env
from licensecheck.licenses import facts
from licensecheck.model import Finding, Report
from licensecheck.policy.conditions import Pred, pred_holds
from licensecheck.policy.document import load_policy
from licensecheck.sources.lockfile import Lockfile

TODAY = dt.date(2026, 11, 29)

# ---- the truth table: operator x scalar/list fact x case x type -----------------------------------------
TABLE = [
    # eq: one element equal, identifiers case-insensitively, a boolean never equals a number
    ("eq", "EU", "eu", True),
    ("eq", ["EU"], "eu", True),
    ("eq", ["GB", "EU"], "Eu", True),
    ("eq", "EU", "US", False),
    ("eq", ["GB"], "eu", False),
    ("eq", [], "eu", False),
    ("eq", True, True, True),
    ("eq", [True], True, True),
    ("eq", 1, True, False),
    ("eq", [1], True, False),
    ("eq", False, 0, False),
    ("eq", 0, 0, True),
    ("eq", "true", True, False),
    ("eq", None, None, True),
    ("eq", "conditional", "Conditional", True),
    # in: any element is one of the values
    ("in", "permissive", ("copyleft", "PERMISSIVE"), True),
    ("in", ["a", "b"], ("B",), True),
    ("in", ["a", "b"], ("c",), False),
    ("in", False, (False, "conditional"), True),
    ("in", 0, (False,), False),
    ("in", [], ("a",), False),
    # not_in: no element is one of the values (the complement of `in`)
    ("not_in", "eu", ("EU",), False),
    ("not_in", ["EU"], ("eu",), False),
    ("not_in", ["GB"], ("eu",), True),
    ("not_in", [], ("eu",), True),
    ("not_in", None, (False,), True),
    ("not_in", 0, (False,), True),
    ("not_in", False, (False, "conditional"), False),
    # matches: globs, case-insensitively, on any element; never on non-strings
    ("matches", "Llama-3.1", "llama*", True),
    ("matches", ["x", "LLAMA"], "llama", True),
    ("matches", ["x"], "llama*", False),
    ("matches", 5, "*", False),
    ("matches", None, "?*", False),
    # comparisons: numbers only (a boolean is not a number), any element of a list
    ("gte", 10, 10, True),
    ("gt", 10, 10, False),
    ("lte", [5, 50], 10, True),
    ("lt", [50], 10, False),
    ("gte", True, 1, False),
    ("gte", "10", 1, False),
    ("lt", None, 1, False),
]


@pytest.mark.parametrize(("op", "fact", "value", "expected"), TABLE)
def test_predicate_truth_table(op: str, fact: Any, value: Any, expected: bool) -> None:
    assert pred_holds(fact, Pred(op, value)) is expected


def test_glob_equality_for_model_ids() -> None:
    assert pred_holds("Acme/Model-7B", Pred("eq", "acme/*"), glob=True)
    assert not pred_holds("other/x", Pred("in", ("acme/*",)), glob=True)
    assert pred_holds("other/x", Pred("not_in", ("acme/*",)), glob=True)


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["eu", "EU", "Eu", "us", "conditional", "MIT", "mit", ""]),
)
_facts = st.one_of(_values, st.lists(_values, max_size=4))


@given(fact=_facts, value=_values)
def test_eq_and_not_in_are_complements(fact: Any, value: Any) -> None:
    assert pred_holds(fact, Pred("eq", value)) is not pred_holds(fact, Pred("not_in", (value,)))


@given(fact=_facts, values=st.lists(_values, max_size=3))
def test_in_and_not_in_are_complements_and_single_equals_a_list_of_one(fact: Any, values: list[Any]) -> None:
    assert pred_holds(fact, Pred("in", tuple(values))) is not pred_holds(fact, Pred("not_in", tuple(values)))
    if not isinstance(fact, list):
        for op in ("in", "not_in"):
            assert pred_holds(fact, Pred(op, tuple(values))) is pred_holds([fact], Pred(op, tuple(values)))


# ---- a licence whose category and facts disagree, under every shipped posture -----------------------------
def run(
    tmp_path: Path,
    models: dict[str, dict[str, Any]],
    postures: list[str],
    licenses: list[dict[str, Any]] = (),  # type: ignore[assignment]
    locked: dict[str, tuple[object, object, object]] | None = None,
    policy_text: str | None = None,
) -> Report:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": models}))
    specs = list(postures)
    if policy_text is not None:
        (tmp_path / "policy.yaml").write_text(policy_text)
        specs.append(str(tmp_path / "policy.yaml"))
    policies = [load_policy(s) for s in specs]
    src = Lockfile.read(lock)
    kb = facts.load().extend(licenses, [])
    sources = audit.Sources(
        models=src.fetch_many,
        datasets=src.fetch_datasets,
        locked_license=(lambda rid: locked.get(rid)) if locked is not None else None,
    )
    return audit.run(list(models), policies, kb, sources, Env(kb, TODAY))


def codes(report: Report, posture: str) -> dict[str, str]:
    return {f.code: f.severity for f in report.models[0].findings if f.posture == posture}


def licence(category: str, **facts_: Any) -> dict[str, Any]:
    return {"id": "LicenseRef-acme", "aliases": ["acme-licence"], "category": category, **facts_}


MODEL = {"acme/model": {"license": "other", "license_name": "acme-licence", "author": "acme"}}

# (category, facts, posture, verdict, code that decides)
DISAGREE = [
    ("community", {"commercial_use": False}, "commercial", "deny", "non-commercial"),
    ("permissive", {"commercial_use": False}, "commercial", "deny", "non-commercial"),
    ("open-rail", {"commercial_use": False}, "commercial", "deny", "non-commercial"),
    ("permissive", {"derivatives": False}, "commercial", "deny", "no-derivatives"),
    ("community", {"derivatives": False}, "commercial", "deny", "no-derivatives"),
    ("permissive", {"use_restrictions": True}, "commercial", "warn", "use-restricted"),
    ("permissive", {"commercial_use": "conditional"}, "commercial", "warn", "conditional-commercial"),
    ("permissive", {"commercial_use": False}, "openness", "deny", "not-open"),
    ("copyleft", {"derivatives": False}, "openness", "deny", "not-open"),
    ("weak-copyleft", {"use_restrictions": True}, "openness", "deny", "not-open"),
    ("public-domain", {"commercial_use": "conditional"}, "openness", "deny", "not-open"),
    ("permissive", {"territory_exclusions": ["eu"]}, "export-caution", "warn", "territory-restricted"),
    ("non-commercial", {"governing_law": "cn"}, "export-caution", "warn", "foreign-governing-law"),
]


@pytest.mark.parametrize(("category", "facts_", "posture", "verdict", "code"), DISAGREE)
def test_facts_decide_whatever_the_category(
    tmp_path: Path, category: str, facts_: dict[str, Any], posture: str, verdict: str, code: str
) -> None:
    report = run(tmp_path, MODEL, [posture], [licence(category, **facts_)])
    assert report.models[0].verdicts[posture] == verdict
    assert codes(report, posture)[code] == verdict
    assert "permissive" not in codes(report, posture) and "open-license" not in codes(report, posture)


def test_the_allowing_rules_still_allow_when_facts_agree(tmp_path: Path) -> None:
    report = run(tmp_path, MODEL, ["openness", "commercial"], [licence("permissive", commercial_use=True)])
    assert report.models[0].verdicts == {"openness": "allow", "commercial": "allow"}


def test_a_territory_exclusion_matches_whatever_its_case(tmp_path: Path) -> None:
    policy = (
        "version: 1\nname: eu\nsettings: {default: allow}\nrules:\n"
        "  - id: no-eu\n    action: deny\n    when: {license: {territory_exclusions: eu}}\n"
        "  - id: still-eu\n    action: warn\n    when: {license: {territory_exclusions: {not_in: [Eu]}}}\n"
    )
    report = run(tmp_path, MODEL, [], [licence("community", territory_exclusions=["EU"])], policy_text=policy)
    assert codes(report, "eu") == {"no-eu": "deny"}


# ---- explain shows each base model's relation ------------------------------------------------------------
def test_explain_shows_the_real_relation_of_each_base(tmp_path: Path) -> None:
    models = {
        "acme/model-GGUF": {
            "license": "mit",
            "author": "acme",
            "base_models": ["acme/model"],
            "base_relation": "quantized",
        },
        "acme/model": {"license": "mit", "author": "acme", "base_models": ["base/a", "base/b"]},
        "base/a": {"license": "mit", "author": "base"},
        "base/b": {"license": "apache-2.0", "author": "base"},
    }
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": models}))
    src = Lockfile.read(lock)
    kb = facts.load()
    sources = audit.Sources(models=src.fetch_many)
    report = audit.run(["acme/model-GGUF"], [load_policy("openness")], kb, sources, Env(kb, TODAY))
    text = explain_model(report.models[0])
    assert "trace base model acme/model (quantized, MIT) -> allow" in text
    assert "lineage:    quantized of acme/model: MIT" in text
    assert "lineage:      merge of base/a: MIT" in text and "merge of base/b: Apache-2.0" in text
    assert "(self," not in text


# ---- license-changed is waived like any other finding ----------------------------------------------------
def test_license_changed_may_be_waived(tmp_path: Path) -> None:
    locked = {"acme/model": ("apache-2.0", None, None)}
    model = {"acme/model": {"license": "mit", "author": "acme"}}
    plain = run(tmp_path, model, ["openness"], locked=locked)
    assert codes(plain, "openness")["license-changed"] == "warn"
    assert plain.models[0].verdicts["openness"] == "warn"
    waiver = (
        "version: 1\nname: house\nextends: [openness]\nwaivers:\n"
        "  - models: [acme/model]\n    rules: [license-changed]\n    reason: relicensed to MIT upstream\n"
    )
    waived = run(tmp_path, model, [], locked=locked, policy_text=waiver)
    found: list[Finding] = [f for f in waived.models[0].findings if f.code == "license-changed"]
    assert [f.severity for f in found] == ["info"] and found[0].waived is not None
    assert waived.models[0].verdicts["house"] == "allow"
    assert not [n for n in waived.notices if n.code == "waiver-unused"]
