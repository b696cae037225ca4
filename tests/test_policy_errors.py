"""Broken policy files: every kind is refused with exit 2, the exact FILE:LINE:COL, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from licensecheck.errors import PolicyError
from licensecheck.policy.document import load_policy

GOOD_RULE = "  - id: ok\n    action: allow\n    when: {license: {category: permissive}}\n"

# (name, file text, expected "LINE:COL: message fragment")
BROKEN = [
    ("unknown-top-key", "version: 1\nrulez: []\n", "2:1: unknown key 'rulez' (did you mean 'rules'?)"),
    (
        "unknown-rule-key",
        "version: 1\nrules:\n  - id: a\n    action: deny\n    wen: {}\n    when: {model: {gated: true}}\n",
        "5:5: unknown rule key 'wen' (did you mean 'when'?)",
    ),
    ("wrong-type-rules", "version: 1\nrules: {id: a}\n", "2:8: rules must be a list"),
    (
        "bad-action",
        "version: 1\nrules:\n  - id: a\n    action: block\n    when: {model: {gated: true}}\n",
        "4:13: action must be one of allow, info, warn, deny, not 'block'",
    ),
    (
        "action-typo",
        "version: 1\nrules:\n  - id: a\n    action: dney\n    when: {model: {gated: true}}\n",
        "(did you mean 'deny'?)",
    ),
    (
        "missing-id",
        "version: 1\nrules:\n  - action: deny\n    when: {model: {gated: true}}\n",
        "3:5: rule has no 'id'",
    ),
    (
        "bad-id",
        "version: 1\nrules:\n  - id: Not_Kebab\n    action: deny\n    when: {model: {gated: true}}\n",
        "3:9: id must be kebab-case",
    ),
    (
        "duplicate-id",
        "version: 1\nrules:\n" + GOOD_RULE + GOOD_RULE,
        "6:5: duplicate rule id 'ok' (first at line 3)",
    ),
    (
        "unknown-subject",
        "version: 1\nrules:\n  - id: a\n    action: deny\n    when: {licence: {category: x}}\n",
        "5:12: unknown subject 'licence' (did you mean 'license'?)",
    ),
    (
        "unknown-fact",
        "version: 1\nrules:\n  - id: a\n    action: deny\n    when: {license: {categry: x}}\n",
        "5:22: unknown license fact 'categry' (did you mean 'category'?)",
    ),
    (
        "unknown-category",
        "version: 1\nrules:\n  - id: a\n    action: deny\n    when: {license: {category: permisive}}\n",
        "5:32: unknown licence category 'permisive' (did you mean 'permissive'?)",
    ),
    (
        "bad-predicate",
        "version: 1\nrules:\n  - id: a\n    action: deny\n    when: {model: {parameters: {gtee: 5}}}\n",
        "5:33: model.parameters: unknown predicate 'gtee' (did you mean 'gte'?)",
    ),
    (
        "bad-date",
        "version: 1\nrules:\n"
        + GOOD_RULE
        + "waivers:\n  - models: ['a/*']\n    rules: [ok]\n    reason: r\n    expires: 2027-13-45\n",
        "10:14: expires must be a date like 2027-06-30",
    ),
    (
        "waiver-no-reason",
        "version: 1\nrules:\n" + GOOD_RULE + "waivers:\n  - models: ['a/*']\n    rules: [ok]\n",
        "7:5: waiver needs a 'reason'",
    ),
    (
        "waiver-unknown-rule",
        "version: 1\nrules:\n"
        + GOOD_RULE
        + "waivers:\n  - models: ['a/*']\n    rules: [nope]\n    reason: r\n",
        "7:5: waiver names unknown rule 'nope'",
    ),
    (
        "unknown-extends",
        "version: 1\nextends: [comercial]\nrules:\n" + GOOD_RULE,
        "2:11: extends: no built-in policy or file named 'comercial' (did you mean 'commercial'?)",
    ),
    ("unsupported-version", "version: 2\nrules: []\n", "1:10: unsupported policy version 2"),
    ("missing-version", "rules:\n" + GOOD_RULE, "1:1: missing 'version: 1'"),
    ("empty-file", "", "1:1: empty policy file"),
    ("comments-only", "# nothing here\n", "1:1: empty policy file"),
    (
        "python-tag",
        "version: 1\nrules: !!python/object/apply:os.system ['echo pwned']\n",
        "2:8: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    ("custom-tag", "version: 1\nname: !env HOME\nrules: []\n", "2:7: unsupported YAML tag '!env'"),
    ("invalid-yaml", "version: 1\nrules: [\n", "3:1:"),
    ("not-a-mapping", "- a\n- b\n", "1:1: the policy must be a mapping"),
    (
        "bad-lineage-depth",
        "version: 1\nsettings: {lineage: {depth: 99}}\nrules: []\n",
        "2:29: settings.lineage.depth must be an integer from 0 to 10",
    ),
    (
        "bad-setting",
        "version: 1\nsettings: {defualt: deny}\nrules: []\n",
        "2:12: unknown key 'settings.defualt' (did you mean 'default'?)",
    ),
    (
        "clarify-no-license",
        "version: 1\nrules: []\nclarify:\n  - models: [a/b]\n    reason: r\n",
        "4:5: clarify entry needs a 'license'",
    ),
    (
        "alias-bomb",
        "version: 1\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\nrules: []\n",
        "alias bomb",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_policy_is_refused_with_position(tmp_path: Path, cli, name, text, expected):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    code, _, err = cli("policy", "validate", str(path))
    assert code == 2
    assert f"{path}:" in err
    assert expected in err, err


def test_every_problem_is_reported_at_once(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nrulez: []\nrules:\n  - id: a\n    action: nope\n    when: {model: {gated: true}}\n"
        "  - id: B\n    action: deny\n    when: {model: {gated: true}}\n"
    )
    with pytest.raises(PolicyError) as exc:
        load_policy(str(path))
    lines = [p[1] for p in exc.value.problems]
    assert lines == [2, 5, 7]


def test_check_with_broken_policy_judges_nothing(tmp_path: Path, cli):
    path = tmp_path / "p.yaml"
    path.write_text("version: 1\nrules: [\n")
    code, out, err = cli(
        "check", "-p", str(path), "--offline", "--lockfile", str(tmp_path / "none.lock"), "a/b"
    )
    assert code == 2
    assert out == ""
    assert "nothing was judged" in err


def test_builtins_validate():
    for name in ("openness", "commercial", "export-caution"):
        assert load_policy(name).rules


def test_extends_merges_later_wins(tmp_path: Path):
    path = tmp_path / "acme.yaml"
    path.write_text(
        "version: 1\nname: acme\nextends: [commercial]\nsettings: {default: warn}\nrules:\n"
        "  - id: conditional-commercial\n    action: deny\n    when: {license: {category: community}}\n"
    )
    pol = load_policy(str(path))
    rules = {r.id: r for r in pol.rules}
    assert rules["conditional-commercial"].action == "deny"
    assert rules["permissive"].action == "allow"
    assert pol.settings.default == "warn"
    assert pol.settings.unresolved == "deny"


def test_extends_cycle_is_an_error(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("version: 1\nextends: [b.yaml]\nrules: []\n")
    (tmp_path / "b.yaml").write_text("version: 1\nextends: [a.yaml]\nrules: []\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(str(tmp_path / "a.yaml"))
    assert any("cycle" in p[3] for p in exc.value.problems)


@pytest.mark.parametrize("spec", ["/etc/passwd", "../outside.yaml", "sub/../../outside.yaml"])
def test_extends_stays_below_the_policy_folder(tmp_path: Path, cli, spec):
    (tmp_path / "outside.yaml").write_text("version: 1\nrules: []\n")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "p.yaml").write_text(f"version: 1\nextends: ['{spec}']\nrules: []\n")
    code, _, err = cli("policy", "validate", str(folder / "p.yaml"))
    assert code == 2 and "2:11: extends:" in err and "below this policy's folder" in err


def test_extends_a_sibling_file_works(tmp_path: Path):
    (tmp_path / "base.yaml").write_text(GOOD_RULE.join(["version: 1\nrules:\n", ""]))
    (tmp_path / "p.yaml").write_text("version: 1\nextends: [base.yaml]\n")
    assert [r.id for r in load_policy(str(tmp_path / "p.yaml")).rules] == ["ok"]


def test_a_policy_without_rules_or_extends_is_refused(tmp_path: Path):
    path = tmp_path / "truncated.yaml"
    path.write_text("version: 1\nname: cut\nsettings: {default: deny}\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(str(path))
    assert exc.value.problems[0][1:] == (
        1,
        1,
        "a policy needs 'rules' (or 'extends' to build on another policy)",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\nrules:\n  - id: a\n    action: deny\n    when: {license: {id: {not_in: [[a], {b: c}]}}}\n",
            "5:35: license.id: 'not_in' must list plain values",
        ),
        (
            "version: 1\nrules: []\nclarify:\n  - models: [a/b]\n    license: Apache2.O\n    reason: typo\n",
            "5:14: clarify license 'Apache2.O' is not an SPDX expression or a licence licensecheck knows",
        ),
    ],
)
def test_values_that_would_weaken_a_gate_are_refused(tmp_path: Path, cli, text, expected):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    code, _, err = cli("policy", "validate", str(path))
    assert code == 2
    assert expected in err
