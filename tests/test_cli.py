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


# ---- issue 13: reports and commands as a reviewer reads them ---------------------------------------
CONFIG_ARGS = ["-c", "examples/licensecheck.yaml", "--offline"]


def _baseline_locks(tmp_path: Path) -> list[str]:
    base = tmp_path / "base.lock"
    _lock(base, {"a/old-nc": {"license": "cc-by-nc-4.0"}, "a/relicensed": {"license": "mit"}})
    now = tmp_path / "licensecheck.lock"
    _lock(
        now,
        {
            "a/old-nc": {"license": "cc-by-nc-4.0"},
            "a/relicensed": {"license": "cc-by-nc-4.0"},
            "a/new-nc": {"license": "cc-by-nc-nd-4.0"},
        },
    )
    return ["check", "--offline", "--lockfile", str(now), "-p", "commercial", "--baseline", str(base)]


def test_baseline_runs_mark_new_relicensed_and_exempt_models(cli, tmp_path):
    args = _baseline_locks(tmp_path)
    code, out, _ = cli(*args, "a/old-nc", "a/relicensed", "a/new-nc")
    assert code == 1
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:4]}
    assert out.splitlines()[0].split()[-1] == "BASELINE"
    assert rows["a/old-nc"][-1] == "exempt"
    assert rows["a/relicensed"][-1] == "relicensed"
    assert rows["a/new-nc"][-1] == "new"
    assert "a/old-nc [exempt]:" in out and "a/new-nc [new]:" in out
    assert "baseline: 2 new or relicensed (can fail the run), 1 exempt (unchanged since the baseline)" in out
    code, md, _ = cli(*args, "--format", "markdown", "a/old-nc", "a/relicensed", "a/new-nc")
    assert "Baseline: 2 new or relicensed (can fail the run), 1 exempt (unchanged)." in md
    assert "| model | licence | commercial | baseline |" in md
    assert "- **a/relicensed** *relicensed*" in md
    # without --baseline, no column and no mark
    code, out, _ = cli("check", "--offline", "--lockfile", str(tmp_path / "licensecheck.lock"), "a/new-nc")
    assert "BASELINE" not in out and "[new]" not in out and "baseline:" not in out


