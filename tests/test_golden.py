"""Golden files: the exact text, Markdown and `explain` output for the examples (examples/ folder).

Each case runs the CLI offline on the committed example config and lockfile, from the repository root,
and compares its stdout with tests/golden/NAME.txt byte for byte. A change of wording, order or verdict
shows up as a diff to review. After an intended change, rewrite the files and review `git diff`:

    python -m pytest tests/test_golden.py --update-golden      (or LICENSECHECK_UPDATE_GOLDEN=1)

The tool's version is written as <VERSION>, so a release does not touch the files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from licensecheck import __version__
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
CONFIG = ["-c", "examples/licensecheck.yaml", "--offline"]

CASES: dict[str, tuple[int, list[str]]] = {
    # name: (exit code, arguments)
    "check-text": (1, ["check", *CONFIG]),
    "check-text-verbose": (1, ["check", *CONFIG, "-v"]),
    "check-markdown": (1, ["check", *CONFIG, "--format", "markdown"]),
    "check-text-commercial-distribute": (1, ["check", *CONFIG, "-p", "commercial", "--use", "distribute"]),
    "explain-deepseek-r1": (0, ["explain", *CONFIG, "deepseek-ai/DeepSeek-R1"]),
    "explain-llama-gguf-reupload": (0, ["explain", *CONFIG, "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"]),
    "explain-glm-4": (0, ["explain", *CONFIG, "THUDM/glm-4-9b-chat"]),
    "explain-licence-llama3.1": (0, ["explain", "llama3.1"]),
}


def _updating(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-golden")) or os.environ.get("LICENSECHECK_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", list(CASES))
def test_output_matches_its_golden_file(
    name: str, cli: Cli, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(ROOT)
    expected_code, args = CASES[name]
    code, out, err = cli(*args)
    assert code == expected_code, err
    text = out.replace(__version__, "<VERSION>")
    path = GOLDEN / f"{name}.txt"
    if _updating(request.config):
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path.name}: run pytest with --update-golden, then review it"
    assert text == path.read_text(encoding="utf-8"), f"{name}: output differs from {path.name}"


def test_every_golden_file_belongs_to_a_case() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(CASES)
