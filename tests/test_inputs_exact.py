"""Issue 10, exact inputs: the inputs users really write that were misread, each refused with exit 2 and
FILE:LINE:COL (or, for a waiver of a posture not chosen with -p, judged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from licensecheck.cli import main

LOCK = """\
version: 1
knowledge_base: test
models:
  acme/model: {license: other, license_name: acme-licence, author: acme}
  acme/mit: {license: mit, author: acme}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exc.value.code or 0), out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "licensecheck.lock").write_text(LOCK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_misspelt_licence_fact_in_the_config_is_refused_with_did_you_mean(project: Path, capsys) -> None:
    cfg = project / "licensecheck.yaml"
    cfg.write_text(
        "policies: [commercial]\n"
        "licenses:\n"
        "  - id: LicenseRef-acme\n"
        "    category: community\n"
        "    aliases: [acme-licence]\n"
        "    comercial_use: false\n"
    )
    code, out, err = run(capsys, "check", "--offline", "acme/model")
    assert code == 2 and out == ""
    assert f"{cfg}:6:5: unknown licence key 'comercial_use' (did you mean 'commercial_use'?)" in err


def test_the_correctly_spelt_fact_denies_commercial_use(project: Path, capsys) -> None:
    (project / "licensecheck.yaml").write_text(
        "policies: [commercial]\n"
        "licenses:\n"
        "  - id: LicenseRef-acme\n"
        "    category: community\n"
        "    aliases: [acme-licence]\n"
        "    commercial_use: false\n"
    )
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", "acme/model")
    model = json.loads(out)["models"][0]
    assert code == 1 and model["verdict"] == "deny"
    assert {f["code"]: f["severity"] for f in model["findings"]}["non-commercial"] == "deny"


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        ('osi_approved: "false"', "5:19", "osi_approved must be true or false, not the string 'false'"),
        ("derivatives: yes please", "5:18", "derivatives must be true or false"),
        ("category: comunity", "5:15", "category must be one of"),
        ("commercial_use: sometimes", "5:21", "commercial_use must be true, false or conditional"),
        ("user_limit: lots", "5:17", "user_limit must be an integer"),
        ("as_of: 2026-02-30", "5:12", "as_of must be a date like 2027-06-30"),
    ],
)
def test_wrong_types_in_config_licences_are_refused(project: Path, capsys, entry, where, message) -> None:
    cfg = project / "licensecheck.yaml"
    cfg.write_text(
        f"policies: [openness]\nlicenses:\n  - id: LicenseRef-acme\n    aliases: [acme-licence]\n    {entry}\n"
    )
    code, out, err = run(capsys, "check", "--offline", "acme/model")
    assert code == 2 and out == ""
    assert f"{cfg}:{where}: {message}" in err


def test_a_key_written_twice_in_the_config_is_refused(project: Path, capsys) -> None:
    cfg = project / "licensecheck.yaml"
    cfg.write_text("policies: [commercial]\nmodels: [acme/mit]\npolicies: [openness]\n")
    code, out, err = run(capsys, "check", "--offline")
    assert code == 2 and out == ""
    assert f"{cfg}:3:1: duplicate key 'policies' (first at line 1)" in err


def test_every_problem_is_reported_at_once(project: Path, capsys) -> None:
    cfg = project / "licensecheck.yaml"
    cfg.write_text(
        "polices: [commercial]\nuse: [selling]\npublishers:\n  - orgs: [acme]\n    contry: US\n"
        "licenses:\n  - {id: X, fsf_libre: 'no'}\n"
    )
    code, _, err = run(capsys, "check", "--offline", "acme/mit")
    assert code == 2
    located = [line.split(": ", 1)[0] for line in err.splitlines() if line.startswith(str(cfg))]
    assert located == [f"{cfg}:1:1", f"{cfg}:2:7", f"{cfg}:5:5", f"{cfg}:7:24"]


def test_a_config_waiver_of_a_posture_not_chosen_is_judged(project: Path, capsys) -> None:
    """A pre-commit hook with `-p openness` and a config whose waiver names an export-caution rule."""
    (project / "licensecheck.yaml").write_text(
        "policies: [openness, export-caution]\n"
        "waivers:\n"
        "  - models: ['acme/*']\n    rules: [publisher-unknown]\n    reason: our own models\n"
    )
    code, out, err = run(capsys, "check", "--offline", "-p", "openness", "--format", "json", "acme/mit")
    assert code in (0, 1), err
    report = json.loads(out)
    assert report["models"][0]["verdicts"] == {"openness": "allow"}


def test_a_config_waiver_naming_a_rule_no_posture_of_the_config_has_is_still_refused(
    project: Path, capsys
) -> None:
    cfg = project / "licensecheck.yaml"
    cfg.write_text(
        "policies: [openness, export-caution]\n"
        "waivers:\n"
        "  - models: ['acme/*']\n    rules: [non-commercial]\n    reason: not in these postures\n"
    )
    code, out, err = run(capsys, "check", "--offline", "-p", "openness", "acme/mit")
    assert code == 2 and out == ""
    assert f"{cfg}:3:5: waiver names unknown rule 'non-commercial'" in err


def test_pyproject_config_problems_point_into_the_toml(project: Path, capsys) -> None:
    py = project / "pyproject.toml"
    py.write_text(
        '[project]\nname = "x"\n\n[tool.licensecheck]\npolicies = ["openness"]\nuse = "selling"\n'
        '\n[[tool.licensecheck.licenses]]\nid = "X"\nosi_approved = "false"\n'
    )
    code, out, err = run(capsys, "check", "--offline", "acme/mit")
    assert code == 2 and out == ""
    assert f"{py}:6:" in err and "use must be a use or a list of uses" in err
    assert f"{py}:8:" in err and "osi_approved must be true or false" in err


def test_a_broken_policy_test_file_is_refused_with_positions(tmp_path: Path, capsys) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "version: 1\npolicy: commercial\ncases:\n"
        "  - name: one\n    model: a/b\n    expect: alow\n"
        "  - name: two\n    card: x\n    model: a/b\n    expect: deny\n"
        "  - name: three\n    model: a/b\n    expect: deny\n    lock: {a/b: {licence: mit}}\n"
    )
    code, _, err = run(capsys, "policy", "test", str(cases))
    assert code == 2
    assert f"{cases}:6:13: expect must be one of allow, warn, deny, not 'alow' (did you mean 'allow'?)" in err
    assert f"{cases}:7:5: give exactly one of 'model' (with 'lock' entries) or 'card'" in err
    assert f"{cases}:14:18: unknown lockfile entry key 'licence' (did you mean 'license'?)" in err