def test_check_findings_name_the_config_line_of_each_model(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    lines = (ROOT / "examples" / "licensecheck.yaml").read_text().splitlines()
    where = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("- THUDM/glm-4-9b-chat"))
    _, out, _ = cli("check", *CONFIG_ARGS, "-p", "export-caution")
    assert f"THUDM/glm-4-9b-chat (examples/licensecheck.yaml:{where}):" in out
    _, md, _ = cli("check", *CONFIG_ARGS, "-p", "export-caution", "--format", "markdown")
    assert f"- **THUDM/glm-4-9b-chat** (`examples/licensecheck.yaml:{where}`)" in md
    _, sarif, _ = cli("check", *CONFIG_ARGS, "-p", "export-caution", "--format", "sarif")
    results = json.loads(sarif)["runs"][0]["results"]
    glm = [r for r in results if r["properties"]["model"] == "THUDM/glm-4-9b-chat"]
    assert glm
    for r in glm:
        (loc,) = r["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "examples/licensecheck.yaml"
        assert loc["physicalLocation"]["region"]["startLine"] == where


def test_scan_findings_name_the_reference_lines(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "licensecheck.lock", tmp_path / "licensecheck.lock")
    (tmp_path / "app.py").write_text(
        'from transformers import AutoModel\n\nAutoModel.from_pretrained("THUDM/glm-4-9b-chat")\n'
    )
    code, out, _ = cli("scan", "--offline", "-p", "export-caution", "app.py")
    assert code == 1
    assert "THUDM/glm-4-9b-chat (app.py:3):" in out
    _, md, _ = cli("scan", "--offline", "-p", "export-caution", "--format", "markdown", "app.py")
    assert "- **THUDM/glm-4-9b-chat** (`app.py:3`)" in md


def test_text_output_shows_conditions_once_and_merges_direct_and_base_findings(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("check", *CONFIG_ARGS)
    llama = out.split("meta-llama/Llama-3.1-8B-Instruct (", 1)[1].split("\nQwen/", 1)[0]
    flat = " ".join(llama.split())
    assert flat.count("user cap 700,000,000 monthly active users") == 1  # once, not per posture
    assert "conditions: user cap 700,000,000" in flat
    qwen = out.split("Qwen/Qwen2.5-3B-Instruct (", 1)[1].split("\nTHUDM/", 1)[0]
    assert qwen.count("jurisdiction-of-concern") == 1
    assert "in a country of concern (directly and via base model Qwen/Qwen2.5-3B)" in " ".join(qwen.split())
    # every line of the findings fits 100 columns (the table above them is as wide as its cells)
    details = out.split("\n\n", 1)[1]
    assert max(len(line) for line in details.splitlines()) <= 100
    # the JSON keeps each finding whole
    _, js, _ = cli("check", *CONFIG_ARGS, "--format", "json")
    m = next(m for m in json.loads(js)["models"] if m["id"] == "Qwen/Qwen2.5-3B-Instruct")
    assert sum(f["code"] == "jurisdiction-of-concern" for f in m["findings"]) == 2


def test_text_output_names_the_config_and_lockfile(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("check", *CONFIG_ARGS)
    assert out.rstrip().splitlines()[-1] == (
        "inputs: config examples/licensecheck.yaml, lockfile examples/licensecheck.lock"
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n")
    _, out, _ = cli("check", "--offline", "-p", "openness", "README.md")
    assert out.rstrip().splitlines()[-1] == "inputs: no config, no lockfile (licensecheck.lock not found)"


def test_progress_bar_clears_itself_and_never_counts_backwards():
    import io

    from licensecheck.cli.wiring import ProgressBar

    out = io.StringIO()
    bar = ProgressBar(out)
    seen: list[tuple[int, int]] = []
    for done, total in [(1, 4), (2, 4), (3, 4), (5, 3), (6, 3), (4, 4)]:  # a second, smaller batch
        bar(done, total)
        seen.append((bar.done, bar.total))
    assert seen == sorted(seen)  # done and total only grow
    assert all(d <= t for d, t in seen)
    frames = [f for f in out.getvalue().split("\r") if f.strip()]
    fills = [f.count("#") for f in frames]
    assert fills == sorted(fills)  # the bar never shrinks
    assert out.getvalue().endswith("\r")  # wiped: the line is blank and the cursor at its start
    last = out.getvalue().rsplit("\r", 2)[-2]
    assert last.strip() == ""
    bar.clear()  # clearing twice writes nothing more
    assert out.getvalue().endswith("\r")


def test_verbose_shows_the_rule_trace(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("check", *CONFIG_ARGS, "-v")
    assert (
        "trace  openness: base model Qwen/Qwen2.5-72B (finetune, LicenseRef-scancode-qwen-2024) -> deny"
        in out
    )
    _, quiet, _ = cli("check", *CONFIG_ARGS)
    assert "trace " not in quiet
    _, help_text, _ = cli("check", "--help")
    assert "rule trace" in help_text  # what -v promises is what it shows


def test_explain_of_an_unknown_licence_exits_1_with_a_hint(cli):
    code, out, err = cli("explain", "lama3.1")
    assert code == 1
    assert "(unidentified)" in out
    assert "did you mean 'llama3.1'?" in err and "SPDX id" in err
    code, out, err = cli("explain", "llama3.1")
    assert code == 0 and err == ""


def _walk(command, path):
    import click

    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _walk(sub, [*path, name])


def test_every_option_and_argument_has_help_text():
    import click

    from licensecheck.cli import cli as group

    missing = []
    for path, command in _walk(group, ["licensecheck"]):
        assert command.help, f"{' '.join(path)} has no help"
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            if not (getattr(param, "help", None) or "").strip():
                missing.append(f"{' '.join(path)} {param.name}")
        assert isinstance(command, (click.Group, click.Command))
    assert missing == []


def test_policy_help_lists_test(cli):
    code, out, _ = cli("policy", "--help")
    assert code == 0
    assert re.search(r"^\s+test\s+Run policy test cases", out, re.M)
    assert "validate and test" in out


def test_arguments_are_listed_in_help(cli):
    _, out, _ = cli("check", "--help")
    assert "[TARGETS]..." in out and "a model folder" in out
    _, out, _ = cli("policy", "show", "--help")
    assert "NAME" in out and "A built-in posture" in out


def test_an_empty_card_or_unusable_license_says_what_to_add(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("# a model with no front matter\n")
    (tmp_path / "number").mkdir()
    (tmp_path / "number" / "README.md").write_text("---\nlicense: 42\n---\n")
    _, out, _ = cli(
        "check",
        "--offline",
        "-p",
        "openness",
        "--format",
        "json",
        str(tmp_path / "empty"),
        str(tmp_path / "number"),
    )
    empty, number = (m["findings"] for m in json.loads(out)["models"])
    (e,) = [f for f in empty if f["code"] == "license-unknown"]
    assert "unidentified" in e["message"]
    assert "add `license:` to the model card, or a `clarify` entry" in e["message"]
    (n,) = [f for f in number if f["code"] == "license-unknown"]
    assert "give `license:` in the model card a Hub licence id or an SPDX expression" in n["message"]
    assert "`clarify` entry" in n["message"]


def test_identified_licence_without_category_is_told_apart(cli, tmp_path):
    (tmp_path / "card.md").write_text("---\nlicense: LicenseRef-acme-model\n---\n")
    (tmp_path / "none.md").write_text("---\ntags: [x]\n---\n")
    args = ["check", "--offline", "-p", "openness", str(tmp_path / "card.md"), str(tmp_path / "none.md")]
    _, out, _ = cli(*args)
    assert "LicenseRef-acme-model (category unknown)" in out
    flat = " ".join(out.split())
    assert "LicenseRef-acme-model is identified, category unknown" in flat
    assert "the licence is unidentified" in flat
    _, md, _ = cli(*args, "--format", "markdown")
    assert "`LicenseRef-acme-model` (identified, category unknown)" in md
    assert "*unidentified*" in md
    _, page, _ = cli(*args, "--format", "html")
    assert "<td>identified, category unknown</td>" in page
    assert "identified, category unknown: 1 deny" in page  # the chart's description
    assert "unidentified: 1 deny" in page
    _, js, _ = cli(*args, "--format", "json")
    messages = [f["message"] for m in json.loads(js)["models"] for f in m["findings"]]
    assert any("identified, category unknown" in msg for msg in messages)


def test_unknown_policy_name_is_a_usage_error_without_a_position(cli):
    code, out, err = cli("check", "--offline", "-p", "opennes", "deepseek-ai/DeepSeek-R1")
    assert code == 2 and out == ""
    assert "Invalid value for '-p' / '--policy'" in err
    assert "did you mean 'openness'?" in err
    assert ":1:1:" not in err and "policy problem" not in err


def test_yaml_syntax_error_in_the_config_is_a_config_error(cli, tmp_path):
    cfg = tmp_path / "licensecheck.yaml"
    cfg.write_text("models: [a/b\n")
    code, out, err = cli("check", "--offline", "-c", str(cfg))
    assert code == 2 and out == ""
    assert f"{cfg}:2:1:" in err
    assert "licensecheck: 1 config problem; nothing was judged" in err
    assert "policy" not in err


def test_plurals():
    from licensecheck.render.context import plural

    assert plural(0, "model") == "0 models"
    assert plural(1, "model") == "1 model"
    assert plural(2, "model") == "2 models"
    assert plural(1, "policy file") == "1 policy file"
    assert plural(3, "entry", "entries") == "3 entries"


def test_one_model_is_counted_in_the_singular(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("check", *CONFIG_ARGS, "deepseek-ai/DeepSeek-R1")
    assert "\n1 model: 0 allow, 1 warn, 0 deny" in out
    _, md, _ = cli("check", *CONFIG_ARGS, "deepseek-ai/DeepSeek-R1", "--format", "markdown")
    assert "1 model checked against" in md


def test_license_changed_says_to_run_lock(tmp_path):
    from licensecheck.engine.audit import _changed
    from licensecheck.engine.inputs import Sources
    from licensecheck.model import Declared, ModelMeta

    meta = ModelMeta("a/m", repo_id="a/m", source="hub", declared=Declared("apache-2.0"))
    sources = Sources(models=lambda ids: {}, locked_license=lambda rid: ("mit", None, None))
    (finding,) = _changed(meta, sources, ["openness"])
    assert finding.code == "license-changed"
    assert "run `licensecheck lock`" in finding.message


def test_markdown_and_html_name_licences_and_link_them(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = ["check", *CONFIG_ARGS, "meta-llama/Llama-3.1-8B-Instruct", "mistralai/Mistral-7B-v0.1"]
    _, md, _ = cli(*args, "--format", "markdown")
    assert (
        "| meta-llama/Llama-3.1-8B-Instruct | Llama 3.1 Community License Agreement "
        "(`LicenseRef-scancode-llama-3.1-license-2024`) |" in md
    )
    assert "| mistralai/Mistral-7B-v0.1 | Apache License 2.0 (`Apache-2.0`) |" in md
    _, page, _ = cli(*args, "--format", "html")
    assert (
        '<a href="https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct" rel="noopener noreferrer">'
        "meta-llama/Llama-3.1-8B-Instruct</a>" in page
    )
    assert re.search(
        r'<a href="https://[^"]*llama3_1/license" rel="noopener noreferrer">Llama 3.1 Community', page
    )
    assert (
        '<a href="https://spdx.org/licenses/Apache-2.0.html" rel="noopener noreferrer">Apache License 2.0</a>'
        in page
    )


def test_html_does_not_link_local_models(cli, tmp_path):
    (tmp_path / "card.md").write_text("---\nlicense: mit\n---\n")
    _, page, _ = cli("check", "--offline", "-p", "openness", "--format", "html", str(tmp_path / "card.md"))
    assert "huggingface.co" not in page.split('id="licensecheck-report"')[0]


def test_publisher_named_like_its_org_is_printed_once(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("explain", *CONFIG_ARGS, "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF")
    assert "  publisher:  bartowski\n" in out
    from licensecheck.engine.explain import _publisher_line
    from licensecheck.model import Publisher

    assert _publisher_line(Publisher("acme", "Acme", "US")) == "acme US"
    assert _publisher_line(Publisher("deepseek-ai", "DeepSeek", "CN")) == "deepseek-ai DeepSeek CN"
