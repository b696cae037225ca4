"""Model licences of 2025-2026 cards (second round): each card spelling resolves through the real loader to the
knowledge-base entry written for it, with the category, commercial use and facts its licence text (or, where
`verified` is false, its primary page) settles."""

from __future__ import annotations

import pytest

from licensecheck.licenses import facts
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb, normalize_license_string
from licensecheck.model import Declared
from tests.kb_cards import check_card_spelling, distill_restricted, facts_of

# (card license_name, licence id, category, commercial_use, verified)
CARD_NAMES = [
    ("fastweb", "LicenseRef-licensecheck-fastweb-miia-nc", "non-commercial", False, False),
    (
        "timesfm-non-commercial-license-v1.0",
        "LicenseRef-licensecheck-google-timesfm-nc-1.0",
        "non-commercial",
        False,
        False,
    ),
    (
        "tabfm-non-commercial-license-v1.0",
        "LicenseRef-licensecheck-google-tabfm-nc-1.0",
        "non-commercial",
        False,
        False,
    ),
    (
        "tabpfn-3-license-v1.0",
        "LicenseRef-licensecheck-priorlabs-tabpfn-3-1.0",
        "non-commercial",
        False,
        False,
    ),
    (
        "tabpfn-2.5-license-v1.0",
        "LicenseRef-licensecheck-priorlabs-tabpfn-2.5-nc",
        "non-commercial",
        False,
        False,
    ),
    (
        "tabpfn-2.6-license-v1.0",
        "LicenseRef-licensecheck-priorlabs-tabpfn-2.5-nc",
        "non-commercial",
        False,
        False,
    ),
    ("prior-labs-license", "LicenseRef-licensecheck-priorlabs-license", "permissive", True, True),
    ("ideogram-4-non-commercial", "LicenseRef-licensecheck-ideogram-4-nc", "non-commercial", False, False),
    (
        "krea-2-community-license",
        "LicenseRef-licensecheck-krea-2-community",
        "community",
        "conditional",
        False,
    ),
    ("krea-2-community", "LicenseRef-licensecheck-krea-2-community", "community", "conditional", False),
    (
        "futo-model-weights-license-1.0",
        "LicenseRef-licensecheck-futo-model-weights-1.0",
        "community",
        True,
        False,
    ),
    ("audarai-open-license-v1.0", "LicenseRef-licensecheck-audarai-open-1.0", "community", True, False),
    (
        "audarai-community-license-v1.0",
        "LicenseRef-licensecheck-audarai-community-1.0",
        "community",
        "conditional",
        False,
    ),
    ("s-lab-license-1.0", "LicenseRef-licensecheck-ntu-s-lab-1.0", "non-commercial", False, True),
    ("ntu-s-lab-license-1.0", "LicenseRef-licensecheck-ntu-s-lab-1.0", "non-commercial", False, True),
    (
        "insightface-non-commercial-research",
        "LicenseRef-licensecheck-insightface-nc-research",
        "non-commercial",
        False,
        False,
    ),
    ("ncslv1", "LicenseRef-licensecheck-nvidia-source-code-nc", "non-commercial", False, True),
    ("nsclv1", "LicenseRef-licensecheck-nvidia-oneway-nc", "non-commercial", False, False),
    (
        "nv-ai-foundation-models-license",
        "LicenseRef-licensecheck-nvidia-ai-foundation-models-community",
        "community",
        "conditional",
        False,
    ),
    ("hl3-full", "LicenseRef-licensecheck-hl3-full", "open-rail", True, False),
    ("HL3-MIL", "LicenseRef-licensecheck-hl3-full", "open-rail", True, False),
    (
        "polyform-shield-1.0.0",
        "LicenseRef-licensecheck-polyform-shield-1.0.0",
        "community",
        "conditional",
        True,
    ),
    (
        "polyform-perimeter-1.0.0",
        "LicenseRef-licensecheck-polyform-perimeter-1.0.0",
        "community",
        "conditional",
        True,
    ),
    (
        "polyform-strict-1.0.0",
        "LicenseRef-licensecheck-polyform-strict-1.0.0",
        "non-commercial",
        False,
        False,
    ),
    (
        "polyform-internal-use-1.0.0",
        "LicenseRef-licensecheck-polyform-internal-use-1.0.0",
        "proprietary",
        "conditional",
        True,
    ),
    (
        "polyform-free-trial-1.0.0",
        "LicenseRef-licensecheck-polyform-free-trial-1.0.0",
        "proprietary",
        False,
        True,
    ),
    (
        "fish-audio-research-license",
        "LicenseRef-licensecheck-fish-audio-research",
        "non-commercial",
        False,
        True,
    ),
    (
        "ltxv-open-weights-license-0.x",
        "LicenseRef-licensecheck-ltxv-open-weights-0.x",
        "community",
        "conditional",
        False,
    ),
    (
        "FunASR-Model-License-1.1",
        "LicenseRef-licensecheck-funasr-model-license-1.1",
        "permissive",
        True,
        False,
    ),
    ("funasr-model-license-1.0", "LicenseRef-licensecheck-funasr-model-license", "permissive", True, True),
    (
        "bilibili-model-license",
        "LicenseRef-scancode-bilibili-model-ula-2025-09-09",
        "community",
        "conditional",
        True,
    ),
    ("dinov3-license", "LicenseRef-licensecheck-meta-dinov3", "community", "conditional", True),
    ("sam-license", "LicenseRef-licensecheck-meta-sam", "community", "conditional", True),
    (
        "lfm-open-license-v1.0",
        "LicenseRef-licensecheck-liquidai-lfm-open-1.0",
        "community",
        "conditional",
        False,
    ),
]


