"""Issue 12: what a hostile card, lockfile, file name or pull request can do, each hole with its test.

Sections: output a card can forge; hidden base models (lineage); the publisher; card fields;
exhaustion (size and node caps); files (parallel lock, symlinked lockfile, policy-test paths, baseline).
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.cli import main
from licensecheck.render.context import printable

LIMIT_S = 10.0  # a bound on hostile input, not a benchmark: every case takes well under it


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(*args: str) -> Run:
    """The CLI in-process: exit code, stdout, stderr; never a traceback, always in bounded time."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
        main(list(args))
    assert time.perf_counter() - start < LIMIT_S
    result = Run(int(exc.value.code or 0), out.getvalue(), err.getvalue())
    assert "Traceback" not in result.out + result.err
    return result


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


def write_card(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(body, encoding="utf-8")
    return folder


def write_lock(path: Path, models: dict[str, dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"version": 1, "models": models}), encoding="utf-8")
    return path


# ---- output a card can forge ------------------------------------------------------------------------
FORGE = "evil\n::error::forged\r::add-mask::deny\u2028::warning::x\u0085::notice::y\u202e\u2066z\x1b[2J"


def _no_command_lines(*texts: str) -> None:
    """No line of any output can be read as a GitHub Actions workflow command (or carry a control)."""
    for text in texts:
        for line in text.replace("\r", "\n").splitlines():
            assert not line.lstrip().startswith("::"), repr(line)
        assert not any(c in text for c in "\r\x1b\u202e\u2066\u2028\u0085"), repr(text)


def test_printable_is_one_line_without_format_controls() -> None:
    got = printable(FORGE + "\t\u200b\u00ad\ufeff\ud800\ufffe\x00")
    assert "\n" not in got and "\r" not in got and "\t" not in got
    assert all(c.isprintable() for c in got)
    assert got.startswith("evil ::error::forged ::add-mask::deny ::warning::x ::notice::y")
    assert printable("plain ascii: ok") == "plain ascii: ok"
    assert printable("Ünïcode ✓ 中文") == "Ünïcode ✓ 中文"
    assert printable("a\r\nb\tc\u202e", keep_lines=True) == "a\nb\tc\ufffd"


def test_a_hostile_card_cannot_write_workflow_commands(tmp_path: Path) -> None:
    """Failed before: license_name / base_model line breaks reached the text report and explain."""
    quoted = json.dumps(FORGE)
    folder = write_card(
        tmp_path / "forge",
        f"---\nlicense: other\nlicense_name: {quoted}\nlicense_link: {quoted}\n"
        f"base_model_relation: {quoted}\n---\n",
    )
    lock = write_lock(
        tmp_path / "licensecheck.lock",
        {
            "org/forge": {
                "license": "other",
                "license_name": FORGE,
                "revision": FORGE,
                "author": FORGE,
                "tags": [FORGE],
            }
        },
    )
    outputs = []
    for posture in ("openness", "commercial", "export-caution"):
        r = run("check", "--offline", "-v", "-p", posture, str(folder))
        outputs += [r.out, r.err]
        r = run("check", "--offline", "-v", "--lockfile", str(lock), "-p", posture, "org/forge")
        outputs += [r.out, r.err]
    r = run("explain", "--offline", "--lockfile", str(lock), "org/forge")
    assert "org/forge" in r.out
    outputs += [r.out, r.err]
    r = run("explain", "--offline", str(folder))
    outputs += [r.out, r.err]
    r = run("obligations", "--offline", "--lockfile", str(lock), "org/forge")
    outputs += [r.out, r.err]
    r = run("normalize", FORGE)
    outputs += [r.out, r.err]
    _no_command_lines(*outputs)


def test_file_names_cannot_write_workflow_commands(tmp_path: Path) -> None:
    """Failed before: `scan --list` printed a file name with its line break."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a\n::error::forged.py").write_text('from_pretrained("org/model")\n', encoding="utf-8")
    r = run("scan", "--list", str(src))
    assert "org/model" in r.out
    r2 = run("scan", "--offline", "--lockfile", str(tmp_path / "none.lock"), str(src))
    _no_command_lines(r.out, r.err, r2.out, r2.err)


def test_policy_problems_cannot_write_workflow_commands(tmp_path: Path) -> None:
    """Failed before: `policy validate` printed a policy file name with its line break."""
    bad = tmp_path / "p\n::error::forged.yaml"
    bad.write_text('version: 1\nname: "x\\n::error::y"\nrules: 7\n', encoding="utf-8")
    r = run("policy", "validate", str(bad))
    assert r.code == 2
    _no_command_lines(r.out, r.err)
    tests = tmp_path / "cases.yaml"
    tests.write_text(
        "version: 1\npolicy: openness\ncases:\n"
        '  - {name: "n\\n::error::forged", model: org/a, lock: {org/a: {license: mit}}, expect: deny}\n',
        encoding="utf-8",
    )
    r = run("policy", "test", str(tests))
    assert r.code == 1
    _no_command_lines(r.out, r.err)


def test_the_notice_escapes_markdown_and_html_from_lockfile_fields(tmp_path: Path) -> None:
    """Failed before: THIRD_PARTY_MODELS.md carried raw HTML, links and escapes from the lockfile."""
    evil = (
        "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](http://x.test/t.png) `x`\x1b[31m\n# H"
    )
    lock = write_lock(
        tmp_path / "licensecheck.lock",
        {"org/ok": {"license": "apache-2.0", "revision": evil}, f"org/x{evil}": {"license": "mit"}},
    )
    r = run(
        "obligations", "--offline", "--lockfile", str(lock), "--format", "notice", "org/ok", f"org/x{evil}"
    )
    text = r.out
    assert "## org/ok" in text
    assert "<img" not in text and "[click](" not in text and "![i]" not in text and "\x1b" not in text
    assert not any(line.startswith("# H") for line in text.splitlines())
    assert "&lt;img" in text
