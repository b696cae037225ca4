"""Hostile input: licence strings, model cards, policies, lockfiles and cache files that are malformed on
purpose. Each gets a finding or a clear message and the right exit code (in bounded memory where it
matters), and never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licensecheck.licenses import spdx
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import normalize_license_string
from licensecheck.sources import lockfile as lockfile_mod
from licensecheck.sources.card import meta_from_card
from licensecheck.sources.lockfile import Lockfile
from tests.conftest import Result, invoke
from tests.fakehub import FakeHub

HANG_S = 30.0  # a guard against a run that hangs, not a measurement


# ---- helpers -------------------------------------------------------------------------------------
run = invoke  # exit code, stdout, stderr; never a traceback


def peak_of(fn: Any, *args: Any) -> tuple[Any, int]:
    """`fn(*args)` and the peak of traced allocations during it (imports and caches are warmed first)."""
    warm = Path("warm-up.md")
    warm.write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    run("check", "--format", "json", "-p", "openness", "--offline", str(warm))
    tracemalloc.start()
    try:
        result = fn(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def check_one(target: Path | str, *extra: str) -> tuple[Result, dict[str, Any]]:
    """`check --format json -p openness --offline TARGET`: the run and its single model."""
    r = run("check", "--format", "json", "-p", "openness", "--offline", *extra, str(target))
    report = r.json()
    assert len(report["models"]) == 1
    return r, report["models"][0]


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Result from an empty folder: no config or lockfile is discovered from the repository."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


def write_card(tmp_path: Path, name: str, body: str | bytes) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    data = body.encode("utf-8") if isinstance(body, str) else body
    (folder / "README.md").write_bytes(data)
    return folder


# ---- licence strings -----------------------------------------------------------------------------
TOKENS = [
    "MIT", "mit", "Apache-2.0", "apache-2.0", "GPL-2.0+", "GPL-3.0-or-later", "Classpath-exception-2.0",
    "LicenseRef-x", "LicenseRef-../..", "other", "unknown", "llama3.1", "cc-by-nc-4.0", "limit", "permit",
    "AND", "OR", "WITH", "and", "or", "with", "(", ")", "((", "))", "+", ",", ":", "/", "\t", "\x1b[31m",
    "\x00", "МІТ", "ＭＩＴ", "\u202e", "-", "", " ",
]  # fmt: skip
licence_ish = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)
any_text = st.text(max_size=300)


def _sound(text: str) -> None:
    res = normalize_license_string(text)
    if res.expression is None:
        return
    tree = spdx.parse(res.expression)  # the result is always a well-formed expression...
    assert tree.render() == res.expression
    again = normalize_license_string(res.expression)  # ...that normalizes to itself
    assert again.expression == res.expression


@given(st.one_of(any_text, licence_ish))
@settings(max_examples=400, deadline=None)
def test_normalize_never_raises_and_results_parse_back(text: str) -> None:
    _sound(text)


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6),
    st.sampled_from(["mit", "MIT", "Mit"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6),
)
@settings(max_examples=300, deadline=None)
def test_words_containing_mit_never_become_mit(prefix: str, core: str, suffix: str) -> None:
    if not prefix and not suffix:
        return
    word = prefix + core + suffix  # limit, permit, submit, summit, mitigate, ...
    for text in (word, f"{word} license", f"Apache-2.0 OR {word}", f"({word})"):
        res = normalize_license_string(text)
        leaves = [leaf.key for leaf in spdx.leaves(spdx.parse(res.expression))] if res.expression else []
        assert "MIT" not in leaves, (text, res)


@given(st.one_of(any_text, licence_ish))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_command_json_never_fails(text: str) -> None:
    r = run("normalize", "--format", "json", "--", text)
    assert r.code == 0
    (result,) = r.json()
    assert result["input"] == text
    assert result["expression"] is None or isinstance(result["expression"], str)
    if result["expression"] is not None:
        spdx.parse(result["expression"])


HOSTILE_STRINGS = {
    "nested-10000": "(" * 10_000 + "MIT" + ")" * 10_000,
    "nested-600-under-length-cap": "(" * 600 + "MIT" + ")" * 600,
    "20k-characters": "MIT AND " * 2_500,
    "20k-letters": "x" * 20_000,
    "ansi": "\x1b[31mMIT\x1b[0m",
    "osc-title": "\x1b]0;pwned\x07MIT",
    "control": "MIT\x07\x08",
    "nul": "MIT\x00",
    "nul-inside": "Apache-2.0 OR M\x00IT",
    "licenseref-dotdot": "LicenseRef-../..",
    "licenseref-slash": "LicenseRef-a/b",
    "and": "AND",
    "or-or": "OR OR",
    "open": "(",
    "close": ")",
    "with": "WITH",
    "mit-with": "MIT WITH",
    "with-with": "MIT WITH Classpath-exception-2.0 WITH x",
    "dangling-and": "MIT AND (",
    "cyrillic-mit": "МІТ",
    "fullwidth-mit": "ＭＩＴ",
    "mixed-script": "MІT",
    "zero-width": "M\u200bIT",
    "rtl-override": "\u202eTIM",
    "limit": "limit",
}


@pytest.mark.parametrize("text", list(HOSTILE_STRINGS.values()), ids=list(HOSTILE_STRINGS))
def test_hostile_licence_strings_are_unidentified(text: str) -> None:
    res = normalize_license_string(text)
    assert res.expression is None, res
    assert res.method in ("invalid", "unrecognized")
    r = run("normalize", "--format", "json", "--", text)
    assert r.code == 0
    assert r.json()[0]["expression"] is None
    text_out = run("normalize", "--", text).out
    assert "\x1b" not in text_out and "\x00" not in text_out


def test_hostile_licence_strings_in_one_call_stay_one_result_each() -> None:
    r = run("normalize", "--format", "json", "--", *HOSTILE_STRINGS.values(), "mit")
    results = r.json()
    assert [x["input"] for x in results] == [*HOSTILE_STRINGS.values(), "mit"]
    assert results[-1]["expression"] == "MIT"


# ---- model cards ---------------------------------------------------------------------------------
def _laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines)


def _unresolved(model: dict[str, Any], kind: str, *words: str) -> None:
    assert model["verdict"] == "deny"
    assert model["error"] is not None and model["error"]["kind"] == kind, model["error"]
    assert "unresolved" in {f["code"] for f in model["findings"]}
    for word in words:
        assert word in model["error"]["message"], model["error"]["message"]


def test_binary_card(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "binary", bytes(range(256)) * 64)
    r, m = check_one(folder)
    assert r.code == 1
    _unresolved(m, "malformed", "binary")


def test_invalid_yaml_card(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "invalid", "---\nlicense: [mit\ntags: {\n---\n# card\n")
    r, m = check_one(folder)
    assert r.code == 1
    _unresolved(m, "malformed", "not valid YAML", "line")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "unclosed", "---\nlicense: mit\n# no closing line\n")
    _, m = check_one(folder)
    _unresolved(m, "malformed", "not closed")


def test_billion_laughs_is_refused_quickly_in_little_memory(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "laughs", f"---\nlicense: mit\n{_laughs()}\n---\n")
    (r, m), peak = peak_of(check_one, folder)
    assert r.code == 1
    _unresolved(m, "malformed", "alias bomb")
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_recursive_anchor(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "recursive", "---\nlicense: &x [mit, *x]\n---\n")
    r, m = check_one(folder)
    assert r.code == 1
    _unresolved(m, "malformed", "recursive anchor")


def test_deep_nesting_in_a_card(tmp_path: Path) -> None:
    # ~990 levels: under libyaml's own cap of 1000, deep enough to break anything that recurses on it.
    body = "---\nlicense:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(990)) + " " * 991 + "x\n---\n"
    folder = write_card(tmp_path, "deep", body)
    r, m = check_one(folder)
    assert r.code == 1
    _unresolved(m, "malformed", "nested deeper")


def test_deeply_nested_card_data_from_any_source() -> None:
    """Hub answers are JSON, not YAML through yamlio: card.py must not recurse over what it is given."""
    deep: Any = "mit"
    for _ in range(50_000):
        deep = {"a": [deep]}
    card = {"license": deep, "license_name": deep, "base_model": deep, "tags": deep, "datasets": deep}
    meta = meta_from_card("org/deep", card, source="hub", repo_id="org/deep")
    assert meta.declared.license is None and meta.declared.invalid
    assert normalize_declared(meta.declared).expression is None


def test_megabytes_of_front_matter(tmp_path: Path) -> None:
    filler = "".join(f"key{i}: {'v' * 40}\n" for i in range(110_000))  # ~5.4 MB
    folder = write_card(tmp_path, "huge", f"---\nlicense: mit\n{filler}---\n")
    assert (folder / "README.md").stat().st_size > 5_000_000
    (r, m), peak = peak_of(check_one, folder)
    assert r.code == 1
    _unresolved(m, "malformed", "front matter larger than")
    assert peak < 128 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_card_larger_than_the_read_cap(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "oversized", "---\nlicense: mit\n---\n" + "x" * (9 * 1024 * 1024))
    _, m = check_one(folder)
    _unresolved(m, "malformed", "larger than")


LICENCE_FIELDS = {
    "int": "license: 5",
    "float": "license: 1.5",
    "bool": "license: true",
    "null": "license: null",
    "date": "license: 2024-01-01",
    "map": "license: {name: mit}",
    "nested-list": "license: [[mit], [apache-2.0]]",
    "list-with-int": "license: [mit, 5]",
    "empty-list": "license: []",
    "empty-string": "license: ''",
    "binary-tag": "license: !!binary bWl0",
    "set": "license: !!set {mit, apache-2.0}",
    "long-list": "license: [" + ", ".join(f"x{i}" for i in range(20_000)) + "]",
    "license-name-map": "license: other\nlicense_name: {a: 1}\nlicense_link: [1, 2]",
    "license-name-int": "license: other\nlicense_name: 12",
    "tags-map": "license: other\ntags: {license: mit}\nbase_model: {a: 1}\ndatasets: 5",
    "huge-int": "license: " + "9" * 5_000,
}


@pytest.mark.parametrize("field", list(LICENCE_FIELDS.values()), ids=list(LICENCE_FIELDS))
def test_licence_fields_of_every_type_get_a_finding(tmp_path: Path, field: str) -> None:
    folder = write_card(tmp_path, "card", f"---\n{field}\n---\n# model\n")
    r, m = check_one(folder)
    assert r.code == 1
    assert m["verdict"] == "deny"
    assert m["license"]["expression"] is None
    codes = {f["code"] for f in m["findings"]}
    assert codes & {"license-unknown", "unresolved"}, codes


def test_a_long_list_of_one_licence_still_resolves(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "card", "---\nlicense: [" + ", ".join(["mit"] * 20_000) + "]\n---\n")
    r, m = check_one(folder)
    assert r.code == 0
    assert m["license"]["expression"] == "MIT"


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch pwned']",
        "!!python/name:os.system",
        "!!python/object:builtins.dict {}",
        "!!python/module:os",
        "!custom thing",
    ],
)
def test_python_tags_never_execute(tmp_path: Path, tag: str) -> None:
    folder = write_card(tmp_path, "card", f"---\nlicense: {tag}\n---\n")
    r, m = check_one(folder)
    assert r.code == 1
    _unresolved(m, "malformed", "tag")
    assert not Path("pwned").exists()


def test_bom_and_crlf_card_resolves(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "bom", "\ufeff---\r\nlicense: apache-2.0\r\n---\r\n\r\n# Model\r\n")
    r, m = check_one(folder)
    assert r.code == 0
    assert m["license"]["expression"] == "Apache-2.0"
    assert m["error"] is None


def test_readme_that_is_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "dir-readme"
    (folder / "README.md").mkdir(parents=True)
    _, m = check_one(folder)
    _unresolved(m, "malformed", "not a regular file")


def test_readme_symlink_loop(tmp_path: Path) -> None:
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "README.md").symlink_to("README.md")
    (folder / "LICENSE").symlink_to(folder / "LICENSE")
    _, m = check_one(folder)
    _unresolved(m, "malformed", "not a regular file")
    _, m2 = check_one(folder / "README.md")
    assert m2["verdict"] == "deny" and m2["error"] is not None


def test_readme_fifo_is_not_opened(tmp_path: Path) -> None:
    """An unreadable card (tests run as root, so a FIFO stands in for chmod 000): no hang, a finding."""
    folder = tmp_path / "fifo"
    folder.mkdir()
    os.mkfifo(folder / "README.md")
    _, m = check_one(folder)
    _unresolved(m, "malformed", "not a regular file")
    card = tmp_path / "card.md"
    os.mkfifo(card)
    _, m2 = check_one(card)
    _unresolved(m2, "malformed", "not a regular file")


def test_license_file_fifo_is_skipped(tmp_path: Path) -> None:
    folder = write_card(tmp_path, "licfifo", "---\nlicense: other\n---\n")
    os.mkfifo(folder / "LICENSE")
    r, m = check_one(folder)
    assert r.code == 1
    assert m["license"]["expression"] is None and m["error"] is None


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m"


def test_terminal_escapes_in_a_card_do_not_reach_the_text_report(tmp_path: Path) -> None:
    folder = write_card(
        tmp_path,
        "esc",
        "---\nlicense: other\n"
        'license_name: "\\e[2J\\e]0;pwned\\a\\e[31mevil"\n'
        'license_link: "https://x.test/\\e[31m"\n'
        'base_model: "\\e[31morg/base"\n'
        'base_model_relation: "\\e[5mfinetune"\n'
        "---\n",
    )
    report = tmp_path / "report.txt"
    r = run(
        "check", "--offline", "-v", "--color", "never", "-p", "openness", "-p", "export-caution", str(folder)
    )
    assert r.code == 1
    assert "\x1b" not in r.out + r.err
    run("check", "--offline", "-v", "--color", "never", "-p", "openness", "-o", str(report), str(folder))
    assert "\x1b" not in report.read_text(encoding="utf-8")  # a file is not filtered by the terminal layer
    for fmt in ("json", "markdown", "sarif", "junit", "html"):
        out = tmp_path / f"report.{fmt}"
        run("check", "--offline", "--format", fmt, "-p", "openness", "-o", str(out), str(folder))
        assert "\x1b" not in out.read_text(encoding="utf-8"), fmt


def test_terminal_escapes_in_a_lockfile_do_not_reach_the_text_report(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(
        "version: 1\nmodels:\n  org/a:\n    license: mit\n"
        '    author: "\\e[2Jevil\\e]0;title\\a"\n'
        '    base_models: ["\\e[31mx/y"]\n',
        encoding="utf-8",
    )
    report = tmp_path / "report.txt"
    args = ["check", "--offline", "--lockfile", str(lock), "-v", "--color", "never"]
    run(*args, "-p", "openness", "-p", "export-caution", "-o", str(report), "org/a")
    assert "\x1b" not in report.read_text(encoding="utf-8")


def test_terminal_escapes_from_the_hub_do_not_reach_the_text_report(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_model(
        "org/esc",
        {"license": "other", "license_name": ESCAPES + "evil", "base_model": ESCAPES + "org/base"},
        author=ESCAPES + "evil",
    )
    report = tmp_path / "report.txt"
    run("check", "-v", "--color", "never", "-p", "export-caution", "-o", str(report), "org/esc")
    assert "\x1b" not in report.read_text(encoding="utf-8")


# ---- policies ------------------------------------------------------------------------------------
def _openness_text() -> str:
    r = run("policy", "show", "openness")
    assert r.code == 0
    return r.out


def _located(err: str, path: Path) -> None:
    """Every problem line is FILE:LINE:COL: message, and nothing was judged."""
    problems = [line for line in err.splitlines() if line.startswith(str(path))]
    assert problems, err
    for line in problems:
        rest = line[len(str(path)) :]
        _, row, col, message = rest.split(":", 3)
        assert row.isdigit() and col.isdigit() and int(row) >= 1 and int(col) >= 1, line
        assert message.strip(), line
    assert "nothing was judged" in err


@pytest.mark.parametrize(
    "body",
    [
        "version: 1\nname: x\nrules:\n  - id: a\n    action: allow\n    when: {license: {category: [permissive",
        "version: 1\nname: x\nrules: [",
        "version: 1\nname: 'x\n",
        "\x00\x01\x02binary",
        "version: 1\nname: x\r\nrules:\n\t- id: tab\n",
        "version: 1\nname: !!python/object/apply:os.system ['touch pwned']\n",
        "version: 1\nname: x\nrules: &r [*r]\n",
        "version: 1\nname: x\nrules:\n"
        + "  - id: r\n    action: allow\n    when: {license: {category: permissive}}\n" * 2,
        "version: 2\nname: x\nrules: []\n",
        "- just\n- a list\n",
        "",
    ],
    ids=[
        "truncated-flow",
        "truncated-list",
        "unclosed-quote",
        "binary",
        "tab-indent",
        "python-tag",
        "recursive",
        "duplicate-ids",
        "wrong-version",
        "not-a-mapping",
        "empty",
    ],
)
def test_corrupt_policy_files_exit_2_with_positions(tmp_path: Path, body: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(body.encode("utf-8"))
    r = run("check", "--offline", "-p", str(path), "org/model")
    assert r.code == 2
    assert r.out == ""
    _located(r.err, path)
    v = run("policy", "validate", str(path))
    assert v.code == 2
    _located(v.err, path)
    assert not Path("pwned").exists()


def test_a_policy_truncated_anywhere_is_refused_or_valid_never_a_crash(tmp_path: Path) -> None:
    full = _openness_text().replace("name: openness", "name: cut")
    path = tmp_path / "cut.yaml"
    refused = 0
    for end in range(0, len(full), 9):
        path.write_text(full[:end], encoding="utf-8")
        r = run("policy", "validate", str(path))
        assert r.code in (0, 2), (end, r)
        if r.code == 2:
            refused += 1
            _located(r.err, path)
    assert refused > 0


def test_a_huge_policy_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("version: 1\nname: x\n# " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    r = run("policy", "validate", str(path))
    assert r.code == 2
    assert "larger than" in r.err


def test_policy_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(f"version: 1\nname: bomb\n{_laughs()}\n", encoding="utf-8")
    r = run("policy", "validate", str(path))
    assert r.code == 2
    _located(r.err, path)


# ---- lockfiles -----------------------------------------------------------------------------------
GOOD_LOCK = """\
version: 1
knowledge_base: '2024-12'
models:
  org/ok:
    author: org
    license: apache-2.0
    revision: 0123456789abcdef0123456789abcdef01234567
    fetched: 2024-12-01T00:00:00Z
