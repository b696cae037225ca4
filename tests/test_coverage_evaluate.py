"""engine/evaluate.py: an expression the SPDX parser refuses is judged as an unidentified licence (never a
crash), a base shared by two paths is judged alike on both, and identical findings are reported once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from licensecheck.engine.evaluate import effective_rank, evaluate
from licensecheck.engine.lineage import Node
from licensecheck.engine.match import Env
from licensecheck.licenses import facts
from licensecheck.model import ModelMeta, Publisher, Resolution
from licensecheck.policy.document import load_policy
from tests.factory import audit_lock


def _node(expression: str | None) -> Node:
    kb = facts.load()
    terms = (kb.facts("MIT"),)
    meta = ModelMeta(id="acme/m", repo_id="acme/m", source="hub", author="acme")
    return Node(meta, Resolution(expression, "hf-id", terms), Publisher(org="acme", known=False))


@pytest.mark.parametrize("expression", ["MIT AND (", "MIT WITH", "(("])
def test_an_expression_that_does_not_parse_is_judged_as_unidentified(expression: str) -> None:
    node = _node(expression)
    assert effective_rank(node) == effective_rank(_node(None))  # the rank of an unidentified licence
    kb = facts.load()
    verdicts, findings, _, _ = evaluate(
        [load_policy("openness"), load_policy("commercial")], node, Env(kb, dt.date(2026, 11, 29))
    )
    assert verdicts == {"openness": "deny", "commercial": "deny"}
    assert {f.code for f in findings} >= {"license-unknown"}
    assert "permissive" not in {f.code for f in findings}  # the MIT term is not read out of a broken tree


def test_a_parsed_expression_is_ranked_by_its_terms() -> None:
    assert effective_rank(_node("MIT")) > effective_rank(_node(None))


def test_a_base_shared_by_two_paths_is_judged_alike_on_both(tmp_path: Path) -> None:
    models = {
        "acme/top": {"license": "mit", "author": "acme", "base_models": ["acme/a", "acme/b"]},
        "acme/a": {"license": "mit", "author": "acme", "base_models": ["acme/c"]},
        "acme/b": {"license": "mit", "author": "acme", "base_models": ["acme/c"]},
        "acme/c": {"license": "cc-by-nc-4.0", "author": "acme"},
    }
    report = audit_lock(tmp_path, models, ["commercial"], targets=["acme/top"])
    top = report.models[0]
    assert top.verdicts == {"commercial": "deny"}
    lineage = sorted(f.message for f in top.findings if f.code == "base-model-license")
    assert lineage == [
        "base model acme/a (MIT) is deny under commercial",
        "base model acme/b (MIT) is deny under commercial",
    ]


def test_identical_terms_give_one_finding(tmp_path: Path) -> None:
    report = audit_lock(tmp_path, {"acme/x": {"license": "MIT AND MIT", "author": "acme"}}, ["commercial"])
    m = report.models[0]
    assert m.resolution.expression == "MIT AND MIT"
    assert [f.code for f in m.findings] == ["permissive"]


def test_rules_sharing_a_code_and_message_give_one_finding(tmp_path: Path) -> None:
    policy = (
        "version: 1\nname: house\nsettings: {default: allow}\nrules:\n"
        "  - {id: a, action: warn, code: review, message: needs review, when: {model: {author: acme}}}\n"
        "  - {id: b, action: warn, code: review, message: needs review, when: {model: {gated: false}}}\n"
        "  - {id: c, action: warn, code: review, message: gated, when: {model: {gated: false}}}\n"
    )
    report = audit_lock(tmp_path, {"acme/x": {"license": "mit", "author": "acme"}}, policy_text=policy)
    found = [(f.code, f.rule, f.message) for f in report.models[0].findings if f.severity == "warn"]
    assert found == [("review", "a", "needs review"), ("review", "c", "gated")]
