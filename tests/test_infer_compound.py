"""Readings added after the fresh holdouts were scored: names built from known licences (joined by a
word, a known licence said to be changed, free-text clauses with a scope), name terms (RAIL, paid
licences), a licence link's file name, a link that identifies the licence over a family stand-in, and
licence texts that give their terms as a list after a colon.

The names are the shapes real 2025-2026 cards use (benchmarks/data/fresh*_cards.yaml); the publishers
and texts here are made up.
"""

from __future__ import annotations

import pytest

from licensecheck.licenses import infer
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import UNIDENTIFIED_PREFIX, kb, normalize_license_string
from licensecheck.model import Declared

LFM = "LicenseRef-licensecheck-liquidai-lfm-open-1.0"


@pytest.mark.parametrize(
    ("name", "expression"),
    [
        ("apache-2.0-and-lfm1.0", f"Apache-2.0 AND {LFM}"),
        ("mit-and-cc-by-nc-4.0", "MIT AND CC-BY-NC-4.0"),
        ("MIT + CC-BY-4.0", "MIT AND CC-BY-4.0"),
        ("apache_2.0_and_mit", "Apache-2.0 AND MIT"),
        ("apache-2.0-or-mit", "Apache-2.0 OR MIT"),
    ],
)
def test_names_joined_by_a_word_are_their_expression(name, expression):
    res = normalize_license_string(name)
    assert res.expression == expression and res.method == "compound-name"
    assert {f.id for f in res.licenses} == set(expression.replace(" AND ", " ").replace(" OR ", " ").split())


def test_a_joined_part_that_is_inferred_keeps_its_evidence_and_flag():
    res = normalize_license_string("apache-2.0-and-zeta-research-license")
    ids = [f.id for f in res.licenses]
    assert ids[0] == "Apache-2.0" and ids[1].startswith(infer.PREFIX)
    assert res.licenses[1].category == "non-commercial"
    assert [code for code, _ in res.flags] == ["license-inferred"]


def test_an_or_never_takes_an_inferred_branch():
    # `apache-2.0 OR <unknown research licence>` would be as permissive as Apache: read as one name
    res = normalize_license_string("apache-2.0-or-zeta-research-license")
    assert res.method != "compound-name"
    assert res.licenses[0].category == "non-commercial"


@pytest.mark.parametrize("name", ["research-and-development", "and-mit", "zeta-and-omega-terms"])
def test_a_name_with_and_that_names_no_known_licence_is_read_whole(name):
    assert normalize_license_string(name).method != "compound-name"


def test_a_known_licence_beside_terms_nobody_read_is_not_that_licence_alone():
    res = normalize_license_string("Qwen License + Project Additional Terms")
    assert res.method == "compound-name"
    ids = [f.id for f in res.licenses]
    assert ids[0] == kb().lookup_alias("qwen") and ids[1] == UNIDENTIFIED_PREFIX + "project-additional-terms"
    assert res.licenses[1].category == "unknown"  # the AND is as strict as its unknown term


def test_with_joins_a_known_licence_and_a_known_rider():
    base = kb().extend(
        [{"id": "LicenseRef-zeta-rider", "category": "proprietary", "aliases": ["zeta-rider"]}], []
    )
    res = normalize_license_string("apache-2.0-with-zeta-rider", base)
    assert res.expression == "Apache-2.0 AND LicenseRef-zeta-rider" and res.method == "compound-name"
    # any other `with` is a change to the licence, read by the family inference (capped at community)
    changed = normalize_license_string("mit-with-attribution", base)
    assert changed.method == "family" and changed.licenses[0].category == "community"


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("modified-apache-2.0", "Apache-2.0"),
        ("MIT License (modified)", "MIT"),
        ("cc-by-4.0-with-aup", "CC-BY-4.0"),
    ],
)
def test_a_known_licence_said_to_be_changed_takes_its_facts_capped_at_community(name, base):
    res = normalize_license_string(name)
    assert res.method == "family"
    (facts,) = res.licenses
    assert facts.id.startswith(infer.PREFIX) and base in res.evidence[0]
    assert facts.category == "community" and facts.commercial_use == "conditional"
    assert kb().facts(base).category == "permissive"  # the cap is what made it community
    assert [code for code, _ in res.flags] == ["license-inferred"]


