"""The README's examples are the real thing: each shown output is regenerated from its command, and each
Python example runs.

In README.md, a block of output is marked by the command that produces it, on the line before its fence:

    <!-- output: licensecheck check -c examples/licensecheck.yaml --offline ... -->
    ```text
    ...what the command prints...
    ```

The test runs each command in-process from the repository root (every one offline, over examples/) and
compares its stdout with the block; the tool's version is masked on both sides. After an intended change
rewrite the blocks, then review `git diff README.md`:

    LICENSECHECK_UPDATE_README=1 python -m pytest tests/test_readme.py     (or --update-golden)

A Python block after `<!-- run: python ... -->` is executed as it stands, from the repository root.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
OUTPUT = re.compile(r"<!-- output: (?P<cmd>[^\n]*?) -->\n```(?P<lang>[a-z]*)\n(?P<body>.*?)```", re.DOTALL)
RUN = re.compile(r"<!-- run: python[^\n]*-->\n```python\n(?P<body>.*?)```", re.DOTALL)
VERSION = re.compile(r"\blicensecheck \d+\.\d+[^\s;<]*")


def _blocks() -> list[re.Match[str]]:
    return list(OUTPUT.finditer(README.read_text(encoding="utf-8")))


def _commands() -> list[str]:
    return [m["cmd"] for m in _blocks()]


def _updating(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-golden")) or os.environ.get("LICENSECHECK_UPDATE_README") == "1"


def _masked(text: str) -> str:
    return VERSION.sub("licensecheck <VERSION>", text)


def test_the_readme_marks_its_examples() -> None:
    commands = _commands()
    assert len(commands) >= 4
    assert len(set(commands)) == len(commands), "each command once"
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "licensecheck"
        assert "--offline" in words or words[1] in ("normalize", "policy"), f"runs offline: {command}"
    assert len(RUN.findall(README.read_text(encoding="utf-8"))) >= 1


@pytest.mark.parametrize("command", _commands())
def test_each_shown_output_is_what_its_command_prints(
    command: str, cli: Cli, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = cli(*shlex.split(command)[1:])
    assert code in (0, 1), err
    assert "```" not in out
    text = README.read_text(encoding="utf-8")
    block = next(m for m in OUTPUT.finditer(text) if m["cmd"] == command)
    if _updating(request.config):
        text = text[: block.start("body")] + out + text[block.end("body") :]
        README.write_text(text, encoding="utf-8", newline="\n")
        block = next(m for m in OUTPUT.finditer(text) if m["cmd"] == command)
    assert _masked(block["body"]) == _masked(out), (
        f"README.md drifted from `{command}`: rerun with LICENSECHECK_UPDATE_README=1 and review the diff"
    )


def test_the_library_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    blocks = RUN.findall(README.read_text(encoding="utf-8"))
    for body in blocks:
        exec(compile(body, "README.md", "exec"), {"__name__": "readme_example"})
    printed = capsys.readouterr().out
    assert "Qwen/Qwen2.5-3B-Instruct" in printed  # the example printed the denied models


def test_the_library_report_is_the_json_format(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import licensecheck

    monkeypatch.chdir(ROOT)
    report = licensecheck.check(config="examples/licensecheck.yaml", offline=True)
    code, out, err = cli("check", "-c", "examples/licensecheck.yaml", "--offline", "--format", "json")
    assert code == 1, err
    assert report.to_dict() == json.loads(out)
    # targets and policies None mean the config's; given, they replace them
    assert [m.meta.id for m in report.models][:2] == [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
    ]
    assert report.postures == ("openness", "commercial", "export-caution")
    one = licensecheck.check(
        ["Qwen/Qwen2.5-3B-Instruct"], ["commercial"], config="examples/licensecheck.yaml", offline=True
    )
    assert one.postures == ("commercial",)
    assert one.models[0].verdict == "deny"
