"""Config discovery and contents: licensecheck.yaml or [tool.licensecheck], found upward, or `-c FILE`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from licensecheck import config
from licensecheck.errors import ConfigError, PolicyError
from tests.conftest import invoke

LOCK = """\
version: 1
knowledge_base: test
models:
  acme/mit-model: {license: mit, author: acme, revision: "1111111111111111111111111111111111111111"}
  acme/nc-model: {license: cc-by-nc-4.0, author: acme}
  acme/other-model: {license: other, author: acme}
  acme/eval-model: {license: other, license_name: acme-eval, author: acme}
  newcorp/model: {license: mit, author: newcorp}
"""

POLICY = """\
version: 1
name: house
description: only MIT
settings: {default: deny}
rules:
  - id: mit-only
    action: allow
    when: {license: {id: MIT}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = invoke("check", "--offline", "--format", "json", *args)
    assert out, err
    return code, json.loads(out)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in report["models"]}


def codes(model: dict[str, Any]) -> dict[str, str]:
    return {f["code"]: f["severity"] for f in model["findings"]}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a lockfile; the working directory is a subfolder two levels down."""
    root = tmp_path / "repo"
    write(root / "licensecheck.lock", LOCK)
    deep = root / "src" / "pkg"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    return root


# ---------------------------------------------------------------------- discovery


def test_licensecheck_yaml_is_found_from_a_subdirectory(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness]\nmodels: [acme/mit-model, acme/nc-model]\n")
    assert config.discover() == repo / "licensecheck.yaml"
    code, report = check()
    assert report["postures"] == ["openness"]
    assert [m["id"] for m in report["models"]] == ["acme/mit-model", "acme/nc-model"]
    assert [m["verdict"] for m in report["models"]] == ["allow", "deny"]
    assert code == 1


def test_the_nearest_config_wins(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness]\nmodels: [acme/nc-model]\n")
    write(repo / "src" / "licensecheck.yaml", "policies: [export-caution]\nmodels: [acme/mit-model]\n")
    write(repo / "src" / "licensecheck.lock", LOCK)
    assert config.discover() == repo / "src" / "licensecheck.yaml"
    _, report = check()
    assert report["postures"] == ["export-caution"]


def test_pyproject_table_is_found_and_used(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """\
        [project]
        name = "demo"

        [tool.licensecheck]
        policies = ["openness", "commercial"]
        models = ["acme/mit-model", "acme/nc-model"]
        """,
    )
    assert config.discover() == repo / "pyproject.toml"
    code, report = check()
    assert report["postures"] == ["openness", "commercial"]
    assert [m["verdict"] for m in report["models"]] == ["allow", "deny"]
    assert code == 1


def test_a_pyproject_without_the_table_is_skipped(repo: Path) -> None:
    write(repo / "src" / "pyproject.toml", "[project]\nname = 'inner'\n")
    write(repo / "licensecheck.yaml", "policies: [openness]\n")
    assert config.discover() == repo / "licensecheck.yaml"


def test_licensecheck_yaml_beats_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.licensecheck]\npolicies = ['commercial']\n")
    write(repo / "licensecheck.yaml", "policies: [openness]\n")
    assert config.discover() == repo / "licensecheck.yaml"


def test_no_config_applies_the_default_postures(repo: Path) -> None:
    assert config.discover() is None
    _, report = check("--lockfile", str(repo / "licensecheck.lock"), "acme/mit-model")
    assert report["postures"] == ["openness", "export-caution"]


def test_no_config_and_no_targets_is_a_usage_error(repo: Path) -> None:
    code, _, err = invoke("check", "--offline")
    assert code == 2
    assert "nothing to check" in err


def test_dash_c_chooses_the_file(repo: Path, tmp_path: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness]\nmodels: [acme/nc-model]\n")
    elsewhere = write(
        tmp_path / "elsewhere" / "ci.yaml",
        f"policies: [commercial]\nmodels: [acme/mit-model]\nlockfile: {repo / 'licensecheck.lock'}\n",
    )
    code, report = check("-c", str(elsewhere))
    assert report["postures"] == ["commercial"]
    assert [m["id"] for m in report["models"]] == ["acme/mit-model"]
    assert code == 0
    pyproject = write(tmp_path / "other" / "pyproject.toml", "[tool.licensecheck]\npolicies = ['openness']\n")
    write(tmp_path / "other" / "licensecheck.lock", LOCK)
    _, report = check("-c", str(pyproject), "acme/mit-model")
    assert report["postures"] == ["openness"]


def test_dash_c_problems(repo: Path, tmp_path: Path) -> None:
    code, _, err = invoke("check", "--offline", "-c", str(tmp_path / "missing.yaml"), "acme/x")
    assert code == 2 and "config file not found" in err
    bare = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    code, _, err = invoke("check", "--offline", "-c", str(bare), "acme/x")
    assert code == 2 and "no [tool.licensecheck] table" in err
    broken = write(tmp_path / "broken" / "pyproject.toml", "[tool.licensecheck\n")
    code, _, err = invoke("check", "--offline", "-c", str(broken), "acme/x")
    assert code == 2 and "pyproject.toml" in err


# ---------------------------------------------------------------------- paths


def test_relative_paths_are_relative_to_the_config_file(repo: Path) -> None:
    write(repo / "policies" / "house.yaml", POLICY)
    write(repo / "models" / "local" / "README.md", "---\nlicense: mit\n---\n# A local model\n")
    write(repo / "locks" / "models.lock", LOCK)
    (repo / "licensecheck.lock").unlink()
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [policies/house.yaml, openness]
        models: [./models/local, acme/mit-model, acme/nc-model]
        lockfile: locks/models.lock
        """,
    )
    code, report = check()
    assert report["postures"] == ["house", "openness"]
    models = report["models"]
    assert models[0]["source"] == "local" and models[0]["license"]["expression"] == "MIT"
    assert models[0]["id"] == str(repo / "models" / "local")
    assert [m["source"] for m in models[1:]] == ["lockfile", "lockfile"]
    assert [m["verdicts"]["house"] for m in models] == ["allow", "allow", "deny"]
    assert code == 1
    cfg = config.load(repo / "licensecheck.yaml")
    assert cfg.lockfile == repo / "locks" / "models.lock"
    assert cfg.resolve_path("policies/house.yaml") == str(repo / "policies" / "house.yaml")
    assert cfg.resolve_path("/abs/p.yaml") == "/abs/p.yaml"


