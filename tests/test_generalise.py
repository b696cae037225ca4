"""Inference that generalises, only toward the stricter reading: `community` and restrictive name terms,
a publisher's known licences as a family, commercial-licence clauses, and no inferred licence ever an
unqualified allow under a shipped posture. The names and texts here are made up for these tests."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from licensecheck.cli import main
from licensecheck.licenses import infer
from licensecheck.licenses.normalize import identify_text, kb, normalize_license_string

POSTURES = ("openness", "commercial", "export-caution")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("zephyr-community-license", "community"),
        ("zephyr-2.0-community", "community"),
        ("zephyr-research-community-license", "non-commercial"),  # the stricter term wins
        ("zephyr-community-nc", "non-commercial"),
        ("zephyr-internal-use-license", "proprietary"),
        ("zephyr-internal-scientific-research-model-license", "proprietary"),
        ("zephyr-educational-use-only", "non-commercial"),
        ("zephyr-no-commercial", "non-commercial"),
    ],
)
def test_name_terms(name, category):
    res = normalize_license_string(name)
    assert res.method == "name-terms", res
    (facts,) = res.licenses
    assert facts.category == category and facts.id.startswith(infer.PREFIX)
    assert facts.commercial_use == ("conditional" if category == "community" else False)
    assert [code for code, _ in res.flags] == ["license-inferred"]


def test_a_community_name_caps_a_permissive_family_at_community():
    res = normalize_license_string("openmdw-community-9.0")
    assert res.method == "family"
    (facts,) = res.licenses
    assert kb().facts("OpenMDW-1.0").category == "permissive"
    assert facts.category == "community" and facts.commercial_use == "conditional"
    assert any("community" in e for e in res.evidence)


def test_a_publishers_word_takes_its_strictest_known_licence():
    res = normalize_license_string("bria-9.9")
    assert res.method == "family", res
    (facts,) = res.licenses
    known = kb().facts("LicenseRef-licensecheck-bria-rmbg-1.4")
    assert facts.category == known.category and facts.category != "permissive"
    assert "LicenseRef-licensecheck-bria-rmbg-1.4" in res.evidence[0]


def test_a_publishers_permissive_licences_give_at_most_community():
    lead = "funasr"  # the knowledge base holds only a permissive licence beginning with this word
    inf = infer.from_publisher(f"{lead}-zeta-2.0", kb())
    assert inf is not None and inf.method == "family"
    assert inf.facts.category == "community" and inf.facts.commercial_use == "conditional"


def test_a_community_name_prefers_the_publishers_community_licence():
    res = normalize_license_string("minimax-zeta-community")
    assert res.licenses[0].category == "community", res.evidence


@pytest.mark.parametrize("name", ["open-zeta", "community", "research", "my-license", "ai-license-9"])
def test_generic_leading_words_name_no_publisher(name):
    res = normalize_license_string(name)
    assert res.expression is None or res.method == "name-terms"


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("Licensees are prohibited from using the Weights for any commercial purpose.", "non-commercial"),
        ("To use the Model in a product, you must obtain a separate commercial license from Zeta.", None),
        ("Commercial use of the Model requires prior written authorization from Zeta.", None),
        (
            "If your annual revenue exceeds USD 5 million, you must obtain a commercial license from Zeta.",
            "community",
        ),
    ],
)
def test_commercial_licence_clauses(sentence, category):
    text = f"Zeta Model Terms\n\n1. You may use and modify the Model.\n2. {sentence}\n"
    res = identify_text(text)
    assert res.method == "text-clauses"
    facts = res.licenses[0]
    assert facts.category == (category or "non-commercial"), res.evidence
    assert [code for code, _ in res.flags] == ["license-inferred"]


@pytest.mark.parametrize(
    "card",
    [
        "license: other\nlicense_name: openmdw-9.0",  # family: permissive
        "license: other\nlicense_name: bria-9.9",  # publisher
        "license: other\nlicense_name: zephyr-community-license",  # name-terms
    ],
)
def test_no_inferred_licence_is_an_unqualified_allow_under_a_shipped_posture(tmp_path: Path, card: str):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(f"---\n{card}\n---\n", encoding="utf-8")
    args = ["check", "--offline", "--format", "json", "--fail-on", "never"]
    for posture in POSTURES:
        args += ["-p", posture]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*args, str(folder)])
    model = json.loads(out.getvalue())["models"][0]
    assert set(model["verdicts"]) == set(POSTURES)
    assert "allow" not in model["verdicts"].values()
    inferred = [f for f in model["findings"] if f["code"] == "license-inferred"]
    assert {f["posture"] for f in inferred} == set(POSTURES)