@pytest.mark.parametrize(("name", "lid", "category", "commercial", "verified"), CARD_NAMES)
def test_a_card_spelling_resolves_to_its_entry(
    name: str, lid: str, category: str, commercial: bool | str, verified: bool
) -> None:
    check_card_spelling(name, lid, category, commercial, verified)


@pytest.mark.parametrize(
    ("link", "lid"),
    [
        (
            "https://www.fastweb.it/grandi-aziende/artificial-intelligence/Non-Commercial-License.pdf",
            "LicenseRef-licensecheck-fastweb-miia-nc",
        ),
        (
            "https://huggingface.co/google/timesfm-3.0-pytorch/blob/main/LICENSE",
            "LicenseRef-licensecheck-google-timesfm-nc-1.0",
        ),
        (
            "https://huggingface.co/ideogram-ai/ideogram-4-fp8/blob/main/LICENSE.md",
            "LicenseRef-licensecheck-ideogram-4-nc",
        ),
        (
            "https://huggingface.co/Comfy-Org/Krea-2/blob/main/LICENSE.pdf",
            "LicenseRef-licensecheck-krea-2-community",
        ),
        (
            "https://cdn.jsdelivr.net/gh/krea-ai/krea-2@db3984fbc6e13b34c0064990fc2d95ac64d00058/assets/LICENSE.pdf",
            "LicenseRef-licensecheck-krea-2-community",
        ),
        (
            "https://github.com/lisiyao21/Bailando/blob/master/LICENSE",
            "LicenseRef-licensecheck-ntu-s-lab-1.0",
        ),
        ("https://firstdonoharm.dev/version/3/0/full.html", "LicenseRef-licensecheck-hl3-full"),
        (
            "https://www.ai21.com/licenses/jamba-open-model-license",
            "LicenseRef-licensecheck-ai21-jamba-open-model",
        ),
        (
            "https://polyformproject.org/licenses/shield/1.0.0/",
            "LicenseRef-licensecheck-polyform-shield-1.0.0",
        ),
        (
            "https://www.audarai.com/license/audarai-open-license-v1.0/",
            "LicenseRef-licensecheck-audarai-open-1.0",
        ),
        (
            "https://huggingface.co/fishaudio/s2-pro/blob/main/LICENSE.md",
            "LicenseRef-licensecheck-fish-audio-research",
        ),
    ],
)
def test_a_licence_link_identifies_the_entry(link: str, lid: str) -> None:
    assert kb().lookup_link(link) == lid
    res = normalize_declared(Declared(license="other", license_name="some-name", license_link=link))
    assert res.expression == lid


