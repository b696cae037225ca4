"""Names that keep a model in-house are `proprietary`; a name that contradicts itself states nothing.

The names here are made up for these tests; what they test is the reading of a name's own words.
"""

from __future__ import annotations

import pytest

from licensecheck.licenses import infer
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.facts import CATEGORY_RANK
from licensecheck.licenses.normalize import kb
from licensecheck.model import Declared


@pytest.mark.parametrize(
    "name",
    [
        "zephyrix-internal",
        "Zephyrix Internal Use License",
        "zephyrix-internal-only",
        "zephyrix-internal-use-only",
        "zephyrix-no-redistribution",
        "Zephyrix Not For Redistribution Licence",
        "zephyrix-do-not-distribute",
        "zephyrix-all-rights-reserved",
        "zephyrix-proprietary",
        "Zephyrix Confidential Model Terms",
    ],
)
def test_in_house_terms_are_proprietary(name: str) -> None:
    inf = infer.from_name_terms(name)
    assert inf is not None and inf.method == "name-terms"
    assert inf.facts.category == "proprietary"
    assert inf.facts.commercial_use is False and inf.facts.derivatives is False


@pytest.mark.parametrize(
    "name",
    ["zephyrix-internal-research", "zephyrix-research-internal-only", "zephyrix-nc-confidential"],
)
def test_in_house_term_wins_over_a_research_term(name: str) -> None:
    inf = infer.from_name(name, kb())
    assert inf is not None and inf.facts.category == "proprietary"


@pytest.mark.parametrize("name", ["international-model-license", "zephyrix-internals-license"])
def test_words_that_only_begin_like_internal_are_not_a_term(name: str) -> None:
    inf = infer.from_name_terms(name, community=False)
    assert inf is None or inf.facts.category != "proprietary"


@pytest.mark.parametrize(
    "name", ["permissive-research", "Zephyrix Permissive Non-Commercial", "zephyrix-nc-permissive-license"]
)
def test_permissive_with_a_research_term_states_nothing(name: str) -> None:
    base = kb()
    assert infer.contradictory(name)
    assert infer.from_name_terms(name) is None
    assert infer.from_name(name, base) is None
    # through the card: unidentified (the strictest reading), never a permissive category
    got = normalize_declared(Declared(license="other", license_name=name), "card", base)
    assert got.expression is None


def test_a_contradictory_name_does_not_take_its_publishers_licences() -> None:
    # a link on a known publisher's site would otherwise give that publisher's strictest licence,
    # capped at `community`: more permissive than a research-only reading
    base = kb()
    link = "https://huggingface.co/nvidia/zephyrix/blob/main/LICENSE"
    assert infer.from_link(link, base, "zephyrix-permissive-research") is None
    stated = infer.from_link(link, base, "zephyrix-research-only")
    assert stated is not None and stated.facts.category == "non-commercial"


@pytest.mark.parametrize("name", ["zephyrix-open-research-license", "zephyrix-open-model-research-only"])
def test_open_with_a_research_term_is_never_more_permissive_than_non_commercial(name: str) -> None:
    inf = infer.from_name(name, kb())
    assert inf is not None
    assert CATEGORY_RANK[inf.facts.category] <= CATEGORY_RANK["non-commercial"]


def test_research_alone_is_still_non_commercial() -> None:
    inf = infer.from_name_terms("zephyrix-research-only")
    assert inf is not None and inf.facts.category == "non-commercial"
    assert CATEGORY_RANK["proprietary"] < CATEGORY_RANK["non-commercial"]
