"""Issue 12: what a hostile card, lockfile, file name or pull request can do, each hole with its test.

Sections: output a card can forge; hidden base models (lineage); the publisher; card fields;
exhaustion (size and node caps); files (parallel lock, symlinked lockfile, policy-test paths, baseline).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.printable import printable
from tests.conftest import invoke
from tests.fakehub import FakeHub

# The CLI in-process (tests/conftest.py): exit code, stdout, stderr, never a traceback. Bounded cost is
# asserted by the caps' own findings and the child's memory below, not by the wall clock.
run = invoke


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
    assert got.startswith("evil : :error: :forged : :add-mask: :deny : :warning: :x : :notice: :y")
    assert "::" not in got


def test_no_wrapped_line_of_the_text_report_carries_a_workflow_command(tmp_path: Path) -> None:
    """Failed before: a long licence name wrapped so that `::error::...` began a continuation line (the
    runner trims leading spaces before it looks), and `##[error]` was printed as written."""
    folder = tmp_path / "m1"
    folder.mkdir()
    name = "custom " + "x" * 70 + " ::error::forged-by-card annotation ##[error]legacy"
    (folder / "README.md").write_text(f"---\nlicense: other\nlicense_name: {name!r}\n---\n", encoding="utf-8")
    r = run("check", "--offline", "-p", "commercial", str(folder))
    _no_command_lines(r.out, r.err)
    assert "##[" not in r.out + r.err
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
    r = run("obligations", "--offline", "--lockfile", str(lock), "--format", "notice", "org/ok")
    text = r.out
    assert "## org/ok" in text
    assert "<img" not in text and "[click](" not in text and "![i]" not in text and "\x1b" not in text
    assert not any(line.startswith("# H") for line in text.splitlines())
    assert "&lt;img" in text
    # the hostile id itself is no target: refused before anything is judged, and printed harmlessly
    refused = run("obligations", "--offline", "--lockfile", str(lock), "--format", "notice", f"org/x{evil}")
    assert refused.code == 2 and refused.out == "" and "\x1b" not in refused.err
    assert not any(line.startswith(("#", "::")) for line in refused.err.splitlines())


# ---- hidden base models ----------------------------------------------------------------------------
def _verdicts(lock: Path, target: str, *postures: str) -> tuple[dict[str, str], set[str]]:
    args = [a for p in postures for a in ("-p", p)]
    r = run("check", "--offline", "--format", "json", "--lockfile", str(lock), *args, target)
    (model,) = r.json()["models"]
    return model["verdicts"], {f["code"] for f in model["findings"]}


def _chain(top: dict[str, Any], origin: str, origin_entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Four MIT re-uploads r1 -> r2 -> r3 -> r4 -> origin."""
    models = {f"mirror/r{i}": {"license": "mit", "base_models": [f"mirror/r{i + 1}"]} for i in range(1, 4)}
    models["mirror/r4"] = {"license": "mit", "base_models": [origin]}
    models[origin] = origin_entry
    models["mirror/r1"].update(top)
    return models


@pytest.mark.parametrize(
    ("origin", "entry", "postures"),
    [
        ("meta-llama/Llama-3.1-8B", {"license": "llama3.1"}, ("openness", "commercial")),
        ("THUDM/glm-4-9b", {"license": "mit"}, ("export-caution",)),
    ],
)
def test_re_uploads_past_the_depth_cannot_hide_the_origin(
    tmp_path: Path, origin: str, entry: dict[str, Any], postures: tuple[str, ...]
) -> None:
    """Failed before: a chain longer than depth 3 ended silently and every posture allowed."""
    lock = write_lock(tmp_path / "licensecheck.lock", _chain({}, origin, entry))
    verdicts, codes = _verdicts(lock, "mirror/r1", *postures)
    assert set(verdicts.values()) == {"deny"}, verdicts
    assert "lineage-truncated" in codes
    # deep enough, the origin itself is judged: the Llama licence / the Entity List
    deep = tmp_path / "deep.yaml"
    deep.write_text(
        f"version: 1\nname: deep\nextends: [{postures[-1]}]\nsettings: {{lineage: {{depth: 5}}}}\nrules: []\n",
        encoding="utf-8",
    )
    verdicts, codes = _verdicts(lock, "mirror/r1", str(deep))
    assert "lineage-truncated" not in codes
    assert codes & {"base-model-license", "restricted-party"}
    # a waiver is the way to accept a cut chain
    waived = tmp_path / "waived.yaml"
    waived.write_text(
        f"version: 1\nname: waived\nextends: [{postures[-1]}]\nrules: []\nwaivers:\n"
        "  - {models: [mirror/r1], rules: [lineage-truncated], reason: reviewed, approved_by: a@b.test}\n",
        encoding="utf-8",
    )
    verdicts, _ = _verdicts(lock, "mirror/r1", str(waived))
    assert verdicts == {"waived": "allow"}


