"""The shipped postures over real cards (tests/data/cards), served by the fake Hub to the real client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from licensecheck.sources.card import front_matter
from tests.conftest import CARDS, invoke
from tests.fakehub import FakeHub


def serve(hub: FakeHub, repo_id: str, fixture: str | None = None, **kw: Any) -> dict[str, Any]:
    folder = CARDS / (fixture or repo_id.replace("/", "__"))
    card = front_matter((folder / "README.md").read_text(encoding="utf-8"))
    bases = card.get("base_model")
    hub.add_model(repo_id, card, base_models=[bases] if isinstance(bases, str) else bases, **kw)
    return card


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("check", "--format", "json", "--no-cache", *args)
    return result.code, result.json()


ALL = ["-p", "openness", "-p", "commercial", "-p", "export-caution"]


@pytest.mark.parametrize(
    ("repo_id", "fixture", "expected"),
    [
        (
            "deepseek-ai/DeepSeek-R1",
            None,
            {"openness": "allow", "commercial": "allow", "export-caution": "warn"},
        ),
        (
            "meta-llama/Llama-3.1-8B-Instruct",
            None,
            {"openness": "deny", "commercial": "warn", "export-caution": "allow"},
        ),
        ("THUDM/glm-4-9b-chat", None, {"openness": "deny", "commercial": "warn", "export-caution": "deny"}),
        (
            "Qwen/Qwen2.5-72B-Instruct",
            None,
            {"openness": "deny", "commercial": "warn", "export-caution": "warn"},
        ),
        (
            "mistralai/Mistral-7B-v0.1",
            None,
            {"openness": "allow", "commercial": "allow", "export-caution": "allow"},
        ),
        ("google/gemma-2-9b-it", None, {"openness": "deny", "commercial": "warn", "export-caution": "allow"}),
        (
            "microsoft/Phi-3-mini-4k-instruct",
            None,
            {"openness": "allow", "commercial": "allow", "export-caution": "allow"},
        ),
        ("bigscience/bloom", None, {"openness": "deny", "commercial": "warn", "export-caution": "allow"}),
        (
            "black-forest-labs/FLUX.1-Fill-dev",
            None,
            {"openness": "deny", "commercial": "deny", "export-caution": "allow"},
        ),
        (
            "mistralai/Codestral-22B-v0.1",
            None,
            {"openness": "deny", "commercial": "deny", "export-caution": "allow"},
        ),
        (
            "tencent/HunyuanImage-2.1",
            None,
            {"openness": "deny", "commercial": "warn", "export-caution": "warn"},
        ),
        ("tiiuae/falcon-11B", None, {"openness": "deny", "commercial": "deny", "export-caution": "allow"}),
    ],
)
def test_real_cards_under_each_posture(fakehub: FakeHub, repo_id, fixture, expected):
    card = serve(fakehub, repo_id, fixture)
    bases = card.get("base_model")
    for base in [bases] if isinstance(bases, str) else bases or []:
        # an unresolved base is denied (issue 12): serve a stand-in base under the card's own licence
        fakehub.add_model(base, {k: v for k, v in card.items() if k.startswith("license")})
    _code, report = check_json(*ALL, repo_id)
    (model,) = report["models"]
    assert model["verdicts"] == expected, model["findings"]
    assert model["source"] == "hub"
    assert model["revision"] and len(model["revision"]) == 40


def test_qwen_research_is_denied_commercially(fakehub: FakeHub):
    serve(fakehub, "Qwen/Qwen2.5-3B-Instruct")
    serve(fakehub, "Qwen/Qwen2.5-3B")
    code, report = check_json("-p", "commercial", "Qwen/Qwen2.5-3B-Instruct")
    assert code == 1
    (model,) = report["models"]
    assert model["verdicts"] == {"commercial": "deny"}
    assert any(f["code"] == "non-commercial" for f in model["findings"])


def test_deepseek_message_names_the_country(fakehub: FakeHub):
    serve(fakehub, "deepseek-ai/DeepSeek-R1")
    _, report = check_json("deepseek-ai/DeepSeek-R1")
    (model,) = report["models"]
    assert report["postures"] == ["openness", "export-caution"]  # the default postures
    (f,) = [f for f in model["findings"] if f["code"] == "jurisdiction-of-concern"]
    assert f["severity"] == "warn" and "CN" in f["message"]
    assert model["publisher"]["country"] == "CN"
    assert model["license"] == {
        **model["license"],
        "expression": "MIT",
        "method": "hf-id",
    }


def test_relabelled_llama_finetune_from_real_card(fakehub: FakeHub):
    serve(fakehub, "ruslanmv/Medical-Llama3-8B")
    fakehub.add_model("meta-llama/Meta-Llama-3-8B", {"license": "llama3"})
    _, report = check_json(*ALL, "ruslanmv/Medical-Llama3-8B")
    (model,) = report["models"]
    assert model["license"]["expression"] == "Apache-2.0"
    codes = {(f["posture"], f["code"]) for f in model["findings"]}
    assert ("openness", "license-mismatch") in codes
    assert ("openness", "base-model-license") in codes
    assert model["verdicts"]["openness"] == "deny"


def test_local_folder_and_card_file(tmp_path: Path):
    code, report = check_json(
        "-p",
        "openness",
        str(CARDS / "deepseek-ai__DeepSeek-R1"),
        str(CARDS / "bigscience__bloom" / "README.md"),
    )
    ids = [m["id"] for m in report["models"]]
    assert ids == [str(CARDS / "deepseek-ai__DeepSeek-R1"), str(CARDS / "bigscience__bloom" / "README.md")]
    assert [m["verdicts"]["openness"] for m in report["models"]] == ["allow", "deny"]
    assert all(m["source"] == "local" for m in report["models"])
    assert code == 1