"""


def _offline(lock: Path, *targets: str) -> Result:
    return run("check", "--offline", "--lockfile", str(lock), "--format", "json", "-p", "openness", *targets)


def _refused(r: Result, lock: Path) -> None:
    assert r.code == 2
    assert r.out == ""
    assert lock.name in r.err
    assert "licensecheck lock" in r.err  # the fix is named
    assert len(r.err.strip().splitlines()) == 1  # one clear line


@pytest.mark.parametrize(
    "body",
    [
        GOOD_LOCK[:-25] + "\n  bad: [",
        "version: 1\nmodels: {org/ok: [\n",
        "version: 1\nmodels:\n  org/ok:\n    license: 'unclosed\n",
        "\x00\x01binary\xff",
        "version: 2\nmodels: {}\n",
        "version: '1'\nmodels: {}\n",
        "models: {}\n",
        "version: 1\nmodels:\n  - org/ok\n",
        "version: 1\nmodels: just text\n",
        "- a\n- list\n",
        "a string\n",
        "version: 1\nmodels:\n  ? [a, b]\n  : {license: mit}\n",
        "version: 1\nmodels: &m {org/ok: *m}\n",
        "version: 1\nmodels:\n  org/ok: {license: !!python/object/apply:os.system ['touch pwned']}\n",
    ],
    ids=[
        "truncated",
        "corrupt-flow",
        "unclosed-quote",
        "binary",
        "version-2",
        "version-string",
        "no-version",
        "models-list",
        "models-string",
        "top-level-list",
        "top-level-string",
        "unhashable-key",
        "recursive",
        "python-tag",
    ],
)
def test_broken_lockfiles_exit_2_naming_the_file_and_the_fix(tmp_path: Path, body: str) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.write_bytes(body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body)
    _refused(_offline(lock, "org/ok"), lock)
    assert not Path("pwned").exists()


def test_a_lockfile_truncated_between_entries_keeps_what_is_whole(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(GOOD_LOCK + "  org/cut:\n", encoding="utf-8")
    r = _offline(lock, "org/ok", "org/cut")
    ok, cut = r.json()["models"]
    assert ok["verdict"] == "allow"
    assert cut["error"]["kind"] == "not-in-lockfile"
    assert "licensecheck lock" in cut["error"]["message"]


def test_lockfile_entries_of_wrong_types(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(
        GOOD_LOCK
        + """\
  org/int: 5
  org/list: [mit]
  org/str: mit
  org/fields:
    license: {a: 1}
    license_name: [x]
    license_link: 7
    revision: 5
    author: [x]
    base_models: {x: 1}
    datasets: 3
    parameters: many
    tags: 7
    gated: [1]
    fetched: {a: [1]}
    license_text: 5
  org/mixed:
    license: [mit, 5]
  12345: {license: mit}