@pytest.mark.parametrize(
    "base",
    [
        "https://huggingface.co/THUDM/glm-4-9b",
        "https://huggingface.co/THUDM/glm-4-9b/tree/main",
        "hf.co/THUDM/glm-4-9b",
    ],
)
def test_a_base_model_url_is_read_as_the_id_it_names(tmp_path: Path, base: str) -> None:
    """Failed before: a URL base_model was dropped, so the Entity-List base was never seen."""
    if not base.startswith("http"):
        base = "https://" + base
    lock = write_lock(
        tmp_path / "licensecheck.lock",
        {"THUDM/glm-4-9b": {"license": "mit"}},
    )
    folder = write_card(tmp_path / "ft", f"---\nlicense: mit\nbase_model: {base}\n---\n")
    r = run(
        "check", "--offline", "--format", "json", "--lockfile", str(lock), "-p", "export-caution", str(folder)
    )
    (model,) = r.json()["models"]
    assert model["verdicts"] == {"export-caution": "deny"}
    assert [e["id"] for e in model["lineage"]] == ["THUDM/glm-4-9b"]


def test_a_base_model_url_under_hf_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from licensecheck.sources.card import base_model_ids

    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.test:8443")
    assert base_model_ids("https://hub.example.test:8443/org/name") == ("org/name",)
    assert base_model_ids(["https://huggingface.co/org/a/tree/v1.0", "org/a"]) == ("org/a@v1.0", "org/a")
    # another host is not the Hub: kept as text, and so unresolved (never dropped)
    assert base_model_ids("https://evil.test/org/name") == ("https://evil.test/org/name",)


@pytest.mark.parametrize(
    "value",
    [
        "{name: meta-llama/Llama-3.1-8B}",
        "[7]",
        "'../../etc/passwd'",
        "'meta llama 3.1'",
        "'org/name@-x'",
    ],
)
def test_an_unreadable_base_is_unresolved_and_denied(tmp_path: Path, value: str) -> None:
    """Failed before: a mapping, a number or a non-id base_model was dropped (the model was allowed)."""
    folder = write_card(tmp_path / "ft", f"---\nlicense: mit\nbase_model: {value}\n---\n")
    for posture in ("openness", "commercial"):
        r = run("check", "--offline", "--format", "json", "-p", posture, str(folder))
        (model,) = r.json()["models"]
        assert model["verdicts"] == {posture: "deny"}
        found = {f["code"]: f["severity"] for f in model["findings"]}
        assert found.get("base-model-unresolved") == "deny", found


def test_a_missing_or_private_base_or_revision_is_denied(fakehub: FakeHub) -> None:
    """Failed before: an unresolved base (or a base pinned to a revision that does not exist) only warned."""
    fakehub.add_model("org/base", {"license": "mit"})
    fakehub.add_model("org/private", {"license": "mit"}, private=True)
    fakehub.add_model("org/a", {"license": "mit", "base_model": "org/base@0123456789abcdef"})
    fakehub.add_model("org/b", {"license": "mit", "base_model": "org/private"})
    fakehub.add_model("org/c", {"license": "mit", "base_model": "org/gone"})
    fakehub.add_model("org/ok", {"license": "mit", "base_model": "org/base"})
    r = run(
        "check", "--format", "json", "-p", "openness", "-p", "commercial", "org/a", "org/b", "org/c", "org/ok"
    )
    got = {m["id"]: m["verdict"] for m in r.json()["models"]}
    assert got == {"org/a": "deny", "org/b": "deny", "org/c": "deny", "org/ok": "allow"}