def test_spdx_listed_polyform_and_hippocratic_core_stay_spdx() -> None:
    assert normalize_license_string("PolyForm-Noncommercial-1.0.0").licenses[0].category == "non-commercial"
    assert normalize_license_string("PolyForm-Small-Business-1.0.0").licenses[0].category == "community"
    core = normalize_license_string("Hippocratic-3.0-core").licenses[0]
    assert (core.category, core.commercial_use, core.use_restrictions) == ("open-rail", True, True)


def test_non_commercial_model_licences_ban_training_other_models() -> None:
    for lid in (
        "LicenseRef-licensecheck-fastweb-miia-nc",
        "LicenseRef-licensecheck-google-timesfm-nc-1.0",
        "LicenseRef-licensecheck-priorlabs-tabpfn-3-1.0",
        "LicenseRef-licensecheck-fish-audio-research",
    ):
        assert distill_restricted(lid), lid
    assert not distill_restricted("LicenseRef-licensecheck-ntu-s-lab-1.0")


def test_tabpfn_attribution_and_naming() -> None:
    tab3 = facts_of("LicenseRef-licensecheck-priorlabs-tabpfn-3-1.0")
    assert tab3.naming == "TabPFN" and "Prior Labs GmbH" in (tab3.attribution or "")
    code = facts_of("LicenseRef-licensecheck-priorlabs-license")
    assert (code.attribution, code.naming) == ("Built with PriorLabs-TabPFN", "TabPFN")
    assert {o.kind for o in code.obligations} == {"license-text", "attribution", "naming"}


def test_fish_audio_research_licencefacts_of() -> None:
    fish = facts_of("LicenseRef-licensecheck-fish-audio-research")
    assert (fish.governing_law, fish.attribution, fish.export_clause) == ("US", "Built with Fish Audio", True)
    assert fish.as_of == "2026-03-07"


def test_meta_vision_licences_read_from_their_texts() -> None:
    sam = facts_of("LicenseRef-licensecheck-meta-sam")
    assert (sam.governing_law, sam.user_limit, sam.export_clause) == ("US", None, True)
    assert sam.as_of == "2025-11-19"
    dino = facts_of("LicenseRef-licensecheck-meta-dinov3")
    assert dino.attribution == "Built with DINOv3" and dino.user_limit is None
    assert any("trade controls" in o.text for o in dino.obligations)


def test_futo_weights_require_an_end_user_notice() -> None:
    futo = facts_of("LicenseRef-licensecheck-futo-model-weights-1.0")
    assert futo.attribution == "powered by FUTO Swipe"
    assert "attribution" in {o.kind for o in futo.obligations}


def test_polyform_source_available_terms() -> None:
    shield = facts_of("LicenseRef-licensecheck-polyform-shield-1.0.0")
    assert shield.use_restrictions and shield.derivatives
    strict = facts_of("LicenseRef-licensecheck-polyform-strict-1.0.0")
    assert strict.derivatives is False
    trial = facts_of("LicenseRef-licensecheck-polyform-free-trial-1.0.0")
    assert any("32 consecutive days" in o.text for o in trial.obligations)


def test_revenue_capped_video_licences() -> None:
    ltxv = facts_of("LicenseRef-licensecheck-ltxv-open-weights-0.x")
    assert any("USD 10 million" in o.text for o in ltxv.obligations if o.kind == "user-cap")
    krea = facts_of("LicenseRef-licensecheck-krea-2-community")
    assert krea.user_limit is None and "user-cap" in {o.kind for o in krea.obligations}


def test_new_entries_are_dated_and_cite_primary_urls() -> None:
    new = [lid for _, lid, *_ in CARD_NAMES]
    for lid in new:
        lic = facts_of(lid)
        assert lic.as_of is not None and lic.as_of <= "2026-12-01", lid
        assert lic.sources[0].startswith("https://"), lid
        if not lic.verified:
            assert lic.notes and "Not settled" in lic.notes, lid