def test_a_changed_non_commercial_licence_stays_non_commercial():
    res = normalize_license_string("cc-by-nc-4.0-modified")
    assert res.licenses[0].category == "non-commercial"


@pytest.mark.parametrize("name", ["apache-2.0-for-models", "mit-license-v2-acme", "with-restrictions"])
def test_other_words_beside_a_known_licence_are_not_a_modification(name):
    assert normalize_license_string(name).expression is None


def test_a_link_whose_file_name_states_the_terms_names_the_other_term():
    card = Declared(
        license="other",
        license_name="zetaweb",
        license_link="https://www.zetaweb.example/ai/Non-Commercial-License.pdf",
    )
    res = normalize_declared(card)
    (facts,) = res.licenses
    assert facts.category == "non-commercial" and facts.commercial_use is False
    assert res.method == "name-terms" and "license_link" in (res.detail or "")
    assert [code for code, _ in res.flags] == ["license-inferred"]


@pytest.mark.parametrize(
    "link", ["https://huggingface.co/zeta/m/blob/main/LICENSE", "https://zeta.example/terms", ""]
)
def test_a_link_to_a_generic_file_names_nothing(link):
    card = Declared(license="other", license_name="zetaweb", license_link=link or None)
    assert normalize_declared(card).expression is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nscl-v1", "LicenseRef-licensecheck-nvidia-oneway-nc"),  # the KB spells it `nsclv1`
        ("lfm-1.0", LFM),  # and this one `lfm1.0`
        ("LFM 1", LFM),
    ],
)
def test_a_known_alias_with_other_separators_or_a_dropped_dot_zero_is_that_licence(name, expected):
    res = normalize_license_string(name)
    assert res.expression == expected and res.method == "alias"


def test_a_squashed_spelling_two_licences_share_names_neither():
    base = kb()
    two = base.extend(
        [
            {"id": "LicenseRef-zeta-a", "category": "permissive", "aliases": ["zeta-x1"]},
            {"id": "LicenseRef-zeta-b", "category": "non-commercial", "aliases": ["zetax-1"]},
        ],
        [],
    )
    assert two.lookup_alias("zeta-x1") == "LicenseRef-zeta-a"  # the exact spelling still names its own
    assert two.lookup_squashed("zeta x 1") is None


@pytest.mark.parametrize(
    ("name", "category", "commercial"),
    [
        ("zeta-open-rail-m", "open-rail", "conditional"),
        ("zeta-rail", "open-rail", "conditional"),
        ("zeta-openrail++", "open-rail", "conditional"),
        ("zeta-research-rail-m", "non-commercial", False),  # the stricter term wins
        ("zeta-commercial-model-license-v1", "proprietary", False),
        ("licenseref-zeta-commercial", "proprietary", False),
        ("zeta-developer-license", "proprietary", False),
        ("zeta-model-eula", "proprietary", False),
        ("cc-by-nc-4.0-commercial", "non-commercial", False),  # a non-commercial term is not a paid licence
        ("zeta-weights-review-only", "non-commercial", False),
    ],
)
def test_names_that_state_rail_paid_or_review_terms(name, category, commercial):
    res = normalize_license_string(name)
    assert res.method == "name-terms", res
    (facts,) = res.licenses
    assert (facts.category, facts.commercial_use) == (category, commercial)
    assert [code for code, _ in res.flags] == ["license-inferred"]


@pytest.mark.parametrize(
    "name", ["free-for-commercial-use", "commercial-use-allowed", "zeta-rails-app", "pending-review"]
)
def test_commercial_use_words_and_other_rails_state_no_terms(name):
    assert normalize_license_string(name).expression is None


SDXL_LINK = "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/blob/main/LICENSE.md"


def test_a_link_that_identifies_the_licence_replaces_a_family_stand_in_for_the_name():
    family = normalize_license_string("stable-zeta-9-license")
    assert family.method == "family"  # alone, the name takes the publisher's strictest licence
    card = Declared(license="other", license_name="stable-zeta-9-license", license_link=SDXL_LINK)
    res = normalize_declared(card)
    assert res.method == "license-link" and res.licenses[0].category == "open-rail"
    assert [f.id for f in res.licenses] == [kb().lookup_link(SDXL_LINK)]