def test_a_private_base_of_a_listed_publisher_is_seen_by_export_caution(fakehub: FakeHub) -> None:
    """The namespace of an unresolved base still names its publisher (origin postures follow it)."""
    fakehub.add_model("THUDM/secret", {"license": "mit"}, private=True)
    fakehub.add_model("org/ft", {"license": "mit", "base_model": "THUDM/secret"})
    r = run("check", "--format", "json", "-p", "export-caution", "org/ft")
    (model,) = r.json()["models"]
    assert model["verdicts"] == {"export-caution": "deny"}
    assert "restricted-party" in {f["code"] for f in model["findings"]}


def test_lock_follows_as_deep_as_a_policy_may_look(fakehub: FakeHub, tmp_path: Path) -> None:
    """Failed before: lock stopped at 5 levels, so a depth-10 policy could not judge offline."""
    for i in range(1, 12):
        fakehub.add_model(f"mirror/r{i}", {"license": "mit", "base_model": f"mirror/r{i + 1}"})
    fakehub.add_model("mirror/r12", {"license": "mit"})
    lock = tmp_path / "licensecheck.lock"
    r = run("lock", "--lockfile", str(lock), "mirror/r1")
    assert r.code == 0, r.err
    locked = yaml.safe_load(lock.read_text(encoding="utf-8"))["models"]
    assert sorted(locked) == sorted(f"mirror/r{i}" for i in range(1, 12))  # 10 bases below r1
    deep = tmp_path / "deep.yaml"
    deep.write_text(
        "version: 1\nname: deep\nextends: [openness]\nsettings: {lineage: {depth: 10}}\nrules: []\n",
        encoding="utf-8",
    )
    _, codes = _verdicts(lock, "mirror/r1", str(deep))
    assert "lineage-truncated" in codes and "base-model-unresolved" not in codes  # r11 names r12


def test_too_many_bases_is_a_finding_and_linear(tmp_path: Path) -> None:
    """Failed before: 100,000 base_model entries meant 100,000 look-ups and quadratic de-duplication."""
    from licensecheck.sources.card import meta_from_card

    bases = [f"org/m{i}" for i in range(100_000)]
    meta = meta_from_card("org/flood", {"license": "mit", "base_model": bases + bases}, source="hub")
    assert len(meta.base_models) == 65  # the first 64, and one more marking the list as cut
    models = {b: {"license": "mit"} for b in bases[:64]}
    models["org/flood"] = {
        "license": "mit",
        "base_models": bases,
        "datasets": [f"d/{i}" for i in range(1000)],
    }
    lock = write_lock(tmp_path / "licensecheck.lock", models)
    for posture in ("openness", "export-caution"):
        verdicts, codes = _verdicts(lock, "org/flood", posture)
        assert verdicts == {posture: "deny"} and "too-many-bases" in codes
        assert "base-model-unresolved" not in codes  # only the first 64 were looked up (all locked)


# ---- the publisher -----------------------------------------------------------------------------------
def test_the_lockfile_author_cannot_change_the_publisher(tmp_path: Path) -> None:
    """Failed before: `author: meta-llama` in the lockfile turned an Entity-List deny into an allow."""
    lock = write_lock(
        tmp_path / "licensecheck.lock", {"THUDM/glm-4-9b": {"license": "mit", "author": "meta-llama"}}
    )
    verdicts, codes = _verdicts(lock, "THUDM/glm-4-9b", "export-caution")
    assert verdicts == {"export-caution": "deny"} and "restricted-party" in codes
    r = run(
        "check",
        "--offline",
        "--format",
        "json",
        "--lockfile",
        str(lock),
        "-p",
        "export-caution",
        "THUDM/glm-4-9b",
    )
    assert r.json()["models"][0]["publisher"]["org"] == "THUDM"


# ---- card fields -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "front",
    [
        "license: cc-by-nc-4.0\nlicense: mit\n",
        "license: mit\nbase_model: THUDM/glm-4-9b\nbase_model: org/harmless\n",
        "license: mit\ncardData: {a: 1, a: 2}\n",
    ],
)
def test_a_duplicated_key_is_a_malformed_card(tmp_path: Path, front: str) -> None:
    """Failed before: the last `license:` won silently (a non-commercial card came out MIT, allowed)."""
    folder = write_card(tmp_path / "dup", f"---\n{front}---\n")
    r = run("check", "--offline", "--format", "json", "-p", "commercial", str(folder))
    (model,) = r.json()["models"]
    assert model["verdicts"] == {"commercial": "deny"}
    assert model["error"]["kind"] == "malformed" and "duplicate key" in model["error"]["message"]


