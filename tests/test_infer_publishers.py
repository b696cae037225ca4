"""Generalising from a publisher's licences, toward the stricter reading: the licence link's publisher,
"open model licence" names, and version-bumped names of known licences. Every licence and publisher
here is invented for these tests (a knowledge base extended as a user's config would extend it)."""

from __future__ import annotations

import pytest

from licensecheck.licenses import infer, publishers
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb, normalize_license_string
from licensecheck.model import Declared

SOURCE = {"sources": ["https://example.org/terms"], "as_of": "2026-01-01"}


def _kb(extra_licences=(), extra_publishers=()):
    licences = [
        {  # a verified permissive licence with a version in its name
            "id": "LicenseRef-test-quokka-q2",
            "name": "Quokka Q2 License",
            "category": "permissive",
            "commercial_use": True,
            "aliases": ["quokka-q2"],
            "links": ["huggingface.co/quokkalabs/Quokka-Q2/blob/main/LICENSE"],
            "verified": True,
            **SOURCE,
        },
        {  # the same publisher's next major version: a community licence
            "id": "LicenseRef-test-quokka-q3",
            "name": "Quokka Q3 License",
            "category": "community",
            "commercial_use": "conditional",
            "aliases": ["quokka-q3"],
            "verified": True,
            **SOURCE,
        },
        {  # an unverified permissive entry
            "id": "LicenseRef-test-wombat-w1",
            "name": "Wombat W1 License",
            "category": "permissive",
            "commercial_use": True,
            "aliases": ["wombat-w1"],
            "verified": False,
            **SOURCE,
        },
        {  # a publisher with a non-commercial and a community licence, cited on its site and Hub org
            "id": "LicenseRef-test-platypus-nc",
            "name": "Platypus Research Non-Commercial License",
            "category": "non-commercial",
            "commercial_use": False,
            "aliases": ["platypus-research-nc"],
            "sources": ["https://huggingface.co/platypus-ai/Duck-1/blob/main/LICENSE"],
            "as_of": "2026-01-01",
            "verified": True,
        },
        {
            "id": "LicenseRef-test-monotreme-community",
            "name": "Monotreme Community License Agreement",
            "category": "community",
            "commercial_use": "conditional",
            "aliases": ["monotreme-community"],
            "sources": ["https://platypus.example/legal/community-license"],
            "as_of": "2026-01-01",
            "verified": True,
        },
        *extra_licences,
    ]
    pubs = [
        {
            "orgs": ["platypus-ai"],
            "name": "Platypus AI",
            "kind": "company",
            "country": "AU",
            "sources": ["https://platypus.example/about"],
            "as_of": "2026-01-01",
        },
        {
            "orgs": ["kangaroo-quants"],
            "name": "Kangaroo Quants",
            "kind": "re-uploader",
            "sources": ["https://huggingface.co/kangaroo-quants"],
            "as_of": "2026-01-01",
        },
        *extra_publishers,
    ]
    return kb().extend(licences, pubs)


# ---- version-bumped names ---------------------------------------------------------------------------
def test_a_minor_version_of_a_verified_licence_takes_its_facts():
    inf = infer.from_version("quokka-q2.6", _kb())
    assert inf is not None and inf.method == "family"
    assert inf.facts.category == "permissive" and inf.facts.commercial_use is True
    assert "LicenseRef-test-quokka-q2" in inf.evidence[0]
    assert inf.facts.id.startswith(infer.PREFIX) and not inf.facts.verified


def test_a_new_major_version_is_never_more_permissive_than_community():
    inf = infer.from_version("quokka-q4", _kb())
    assert inf is not None
    assert inf.facts.category == "community" and inf.facts.commercial_use == "conditional"


def test_an_unverified_licence_is_not_promoted_to_permissive_by_a_version_bump():
    inf = infer.from_version("wombat-w1.5", _kb())
    assert inf is not None
    assert inf.facts.category == "community"
    assert "not read" in inf.evidence[0]


def test_a_version_bump_is_read_on_a_card_and_flagged():
    res = normalize_declared(Declared(license="other", license_name="quokka-q2.6"), base=_kb())
    assert res.expression is not None and res.expression.startswith(infer.PREFIX)
    assert res.licenses[0].category == "permissive"
    assert any(code == "license-inferred" for code, _ in res.flags)


