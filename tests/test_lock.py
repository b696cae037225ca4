"""`licensecheck lock`, `check --offline` and licence drift, with the fake Hub and the real client."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.errors import ConfigError
from licensecheck.licenses import facts
from licensecheck.sources.lockfile import Lockfile, now_iso
from tests.conftest import invoke
from tests.fakehub import FakeHub

POSTURES = ["-p", "openness", "-p", "commercial", "-p", "export-caution"]
LLAMA = "meta-llama/Llama-3.1-8B"


def check(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = invoke("check", "--format", "json", *POSTURES, *args)
    return code, json.loads(out)


def verdicts(report: dict[str, Any]) -> dict[str, tuple[str, dict[str, str], str | None]]:
    return {m["id"]: (m["verdict"], m["verdicts"], m["license"]["expression"]) for m in report["models"]}


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in report["models"]}


def corpus(hub: FakeHub) -> None:
    hub.add_model(LLAMA, {"license": "llama3.1"}, safetensors_total=8_030_261_248, gated="manual")
    hub.add_model(
        "acme/llama-ft",
        {"license": "llama3.1", "datasets": ["acme/instructions"]},
        base_models=[LLAMA],
        pipeline_tag="text-generation",
    )
    hub.add_model(
        "acme/llama-ft-GGUF",
        {"license": "llama3.1"},
        base_models=["acme/llama-ft"],
        base_relation="quantized",
    )
    hub.add_model("deepseek-ai/DeepSeek-R1", {"license": "mit"}, safetensors_total=671_000_000_000)
    hub.add_model("acme/apache", {"license": "apache-2.0"})
    hub.add_model(
        "acme/custom",
        {"license": "other", "license_name": "acme-custom"},
        files={
            "LICENSE": "\n   Apache License\n   Version 2.0, January 2004\n   http://www.apache.org/licenses/\n"
        },
    )
    hub.add_dataset("acme/instructions", {"license": "cc-by-4.0"})


TARGETS = ["acme/llama-ft-GGUF", "deepseek-ai/DeepSeek-R1", "acme/apache", "acme/custom"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the working directory (no config: the lockfile goes here)."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_lock_writes_a_sorted_complete_lockfile(fakehub: FakeHub, project: Path) -> None:
    corpus(fakehub)
    before = now_iso()  # the code's own clock, read around the run: midnight-safe
    code, out, _ = invoke("lock", *TARGETS)
    after = now_iso()
    assert code == 0
    path = project / "licensecheck.lock"
    assert "locked 6 models" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# licensecheck.lock")
    doc = yaml.safe_load(text)
    assert doc["version"] == 1
    assert doc["knowledge_base"] == facts.load().version
    models = doc["models"]
    # the targets and their ancestry (GGUF -> fine-tune -> Llama), sorted case-insensitively
    assert list(models) == sorted([*TARGETS, "acme/llama-ft", LLAMA], key=str.lower)
    for repo_id, entry in models.items():
        assert entry["revision"] == fakehub.shas(repo_id)[-1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["fetched"])
        assert before <= entry["fetched"] <= after
        assert list(entry) == sorted(entry)  # keys sorted too: diff-friendly
    gguf = models["acme/llama-ft-GGUF"]
    assert gguf["base_models"] == ["acme/llama-ft"] and gguf["base_relation"] == "quantized"
    assert models["acme/llama-ft"]["datasets"] == ["acme/instructions"]
    assert models[LLAMA]["license"] == "llama3.1"
    assert models[LLAMA]["parameters"] == 8_030_261_248
    assert models[LLAMA]["gated"] == "manual"
    assert models[LLAMA]["author"] == "meta-llama"
    assert models["acme/custom"]["license_name"] == "acme-custom"
    assert models["acme/custom"]["license_file"] == "LICENSE"
    assert "Version 2.0, January 2004" in models["acme/custom"]["license_text"]
    assert doc["datasets"]["acme/instructions"]["license"] == "cc-by-4.0"
    # lock again: the same content (apart from the fetch time) and no duplicate entries
    invoke("lock", *TARGETS)
    again = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(again["models"]) == list(models)


def test_offline_check_with_the_hub_stopped_gives_the_same_verdicts(
    fakehub: FakeHub, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(fakehub)
    invoke("lock", *TARGETS)
    online_code, online = check("--no-cache", *TARGETS)
    fakehub.stop()

    def no_socket(self: socket.socket, address: Any) -> Any:
        raise AssertionError(f"--offline opened a connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", no_socket)
    offline_code, offline = check("--offline", *TARGETS)
    assert offline_code == online_code == 1
    assert verdicts(offline) == verdicts(online)
    assert {m["source"] for m in offline["models"]} == {"lockfile"}
    assert {m["source"] for m in online["models"]} == {"hub"}
    for a, b in zip(online["models"], offline["models"], strict=True):
        assert a["revision"] == b["revision"]
        assert a["lineage"] == b["lineage"]
        assert [(f["code"], f["posture"], f["severity"]) for f in a["findings"]] == [
            (f["code"], f["posture"], f["severity"]) for f in b["findings"]
        ]
    # the verdicts are the expected ones, not merely equal
    models = by_id(offline)
    assert models["deepseek-ai/DeepSeek-R1"]["verdicts"] == {
        "openness": "allow",
        "commercial": "allow",
        "export-caution": "warn",
    }
    assert models["acme/llama-ft-GGUF"]["verdicts"]["openness"] == "deny"
    assert models["acme/custom"]["license"]["expression"] == "Apache-2.0"  # from the locked LICENSE text
    assert models["acme/custom"]["license"]["method"] == "license-text"
    # HF_HUB_OFFLINE means the same thing as --offline
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    _, env_offline = check(*TARGETS)
    assert verdicts(env_offline) == verdicts(online)


def test_offline_reads_neither_the_hub_nor_the_cache(fakehub: FakeHub, project: Path) -> None:
    corpus(fakehub)
    check("acme/apache")  # fills the cache
    invoke("lock", "deepseek-ai/DeepSeek-R1")
    fakehub.reset_counts()
    code, report = check("--offline", "acme/apache", "deepseek-ai/DeepSeek-R1")
    assert fakehub.count() == 0
    models = by_id(report)
    assert models["acme/apache"]["error"]["kind"] == "not-in-lockfile"  # cached, but not locked
    assert models["deepseek-ai/DeepSeek-R1"]["source"] == "lockfile"
    assert code == 1


def test_a_model_added_after_locking_is_not_in_lockfile_offline(fakehub: FakeHub, project: Path) -> None:
    corpus(fakehub)
    invoke("lock", "acme/apache")
    fakehub.add_model("acme/newcomer", {"license": "mit"})
    code, report = check("--offline", "acme/apache", "acme/newcomer")
    models = by_id(report)
    new = models["acme/newcomer"]
    assert new["error"]["kind"] == "not-in-lockfile"
    assert "licensecheck lock" in new["error"]["message"]
    assert new["verdict"] == "deny"
    assert all(v == "deny" for v in new["verdicts"].values())
    assert "unresolved" in {f["code"] for f in new["findings"]}
    assert models["acme/apache"]["verdict"] == "allow"
    assert code == 1
    # a revision other than the locked one is not in the lockfile either
    sha = fakehub.update_model("acme/apache", card_data={"license": "mit"})
    _, report = check("--offline", f"acme/apache@{sha}")
    assert report["models"][0]["error"]["kind"] == "not-in-lockfile"
    locked = fakehub.shas("acme/apache")[0]
    _, report = check("--offline", f"acme/apache@{locked}", f"acme/apache@{locked[:10]}")
    assert [m["error"] for m in report["models"]] == [None, None]


def test_offline_without_a_lockfile_denies_every_hub_model(project: Path) -> None:
    code, report = check("--offline", "acme/anything")
    assert code == 1
    assert report["models"][0]["error"]["kind"] == "not-in-lockfile"


@pytest.mark.parametrize(
    ("new_card", "verdict", "expression"),
    [
        ({"license": "cc-by-nc-4.0"}, "deny", "CC-BY-NC-4.0"),  # worse: judged on the new licence
        ({"license": "mit"}, "warn", "MIT"),  # still allowed, but the change itself warns
    ],
)
def test_a_licence_changed_on_the_hub_is_license_changed_online(
    fakehub: FakeHub,
    project: Path,
    new_card: dict[str, Any],
    verdict: str,
    expression: str,
) -> None:
    corpus(fakehub)
    invoke("lock", "acme/apache", "deepseek-ai/DeepSeek-R1")
    fakehub.update_model("acme/apache", card_data=new_card)
    code, report = check("--refresh", "acme/apache", "deepseek-ai/DeepSeek-R1")
    models = by_id(report)
    m = models["acme/apache"]
    assert m["license"]["expression"] == expression
    assert m["verdicts"]["openness"] == verdict
    changed = [f for f in m["findings"] if f["code"] == "license-changed"]
    assert {f["posture"] for f in changed} == {"openness", "commercial", "export-caution"}
    assert all(f["severity"] == "warn" for f in changed)
    assert "apache-2.0" in changed[0]["message"] and new_card["license"] in changed[0]["message"]
    assert "license-changed" not in {f["code"] for f in models["deepseek-ai/DeepSeek-R1"]["findings"]}
    assert code == (1 if verdict == "deny" else 0)
    # offline, the lockfile still says what was locked
    _, offline = check("--offline", "acme/apache")
    assert offline["models"][0]["license"]["expression"] == "Apache-2.0"
    # locking again accepts the change
    invoke("lock", "acme/apache")
    _, after = check("--refresh", "acme/apache")
    assert "license-changed" not in {f["code"] for f in after["models"][0]["findings"]}


def test_lock_failures_are_reported_and_the_rest_is_locked(fakehub: FakeHub, project: Path) -> None:
    corpus(fakehub)
    fakehub.fail("acme/apache", 403)
    code, _, err = invoke("lock", "acme/apache", "deepseek-ai/DeepSeek-R1", "nobody/nothing")
    assert code == 1
    assert "acme/apache: gated" in err and "nobody/nothing: not-found" in err
    doc = yaml.safe_load((project / "licensecheck.lock").read_text(encoding="utf-8"))
    assert list(doc["models"]) == ["deepseek-ai/DeepSeek-R1"]


def test_lock_keeps_other_entries_and_updates_relocked_ones(fakehub: FakeHub, project: Path) -> None:
    corpus(fakehub)
    invoke("lock", "acme/apache", "deepseek-ai/DeepSeek-R1")
    sha = fakehub.update_model("acme/apache", card_data={"license": "mit"})
    invoke("lock", "acme/apache")
    doc = yaml.safe_load((project / "licensecheck.lock").read_text(encoding="utf-8"))
    assert list(doc["models"]) == ["acme/apache", "deepseek-ai/DeepSeek-R1"]
    assert doc["models"]["acme/apache"]["revision"] == sha
    assert doc["models"]["acme/apache"]["license"] == "mit"


def test_lock_uses_the_config_models_and_lockfile(
    fakehub: FakeHub, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(fakehub)
    (project / "licensecheck.yaml").write_text(
        "models: [acme/apache, deepseek-ai/DeepSeek-R1, ./local-model]\nlockfile: locks/models.lock\n",
        encoding="utf-8",
    )
    sub = project / "src"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, _ = invoke("lock")
    assert code == 0
    path = project / "locks" / "models.lock"
    assert path.is_file()
    assert set(yaml.safe_load(path.read_text(encoding="utf-8"))["models"]) == {
        "acme/apache",
        "deepseek-ai/DeepSeek-R1",
    }
    fakehub.stop()
    code, out, _ = invoke(
        "check",
        "--offline",
        "--format",
        "json",
        "-p",
        "openness",
        "acme/apache",
        "deepseek-ai/DeepSeek-R1",
    )
    assert code == 0
    assert {m["source"] for m in json.loads(out)["models"]} == {"lockfile"}


def test_lock_refuses_to_run_offline(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, _, err = invoke("lock", "acme/apache")
    assert code == 2
    assert "HF_HUB_OFFLINE" in err


def test_the_lockfile_write_is_atomic(
    fakehub: FakeHub, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(fakehub)
    invoke("lock", "acme/apache")
    path = project / "licensecheck.lock"
    before = path.read_bytes()

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, _, err = invoke("lock", "acme/apache", "deepseek-ai/DeepSeek-R1")
    assert code == 2
    assert "licensecheck.lock" in err and "No space left on device" in err
    assert path.read_bytes() == before  # the old lockfile is intact
    assert [p.name for p in project.iterdir()] == ["licensecheck.lock"]  # no temporary file left behind
    monkeypatch.undo()
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["models"].keys() == {"acme/apache"}


def test_a_half_written_lockfile_is_a_clear_error(project: Path) -> None:
    path = project / "licensecheck.lock"
    path.write_text("version: 1\nmodels:\n  acme/x: {license: [mit\n", encoding="utf-8")
    code, _, err = invoke("check", "--offline", "acme/x")
    assert code == 2
    assert "licensecheck.lock:" in err and "licensecheck lock" in err
    path.write_text("version: 7\nmodels: {}\n", encoding="utf-8")
    code, _, err = invoke("check", "--offline", "acme/x")
    assert code == 2 and "version-1" in err


def test_lockfile_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "l.lock"
    lock = Lockfile(path, {"b/Model": {"license": "mit", "revision": "1" * 40}, "A/m": {"license": "x"}}, {})
    lock.write("2025-01-01")
    again = Lockfile.read(path)
    assert list(again.models) == ["A/m", "b/Model"]
    assert again.knowledge_base == "2025-01-01"
    assert again.get("B/MODEL") == {"license": "mit", "revision": "1" * 40}
    assert Lockfile.read(tmp_path / "missing.lock").models == {}
    (tmp_path / "bad.lock").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.lock:1:1: a lockfile must be a mapping"):
        Lockfile.read(tmp_path / "bad.lock")


def test_lock_author_locks_every_listed_model_from_the_listing(fakehub: FakeHub, project: Path) -> None:
    fakehub.generate_author("bigorg", 250, lambda i: {"license": "mit" if i % 2 else "apache-2.0"})
    code, out, _ = invoke("lock", "--author", "bigorg")
    assert code == 0
    assert "locked 250 models" in out
    assert fakehub.count("/api/models?") == 3
    assert fakehub.count("/api/models/") == 0
    doc = yaml.safe_load((project / "licensecheck.lock").read_text(encoding="utf-8"))
    assert len(doc["models"]) == 250
    assert doc["models"]["bigorg/model-000001"]["license"] == "mit"
    assert doc["models"]["bigorg/model-000001"]["revision"] is not None
    fakehub.stop()
    code, report = check("--offline", "bigorg/model-000000", "bigorg/model-000249")
    assert [m["source"] for m in report["models"]] == ["lockfile", "lockfile"]


def test_pinned_targets_must_match_the_locked_commit(tmp_path: Path) -> None:
    sha = "a" * 40
    lock = tmp_path / "l.lock"
    lock.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "models": {
                    "x/pinned": {"license": "mit", "revision": sha},
                    "x/unpinned": {"license": "mit", "revision": None},
                },
            }
        )
    )
    result = invoke(
        "check",
        "--offline",
        "--lockfile",
        str(lock),
        "--format",
        "json",
        "-p",
        "openness",
        f"x/pinned@{sha}",
        f"x/pinned@{sha[:7]}",
        "x/pinned@a",
        "x/pinned@bbbbbbb",
        "x/unpinned@ccccccc",
    )
    models = result.json()["models"]
    kinds = [m["error"]["kind"] if m["error"] else None for m in models]
    assert kinds == [None, None, "not-in-lockfile", "not-in-lockfile", "not-in-lockfile"]
    assert "is locked at " + sha + ", not bbbbbbb" in models[3]["error"]["message"]