def test_a_free_form_licence_tag_does_not_beat_a_non_commercial_licence_file(tmp_path: Path) -> None:
    folder = write_card(tmp_path / "tag", "---\ntags: [license:mit]\n---\n")
    (folder / "LICENSE").write_text(
        "The model weights are released under the Creative Commons Attribution-NonCommercial 4.0 "
        "International licence (CC BY-NC 4.0). No commercial use of the weights is permitted.\n",
        encoding="utf-8",
    )
    r = run("check", "--offline", "--format", "json", "-p", "commercial", str(folder))
    assert r.json()["models"][0]["verdicts"] != {"commercial": "allow"}


# ---- files -------------------------------------------------------------------------------------------
def test_parallel_lock_runs_into_one_lockfile_lose_nothing(fakehub: FakeHub, tmp_path: Path) -> None:
    """Failed before: eight parallel `lock` runs kept 8-9 of 64 entries (last writer wins)."""
    groups = [[f"org{g}/m{i}" for i in range(8)] for g in range(8)]
    for ids in groups:
        for repo in ids:
            fakehub.add_model(repo, {"license": "mit"})
    lock = tmp_path / "licensecheck.lock"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "licensecheck",
                "lock",
                "--no-cache",
                "--jobs",
                "2",
                "--lockfile",
                str(lock),
                *ids,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ids in groups
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    locked = yaml.safe_load(lock.read_text(encoding="utf-8"))["models"]
    assert sorted(locked) == sorted(repo for ids in groups for repo in ids)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("licensecheck.lock")] == [
        "licensecheck.lock"
    ]


def test_a_symlinked_lockfile_is_updated_through_the_link(fakehub: FakeHub, tmp_path: Path) -> None:
    """Failed before: `lock` replaced the symlink by a regular file (the shared lockfile went stale)."""
    fakehub.add_model("org/a", {"license": "mit"})
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "licensecheck.lock"
    real.write_text("version: 1\nmodels: {}\n", encoding="utf-8")
    link = tmp_path / "licensecheck.lock"
    link.symlink_to(real)
    r = run("lock", "--lockfile", str(link), "org/a")
    assert r.code == 0, r.err
    assert link.is_symlink() and "org/a" in yaml.safe_load(real.read_text(encoding="utf-8"))["models"]
    # a link to nothing, or to a file that is not a lockfile, is refused with a message
    dangling = tmp_path / "dangling.lock"
    dangling.symlink_to(tmp_path / "nowhere" / "x.lock")
    r = run("lock", "--lockfile", str(dangling), "org/a")
    assert r.code == 2 and "symlink" in r.err and dangling.is_symlink()
    assert not (tmp_path / "nowhere").exists()
    victim = tmp_path / "notes.txt"
    victim.write_text("my notes\n", encoding="utf-8")
    other = tmp_path / "other.lock"
    other.symlink_to(victim)
    r = run("lock", "--lockfile", str(other), "org/a")
    assert r.code == 2 and victim.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize(
    "case",
    [
        "policy: ../outside/policy.yaml\ncases:\n  - {name: x, card: ok, expect: allow}\n",
        "policy: openness\ncases:\n  - {name: x, card: ../outside/card, expect: deny}\n",
        "policy: openness\ncases:\n  - {name: x, card: /etc, expect: deny}\n",
    ],
)
def test_policy_test_paths_stay_in_their_folder(tmp_path: Path, case: str) -> None:
    """Failed before: `policy test` read `policy:` and `card:` paths anywhere (a PR could read any file)."""
    outside = tmp_path / "outside"
    write_card(outside / "card", "---\nlicense: mit\n---\n")
    (outside / "policy.yaml").write_text(
        "version: 1\nname: o\nextends: [openness]\nrules: []\n", encoding="utf-8"
    )
    tests = tmp_path / "tests"
    write_card(tests / "ok", "---\nlicense: mit\n---\n")
    (tests / "cases.yaml").write_text("version: 1\n" + case, encoding="utf-8")
    r = run("policy", "test", str(tests / "cases.yaml"))
    assert r.code == 2 and "below this file's folder" in r.err, r.err


