"""The engine's one entry point: typed options in, a report out; progress through a callback; the CLI
and the library are the same run, and commands return their exit code (only main() exits)."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest

import licensecheck
from licensecheck.cli import cli as cli_group
from licensecheck.cli.wiring import progress_bar
from licensecheck.engine.audit import Options, fails, model_fails, run_audit
from licensecheck.errors import LicensecheckError
from tests.conftest import Cli
from tests.fakehub import FakeHub

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_LOCK = ROOT / "examples" / "licensecheck.lock"


def test_options_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Options().offline = True  # type: ignore[misc]


def test_run_audit_judges_offline_from_the_lockfile_alone() -> None:
    report = run_audit(
        Options(
            targets=("deepseek-ai/DeepSeek-R1", "mistralai/Mistral-7B-v0.1"),
            policies=("openness",),
            lockfile=EXAMPLE_LOCK,
            offline=True,
            discover_config=False,
        )
    )
    assert report.postures == ("openness",)
    assert [m.verdicts["openness"] for m in report.models] == ["allow", "allow"]
    assert not fails(report, "deny")


def test_the_library_and_the_cli_give_the_same_verdicts(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no config to discover
    shutil.copy(EXAMPLE_LOCK, tmp_path / "licensecheck.lock")
    ids = ["meta-llama/Llama-3.1-8B-Instruct", "THUDM/glm-4-9b-chat", "Qwen/Qwen2.5-3B-Instruct"]
    report = licensecheck.check(ids, ["commercial", "export-caution"], offline=True)
    code, out, _ = cli(
        "check", "--offline", "-p", "commercial", "-p", "export-caution", "--format", "json", *ids
    )
    from_cli = {m["id"]: m["verdicts"] for m in json.loads(out)["models"]}
    assert {m.meta.id: m.verdicts for m in report.models} == from_cli
    assert code == (1 if fails(report, "deny") else 0) == 1


def test_fail_on_counts_only_gating_models_and_warn_notices() -> None:
    report = run_audit(
        Options(
            targets=("Qwen/Qwen2.5-72B-Instruct",),
            policies=("commercial",),
            lockfile=EXAMPLE_LOCK,
            offline=True,
            discover_config=False,
        )
    )
    (model,) = report.models
    assert model.verdict == "warn"
    assert not model_fails(model, "deny") and model_fails(model, "warn") and not model_fails(model, "never")


def test_progress_is_reported_per_request_to_the_callback(fakehub: FakeHub, tmp_path: Path) -> None:
    for i in range(5):
        fakehub.add_model(f"org/m{i}", {"license": "mit"})
    seen: list[tuple[int, int]] = []
    report = run_audit(
        Options(
            targets=tuple(f"org/m{i}" for i in range(5)),
            policies=("openness",),
            lockfile=tmp_path / "none.lock",
            use_cache=False,
            discover_config=False,
        ),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(report.models) == 5
    assert sorted(seen) == [(i, 5) for i in range(1, 6)]
    assert fakehub.count("/api/models/org/m") == 5


def test_the_cli_draws_the_bar_and_only_on_a_terminal() -> None:
    out = io.StringIO()
    draw = progress_bar(out)
    assert draw is not None
    draw(1, 4)
    draw(4, 4)
    bar = f"[{'#' * 30}] 4/4"
    assert out.getvalue() == f"\r[{'#' * 7}{'.' * 23}] 1/4\r{bar}\r{' ' * len(bar)}\r"  # wiped when done
    assert progress_bar() is None  # pytest's stderr is not a terminal


def test_commands_return_their_exit_code_and_do_not_exit(tmp_path: Path) -> None:
    args = ["check", "--offline", "--lockfile", str(EXAMPLE_LOCK), "-p", "commercial"]
    assert cli_group.main([*args, "Qwen/Qwen2.5-3B-Instruct"], standalone_mode=False) == 1
    assert cli_group.main([*args, "mistralai/Mistral-7B-v0.1"], standalone_mode=False) == 0


def test_nothing_to_check_is_an_error_of_the_engine(tmp_path: Path) -> None:
    with pytest.raises(LicensecheckError, match="nothing to check"):
        run_audit(Options(lockfile=tmp_path / "none.lock", offline=True, discover_config=False))