""",
        encoding="utf-8",
    )
    r = _offline(lock, "org/ok", "org/int", "org/list", "org/str", "org/fields", "org/mixed")
    # every wrong type is refused at once (a value read some other way could change a verdict)
    assert r.code == 2 and r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 17 and all(f"{lock}:" in line for line in lines)
    assert f"{lock}:9:12: models.org/int: a lockfile entry must be a mapping" in lines[0]
    assert any(f"{lock}:26:14: license must be a string or a list of strings" in line for line in lines)
    assert any(f"{lock}:27:3: models: keys must be strings" in line for line in lines)
    assert lines[-1].endswith("regenerate it with `licensecheck lock`")


def test_lockfile_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A huge lockfile is refused before it is parsed (the cap is made small here, not the file huge)."""
    monkeypatch.setattr(lockfile_mod, "MAX_BYTES", 4096)
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(GOOD_LOCK + "# " + "x" * 8192 + "\n", encoding="utf-8")
    r, peak = peak_of(_offline, lock, "org/ok")
    assert r.code == 2
    assert lock.name in r.err and "larger than" in r.err
    assert peak < 32 * 1024 * 1024


def test_lockfile_alias_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lockfile.read allocates its whole size cap (64 MiB) for the read buffer; keep that out of the figure.
    monkeypatch.setattr(lockfile_mod, "MAX_BYTES", 1024 * 1024)
    lock = tmp_path / "licensecheck.lock"
    levels = _laughs(levels=12)  # 9**12 nodes once expanded: over even the lockfile's larger node cap
    lock.write_text(f"version: 1\n{levels}\nmodels: {{}}\n", encoding="utf-8")
    r, peak = peak_of(_offline, lock, "org/ok")
    _refused(r, lock)
    assert peak < 64 * 1024 * 1024


