"""`licensecheck scan` through the CLI: --list, offline judging from a lockfile, SARIF locations."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from licensecheck.scan import scan_paths
from tests.conftest import invoke
from tests.fakehub import FakeHub

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "tests" / "data" / "scan"
LOCK = ROOT / "examples" / "licensecheck.lock"

# Every reference in tests/data/scan/train.yaml, in order; its look-alikes (datasets, a space link, a
# MIME type, local paths, an npm scope, a container image, a value under a non-model key) print nothing.
TRAIN_YAML_LIST = """\
tests/data/scan/train.yaml:2: meta-llama/Meta-Llama-3-8B
tests/data/scan/train.yaml:3: mistralai/Mistral-7B-Instruct-v0.3
tests/data/scan/train.yaml:11: Qwen/Qwen2.5-72B-Instruct
tests/data/scan/train.yaml:14: OpenAssistant/reward-model-deberta-v3-large-v2
tests/data/scan/train.yaml:15: weqweasdas/hh_rlhf_rm_open_llama_3b
tests/data/scan/train.yaml:18: prometheus-eval/prometheus-7b-v2.0
tests/data/scan/train.yaml:21: google/gemma-7b
tests/data/scan/train.yaml:23: acme-ai/llama-sft-release
tests/data/scan/train.yaml:35: google-bert/bert-base-uncased
"""

# A project file: a locked, allowed model and a locked model openness denies (both twice), an unlocked one.
TRAIN_PY = """\
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