def test_the_lockfile_defaults_to_beside_the_config(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness]\nmodels: [acme/mit-model]\n")
    write(repo / "src" / "pkg" / "licensecheck.lock", "version: 1\nmodels: {}\n")  # in the cwd: not used
    code, report = check()
    assert report["models"][0]["source"] == "lockfile"
    assert code == 0


def test_the_lockfile_option_wins_over_the_config(repo: Path, tmp_path: Path) -> None:
    write(repo / "licensecheck.yaml", "models: [acme/mit-model]\nlockfile: nowhere.lock\n")
    _, report = check("-p", "openness")
    assert report["models"][0]["error"]["kind"] == "not-in-lockfile"
    _, report = check("-p", "openness", "--lockfile", str(repo / "licensecheck.lock"))
    assert report["models"][0]["error"] is None


def test_scan_globs_are_relative_to_the_config(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "scan: ['code/**/*.py']\n")
    write(
        repo / "code" / "app.py",
        'from transformers import AutoModel\nAutoModel.from_pretrained("acme/nc-model")\n',
    )
    write(repo / "src" / "pkg" / "ignored.py", 'AutoModel.from_pretrained("acme/mit-model")\n')
    code, out, _ = invoke("scan", "--list")
    assert code == 0
    assert "acme/nc-model" in out and "acme/mit-model" not in out


# ---------------------------------------------------------------------- errors


