"""The knowledge base's newer fields, wired into the engine: the documented lineage table (cards that omit
base_model), territory exclusions for multimodal models only, the basis of a user cap, and the
publisher's kind and verification in reports and policy conditions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.cli import main
from licensecheck.engine import lineage
from licensecheck.engine.findings import conditions
from licensecheck.engine.match import Env, license_fact
from licensecheck.licenses import facts
from licensecheck.model import LicenseFacts, ModelMeta, Publisher, Resolution
from tests.fakehub import FakeHub

DISTILL = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
QWEN_BASE = "Qwen/Qwen2.5-Math-7B"
LLAMA4 = "LicenseRef-scancode-llama-4-cla-2025"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "json", "--fail-on", "never", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exc.value.code or 0), json.loads(out)


# ---- (a) documented lineage ----------------------------------------------------------------------
def test_the_table_is_package_data_with_sources():
    row = facts.load().documented_lineage(DISTILL.upper())
    assert row is not None and row.base_models == (QWEN_BASE,) and row.relation == "distilled"
    assert row.sources and row.sources[0].startswith("https://")


def test_a_card_without_base_model_takes_the_documented_bases():
    kb = facts.load()
    meta = lineage.with_documented_lineage(ModelMeta(id=DISTILL, repo_id=DISTILL, source="hub"), kb)
    assert meta.base_models == (QWEN_BASE,) and meta.base_relation == "distilled"
    assert meta.lineage_documented and lineage.relation_of(meta, QWEN_BASE) == "distilled"
    note = lineage.documented_note(meta)
    assert note is not None and QWEN_BASE in note and "distilled" in note


def test_a_cards_own_base_model_wins_over_the_table():
    kb = facts.load()
    meta = ModelMeta(id=DISTILL, repo_id=DISTILL, source="hub", base_models=("acme/other",))
    assert lineage.with_documented_lineage(meta, kb) is meta


@pytest.mark.parametrize(
    "path",
    [
        "hub/models--deepseek-ai--DeepSeek-R1-Distill-Qwen-7B/snapshots/abc",
        "downloads/DeepSeek-R1-Distill-Qwen-7B",
    ],
)
def test_a_local_copy_is_found_by_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str):
    folder = tmp_path / path
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    _, report = run(capsys, "--offline", "-p", "commercial", str(folder))
    model = report["models"][0]
    notes = [f for f in model["findings"] if f["code"] == "lineage-documented"]
    assert notes and notes[0]["severity"] == "info" and QWEN_BASE in notes[0]["message"]
    assert [e["id"] for e in model["lineage"]] == [QWEN_BASE]
    assert model["lineage"][0]["relation"] == "distilled"


def test_hub_and_lockfile_use_the_table_and_the_lockfile_records_the_card_as_read(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    fakehub.add_model(DISTILL, {"license": "mit"})
    fakehub.add_model(QWEN_BASE, {"license": "apache-2.0"})
    _, online = run(capsys, "-p", "commercial", DISTILL)
    model = online["models"][0]
    assert [e["id"] for e in model["lineage"]] == [QWEN_BASE]
    assert any(f["code"] == "lineage-documented" for f in model["findings"])
    with pytest.raises(SystemExit):
        main(["lock", DISTILL])
    capsys.readouterr()
    locked = yaml.safe_load((tmp_path / "licensecheck.lock").read_text(encoding="utf-8"))["models"]
    assert locked[DISTILL]["base_models"] == [] and locked[DISTILL]["base_relation"] is None
    assert QWEN_BASE in locked  # the documented base is locked too, so an offline check can follow it
    fakehub.stop()
    _, offline = run(capsys, "--offline", "-p", "commercial", DISTILL)
    again = offline["models"][0]
    assert again["lineage"] == model["lineage"] and again["verdicts"] == model["verdicts"]
    assert any(f["code"] == "lineage-documented" for f in again["findings"])


# ---- (b) territory exclusions for multimodal models only ------------------------------------------
def _node(pipeline_tag: str | None = None, tags: tuple[str, ...] = ()) -> lineage.Node:
    meta = ModelMeta(id="acme/m", repo_id="acme/m", pipeline_tag=pipeline_tag, tags=tags)
    return lineage.Node(meta, Resolution(LLAMA4, "hf-id"), Publisher(org="acme"))


@pytest.mark.parametrize(
    ("pipeline_tag", "tags", "restricted"),
    [
        ("image-text-to-text", (), True),
        ("any-to-any", (), True),
        ("visual-question-answering", (), True),
        ("text-generation", ("multimodal",), True),
        ("text-generation", ("Vision",), True),
        ("text-generation", (), False),
        (None, (), False),
    ],
)
def test_a_multimodal_only_exclusion_restricts_multimodal_models(pipeline_tag, tags, restricted):
    kb = facts.load()
    term = kb.facts(LLAMA4)
    assert term.territory_exclusions == () and term.territory_exclusions_multimodal == ("EU",)
    env = Env(kb, __import__("datetime").date.today())
    assert license_fact(term, "territory_restricted", env, _node(pipeline_tag, tags)) is restricted
    assert license_fact(term, "territory_restricted", env) is False  # no model: no multimodal claim


def test_export_caution_warns_on_a_multimodal_llama4_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    for name, task in (("vision", "image-text-to-text"), ("text", "text-generation")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "README.md").write_text(
            f"---\nlicense: llama4\npipeline_tag: {task}\n---\n", encoding="utf-8"
        )
    _, report = run(
        capsys, "--offline", "-p", "export-caution", str(tmp_path / "vision"), str(tmp_path / "text")
    )
    vision, text = report["models"]
    assert "territory-restricted" in {f["code"] for f in vision["findings"]}
    assert "territory-restricted" not in {f["code"] for f in text["findings"]}


# ---- (c) the basis of a user cap ----------------------------------------------------------------
def test_the_user_cap_message_says_what_it_counts():
    daily = LicenseFacts(
        id="x", name="x", category="community", user_limit=1_000_000, user_limit_basis="daily-active-users"
    )
    monthly = LicenseFacts(id="y", name="y", category="community", user_limit=700_000_000)
    assert "user cap 1,000,000 daily active users" in conditions(daily)
    assert "user cap 700,000,000 monthly active users" in conditions(monthly)


def test_the_knowledge_base_reads_the_basis():
    kb = facts.load()
    based = [f for f in kb.custom.values() if f.user_limit_basis]
    assert based and all(f.user_limit for f in based)


# ---- (d) publisher kind and verified ---------------------------------------------------------------
def test_the_report_shows_the_publishers_kind_and_verification(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
):
    fakehub.add_model("deepseek-ai/DeepSeek-R1", {"license": "mit"})
    _, report = run(capsys, "-p", "export-caution", "deepseek-ai/DeepSeek-R1")
    pub = report["models"][0]["publisher"]
    registry = facts.load().publisher("deepseek-ai")
    assert registry is not None
    assert pub["kind"] == registry.kind == "company" and pub["verified"] is registry.verified
    assert {"org", "name", "country", "lists", "known"} <= set(pub)


def test_a_policy_can_name_the_publishers_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fakehub: FakeHub
):
    kb = facts.load()
    reuploader = next(p for p in kb.publishers.values() if p.kind == "re-uploader")
    fakehub.add_model(f"{reuploader.org}/Some-Model-GGUF", {"license": "mit"})
    fakehub.add_model("deepseek-ai/DeepSeek-R1", {"license": "mit"})
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nname: origin\nsettings: {default: allow}\nrules:\n"
        "  - id: re-upload\n    action: warn\n    when: {publisher: {kind: re-uploader}}\n"
        "    message: re-uploaded by {publisher}\n",
        encoding="utf-8",
    )
    _, report = run(capsys, "-p", str(policy), f"{reuploader.org}/Some-Model-GGUF", "deepseek-ai/DeepSeek-R1")
    first, second = report["models"]
    assert first["verdicts"]["origin"] == "warn" and second["verdicts"]["origin"] == "allow"
    assert any(f["code"] == "re-upload" for f in first["findings"])
