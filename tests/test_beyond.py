"""Issue 7 capabilities over real cards: training-data lineage, usage contexts, obligations, baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.sources.card import front_matter
from tests.conftest import CARDS, DATA
from tests.fakehub import FakeHub


def card(path: Path) -> dict[str, Any]:
    return front_matter((path / "README.md").read_text(encoding="utf-8"))


@pytest.fixture
def alpaca_hub(fakehub: FakeHub) -> FakeHub:
    fakehub.add_model("declare-lab/flan-alpaca-xl", card(CARDS / "declare-lab__flan-alpaca-xl"))
    fakehub.add_dataset("tatsu-lab/alpaca", card(DATA / "datasets" / "tatsu-lab__alpaca"))
    return fakehub


def test_trained_on_non_commercial_data_is_warned_and_named(alpaca_hub: FakeHub, cli):
    code, out, _ = cli("check", "--format", "json", "-p", "commercial", "declare-lab/flan-alpaca-xl")
    (m,) = json.loads(out)["models"]
    assert m["license"]["expression"] == "Apache-2.0"
    assert m["verdicts"] == {"commercial": "warn"}
    (f,) = [f for f in m["findings"] if f["code"] == "training-data-license"]
    assert f["severity"] == "warn" and "tatsu-lab/alpaca" in f["message"]
    assert code == 0
    assert alpaca_hub.count("/api/datasets/tatsu-lab/alpaca") == 1


def test_datasets_are_locked_and_judged_offline(alpaca_hub: FakeHub, cli, tmp_path):
    lock = tmp_path / "licensecheck.lock"
    code, _, _ = cli("lock", "--lockfile", str(lock), "declare-lab/flan-alpaca-xl")
    assert code == 0
    data = yaml.safe_load(lock.read_text())
    assert data["datasets"]["tatsu-lab/alpaca"]["license"] == "cc-by-nc-4.0"
    alpaca_hub.stop()
    code, out, _ = cli(
        "check",
        "--offline",
        "--lockfile",
        str(lock),
        "--format",
        "json",
        "-p",
        "commercial",
        "declare-lab/flan-alpaca-xl",
    )
    (m,) = json.loads(out)["models"]
    assert any(f["code"] == "training-data-license" for f in m["findings"])


def test_a_custom_policy_can_use_the_datasets_subject(alpaca_hub: FakeHub, cli, tmp_path):
    policy = tmp_path / "data.yaml"
    policy.write_text(
        "version: 1\nname: data\nsettings: {default: allow}\nrules:\n"
        "  - id: nc-data\n    action: deny\n    when: {datasets: {license: {category: non-commercial}}}\n"
    )
    code, out, _ = cli("check", "--format", "json", "-p", str(policy), "declare-lab/flan-alpaca-xl")
    (m,) = json.loads(out)["models"]
    assert m["verdicts"] == {"data": "deny"} and code == 1


@pytest.mark.parametrize(
    ("use", "code"),
    [(None, None), ("saas", "network-copyleft"), ("internal", None)],
)
def test_saas_use_and_network_copyleft(cli, tmp_path, use, code):
    lock = tmp_path / "l.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": {"acme/agpl": {"license": "agpl-3.0"}}}))
    args = [
        "check",
        "--offline",
        "--lockfile",
        str(lock),
        "--format",
        "json",
        "-p",
        "commercial",
        "acme/agpl",
    ]
    _, out, _ = cli(*args, *(["--use", use] if use else []))
    codes = {f["code"] for f in json.loads(out)["models"][0]["findings"]}
    assert ("network-copyleft" in codes) == (code is not None)


def test_distill_and_distribute_contexts_from_real_licences(cli):
    example = Path(__file__).resolve().parents[1] / "examples" / "licensecheck.yaml"
    args = [
        "check",
        "-c",
        str(example),
        "--offline",
        "--format",
        "json",
        "-p",
        "commercial",
        "google/gemma-2-9b-it",
        "meta-llama/Llama-3.1-8B-Instruct",
    ]
    _, out, _ = cli(*args, "--use", "distill", "--use", "distribute")
    gemma, llama = json.loads(out)["models"]
    assert "distill-restricted" in {f["code"] for f in gemma["findings"]}
    assert "naming-rule" in {f["code"] for f in llama["findings"]}
    assert "distill-restricted" not in {f["code"] for f in llama["findings"]}
    _, out, _ = cli(*args)
    gemma, llama = json.loads(out)["models"]
    assert not {"distill-restricted", "naming-rule"} & {
        f["code"] for m in (gemma, llama) for f in m["findings"]
    }


def test_use_in_config(cli, tmp_path):
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": {"acme/agpl": {"license": "agpl-3.0"}}}))
    (tmp_path / "licensecheck.yaml").write_text("policies: [commercial]\nuse: [saas]\nmodels: [acme/agpl]\n")
    _, out, _ = cli("check", "-c", str(tmp_path / "licensecheck.yaml"), "--offline", "--format", "json")
    assert "network-copyleft" in {f["code"] for f in json.loads(out)["models"][0]["findings"]}
