"""Model licences the second scored 2025-2026 holdout (fresh4) met and the knowledge base lacked: each card
spelling resolves through the real loader to the entry written for it, with the category, commercial use and
facts its licence text (or, where `verified` is false, its primary page and the readings of it) settles."""

from __future__ import annotations

import pytest

from licensecheck.licenses import facts
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb, normalize_license_string
from licensecheck.model import Declared
from tests.kb_cards import check_card_spelling, check_dated_and_unsettled, distill_restricted, facts_of

ALPHAGENOME = "LicenseRef-licensecheck-deepmind-alphagenome-model-terms"
KOLORS = "LicenseRef-licensecheck-kuaishou-kolors-model"
MOONDREAM = "LicenseRef-licensecheck-moondream-model-1.0"
OLMOEARTH = "LicenseRef-licensecheck-ai2-olmoearth-artifact"
ISAAC = "LicenseRef-licensecheck-isaac-data-use-agreement"
ARIA = "LicenseRef-licensecheck-aria-aml-openrail-m"
NPL_11 = "LicenseRef-licensecheck-quran-lab-npl-1.1"
NPL_12 = "LicenseRef-licensecheck-quran-lab-npl-1.2"
NEURALQ = "LicenseRef-licensecheck-neuralq-restricted-1.0"
DOCFORENSICS = "LicenseRef-licensecheck-ginexys-docforensics-dual"
MOTIF = "LicenseRef-licensecheck-motif-license"
FALCON_MAMBA = "LicenseRef-licensecheck-falcon-mamba-7b"


# (card license_name as fresh4 cards spell it, licence id, category, commercial_use, verified)
CARD_NAMES = [
    ("alphagenome", ALPHAGENOME, "non-commercial", False, False),
    ("kolors", KOLORS, "non-commercial", False, False),
    ("moondream-model-license-1.0", MOONDREAM, "community", "conditional", False),
    ("olmoearth-artifact-license", OLMOEARTH, "open-rail", True, True),
    ("isaac-data-use-agreement", ISAAC, "non-commercial", False, True),
    ("aria-openrail-m", ARIA, "community", "conditional", False),
    ("quran-lab-npl-1.2", NPL_12, "non-commercial", False, False),
    ("neuralq-restricted-1.0", NEURALQ, "proprietary", False, True),
    ("docforensics-dual", DOCFORENSICS, "copyleft", True, True),
    ("motif-license", MOTIF, "community", "conditional", False),
    # the earlier version of the Quran-Lab licence, read in full in the publisher's repository
    ("quran-lab-npl-1.1", NPL_11, "non-commercial", False, True),
]


@pytest.mark.parametrize(("name", "lid", "category", "commercial", "verified"), CARD_NAMES)
def test_a_card_spelling_resolves_to_its_entry(
    name: str, lid: str, category: str, commercial: bool | str, verified: bool
) -> None:
    check_card_spelling(name, lid, category, commercial, verified)


def test_new_entries_are_dated_and_say_what_is_unsettled() -> None:
    check_dated_and_unsettled([lid for _, lid, *_ in CARD_NAMES])


@pytest.mark.parametrize(
    ("link", "lid"),
    [
        ("https://deepmind.google.com/science/alphagenome/model-terms", ALPHAGENOME),
        ("https://huggingface.co/Kwai-Kolors/Kolors-diffusers/blob/main/MODEL_LICENSE", KOLORS),
        ("https://moondream.ai/licenses/model/1.0", MOONDREAM),
        ("https://github.com/allenai/olmoearth_pretrain/blob/main/LICENSE", OLMOEARTH),
        (
            "https://github.com/BabakHemmatian/Illinois_Social_Attitudes/blob/main/Data_Use_Agreement.md",
            ISAAC,
        ),
        ("https://github.com/speri-psg/agentic-aml/blob/main/LICENSE_MODEL", ARIA),
        ("https://huggingface.co/Motif-Technologies/Motif-2.6B/blob/main/LICENSE", MOTIF),
        ("https://falconllm.tii.ae/falcon-mamba-7b-terms-and-conditions.html", FALCON_MAMBA),
    ],
)
def test_a_licence_link_identifies_the_entry(link: str, lid: str) -> None:
    assert kb().lookup_link(link) == lid