def test_an_unknown_key_is_an_error_with_position_and_suggestion(repo: Path) -> None:
    path = write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness]
        modles: [acme/mit-model]
        waivers:
          - models: [acme/*]
            rules: [not-open]
            reason: research only
            aproved_by: legal
        """,
    )
    code, out, err = invoke("check", "--offline", "acme/mit-model")
    assert code == 2
    assert out == ""  # nothing was judged
    assert f"{path}:2:1: unknown config key 'modles' (did you mean 'models'?)" in err
    assert f"{path}:7:5: unknown waiver key 'aproved_by' (did you mean 'approved_by'?)" in err
    assert "2 config problems" in err


def test_an_unknown_key_in_pyproject_points_into_the_toml(repo: Path) -> None:
    path = write(
        repo / "pyproject.toml",
        """\
        [project]
        name = "demo"

        [tool.other]
        x = 1

        [tool.licensecheck]
        policies = ["openness"]
        # the models we ship
        "lockfil" = "x.lock"

        [tool.licensecheck.wavers]
        models = ["a/*"]
        """,
    )
    code, _, err = invoke("check", "--offline", "acme/mit-model")
    assert code == 2
    assert f"{path}:10:1: unknown config key 'lockfil' (did you mean 'lockfile'?)" in err
    assert f"{path}:12:1: unknown config key 'wavers' (did you mean 'waivers'?)" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policies: 3\n", "policies must be a string or a list of strings, not 3"),
        ("lockfile: [a]\n", "lockfile must be a path"),
        ("licenses: [{name: x}]\n", "every extra licence needs an 'id'"),
        ("publishers: nope\n", "publishers must be a list of mappings"),
        (
            "use: [selling]\n",
            "use must be one of internal, saas, distribute, fine-tune, distill, not 'selling'",
        ),
        ("- a\n- list\n", "a config file must be a mapping"),
        ("policies: [a\n", "licensecheck.yaml:"),
        ("waivers:\n  - models: [a/*]\n    rules: [x]\n", "waiver needs a 'reason'"),
        ("clarify:\n  - models: [a/*]\n    reason: r\n", "clarify entry needs a 'license'"),
        ("models: !!python/name:os.system x\n", "licensecheck.yaml:1:"),
    ],
)
def test_bad_config_values_exit_2(repo: Path, text: str, message: str) -> None:
    write(repo / "licensecheck.yaml", text)
    code, out, err = invoke("check", "--offline", "acme/mit-model")
    assert code == 2
    assert message in err
    assert out == ""


def test_an_empty_config_is_fine(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "")
    cfg = config.load(repo / "licensecheck.yaml")
    assert cfg.policies == () and cfg.path == repo / "licensecheck.yaml"


def test_load_raises_policy_error_with_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "licensecheck.yaml", "polices: []\nmodel: []\nlockfile: 1\n")
    with pytest.raises(PolicyError) as exc:
        config.load(path)
    assert [(line, col) for _, line, col, _ in exc.value.problems] == [(1, 1), (2, 1), (3, 11)]
    with pytest.raises(ConfigError):
        config.load(write(tmp_path / "pyproject.toml", "[project]\n"))


# ---------------------------------------------------------------------- waivers, clarify, extra facts


def test_config_waivers_apply(repo: Path) -> None:
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness]
        models: [acme/nc-model, acme/mit-model]
        waivers:
          - models: [acme/nc-*]
            rules: [not-open]
            reason: research use only (LEGAL-123)
            approved_by: legal@example.com
            expires: 2999-12-31
        """,
    )
    code, report = check()
    nc = by_id(report)["acme/nc-model"]
    assert nc["verdict"] == "allow"
    waived = [f for f in nc["findings"] if f["code"] == "not-open"]
    assert waived[0]["severity"] == "info"
    assert waived[0]["waived"]["reason"] == "research use only (LEGAL-123)"
    assert waived[0]["waived"]["approved_by"] == "legal@example.com"
    assert report["notices"] == []
    assert code == 0


def test_an_expired_config_waiver_does_nothing(repo: Path) -> None:
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness]
        models: [acme/nc-model]
        waivers:
          - {models: [acme/nc-model], rules: [not-open], reason: old deal, expires: 2001-01-01}
        """,
    )
    code, report = check()
    m = report["models"][0]
    assert m["verdict"] == "deny"
    assert codes(m)["waiver-expired"] == "warn"
    assert code == 1


def test_config_clarify_identifies_a_licence(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness]\nmodels: [acme/other-model]\n")
    code, report = check()
    assert report["models"][0]["license"]["expression"] is None
    assert code == 1
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness]
        models: [acme/other-model]
        clarify:
          - models: [acme/other-model]
            license: MIT
            reason: the LICENSE file in the repository is MIT
        """,
    )
    code, report = check()
    m = report["models"][0]
    assert m["license"]["expression"] == "MIT"
    assert m["license"]["method"] == "clarify"
    assert "the LICENSE file in the repository is MIT" in m["license"]["detail"]
    assert m["verdict"] == "allow"
    assert code == 0


def test_config_licenses_add_facts(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [openness, commercial]\nmodels: [acme/eval-model]\n")
    _, report = check()
    assert report["models"][0]["license"]["expression"] is None
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness, commercial]
        models: [acme/eval-model]
        licenses:
          - id: LicenseRef-acme-eval
            name: Acme Evaluation Licence
            category: non-commercial
            commercial_use: false
            aliases: [acme-eval]
        """,
    )
    code, report = check()
    m = report["models"][0]
    assert m["license"]["expression"] == "LicenseRef-acme-eval"
    assert m["license"]["licenses"][0]["category"] == "non-commercial"
    assert m["verdicts"] == {"openness": "deny", "commercial": "deny"}
    assert "not-open" in codes(m)
    assert code == 1


def test_config_publishers_add_origins(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "policies: [export-caution]\nmodels: [newcorp/model]\n")
    code, report = check("-v")
    m = report["models"][0]
    assert m["verdict"] == "allow"
    assert codes(m).get("publisher-unknown") == "info"
    assert code == 0
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [export-caution]
        models: [newcorp/model]
        publishers:
          - orgs: [newcorp]
            name: NewCorp LLC
            country: RU
        """,
    )
    code, report = check()
    m = report["models"][0]
    assert m["publisher"]["country"] == "RU" and m["publisher"]["name"] == "NewCorp LLC"
    assert m["verdict"] == "warn"
    assert codes(m)["jurisdiction-of-concern"] == "warn"
    assert "publisher-unknown" not in codes(m)
    assert code == 0
    code, _, _ = invoke("check", "--offline", "--fail-on", "warn")
    assert code == 1


def test_config_use_applies(repo: Path) -> None:
    write(repo / "licensecheck.yaml", "use: [internal]\nmodels: [acme/mit-model]\n")
    cfg = config.load(repo / "licensecheck.yaml")
    assert cfg.use == ("internal",)
    code, _ = check()
    assert code == 0


def test_a_config_waiver_is_not_unused_in_postures_it_does_not_concern(repo: Path) -> None:
    write(
        repo / "licensecheck.yaml",
        """\
        policies: [openness, export-caution]
        models: [acme/nc-model]
        waivers:
          - {models: [acme/nc-model], rules: [not-open], reason: research use only}
        """,
    )
    _, report = check()
    assert report["models"][0]["verdicts"]["openness"] == "allow"
    assert report["notices"] == []
    code, _, _ = invoke("check", "--offline", "--fail-on", "warn")
    assert code == 0


def test_pyproject_waivers_clarify_and_extras(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """\
        [tool.licensecheck]
        policies = ["openness", "export-caution"]
        models = ["acme/nc-model", "acme/other-model", "newcorp/model"]

        [[tool.licensecheck.waivers]]
        models = ["acme/nc-*"]
        rules = ["not-open"]
        reason = "research only"
        expires = 2999-01-01

        [[tool.licensecheck.clarify]]
        models = ["acme/other-model"]
        license = "Apache-2.0"
        reason = "LICENSE file"

        [[tool.licensecheck.publishers]]
        orgs = ["newcorp"]
        name = "NewCorp"
        country = "CU"
        """,
    )
    code, report = check()
    models = by_id(report)
    assert models["acme/nc-model"]["verdicts"]["openness"] == "allow"
    assert models["acme/nc-model"]["findings"][0]["waived"]["expires"] == "2999-01-01"
    assert models["acme/other-model"]["license"]["expression"] == "Apache-2.0"
    assert codes(models["newcorp/model"])["jurisdiction-of-concern"] == "warn"
    assert code == 0


def test_a_config_waiver_naming_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "licensecheck.yaml"
    cfg.write_text(
        "policies: [commercial]\nmodels: [a/b]\nwaivers:\n"
        "  - models: ['a/*']\n    rules: [non-comercial]\n    reason: typo\n"
    )
    code, _, err = invoke("check", "-c", str(cfg), "--offline")
    assert code == 2
    assert f"{cfg}:4:5: waiver names unknown rule 'non-comercial' (did you mean 'non-commercial'?)" in err