def test_terms_the_name_states_stay_beside_the_link():
    card = Declared(license="other", license_name="zeta-research", license_link=SDXL_LINK)
    res = normalize_declared(card)
    assert {f.category for f in res.licenses} == {"non-commercial", "open-rail"}
    assert any(code == "license-conflict" for code, _ in res.flags)


@pytest.mark.parametrize(
    ("name", "expression"),
    [
        (
            "Apache-2.0 base weights and ZetaQuant; GPL-3.0 project runtime and adapter",
            "Apache-2.0 AND GPL-3.0-only",
        ),
        ("Apache 2.0 for the weights", "Apache-2.0"),
        ("MIT, Apache-2.0", "MIT AND Apache-2.0"),
    ],
)
def test_free_text_names_say_which_licence_covers_what(name, expression):
    res = normalize_license_string(name)
    assert res.expression == expression and res.method == "compound-name"


def test_a_clause_without_a_licence_is_an_unidentified_term_of_the_and():
    res = normalize_license_string("Apache 2.0 for the backbone, project artifact terms pending")
    assert [f.category for f in res.licenses] == ["permissive", "unknown"]


@pytest.mark.parametrize(
    "name",
    [
        "GPL v3",  # a family with a version is not a licence with a scope
        "GPL version 3 for code",
        "MIT 2024",
        "Apache 2.0 weights derived from Llama 3",  # the rest names another licence
        "MIT for non-commercial use",  # the rest states terms
        "Apache 2.0 plus custom terms",
    ],
)
def test_words_after_a_licence_that_are_not_a_plain_scope_do_not_make_it_that_licence(name):
    res = normalize_license_string(name)
    assert res.method != "compound-name" or any(f.category != "permissive" for f in res.licenses)
    assert res.expression not in ("MIT", "Apache-2.0")


LISTED_TERMS = """# Zeta Weights Licence

The weights are provided only for:

- academic research
- peer review

You may not:

- market, sell, sublicense, or commercially host the weights
- use the weights in clinical care
"""

LISTED_GRANT = """# Zeta Weights Licence

You may:

- use the weights commercially
- redistribute them with this notice
"""


def test_terms_given_as_a_list_after_a_colon_are_read_with_the_words_that_introduce_them():
    from licensecheck.licenses import clauses
    from licensecheck.licenses.normalize import identify_text

    found = clauses.clauses(LISTED_TERMS)
    assert "commercial-ban" in found and any("commercially host" in s for s in found["commercial-ban"])
    res = identify_text(LISTED_TERMS)
    assert res.method == "text-clauses" and res.licenses[0].category == "non-commercial"
    assert "commercial-ban" not in clauses.clauses(LISTED_GRANT)  # a grant in a list is not a ban


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("llama2-with-training-data-terms", "LicenseRef-scancode-llama-2-license-2023"),  # fresh5's real miss
        ("apache-2.0-with-restrictions", "Apache-2.0"),
        ("mit-plus-extra-conditions", "MIT"),  # `plus` joins like `and`
    ],
)
def test_a_known_licence_with_terms_added_is_never_read_as_that_licence(name, known):
    res = normalize_license_string(name)
    assert res.method == "compound-name"
    assert res.licenses[0].id == known
    assert res.licenses[1].id.startswith(UNIDENTIFIED_PREFIX) and res.licenses[1].category == "unknown"


@pytest.mark.parametrize("name", ["custom-mit", "apache-2.0-additional-terms"])
def test_added_terms_without_a_joiner_stay_unidentified(name):
    assert normalize_license_string(name).expression is None


def test_a_joined_part_that_names_a_known_licence_s_terms_is_that_licence():
    res = normalize_license_string("nvidia-open-model-license-with-llama3.1-terms")
    assert res.method == "compound-name" and len(res.licenses) == 2
    assert res.licenses[1].id == normalize_license_string("llama3.1").expression


def test_a_name_of_more_parts_than_real_names_have_is_not_read_part_by_part():
    from licensecheck.licenses import compound

    many = ", ".join(["MIT"] * (compound.MAX_PARTS + 1))
    assert normalize_license_string(many).method != "compound-name"
    assert normalize_license_string(", ".join(["MIT"] * compound.MAX_PARTS)).expression == "MIT"


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        (
            "# Notices\n\nThe weights are released under the Apache License, Version 2.0.\n"
            "The code is licensed under MIT.\n",
            "Apache-2.0 AND MIT",
        ),
        (
            "Zeta model\n\nThe weights are available under the terms of the Llama 3.1 Community License Agreement.\n",
            "LicenseRef-scancode-llama-3.1-license-2024",
        ),
    ],
)
def test_a_notice_that_names_licences_in_sentences_is_their_and_flagged_inferred(text, expression):
    from licensecheck.licenses.normalize import identify_text

    res = identify_text(text)
    assert res.expression == expression and res.method == "text-statement"
    assert [code for code, _ in res.flags] == ["license-inferred"]  # a sentence was read, not a licence