def test_the_card_pairs_as_the_holdout_wrote_them() -> None:
    """Each card with its link, as fresh4 lists it: the entry decides the category, never a family guess."""
    kolors = normalize_declared(
        Declared(
            license="other",
            license_name="kolors",
            license_link="https://huggingface.co/Kwai-Kolors/Kolors-diffusers/blob/main/MODEL_LICENSE",
        )
    )
    assert kolors.expression == KOLORS
    olmo = normalize_declared(
        Declared(
            license="other", license_name="olmoearth-artifact-license", license_link="LICENSE-OlmoEarth.txt"
        )
    )
    assert [lic.category for lic in olmo.licenses] == ["open-rail"]


def test_motif_cards_declaring_mit_read_as_mit_and_the_agreement() -> None:
    res = normalize_declared(Declared(license="mit", license_name="motif-license", license_link="LICENSE"))
    assert res.expression == f"MIT AND {MOTIF}"
    assert [lic.category for lic in res.licenses] == ["permissive", "community"]
    motif = facts_of(MOTIF)
    assert (motif.user_limit, motif.attribution) == (700_000_000, "Built with Motif")


def test_kolors_records_the_stricter_hub_edition() -> None:
    lic = facts_of(KOLORS)
    assert (lic.governing_law, lic.export_clause) == ("CN", True)
    assert "registration" in {o.kind for o in lic.obligations}
    assert distill_restricted(KOLORS)
    assert lic.notes and "300 million" in lic.notes  # the GitHub edition's threshold is named, not applied


def test_olmoearth_restrictions_travel_with_derivatives() -> None:
    lic = facts_of(OLMOEARTH)
    assert (lic.derivatives, lic.use_restrictions) == (True, True)
    assert lic.attribution and "Ai2" in lic.attribution
    aup = [o.text for o in lic.obligations if o.kind == "aup"]
    assert aup and "military" in aup[0] and "extractive" in aup[0]


def test_isaac_agreement_excludes_countries_of_concern() -> None:
    lic = facts_of(ISAAC)
    assert lic.territory_exclusions == ("CN", "RU", "IR", "KP", "CU", "VE")
    assert (lic.governing_law, lic.export_clause) == ("US", True)
    assert lic.attribution and "ISAAC" in lic.attribution


def test_restricted_and_dual_licences_from_their_texts() -> None:
    neuralq = facts_of(NEURALQ)
    assert (neuralq.derivatives, neuralq.as_of) == (False, "2026-08-25")
    dual = facts_of(DOCFORENSICS)
    assert dual.derivatives and any("network service" in o.text for o in dual.obligations)


def test_the_quran_lab_versions_stay_apart() -> None:
    assert facts_of(NPL_11).verified and not facts_of(NPL_12).verified
    text = "Quran-Lab No-Profit License\nVersion 1.1 (NPL-1.1)\n"
    res = normalize_declared(Declared(license="other"), license_text=text)
    assert (res.expression, res.method) == (NPL_11, "license-text")


def test_aria_is_the_aml_models_licence_not_rhymes_aria() -> None:
    aria = facts_of(ARIA)
    assert any("USD 2 million" in o.text for o in aria.obligations if o.kind == "user-cap")
    assert aria.notes and "Rhymes" in aria.notes


def test_falcon_mamba_spelling_keeps_the_unchanged_category() -> None:
    """TII's own GGUF cards say falcon-mamba-license; its text was not found, so the category stays."""
    res = normalize_license_string("falcon-mamba-license")
    assert res.expression == FALCON_MAMBA and res.licenses[0].category == "community"


def test_publishers_of_the_new_licences() -> None:
    base = facts.load()
    isaac = base.publisher("ISAAC-corpus")
    assert isaac is not None and isaac.country == "US"
    for org in ("moondream", "Motif-Technologies"):
        pub = base.publisher(org)
        assert pub is not None and pub.country is None, org