def test_a_baseline_cannot_pass_options_to_git(tmp_path: Path) -> None:
    """Failed before: `--baseline=--output=FILE` reached `git show` as an option (and wrote FILE)."""
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    repo = tmp_path / "repo"
    lock = write_lock(repo / "licensecheck.lock", {"org/a": {"license": "mit"}})
    target = tmp_path / "written.txt"
    for spec in (f"--output={target}", "-p", "--exec=touch x"):
        r = run("check", "--offline", "--lockfile", str(lock), "--baseline", spec, "-p", "openness", "org/a")
        assert r.code == 2 and "--baseline" in r.err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("written")]


# ---- exhaustion --------------------------------------------------------------------------------------
MiB = 1024 * 1024


def _peak_mib(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI in a child and return it with the child's peak resident memory (MiB)."""
    code = (
        "import resource, sys\n"
        "from licensecheck.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "finally:\n"
        # VmHWM is this process's own peak (ru_maxrss would carry the parent's peak over the exec)
        "    try:\n"
        "        hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "    except OSError:\n"
        "        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    sys.stderr.write(f'\\nPEAK {hwm}\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=False
    )
    peak = int(done.stderr.rsplit("PEAK ", 1)[1].split()[0]) / 1024
    return done, peak


def _flow(path: Path, prefix: str, size: int) -> Path:
    """A YAML file of `size` bytes that is one long flow list of one-letter scalars (the most nodes)."""
    n = (size - len(prefix) - 8) // 3
    path.write_text(prefix + "[" + ", ".join(["a"] * n) + "]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["lockfile", "config", "policy", "policy-test"])
def test_no_yaml_input_costs_more_than_about_100_mb(tmp_path: Path, kind: str) -> None:
    """Failed before: a 4 MiB policy took about 1 GB, a lockfile or config of many nodes gigabytes.

    Each file is just under its size cap and made of the smallest nodes YAML has: refused by the node
    count, which streams parse events before any node is built."""
    lock = tmp_path / "licensecheck.lock"
    lock.write_text("version: 1\nmodels: {}\n", encoding="utf-8")
    if kind == "lockfile":
        _flow(lock, "version: 1\nmodels: {}\nflood: ", 16 * MiB - 4096)
        args = ["check", "--offline", "--lockfile", str(lock), "-p", "openness", "org/a"]
    elif kind == "config":
        cfg = _flow(tmp_path / "licensecheck.yaml", "policies: [openness]\nscan: ", 4 * MiB - 4096)
        args = ["check", "--offline", "-c", str(cfg), "--lockfile", str(lock), "org/a"]
    elif kind == "policy":
        args = [
            "policy",
            "validate",
            str(_flow(tmp_path / "p.yaml", "version: 1\nname: p\nrules: ", 4 * MiB - 4096)),
        ]
    else:
        args = [
            "policy",
            "test",
            str(_flow(tmp_path / "t.yaml", "version: 1\npolicy: openness\ncases: ", 4 * MiB - 4096)),
        ]
    done, peak = _peak_mib(*args)
    assert done.returncode == 2 and "nodes" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert peak < 160, f"{peak:.0f} MiB"  # the interpreter and the package take about 60 of it


@pytest.mark.parametrize(
    ("kind", "size"), [("lockfile", 64 * MiB), ("config", 64 * MiB), ("policy-test", 8 * MiB)]
)
def test_oversized_yaml_files_are_refused_unread(tmp_path: Path, kind: str, size: int) -> None:
    """Failed before: a 64 MiB lockfile or config was parsed whole (minutes, gigabytes)."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(size)  # sparse: the size is what counts, it is never read
    lock = tmp_path / "licensecheck.lock"
    if kind == "lockfile":
        lock = big
        args = ["check", "--offline", "--lockfile", str(lock), "-p", "openness", "org/a"]
    elif kind == "config":
        args = ["check", "--offline", "-c", str(big), "--lockfile", str(lock), "org/a"]
    else:
        args = ["policy", "test", str(big)]
    r = run(*args)
    assert r.code == 2 and "larger than the" in r.err and "refused unread" in r.err, r.err
