"""policy/conditions.py: numeric predicates judged on real model sizes (integers, YAML 1.1 exponent strings),
and the predicates the parser refuses, each at its FILE:LINE:COL."""

from __future__ import annotations

from pathlib import Path

import pytest

from licensecheck.errors import PolicyError
from licensecheck.policy.document import load_policy
from tests.factory import audit_lock

SIZES = {
    "acme/small": {"license": "mit", "author": "acme", "parameters": 7_000_000_000},
    "acme/large": {"license": "mit", "author": "acme", "parameters": 70_000_000_000},
    "acme/unknown": {"license": "mit", "author": "acme"},
}


def _policy(pred: str) -> str:
    return (
        "version: 1\nname: size\nsettings: {default: allow}\nrules:\n"
        f"  - id: big\n    action: warn\n    when: {{model: {{parameters: {pred}}}}}\n"
    )


@pytest.mark.parametrize(
    ("pred", "fires"),
    [
        ("{gte: 70000000000}", {"acme/large"}),
        ("{gt: 70000000000}", set()),
        ("{gt: 7000000000}", {"acme/large"}),
        ("{lte: 7000000000}", {"acme/small"}),
        ("{lt: 7000000000}", set()),
        ("{lt: 1.0e11}", {"acme/small", "acme/large"}),  # YAML 1.1 reads 1.0e11 as a string: still a number
        ("{gte: 1_000_000_000}", {"acme/small", "acme/large"}),
        ("{gte: 7.5e+9}", {"acme/large"}),
    ],
)
def test_numeric_predicates_compare_model_sizes(tmp_path: Path, pred: str, fires: set[str]) -> None:
    report = audit_lock(tmp_path, SIZES, policy_text=_policy(pred))
    got = {m.meta.id for m in report.models if any(f.code == "big" for f in m.findings)}
    assert got == fires  # a model of unknown size never matches a comparison


@pytest.mark.parametrize(
    ("when", "where", "message"),
    [
        ("{license: {id: [MIT, {a: b}]}}", (6, 26), "license.id: a list predicate must hold plain values"),
        ("{license: {id: [[MIT]]}}", (6, 26), "license.id: a list predicate must hold plain values"),
        ("{model: {parameters: {gte: true}}}", (6, 38), "model.parameters: 'gte' needs a number"),
        ("{model: {parameters: {lt: ten}}}", (6, 37), "model.parameters: 'lt' needs a number"),
        ("{model: {parameters: {lt: [1]}}}", (6, 37), "model.parameters: 'lt' needs a number"),
    ],
)
def test_a_malformed_predicate_is_refused_where_it_is_written(
    tmp_path: Path, when: str, where: tuple[int, int], message: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nname: p\nrules:\n  - id: r\n    action: deny\n    when: {when}\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(str(path))
    assert [(line, col, msg) for _, line, col, msg in exc.value.problems] == [(*where, message)]