def test_a_stated_name_nobody_knows_is_inferred_or_unidentified_never_dropped():
    from licensecheck.licenses.normalize import identify_text

    res = identify_text(
        "The weights are distributed under the Zeta Research License.\nThe code is under MIT.\n"
    )
    assert res.licenses[0].category == "non-commercial"  # the name states its terms
    res = identify_text("Weights released under the Zeta Model License. Code released under MIT.")
    assert [f.category for f in res.licenses] == ["unknown", "permissive"]


@pytest.mark.parametrize(
    "text",
    [
        "This model is not licensed under MIT.\n",  # negated
        "The work was done under the supervision of Prof. Example.\n",  # no licence named
    ],
)
def test_sentences_that_name_no_licence_given_identify_nothing(text):
    from licensecheck.licenses.normalize import identify_text

    assert identify_text(text).expression is None


def test_a_notice_s_own_commercial_ban_stays_beside_the_licence_it_names():
    from licensecheck.licenses.normalize import identify_text

    res = identify_text(
        "The weights are released under the MIT license. You may not use them for commercial purposes."
    )
    assert {f.category for f in res.licenses} == {"permissive", "non-commercial"}


def test_a_licence_a_notice_names_in_a_sentence_does_not_replace_a_family_reading_of_the_name():
    card = Declared(license="other", license_name="llama-5-community-license")
    res = normalize_declared(card, "The weights are distributed under the MIT license.")
    assert {f.category for f in res.licenses} == {"community", "permissive"}  # both apply
    assert any(code == "license-conflict" for code, _ in res.flags)


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("propietaria", "proprietary"),  # a real 2026 card's name (fresh5)
        ("licence-propriétaire", "proprietary"),
        ("todos los derechos reservados", "proprietary"),
        ("licenza-non-commerciale", "non-commercial"),
        ("licença não comercial", "non-commercial"),
        ("nicht-kommerziell", "non-commercial"),
    ],
)
def test_name_terms_in_other_languages(name, category):
    res = normalize_license_string(name)
    assert res.method == "name-terms" and res.licenses[0].category == category


@pytest.mark.parametrize(
    "text",
    [
        # grants rights itself; the MIT licence is only its predecessor's
        "Quill Weights Licence\n\nThe Licensor hereby grants you a worldwide licence to use the Work.\n"
        "Quill is released under this Licence rather than under the MIT License its earlier versions used.\n",
        # calls itself "this License" throughout (a defined term), and mentions Apache in passing
        "Heron Terms\n\nThis License covers the Heron weights. Anyone bound by this License keeps the notice.\n"
        "Parts once distributed under the Apache License 2.0 are not covered. This License ends on breach.\n",
    ],
)
def test_a_licence_text_of_its_own_is_not_the_and_of_the_licences_it_mentions(text):
    from licensecheck.licenses.normalize import identify_text

    res = identify_text(text)
    assert res.method != "text-statement"
    assert not {"MIT", "Apache-2.0"} & {f.id for f in res.licenses}


def test_plus_joins_like_and_and_the_link_never_drops_the_unread_part():
    from licensecheck.licenses.declared import normalize_declared
    from licensecheck.sources.card import declared_from

    res = normalize_license_string("mit plus cc-by-nc-4.0")
    assert res.expression == "MIT AND CC-BY-NC-4.0" and res.method == "compound-name"
    card = {
        "license": "other",
        "license_name": "NVIDIA Nemotron Open Model License plus pending adapter license review",
        "license_link": "https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-nemotron-open-model-license/",
    }
    res = normalize_declared(declared_from(card))
    assert res.expression is not None
    assert "LicenseRef-licensecheck-nvidia-nemotron-open-model" in res.expression
    assert any(f.category == "unknown" for f in res.licenses)  # the pending part stays in the AND