def test_other_words_are_not_a_version_bump():
    assert infer.from_version("quokka-x2.6", _kb()) is None
    assert infer.from_version("quokka-q2", _kb()) is None  # the known name itself
    assert infer.from_version("quokka", _kb()) is None


# ---- "open model licence" and "community licence" names --------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "emu-open-model-license",
        "Emu Open Model License Agreement",
        "emu-open-weights-license",
        "emu-open-license-v2",
        "cassowary-community-license",
    ],
)
def test_open_model_and_community_names_read_as_community(name):
    res = normalize_license_string(name, _kb())
    assert res.expression is not None
    assert res.licenses[0].category == "community"
    assert res.licenses[0].commercial_use == "conditional"
    assert any(code == "license-inferred" for code, _ in res.flags)


def test_an_open_model_name_of_a_permissive_family_is_capped_at_community():
    res = normalize_license_string("quokka-q2.6-open-model-license", _kb())
    assert res.licenses[0].category == "community"


def test_an_open_model_name_that_states_a_restriction_keeps_it():
    res = normalize_license_string("emu-open-model-research-only-license", _kb())
    assert res.licenses[0].category == "non-commercial"


# ---- the publisher of a licence link ---------------------------------------------------------------
def test_url_keys():
    assert publishers.url_keys("https://huggingface.co/Platypus-AI/Duck-2/blob/main/LICENSE") == {
        "hf:platypus-ai"
    }
    assert publishers.url_keys("https://www.platypus.example/x") == {"web:platypus.example"}
    assert publishers.url_keys("https://docs.platypus.co.uk/x") == {"web:platypus.co.uk"}
    assert publishers.url_keys("LICENSE") == frozenset()
    assert publishers.url_keys("https://spdx.org/licenses/MIT.html") == frozenset()
    assert publishers.url_keys("https://huggingface.co/spaces/platypus-ai/demo") == {"hf:platypus-ai"}


def test_a_link_on_a_publishers_hub_org_takes_its_strictest_licence():
    declared = Declared(
        license="other",
        license_name="duck-9",
        license_link="https://huggingface.co/platypus-ai/Duck-9/blob/main/LICENSE",
    )
    res = normalize_declared(declared, base=_kb())
    assert res.expression is not None and res.method == "family"
    assert res.licenses[0].category == "non-commercial"
    assert any(code == "license-inferred" for code, _ in res.flags)
    assert "platypus-ai" in res.evidence[0]


def test_a_link_on_a_publishers_site_with_a_community_name_takes_its_community_licence():
    declared = Declared(
        license="other",
        license_name="duck-9-community",
        license_link="https://www.platypus.example/duck-9-terms",
    )
    res = normalize_declared(declared, base=_kb())
    assert res.licenses[0].category == "community"


def test_a_link_of_a_permissive_publisher_is_capped_at_community():
    declared = Declared(
        license="other",
        license_name="quokka-z",
        license_link="https://huggingface.co/quokkalabs/Quokka-Z/blob/main/LICENSE",
    )
    res = normalize_declared(declared, base=_kb())
    assert res.licenses[0].category == "community"


def test_a_re_uploaders_link_or_an_unknown_site_says_nothing():
    for link in (
        "https://huggingface.co/kangaroo-quants/Duck-9-GGUF/blob/main/LICENSE",
        "https://nobody.example/terms",
        "LICENSE",
    ):
        res = normalize_declared(
            Declared(license="other", license_name="duck-9", license_link=link), base=_kb()
        )
        assert res.expression is None, link


def test_a_link_beside_a_known_license_id_is_not_a_conflict():
    declared = Declared(
        license="apache-2.0", license_link="https://huggingface.co/platypus-ai/Duck-9/blob/main/LICENSE"
    )
    res = normalize_declared(declared, base=_kb())
    assert res.expression == "Apache-2.0"
    assert not res.flags


def test_a_name_stated_by_the_publishers_kin_picks_the_stated_category():
    # `monotreme-...` names nothing the KB holds under that lead word except the community licence;
    # `platypus-...-community` finds the publisher's licences through its non-commercial one
    res = normalize_license_string("platypus-duck-community", _kb())
    assert res.licenses[0].category == "community"
    res = normalize_license_string("platypus-duck-9", _kb())
    assert res.licenses[0].category == "non-commercial"