BASE = "deepseek-ai/DeepSeek-R1"
tokenizer = AutoTokenizer.from_pretrained(BASE)
model = AutoModelForCausalLM.from_pretrained("deepseek-ai/DeepSeek-R1")
chat = pipeline("text-generation", model="meta-llama/Llama-3.1-8B-Instruct")
draft = AutoModelForCausalLM.from_pretrained("acme-ai/brand-new-model")
chat_tokenizer = AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")
"""
LINES = {
    "deepseek-ai/DeepSeek-R1": [3, 5],
    "meta-llama/Llama-3.1-8B-Instruct": [6, 8],
    "acme-ai/brand-new-model": [7],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the example lockfile and train.py; no config (so -p chooses the postures)."""
    shutil.copy(LOCK, tmp_path / "licensecheck.lock")
    (tmp_path / "train.py").write_text(TRAIN_PY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- --list ----------------------------------------------------------------------------------------


def test_list_prints_exact_lines_for_a_fixture(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = cli("scan", "--list", "--offline", "tests/data/scan/train.yaml")
    assert code == 0 and err == ""
    assert out == TRAIN_YAML_LIST


def test_list_over_the_fixture_folder(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = invoke("scan", "--list", "--offline", "tests/data/scan")
    assert code == 0
    lines = out.splitlines()
    shape = re.compile(r"^tests/data/scan/[\w.]+:[1-9]\d*: [\w.-]+/[\w.-]+(@[\w./-]+)?$")
    assert lines and all(shape.match(line) for line in lines), lines
    # one line per reference of the API, in its order; every fixture language contributes
    expected = [f"{r.file}:{r.line}: {r.model}" for r in scan_paths([Path("tests/data/scan")])]
    assert lines == expected
    files = {line.split(":", 1)[0].rsplit("/", 1)[1] for line in lines}
    assert files == {p.name for p in SCAN.iterdir() if p.is_file()}
    assert set(TRAIN_YAML_LIST.splitlines()) <= set(lines)


def test_list_judges_nothing_and_needs_no_lockfile(project: Path, cli) -> None:
    (project / "licensecheck.lock").unlink()
    code, out, err = cli("scan", "--list", "train.py")
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"train.py:{line}: {model}"
        for model, line in sorted(((m, n) for m, ns in LINES.items() for n in ns), key=lambda x: x[1])
    ]


# -- judging offline -------------------------------------------------------------------------------


def test_offline_scan_judges_locked_refs_and_denies_unlocked(project: Path, cli) -> None:
    code, out, _ = cli("scan", "--offline", "-p", "openness", "--format", "json", "train.py")
    assert code == 1
    models = {m["id"]: m for m in json.loads(out)["models"]}
    assert set(models) == set(LINES)
    for model_id, lines in LINES.items():
        assert models[model_id]["references"] == [{"file": "train.py", "line": n} for n in lines]
    assert models["deepseek-ai/DeepSeek-R1"]["verdict"] == "allow"
    assert models["deepseek-ai/DeepSeek-R1"]["source"] == "lockfile"
    llama = models["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["verdict"] == "deny" and "not-open" in {f["code"] for f in llama["findings"]}
    new = models["acme-ai/brand-new-model"]
    assert new["error"]["kind"] == "not-in-lockfile"
    assert "licensecheck lock" in new["error"]["message"]
    assert new["verdict"] == "deny"
    assert [(f["code"], f["severity"]) for f in new["findings"]] == [("unresolved", "deny")]


def test_offline_text_names_the_model_its_place_and_the_fix(project: Path, cli) -> None:
    code, out, err = cli("scan", "--offline", "-p", "openness", "train.py")
    assert code == 1
    row = next(line for line in out.splitlines() if line.startswith("acme-ai/brand-new-model "))
    assert "not-in-lockfile" in row and row.split()[-1] == "deny"
    assert "run `licensecheck lock acme-ai/brand-new-model` to add it" in " ".join(out.split())  # wrapped
    # stderr: where the unlocked reference is, and a lock command that really adds it
    assert "1 referenced model not in licensecheck.lock:" in err
    assert "  train.py:7: acme-ai/brand-new-model" in err
    assert "  licensecheck lock acme-ai/brand-new-model\n" in err
    assert "DeepSeek" not in err and "Llama" not in err


def test_the_fix_command_keeps_the_config_and_lockfile_options(project: Path, cli) -> None:
    (project / "ci").mkdir()
    (project / "licensecheck.lock").rename(project / "ci" / "models.lock")
    (project / "lc.yaml").write_text("policies: [openness]\n")
    code, _, err = cli("scan", "--offline", "-c", "lc.yaml", "--lockfile", "ci/models.lock", "train.py")
    assert code == 1
    assert "not in ci/models.lock" in err
    assert "licensecheck lock -c lc.yaml --lockfile ci/models.lock acme-ai/brand-new-model" in err


def test_a_locked_allowed_reference_passes(project: Path, cli) -> None:
    (project / "train.py").write_text(TRAIN_PY.splitlines(keepends=True)[2])  # BASE = "deepseek-ai/..."
    (project / "app.py").write_text(
        'from transformers import pipeline\npipeline(model="deepseek-ai/DeepSeek-R1")\n'
    )
    code, out, err = cli("scan", "--offline", "-p", "openness", "train.py", "app.py")
    assert code == 0, out + err
    assert "1 model: 1 allow, 0 warn, 0 deny" in out
    assert "licensecheck lock" not in out + err


def test_hf_hub_offline_env_means_offline(project: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, out, _ = cli("scan", "-p", "openness", "--format", "json", "train.py")
    assert code == 1
    kinds = {m["id"]: (m["error"] or {}).get("kind") for m in json.loads(out)["models"]}
    assert kinds == {
        "deepseek-ai/DeepSeek-R1": None,
        "meta-llama/Llama-3.1-8B-Instruct": None,
        "acme-ai/brand-new-model": "not-in-lockfile",
    }


def test_fail_on_never_and_no_references(project: Path, cli) -> None:
    code, _, _ = cli("scan", "--offline", "-p", "openness", "--fail-on", "never", "train.py")
    assert code == 0
    (project / "empty.py").write_text("print('no models here')\n")
    code, out, err = cli("scan", "--offline", "empty.py")
    assert code == 0 and out == "" and "no model references found" in err


# -- SARIF -----------------------------------------------------------------------------------------


def test_sarif_results_are_located_at_the_referencing_lines(project: Path, cli) -> None:
    report = project / "out" / "scan.sarif"
    code, out, _ = cli(
        "scan", "--offline", "-p", "openness", "--format", "sarif", "-o", str(report), "train.py"
    )
    assert code == 1 and out == ""
    doc = json.loads(report.read_text())
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    by_model: dict[str, list[tuple[str, str, int]]] = {}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        for loc in result["locations"]:
            phys = loc["physicalLocation"]
            by_model.setdefault(result["properties"]["model"], []).append(
                (result["ruleId"], phys["artifactLocation"]["uri"], phys["region"]["startLine"])
            )
    # allowed models produce no result; each failing finding points at every line naming its model
    assert by_model == {
        "meta-llama/Llama-3.1-8B-Instruct": [("not-open", "train.py", 6), ("not-open", "train.py", 8)],
        "acme-ai/brand-new-model": [("unresolved", "train.py", 7)],
    }
    unresolved = next(r for r in run_["results"] if r["ruleId"] == "unresolved")
    assert unresolved["level"] == "error"
    assert "licensecheck lock" in unresolved["message"]["text"]


# -- default files, reasons, settling weak candidates ----------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _tree(root: Path) -> None:
    """A project with references in a tracked file, an untracked one, an ignored one and in the
    folders scan never reads (a virtualenv, node_modules, build output, a cache)."""
    (root / "train.py").write_text('X.from_pretrained("acme/tracked")\n')
    (root / "app.yaml").write_text("model: acme/untracked\n")
    (root / "secret.py").write_text('X.from_pretrained("acme/ignored")\n')
    (root / ".gitignore").write_text("secret.py\n")
    for skipped in (".venv/lib", "venv", "node_modules/pkg", "build", "dist", "__pycache__", ".tox"):
        (root / skipped).mkdir(parents=True)
        (root / skipped / "x.py").write_text('X.from_pretrained("acme/skipped")\n')


def test_default_files_are_gits_view_relative_to_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "train.py", ".gitignore", ".venv/lib/x.py")  # even a tracked venv file is skipped
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("scan", "--list", "--offline")
    assert code == 0, err
    assert out.splitlines() == ["app.yaml:1: acme/untracked", "train.py:1: acme/tracked"]


def test_default_files_outside_git_walk_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("scan", "--list", "--offline")
    assert code == 0
    assert out.splitlines() == [
        "app.yaml:1: acme/untracked",
        "secret.py:1: acme/ignored",  # no git: nothing says it is ignored
        "train.py:1: acme/tracked",
    ]


def test_config_globs_print_paths_relative_to_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    (tmp_path / "licensecheck.yaml").write_text("scan: ['*.py']\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("scan", "--list", "--offline")
    assert code == 0
    assert out.splitlines() == ["secret.py:1: acme/ignored", "train.py:1: acme/tracked"]


def test_list_verbose_says_why(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "models.py").write_text('MODELS = ["acme/a"]\nX.from_pretrained("acme/b")\n')
    code, out, _ = invoke("scan", "--list", "-v", "--offline", "models.py")
    assert code == 0
    assert out.splitlines() == [
        "models.py:1: acme/a  (assigned to MODELS)",
        "models.py:2: acme/b  (argument of from_pretrained())",
    ]


def test_offline_the_lockfile_and_publishers_settle_weak_candidates(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # bartowski is an organisation of the lockfile, google a publisher; acme is neither
    (project / "NOTES.md").write_text(
        "- bartowski/Some-Model-GGUF\n- google/some-model-2b\n- acme/other-model-1\n- CPU/GPU and/or\n"
    )
    code, out, _ = invoke("scan", "--list", "--offline", "NOTES.md")
    assert code == 0
    assert out.splitlines() == ["NOTES.md:1: bartowski/Some-Model-GGUF", "NOTES.md:2: google/some-model-2b"]


def test_online_the_hub_confirms_uncertain_candidates_once_each(
    project: Path, fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("acme/real-model-1", {"license": "mit"})
    (project / "NOTES.md").write_text("- acme/real-model-1\n- acme/not-there-2\n- acme/real-model-1 again\n")
    code, out, _ = invoke("scan", "--list", "NOTES.md")
    assert code == 0
    assert out.splitlines() == ["NOTES.md:1: acme/real-model-1", "NOTES.md:3: acme/real-model-1"]
    asked = [path for _, path in fakehub.requests if "/api/models/acme/" in path]
    assert len([p for p in asked if "real-model-1" in p]) == 1
    assert len([p for p in asked if "not-there-2" in p]) >= 1
    code, out, _ = invoke("scan", "--list", "NOTES.md")  # the second run is answered by the cache
    assert len([p for _, p in fakehub.requests if "real-model-1" in p]) == 1


@pytest.mark.parametrize(
    ("fmt", "shown"), [("text", "(train.py:6, train.py:8):"), ("markdown", "(`train.py:6`, `train.py:8`)")]
)
def test_text_and_markdown_findings_name_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str, shown: str
) -> None:
    code, out, _ = invoke("scan", "--offline", "-p", "openness", "--format", fmt, "train.py")
    assert code == 1
    assert f"meta-llama/Llama-3.1-8B-Instruct{'**' if fmt == 'markdown' else ''} {shown}" in out
