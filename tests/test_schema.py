"""The schema language and the shipped knowledge base's schema: the package refuses a broken data file."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
import yaml

from licensecheck.errors import PolicyError
from licensecheck.licenses import facts
from licensecheck.schema import kinds
from licensecheck.schema.load import check_data, load_text, load_trusted
from licensecheck.schema.located import Problems
from licensecheck.schema.validate import (
    BAD,
    AnyOf,
    Bool,
    Custom,
    Date,
    Dict,
    Enum,
    Field,
    Int,
    Map,
    Opt,
    Seq,
    Str,
)

GOOD_LICENCE = """\
as_of: "2026-11-29"
licenses:
  - id: LicenseRef-x
    name: X
    category: community
    commercial_use: conditional
    sources: [https://example.org/x]
    as_of: 2026-01-02
"""


def problems(text: str, schema: Map) -> list[tuple[int, int, str]]:
    probs = Problems("f.yaml")
    load_text(text, "f.yaml", schema, probs)
    return [(line, col, msg) for _, line, col, msg in sorted(probs.items)]


def test_every_shipped_data_file_fits_its_schema() -> None:
    data = resources.files("licensecheck.licenses").joinpath("data")
    shipped = [name for name in kinds.KB_FILES if data.joinpath(name).is_file()]
    assert {"licenses.yaml", "publishers.yaml"} <= set(shipped)
    for name in shipped:
        path = str(data.joinpath(name))
        assert load_trusted(data.joinpath(name).read_text(encoding="utf-8"), path, kinds.KB_FILES[name])
        probs = Problems(path)  # the slower walk with positions agrees (and finds no duplicate key)
        load_text(data.joinpath(name).read_text(encoding="utf-8"), path, kinds.KB_FILES[name], probs)
        assert probs.items == []


def test_a_good_entry_loads() -> None:
    data = load_trusted(GOOD_LICENCE, "licenses.yaml", kinds.KB_LICENSES)
    assert data["licenses"][0]["commercial_use"] == "conditional"


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ("    sources: [https://example.org/x]\n", "3:5", "every licence entry needs 'sources'"),
        ("    as_of: 2026-01-02\n", "3:5", "every licence entry needs an 'as_of' date"),
        ("    category: community\n", "3:5", "licence has no 'category'"),
    ],
)
def test_the_package_refuses_an_entry_without_what_it_must_have(
    change: str, where: str, message: str
) -> None:
    with pytest.raises(PolicyError) as exc:
        load_trusted(GOOD_LICENCE.replace(change, ""), "licenses.yaml", kinds.KB_LICENSES)
    assert f"licenses.yaml:{where}: {message}" in str(exc.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("category: community", "category: comunity", "5:15: category must be one of"),
        ("as_of: 2026-01-02", "as_of: 2026-01-32", "8:12: as_of must be a date like 2027-06-30"),
        ("as_of: 2026-01-02", "as_of: soon", "8:12: as_of must be a date"),
        (
            "commercial_use: conditional",
            "commercial_use: 'false'",
            "6:21: commercial_use must be true, false",
        ),
        ("sources: [https://example.org/x]", "sources: []", "7:14: sources must be a non-empty list"),
        ("name: X", "name: X\n    name: Y", "5:5: duplicate key 'name' (first at line 4)"),
        ("name: X", "nmae: X", "4:5: unknown licence key 'nmae' (did you mean 'name'?)"),
    ],
)
def test_the_package_refuses_a_broken_data_file(old: str, new: str, expected: str) -> None:
    with pytest.raises(PolicyError) as exc:
        load_trusted(GOOD_LICENCE.replace(old, new), "licenses.yaml", kinds.KB_LICENSES)
    assert f"licenses.yaml:{expected}" in str(exc.value)


def test_the_knowledge_base_loader_goes_through_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "kinds", type("K", (), {"KB_FILES": {"licenses.yaml": Map({"as_of": Int()})}}))
    from licensecheck.licenses import datafile

    monkeypatch.setattr(datafile, "compiled", lambda name: None)  # no current compiled twin: the YAML is read
    with pytest.raises(PolicyError) as exc:
        facts._read_data("licenses.yaml")
    assert "licenses.yaml:" in str(exc.value) and "unknown key" in str(exc.value)


def test_unparsable_package_data_is_refused_with_its_position() -> None:
    with pytest.raises(PolicyError) as exc:
        load_trusted("as_of: [\n", "licenses.yaml", kinds.KB_LICENSES)
    assert exc.value.problems[0][:2] == ("licenses.yaml", 2)


def test_publisher_and_lineage_entries() -> None:
    pub = (
        'as_of: "2026-11-29"\npublishers:\n  - orgs: acme\n    kind: compnay\n    verified: "yes"\n'
        "    country: USA\n    evidence: seen on the site\n    lists: [{list: X, since: 2020-02-02}]\n"
    )
    got = problems(pub, kinds.KB_PUBLISHERS)
    assert [g[:2] for g in got] == [(3, 5), (3, 5), (4, 11), (5, 15), (6, 14)]
    assert "needs 'sources'" in got[0][2] and "needs an 'as_of' date" in got[1][2]
    assert "did you mean 'company'" in got[2][2] and "the string 'yes'" in got[3][2]
    lineage = (
        "lineage:\n  - {model: a/b, base_models: c/d, relation: quantised, sources: [u], as_of: 2026-01-01}\n"
    )
    assert "did you mean 'quantized'" in problems(lineage, kinds.KB_LINEAGE)[0][2]


def test_config_publishers_need_one_of_org_or_orgs() -> None:
    assert problems("publishers:\n  - {name: X}\n", kinds.CONFIG)[0][2].startswith("a publisher entry needs")
    assert problems("publishers:\n  - {org: x, name: X}\n", kinds.CONFIG) == []


# ---- the language itself, over nodes and over plain data -------------------------------------------------
SCHEMA = Map(
    {
        "flag": Bool(),
        "n": Int(1, 3),
        "m": Int(lo=0),
        "k": Int(),
        "when": Date(),
        "kind": Enum(("a", "b")),
        "names": Seq(Str(), one=True, what="a name or a list of names"),
        "some": Seq(Str(), nonempty=True),
        "by_id": Dict(Opt(Int())),
        "either": AnyOf((Bool(), Str()), "true, false or a word"),
        "req": Field(Str(), required=True),
    },
    kind="thing",
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"req": "x", "flag": "false"},
            "flag: flag must be true or false, not the string 'false' (write it without quotes)",
        ),
        ({"req": "x", "n": 4}, "n: n must be an integer from 1 to 3, not 4"),
        ({"req": "x", "m": -1}, "m: m must be an integer of at least 0, not -1"),
        ({"req": "x", "k": True}, "k: k must be an integer, not True"),
        ({"req": "x", "when": dt.datetime(2026, 1, 1, 5)}, None),
        ({"req": "x", "kind": "c"}, "kind: kind must be one of a, b, not 'c'"),
        ({"req": "x", "names": 5}, "names: names must be a name or a list of names, not 5"),
        ({"req": "x", "names": {"a": 1}}, "names: names must be a name or a list of names"),
        ({"req": "x", "some": []}, "some: some must be a non-empty list"),
        ({"req": "x", "by_id": []}, "by_id: by_id must be a mapping"),
        ({"req": "x", "by_id": {1: 2}}, "by_id: by_id: keys must be strings, not 1"),
        (
            {"req": "x", "by_id": {"a": None, "b": "2"}},
            "by_id.b: by_id.b must be an integer, not the string '2'",
        ),
        ({"req": "x", "either": 3}, "either: either must be true, false or a word"),
        ({"req": " "}, "req: req must not be empty"),
        ({}, "(top): thing has no 'req'"),
        ([], "(top): thing must be a mapping"),
    ],
)
def test_plain_data_problems_name_the_path(data: object, message: str | None) -> None:
    got, found = check_data(data, SCHEMA)
    assert found == ([message] if message else [])
    assert (got is BAD) == bool(message)


def test_node_walk_refuses_tags_non_string_keys_and_runs_hooks() -> None:
    assert problems("? [a]\n: 1\nreq: x\n", SCHEMA)[0][2] == "thing: keys must be strings"
    assert "unsupported YAML tag" in problems("req: !env X\n", SCHEMA)[0][2]
    hooked = Map({"when": Custom("when")})
    probs = Problems("f.yaml")
    seen: list[yaml.Node] = []
    got = load_text(
        "when: {a: 1}\n", "f.yaml", hooked, probs, hooks={"when": lambda n, p: seen.append(n) or 7}
    )
    assert got == {"when": 7} and len(seen) == 1
    assert check_data({"when": 5}, hooked) == ({"when": 5}, [])
    assert load_text("", "f.yaml", hooked, Problems("f.yaml")) is None


def test_fast_path_reports_positions_only_when_something_is_wrong() -> None:
    probs = Problems("f.yaml")
    assert load_text("req: x\nn: 2\n", "f.yaml", SCHEMA, probs, fast=True) == {"req": "x", "n": 2}
    assert load_text("req: x\nn: 9\nreq: y\n", "f.yaml", SCHEMA, probs, fast=True) is BAD
    assert [p[1:3] for p in probs.items] == [(2, 4), (3, 1)]


def test_a_date_value_that_yaml_cannot_build_is_reported_as_a_bad_date(tmp_path: Path) -> None:
    assert problems("req: x\nwhen: 2026-02-30\n", SCHEMA) == [
        (2, 7, "when must be a date like 2027-06-30, not the string '2026-02-30'")
    ]


# ---- the condition language's own checks (a `when` is validated by a hook of the policy schema) --------
WHEN_ERRORS = [
    ("{license: {category: [permissive, {a: 1}]}}", "a list predicate must hold plain values"),
    ("{model: {parameters: {gte: 1, lte: 2}}}", "a predicate mapping has exactly one of"),
    ("{model: {parameters: {gte: lots}}}", "'gte' needs a number"),
    ("{model: {id: {matches: [a]}}}", "'matches' needs a glob string"),
    ("{model: {tags: {not_in: a}}}", "'not_in' needs a list"),
    ("{model: {tags: {not_in: [[a]]}}}", "'not_in' must list plain values"),
    ("{model: [a]}", "'model' condition must be a mapping"),
    ("{model: {}}", "'model' condition is empty"),
    ("{context: {use: [selling]}}", "unknown use 'selling'"),
    ("{any: {license: {category: permissive}}}", "'any' needs a non-empty list of conditions"),
    ("{all: [{license: {categry: permissive}}]}", "unknown license fact 'categry'"),
    ("{model: {not: {gatd: true}}}", "unknown model fact 'gatd'"),
    ("{}", "'when' is empty"),
    ("[a]", "'when' must be a mapping"),
    ("{lineage: {licence: {category: permissive}}}", "unknown subject 'licence'"),
    ("{license: {category: {not_in: [permisive]}}}", "unknown licence category 'permisive'"),
]


@pytest.mark.parametrize(("when", "message"), WHEN_ERRORS)
def test_condition_language_errors(tmp_path: Path, when: str, message: str) -> None:
    from licensecheck.policy.document import load_policy

    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nrules:\n  - id: r\n    action: deny\n    when: {when}\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(str(path))
    assert all(p[1] == 5 for p in exc.value.problems)
    assert message in str(exc.value)


def test_conditions_that_parse(tmp_path: Path) -> None:
    from licensecheck.policy.conditions import Combo, FactTest, Nested, subjects, tests_licence_terms
    from licensecheck.policy.document import load_policy

    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nrules:\n"
        "  - id: big\n    action: warn\n    when: {model: {parameters: {gte: 1.0e11}}}\n"
        "  - id: nested\n    action: warn\n"
        "    when: {not: {lineage: {publisher: {country: CN}}}, model: {not: {gated: true}}}\n"
    )
    big, nested = load_policy(str(path)).rules
    assert isinstance(big.when, FactTest) and big.when.pred.value == 1.0e11
    assert isinstance(nested.when, Combo) and subjects(nested.when) == {"lineage", "model"}
    assert isinstance(nested.when.items[0], Combo) and isinstance(nested.when.items[0].items[0], Nested)
    assert not tests_licence_terms(nested.when)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "when: {license: {category: permissive, category: copyleft}}",
            "5:44: 'license' condition: duplicate key",
        ),
        ("when: {model: {[a]: 1}}", "5:20: 'model' condition: keys must be strings"),
        ("when: {model: {id: !!bool maybe}}", "5:24: bad value 'maybe' for its tag 'bool'"),
        ("when: {model: {id: !!timestamp nope}}", "5:24: bad value 'nope' for its tag 'timestamp'"),
        ("when: {model: {id: !!float abc}}", "5:24: bad value 'abc' for its tag 'float'"),
    ],
)
def test_condition_keys_and_values_are_plain(tmp_path: Path, text: str, message: str) -> None:
    from licensecheck.policy.document import load_policy

    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nrules:\n  - id: r\n    action: deny\n    {text}\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(str(path))
    assert message in str(exc.value)