@pytest.mark.parametrize(
    ("name", "lid", "verified"),
    [
        ("exaone-ai-model-license-1.2-nc", "LicenseRef-licensecheck-exaone-ai-model-1.2-nc", False),
        ("apple-machine-learning-research-model-license", "LicenseRef-licensecheck-apple-amlr", True),
        ("flux-1-dev-non-commercial-license", "LicenseRef-scancode-flux-1-nc", True),
        ("mnpl-0.1", "LicenseRef-licensecheck-mistral-mnpl", False),
    ],
)
def test_research_and_non_commercial_model_licences(name: str, lid: str, verified: bool) -> None:
    res = normalize_declared(Declared(license="other", license_name=name))
    assert res.expression == lid
    (lic,) = res.licenses
    assert (lic.category, lic.commercial_use, lic.verified) == ("non-commercial", False, verified)


def test_hub_id_apple_amlr_reads_apples_research_licence() -> None:
    res = normalize_declared(Declared(license="apple-amlr"))
    (lic,) = res.licenses
    assert lic.id == "LicenseRef-licensecheck-apple-amlr" and lic.governing_law == "US"
    assert lic.attribution and "Apple Machine Learning Research Model License Agreement" in lic.attribution


def test_flux1_dev_licence_facts_from_its_text() -> None:
    flux = facts_of("LicenseRef-scancode-flux-1-nc")
    assert (flux.use_restrictions, flux.export_clause, flux.governing_law) == (True, True, "US")
    assert distill_restricted(flux.id)
    assert flux.sources[0].startswith("https://github.com/black-forest-labs/flux/")


def test_exaone_cards_keep_their_shared_name() -> None:
    """EXAONE 4.x cards still say `exaone`, which names the 1.1 agreement; both are non-commercial."""
    assert normalize_license_string("exaone").expression == "LicenseRef-scancode-exaone-ai-model-1.1-nc"
    assert distill_restricted("LicenseRef-licensecheck-exaone-ai-model-1.2-nc")


def test_new_publishers() -> None:
    base = facts.load()
    fastweb = base.publisher("Fastweb")
    assert fastweb is not None and fastweb.country == "IT"
    for org in ("Prior-Labs", "ideogram-ai", "krea", "futo-org", "audarai"):
        pub = base.publisher(org)
        assert pub is not None and pub.country is None, org


def test_hunyuanvideo_edition_read_from_tencents_text() -> None:
    link = "https://github.com/Tencent-Hunyuan/HunyuanVideo/blob/main/LICENSE.txt"
    lid = kb().lookup_link(link)
    assert lid == "LicenseRef-licensecheck-tencent-hunyuanvideo-community"
    video = facts_of(lid)
    assert (video.user_limit, video.governing_law, video.verified) == (100_000_000, "HK", True)
    assert video.territory_exclusions == ("EU", "GB", "KR") and distill_restricted(lid)


def test_grok2_and_lfm_keep_their_unsettled_flags() -> None:
    grok = facts_of("LicenseRef-licensecheck-grok2-community")
    assert grok.attribution == "Powered by xAI" and grok.verified is False
    lfm = facts_of("LicenseRef-licensecheck-liquidai-lfm-open-1.0")
    assert lfm.verified is False and any("liquid.ai/lfm-license" in link for link in lfm.links)


def test_an_spdx_listed_licence_has_real_spellings_as_aliases() -> None:
    # HL3's own short form for its core text; the SPDX id keeps its own facts and category
    res = normalize_license_string("HL3-CORE")
    assert res.expression == "Hippocratic-3.0-core" and res.method == "alias"
    assert res.licenses[0].category == "open-rail" and res.licenses[0].use_restrictions is True
    assert kb().lookup_alias("hl3-full") == "LicenseRef-licensecheck-hl3-full"  # a KB entry's alias wins


def test_an_spdx_facts_entry_with_a_misspelt_key_is_refused_by_the_schema() -> None:
    from licensecheck.errors import PolicyError
    from licensecheck.schema import kinds
    from licensecheck.schema.load import load_trusted

    good = (
        "as_of: '2026-12-01'\nlicenses: []\nspdx_facts:\n  Hippocratic-3.0-core:\n    aliases: [hl3-core]\n"
    )
    assert load_trusted(good, "licenses.yaml", kinds.KB_LICENSES)["spdx_facts"]
    with pytest.raises(PolicyError, match="aliasses"):
        load_trusted(good.replace("aliases", "aliasses"), "licenses.yaml", kinds.KB_LICENSES)
