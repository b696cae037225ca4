"""engine/findings.py: waivers apply to the models they name only, current or expired, and an expired
waiver says `waiver-expired` only where it would still have waived something."""

from __future__ import annotations

from pathlib import Path

from licensecheck.model import Report
from tests.factory import audit_lock

MODELS = {
    "acme/nc": {"license": "cc-by-nc-4.0", "author": "acme"},
    "other/nc": {"license": "cc-by-nc-4.0", "author": "other"},
    "acme/mit": {"license": "mit", "author": "acme"},
}


def _policy(expires: str) -> str:
    return (
        "version: 1\nname: house\nsettings: {default: allow}\nrules:\n"
        "  - id: nc\n    action: deny\n    when: {license: {category: non-commercial}}\n"
        "waivers:\n"
        f"  - {{models: ['acme/*'], rules: [nc], reason: evaluation only, expires: {expires}}}\n"
    )


def _by_model(report: Report) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        m.meta.id: (m.verdicts["house"], {f.code: f.severity for f in m.findings if f.severity != "allow"})
        for m in report.models
    }


def test_a_current_waiver_waives_only_the_models_it_names(tmp_path: Path) -> None:
    report = audit_lock(tmp_path, MODELS, policy_text=_policy("2027-06-30"))
    got = _by_model(report)
    assert got["acme/nc"] == ("allow", {"nc": "info"})  # waived to info
    waived = next(f for f in report.models[0].findings if f.code == "nc")
    assert waived.waived is not None and waived.waived.expires == "2027-06-30"
    assert got["other/nc"] == ("deny", {"nc": "deny"})  # not named by the waiver
    assert got["acme/mit"] == ("allow", {})  # named, but nothing to waive
    assert [n.code for n in report.notices] == []  # used (by acme/nc)


def test_an_expired_waiver_waives_nothing_and_is_reported_only_where_it_would_apply(tmp_path: Path) -> None:
    report = audit_lock(tmp_path, MODELS, policy_text=_policy("2026-01-31"))
    got = _by_model(report)
    assert got["acme/nc"] == ("deny", {"nc": "deny", "waiver-expired": "warn"})
    expired = next(f for f in report.models[0].findings if f.code == "waiver-expired")
    assert "expired on 2026-01-31: evaluation only" in expired.message
    assert got["other/nc"] == ("deny", {"nc": "deny"})  # another model: no waiver-expired
    assert got["acme/mit"] == ("allow", {})  # named, but no finding it would have waived
    assert [n.code for n in report.notices] == []  # an expired waiver that matched counts as used


def test_an_expired_waiver_that_matches_nothing_is_unused(tmp_path: Path) -> None:
    report = audit_lock(tmp_path, MODELS, policy_text=_policy("2026-01-31"), targets=["acme/mit", "other/nc"])
    assert all(f.code != "waiver-expired" for m in report.models for f in m.findings)
    assert [(n.code, n.posture) for n in report.notices] == [("waiver-unused", "house")]


COMMUNITY = {
    "id": "LicenseRef-acme-community",
    "aliases": ["acme-community"],
    "category": "community",
    "commercial_use": "conditional",
    "user_limit": 700_000_000,
}


def test_a_community_licence_s_conditions_follow_a_rule_on_its_category(tmp_path: Path) -> None:
    """A warning on a community licence's category carries the licence's conditions, whatever else the
    rule tests (here a lineage condition before the category); a rule on its id does not."""
    policy = (
        "version: 1\nname: house\nsettings: {default: allow}\nrules:\n"
        "  - id: by-category\n    action: warn\n    message: '{license} needs review'\n"
        "    when: {lineage: {model: {author: acme}}, license: {category: community}}\n"
        "  - id: by-id\n    action: warn\n    message: '{license} is named'\n"
        "    when: {license: {id: LicenseRef-acme-community}}\n"
    )
    models = {
        "acme/ft": {"license": "other", "license_name": "acme-community", "base_models": ["acme/base"]},
        "acme/base": {"license": "mit", "author": "acme"},
    }
    report = audit_lock(tmp_path, models, policy_text=policy, licenses=[COMMUNITY], targets=["acme/ft"])
    messages = {f.rule: f.message for f in report.models[0].findings if f.severity == "warn"}
    assert messages["by-category"].endswith("needs review (user cap 700,000,000 monthly active users)")
    assert messages["by-id"].endswith("is named")
