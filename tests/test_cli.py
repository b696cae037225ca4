"""The CLI through click's runner and main(): commands, exit codes, docs that must match the real thing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from licensecheck import __version__
from licensecheck.codes import CODES
from licensecheck.policy.cases import builtin_test_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "licensecheck.yaml"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"licensecheck, version {__version__}"


def test_python_dash_m():
    done = subprocess.run(
        [sys.executable, "-m", "licensecheck", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and __version__ in done.stdout


def test_unknown_command_is_a_usage_error(cli):
    code, _, err = cli("chek")
    assert code == 2 and "No such command" in err and "Traceback" not in err


def test_nothing_to_check_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("check", "--offline")
    assert code == 2 and "nothing to check" in err


def test_example_audit_offline(cli):
    code, out, _ = cli("check", "-c", str(EXAMPLE), "--offline")
    assert code == 1  # Llama and others are denied by openness
    assert "deepseek-ai/DeepSeek-R1" in out and "OPENNESS" in out and "EXPORT-CAUTION" in out
    row = next(line for line in out.splitlines() if line.startswith("deepseek-ai/DeepSeek-R1 "))
    assert row.split()[-3:] == ["allow", "allow", "warn"]
    assert re.search(r"^11 models: \d+ allow, \d+ warn, \d+ deny", out, re.M)
    code, _, _ = cli("check", "-c", str(EXAMPLE), "--offline", "--fail-on", "never")
    assert code == 0


@pytest.mark.parametrize(("fail_on", "expected"), [("deny", 0), ("warn", 1), ("never", 0)])
def test_fail_on(cli, fail_on, expected):
    code, _, _ = cli(
        "check",
        "-c",
        str(EXAMPLE),
        "--offline",
        "-p",
        "export-caution",
        "--fail-on",
        fail_on,
        "deepseek-ai/DeepSeek-R1",
    )
    assert code == expected


def test_several_policies_and_json_contract(cli):
    code, out, _ = cli(
        "check",
        "-c",
        str(EXAMPLE),
        "--offline",
        "--format",
        "json",
        "-p",
        "openness",
        "-p",
        "commercial",
        "meta-llama/Llama-3.1-8B-Instruct",
    )
    report = json.loads(out)
    assert report["schema_version"] == 1
    assert report["tool"] == {"name": "licensecheck", "version": __version__}
    assert report["postures"] == ["openness", "commercial"]
    assert report["summary"] == {"models": 1, "allow": 0, "warn": 0, "deny": 1}
    (m,) = report["models"]
    assert set(m) >= {
        "id",
        "revision",
        "source",
        "declared",
        "license",
        "publisher",
        "lineage",
        "references",
        "verdicts",
        "verdict",
        "findings",
        "error",
    }
    assert m["source"] == "lockfile"
    assert m["declared"] == {"license": "llama3.1", "license_name": None, "license_link": None}
    assert m["verdicts"] == {"openness": "deny", "commercial": "warn"} and m["verdict"] == "deny"
    facts = m["license"]["licenses"][0]
    assert facts["user_limit"] == 700_000_000 and facts["attribution"] == "Built with Llama"
    assert all(set(f) == {"code", "posture", "severity", "message", "waived"} for f in m["findings"])
    assert code == 1


def test_output_file_is_written(cli, tmp_path):
    out = tmp_path / "report.json"
    code, stdout, _ = cli(
        "check",
        "-c",
        str(EXAMPLE),
        "--offline",
        "--format",
        "json",
        "-o",
        str(out),
        "--fail-on",
        "never",
    )
    assert code == 0 and stdout == ""
    assert len(json.loads(out.read_text())["models"]) == 11


def test_normalize_json(cli):
    code, out, _ = cli("normalize", "--format", "json", "Apache 2.0", "limit", "other", "qwen")
    data = json.loads(out)
    assert [d["input"] for d in data] == ["Apache 2.0", "limit", "other", "qwen"]
    assert [d["expression"] for d in data] == ["Apache-2.0", None, None, "LicenseRef-scancode-qwen-2024"]
    assert set(data[0]) >= {"input", "expression", "method", "licenses"}
    assert code == 0


def test_normalize_text(cli):
    code, out, _ = cli("normalize", "MIT OR gpl-2.0+")
    assert code == 0 and "MIT OR GPL-2.0-or-later" in out and "spdx-expression" in out


def test_explain_licence_and_model(cli):
    code, out, _ = cli("explain", "llama3.1")
    assert code == 0 and "user_limit:" in out and "700,000,000" in out and "source:" in out
    code, out, _ = cli(
        "explain", "-c", str(EXAMPLE), "--offline", "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"
    )
    assert code == 0
    assert "lineage:" in out and "meta-llama/Meta-Llama-3.1-8B-Instruct" in out
    assert "openness: DENY" in out and "commercial: WARN" in out and "export-caution: ALLOW" in out
    assert "base-model-license" in out


def test_policy_list_show_validate(cli, tmp_path):
    code, out, _ = cli("policy", "list")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == [
        "openness",
        "commercial",
        "export-caution",
    ]
    code, out, _ = cli("policy", "show", "commercial")
    assert code == 0 and yaml.safe_load(out)["name"] == "commercial"
    code, _, err = cli("policy", "show", "nope")
    assert code == 2 and "no built-in policy" in err
    good = tmp_path / "p.yaml"
    good.write_text("version: 1\nextends: [openness]\nrules: []\n")
    code, out, _ = cli("policy", "validate", str(good))
    assert code == 0 and "OK" in out


def test_shipped_postures_pass_their_own_cases(cli):
    files = builtin_test_files()
    assert [f.stem for f in files] == ["commercial", "export-caution", "openness"]
    code, out, _ = cli("policy", "test", *map(str, files))
    assert code == 0, out
    assert re.search(r"^(\d+) passed, 0 failed$", out, re.M)


def test_policy_test_reports_a_failing_case(cli, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "version: 1\npolicy: commercial\ncases:\n  - name: wrong on purpose\n    model: a/b\n"
        "    lock: {a/b: {license: mit}}\n    expect: deny\n"
    )
    code, out, _ = cli("policy", "test", str(cases))
    assert code == 1 and "FAIL  wrong on purpose: expected deny, got allow" in out


def test_init_writes_a_valid_config(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = cli("init")
    assert code == 0
    cfg = yaml.safe_load((tmp_path / "licensecheck.yaml").read_text())
    assert cfg["policies"] == ["openness", "commercial", "export-caution"]
    code, _, err = cli("init")
    assert code == 2 and "--force" in err
    # the written config is accepted by check (nothing locked yet: the model is not-in-lockfile)
    code, out, _ = cli("check", "--offline", "--format", "json")
    assert code == 1 and json.loads(out)["models"][0]["error"]["kind"] == "not-in-lockfile"


def test_obligations_for_llama(cli):
    code, out, _ = cli("obligations", "-c", str(EXAMPLE), "--offline", "meta-llama/Llama-3.1-8B-Instruct")
    assert code == 0
    for needle in (
        "license-text",
        '"Built with Llama"',
        'begins with "Llama"',
        "Acceptable Use Policy",
        "700 million",
        "source: https://scancode-licensedb.aboutcode.org/llama-3.1-license-2024.html",
    ):
        assert needle in out, needle


def test_obligations_notice(cli, tmp_path):
    target = tmp_path / "THIRD_PARTY_MODELS.md"
    code, _, _ = cli("obligations", "-c", str(EXAMPLE), "--offline", "--format", "notice", "-o", str(target))
    text = target.read_text()
    assert code == 0 and text.startswith("# Third-party models")
    assert "## meta-llama/Llama-3.1-8B-Instruct" in text and "Built with Llama" in text
    assert "## Qwen/Qwen2.5-3B-Instruct" not in text  # denied by every posture: not shippable


def test_obligations_in_json_report(cli):
    _, out, _ = cli(
        "check",
        "-c",
        str(EXAMPLE),
        "--offline",
        "--format",
        "json",
        "meta-llama/Llama-3.1-8B-Instruct",
    )
    (m,) = json.loads(out)["models"]
    kinds = {o["kind"] for o in m["obligations"]}
    assert {"license-text", "attribution", "naming", "aup", "user-cap"} <= kinds


def _lock(path: Path, models: dict[str, dict[str, object]]) -> None:
    path.write_text(yaml.safe_dump({"version": 1, "models": models}))


def test_baseline_lockfile_only_new_or_relicensed_models_fail(cli, tmp_path):
    base = tmp_path / "base.lock"
    _lock(
        base,
        {
            "a/old-nc": {"license": "cc-by-nc-4.0"},
            "a/relicensed": {"license": "mit"},
            "a/fine": {"license": "mit"},
        },
    )
    now = tmp_path / "licensecheck.lock"
    _lock(
        now,
        {
            "a/old-nc": {"license": "cc-by-nc-4.0"},
            "a/relicensed": {"license": "cc-by-nc-4.0"},
            "a/fine": {"license": "mit"},
            "a/new-nc": {"license": "cc-by-nc-nd-4.0"},
        },
    )
    args = ["check", "--offline", "--lockfile", str(now), "-p", "commercial", "--format", "json"]
    code, out, _ = cli(*args, "--baseline", str(base), "a/old-nc", "a/fine")
    report = json.loads(out)
    assert [m["baseline"] for m in report["models"]] == ["unchanged", "unchanged"]
    assert code == 0  # the old non-commercial model is reported but cannot fail the run
    assert report["models"][0]["verdict"] == "deny"
    code, out, _ = cli(*args, "--baseline", str(base), "a/old-nc", "a/relicensed", "a/new-nc")
    report = json.loads(out)
    assert [m["baseline"] for m in report["models"]] == ["unchanged", "changed", "new"]
    assert code == 1
    assert any(f["code"] == "baseline-new" for f in report["models"][2]["findings"])


def test_baseline_git_ref(cli, tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.fail("git is required")
    repo = tmp_path / "repo"
    repo.mkdir()
    lock = repo / "licensecheck.lock"
    _lock(lock, {"a/old-nc": {"license": "cc-by-nc-4.0"}})
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *cmd], cwd=repo, check=True)
    _lock(lock, {"a/old-nc": {"license": "cc-by-nc-4.0"}, "a/new-nc": {"license": "cc-by-nc-4.0"}})
    args = ["check", "--offline", "--lockfile", str(lock), "-p", "commercial", "--format", "json"]
    code, out, _ = cli(*args, "--baseline", "HEAD", "a/old-nc")
    assert code == 0 and json.loads(out)["models"][0]["baseline"] == "unchanged"
    code, out, _ = cli(*args, "--baseline", "HEAD", "a/old-nc", "a/new-nc")
    assert code == 1
    code, _, err = cli(*args, "--baseline", "no-such-ref", "a/old-nc")
    assert code == 2 and "--baseline" in err


def test_every_code_is_documented_in_the_readme():
    table = README.split("<!-- codes:start -->", 1)[1].split("<!-- codes:end -->", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (rule|engine) \| (.+) \|$", table, re.M)
    assert {code: (source, text) for code, source, text in rows} == {
        code: (c.source, c.description) for code, c in CODES.items()
    }


def test_shipped_rule_codes_are_registered():
    from licensecheck.policy.document import BUILTINS, load_policy

    for name in BUILTINS:
        for rule in load_policy(name).rules:
            assert rule.code in CODES, (name, rule.code)
            assert CODES[rule.code].source == "rule", (name, rule.code)


def test_readme_commands_exist(cli):
    code, out, _ = cli("--help")
    commands = set(re.findall(r"^  ([a-z-]+)\s", out.split("Commands:", 1)[1], re.M))
    assert commands == {"check", "explain", "init", "lock", "normalize", "obligations", "policy", "scan"}
    for cmd in commands:
        assert f"`licensecheck {cmd}" in README, cmd
    code, out, _ = cli("check", "--help")
    assert code == 0
    documented = re.findall(r"^\| `(-[a-z]|--[a-z-]+)", README.split("## Exit codes", 1)[0], re.M)
    assert len(documented) >= 12
    for option in documented:
        assert re.search(rf"(^|[ ,]){re.escape(option)}[ ,=\n]", out, re.M), option


def test_library_api():
    import licensecheck

    res = licensecheck.normalize_license("apache-2.0 OR llama3.1")
    assert res.expression == "Apache-2.0 OR LicenseRef-scancode-llama-3.1-license-2024"
    lock = ROOT / "examples" / "licensecheck.lock"
    report = licensecheck.check(
        ["deepseek-ai/DeepSeek-R1", "THUDM/glm-4-9b-chat"], ["export-caution"], lockfile=lock, offline=True
    )
    assert [m.verdicts["export-caution"] for m in report.models] == ["warn", "deny"]
    assert licensecheck.normalize_license("mit").expression == "MIT"  # the function is not shadowed
