"""Knowing more than the list, only toward the stricter reading: family, name-terms, text-clauses.

The licence texts here are written for these tests (made-up terms), not copies of real licences.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from licensecheck.cli import main
from licensecheck.licenses import infer
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import identify_text, kb, normalize_license_string
from licensecheck.model import Declared

COMMUNITY_TEXT = """Nimbus-7 Model Licence Agreement

1. Grant. You may use, reproduce, modify and distribute the Nimbus Materials.
2. Scale. If the products or services you offer had more than 50 million monthly active users in the
   preceding calendar month, you must request a separate licence from Nimbus Labs.
3. Conduct. You will comply with the Nimbus Acceptable Use Policy and include its use restrictions
   in any agreement with recipients of the Nimbus Materials.
4. Names. Any model you distribute that is derived from the Nimbus Materials must have a name that
   begins with "Nimbus".
5. Law. This agreement is governed by the laws of the People's Republic of China.
6. Export. You shall comply with all applicable export control laws and sanctions.
"""


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("acme-non-commercial-license", "non-commercial"),
        ("acme-noncommercial", "non-commercial"),
        ("zeta-nc-1.0", "non-commercial"),
        ("zeta-model-research-only", "non-commercial"),
        ("orca research license", "non-commercial"),
        ("acme-non-production-license", "non-commercial"),
        ("acme-nd-license", "no-derivatives"),
        ("acme-proprietary", "proprietary"),
    ],
)
def test_name_terms(name, category):
    res = normalize_license_string(name)
    assert res.method == "name-terms"
    (facts,) = res.licenses
    assert facts.category == category and facts.id.startswith(infer.PREFIX)
    assert facts.commercial_use is (category == "no-derivatives")
    assert [code for code, _ in res.flags] == ["license-inferred"]
    assert res.evidence and name in res.evidence[0]


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("llama-5-community-license", "LicenseRef-scancode-llama-4-cla-2025"),
        ("tencent-hunyuan-video-community-license", "LicenseRef-licensecheck-tencent-hunyuan-community"),
        ("deepseek-v4-license-agreement", "LicenseRef-scancode-deepseek-la-1.0"),
        ("exaone-ai-model-license-2.0", "LicenseRef-scancode-exaone-ai-model-1.1-nc"),
    ],
)
def test_family_takes_the_family_facts(name, family):
    res = normalize_license_string(name)
    assert res.method == "family", res
    (facts,) = res.licenses
    known = kb().facts(family)
    assert facts.category == known.category and facts.user_limit == known.user_limit
    assert facts.id != family and family in res.evidence[0]
    assert [code for code, _ in res.flags] == ["license-inferred"]


def test_name_terms_win_over_the_family():
    res = normalize_license_string("llama-5-research-only")
    assert res.method == "name-terms" and res.licenses[0].category == "non-commercial"


@pytest.mark.parametrize("name", ["acme-custom", "my-license", "license", "x", "v2"])
def test_names_with_neither_family_nor_terms_stay_unidentified(name):
    assert normalize_license_string(name).expression is None


def test_text_clauses_read_the_terms_an_unknown_licence_states():
    res = identify_text(COMMUNITY_TEXT)
    assert res.method == "text-clauses"
    (facts,) = res.licenses
    assert facts.category == "community" and facts.commercial_use == "conditional"
    assert facts.use_restrictions and facts.export_clause and facts.governing_law == "CN"
    assert facts.naming and "Nimbus" in facts.naming
    kinds = {e.split(":", 1)[0] for e in res.evidence}
    assert {"user-threshold", "use-restrictions", "naming", "governing-law", "export"} <= kinds
    assert any("50 million monthly active users" in e for e in res.evidence)


def test_text_clauses_commercial_ban_is_non_commercial():
    text = "Orbit Weights Terms\n\nThe weights may be used for academic research purposes only.\n"
    res = identify_text(text)
    assert res.licenses[0].category == "non-commercial" and res.licenses[0].commercial_use is False


def test_an_inferred_licence_in_a_card_field_is_never_an_unqualified_allow(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: other\nlicense_name: openmdw-9.0\n---\n")
    code, report = _check(str(folder))
    model = report["models"][0]
    assert model["license"]["method"] == "family"
    # another major version of OpenMDW: its terms may have changed, so never more than community
    assert model["license"]["licenses"][0]["category"] == "community"
    inferred = [f for f in model["findings"] if f["code"] == "license-inferred"]
    assert {f["posture"] for f in inferred} == set(model["verdicts"])
    assert all(f["severity"] == "warn" for f in inferred)
    assert "allow" not in model["verdicts"].values() and code == 0


def test_explain_quotes_the_sentences_relied_on(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: other\n---\n")
    (folder / "LICENSE").write_text(COMMUNITY_TEXT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["explain", str(folder)])
    text = out.getvalue()
    assert "via text-clauses" in text
    assert "evidence: user-threshold:" in text and "monthly active users" in text


def test_card_with_an_unknown_name_and_a_licence_text_uses_both():
    res = normalize_declared(Declared(license="other", license_name="nimbus-nc"), COMMUNITY_TEXT)
    cats = {f.category for f in res.licenses}
    assert cats == {"non-commercial", "community"}
    assert {code for code, _ in res.flags} == {"license-inferred", "license-conflict"}


def _check(*targets: str) -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main(["check", "--offline", "--format", "json", "--fail-on", "never", *targets])
    return int(exc.value.code or 0), json.loads(out.getvalue())
