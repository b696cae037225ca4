"""A card whose licence name defers to its base model (`same-as-base-model`, `see-base-model`,
`upstream-licenses-apply`) is read through its lineage: the AND of its bases' licences, flagged
`license-inferred`; with a base that is not read or not identified it stays unidentified. Judged offline
from a lockfile, through the real engine."""

from __future__ import annotations

import pytest

from licensecheck.licenses.deferral import defers
from licensecheck.licenses.normalize import normalize_license_string
from tests.factory import audit_lock


def card(license=None, name=None, bases=()):
    return {
        "license": license,
        "license_name": name,
        "license_link": None,
        "base_models": list(bases),
        "tags": [],
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("same-as-base-model", True),
        ("see-base-model", True),
        ("TODO-copy-from-base-model", True),
        ("upstream-licenses-apply", True),
        ("inherits-base-model-license", True),
        ("llama-base", False),  # a licence name with a base word is not a deferral
        ("open-source", False),
        ("upstream-license-review-needed", False),
    ],
)
def test_what_a_deferring_name_is(name, expected):
    assert defers(name) is expected


def test_a_deferring_name_alone_is_never_inferred_from_its_words():
    assert normalize_license_string("see-source-models").expression is None


def test_a_card_that_defers_takes_its_base_models_licence(tmp_path):
    models = {
        "acme/base": card("cc-by-nc-4.0"),
        "someone/ft": card("other", "same-as-base-model", ["acme/base"]),
    }
    report = audit_lock(tmp_path, models, ["commercial"], targets=["someone/ft"])
    (m,) = report.models
    assert m.resolution.expression == "CC-BY-NC-4.0" and m.resolution.method == "base-model"
    assert m.verdicts["commercial"] == "deny"
    codes = {f.code for f in m.findings}
    assert "license-inferred" in codes and "non-commercial" in codes
    assert "license-unknown" not in codes


def test_a_chain_of_deferring_cards_resolves_bases_first(tmp_path):
    models = {
        "acme/base": card("mit"),
        "mid/ft": card("other", "see-base-model", ["acme/base"]),
        "top/quant": card("other", "same-as-original", ["mid/ft"]),
    }
    report = audit_lock(tmp_path, models, ["commercial"], targets=["top/quant"])
    assert report.models[0].resolution.expression == "MIT"


@pytest.mark.parametrize(
    "bases",
    [
        {"acme/base": card("other", "zeta-unknown-terms")},  # the base's licence is not identified
        {},  # the base is not in the lockfile: not read
    ],
)
def test_a_base_that_says_nothing_leaves_the_card_unidentified(tmp_path, bases):
    models = {**bases, "someone/ft": card("other", "same-as-base-model", ["acme/base"])}
    report = audit_lock(tmp_path, models, ["commercial"], targets=["someone/ft"])
    (m,) = report.models
    assert m.resolution.expression is None
    assert m.verdicts["commercial"] == "deny"
    assert "license-unknown" in {f.code for f in m.findings}