def test_lockfile_that_is_a_directory(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.mkdir()
    r = _offline(lock, "org/ok")
    assert r.code == 2
    assert lock.name in r.err


def test_good_lockfile_still_reads(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(GOOD_LOCK, encoding="utf-8")
    assert Lockfile.read(lock).get("org/ok") is not None
    assert _offline(lock, "org/ok").code == 0


# ---- cache files ---------------------------------------------------------------------------------
CACHE_DAMAGE: dict[str, bytes] = {
    "truncated": b'{"format": 1, "repo_id": "org/model", "entry": {"lic',
    "empty": b"",
    "binary": bytes(range(256)),
    "not-json": b"license: mit\n",
    "json-list": b"[1, 2, 3]",
    "json-string": b'"org/model"',
    "wrong-format": b'{"format": 99, "repo_id": "org/model", "stored": 9e99, "entry": {"license": "mit"}}',
    "entry-not-a-dict": b'{"format": 1, "repo_id": "org/model", "stored": 9e99, "entry": ["mit"]}',
    "other-repo": b'{"format": 1, "repo_id": "org/other", "stored": 9e99, "entry": {"license": "mit"}}',
    "stale": b'{"format": 1, "repo_id": "org/model", "stored": 0, "entry": {"license": "mit"}}',
    "stored-not-a-number": b'{"format": 1, "repo_id": "org/model", "stored": "now", "entry": {"license": "mit"}}',
    "huge-number": b'{"format": 1, "repo_id": "org/model", "stored": 1' + b"0" * 5000 + b', "entry": {}}',
}


def _cache_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file())


@pytest.mark.parametrize("damage", list(CACHE_DAMAGE.values()), ids=list(CACHE_DAMAGE))
def test_damaged_cache_entries_are_refetched(fakehub: FakeHub, damage: bytes) -> None:
    cache_root = Path(os.environ["LICENSECHECK_CACHE_DIR"])
    fakehub.add_model("org/model", {"license": "cc-by-nc-4.0"})
    first = run("check", "--format", "json", "-p", "openness", "org/model")
    assert first.json()["models"][0]["verdict"] == "deny"
    (entry,) = _cache_files(cache_root)
    fakehub.update_model("org/model", card_data={"license": "mit"})  # a refetch changes the verdict
    entry.write_bytes(damage)
    before = fakehub.count("/api/models/org/model")
    r = run("check", "--format", "json", "-p", "openness", "org/model")
    model = r.json()["models"][0]
    assert fakehub.count("/api/models/org/model") == before + 1
    assert model["source"] == "hub"
    assert model["verdict"] == "allow" and r.code == 0
    assert json.loads(entry.read_bytes())["entry"]["license"] == "mit"  # and the entry is rewritten


def test_a_cache_entry_that_is_a_directory_is_a_miss(fakehub: FakeHub) -> None:
    cache_root = Path(os.environ["LICENSECHECK_CACHE_DIR"])
    fakehub.add_model("org/model", {"license": "mit"})
    run("check", "--format", "json", "-p", "openness", "org/model")
    (entry,) = _cache_files(cache_root)
    entry.unlink()
    entry.mkdir()
    r = run("check", "--format", "json", "-p", "openness", "org/model")
    assert r.json()["models"][0]["verdict"] == "allow"


def test_a_cache_entry_that_is_a_fifo_does_not_hang(fakehub: FakeHub) -> None:
    cache_root = Path(os.environ["LICENSECHECK_CACHE_DIR"])
    fakehub.add_model("org/model", {"license": "mit"})
    run("check", "--format", "json", "-p", "openness", "org/model")
    (entry,) = _cache_files(cache_root)
    entry.unlink()
    os.mkfifo(entry)
    cmd = [sys.executable, "-m", "licensecheck", "check", "--format", "json", "-p", "openness", "org/model"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=HANG_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"a FIFO in the cache hangs the run (killed after {HANG_S} s)")
    assert json.loads(proc.stdout)["models"][0]["verdict"] == "allow"


def test_a_deeply_nested_cache_entry_is_a_miss(fakehub: FakeHub) -> None:
    cache_root = Path(os.environ["LICENSECHECK_CACHE_DIR"])
    fakehub.add_model("org/model", {"license": "mit"})
    run("check", "--format", "json", "-p", "openness", "org/model")
    (entry,) = _cache_files(cache_root)
    entry.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    r = run("check", "--format", "json", "-p", "openness", "org/model")
    assert r.json()["models"][0]["verdict"] == "allow"
