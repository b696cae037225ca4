"""engine/match.py: the `lineage` nested subject (any resolved ancestor within depth) and the publisher's
`lists` fact, judged end to end from a lockfile (DESIGN.md section 6: subjects and facts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from licensecheck.model import Report
from tests.factory import audit_lock

NC_BASE_POLICY = """\
version: 1
name: house
settings: {default: allow, lineage: {depth: DEPTH}}
rules:
  - id: nc-ancestor
    action: deny
    when: {lineage: {license: {category: non-commercial}}}
"""


def _codes(report: Report, model: int = 0) -> dict[str, str]:
    return {f.code: f.severity for f in report.models[model].findings}


def _chain(*licences: str | None) -> dict[str, dict[str, Any]]:
    """m0 -> m1 -> m2 ... (each a fine-tune of the next), with these licences; None = not in the lockfile."""
    models: dict[str, dict[str, Any]] = {}
    for i, lic in enumerate(licences):
        if lic is None:
            continue
        entry: dict[str, Any] = {"license": lic, "author": "acme"}
        if i + 1 < len(licences):
            entry["base_models"] = [f"acme/m{i + 1}"]
        models[f"acme/m{i}"] = entry
    return models


@pytest.mark.parametrize(
    ("licences", "depth", "denied"),
    [
        (("mit", "cc-by-nc-4.0"), 3, True),  # the direct base
        (("mit", "apache-2.0", "cc-by-nc-4.0"), 3, True),  # a grand-parent
        (("mit", "apache-2.0", "cc-by-nc-4.0"), 1, False),  # beyond the policy's depth
        (("mit", "apache-2.0"), 3, False),  # no such ancestor
        (("cc-by-nc-4.0",), 3, False),  # the model itself is not its own ancestor
    ],
)
def test_lineage_condition_holds_for_any_ancestor_within_depth(
    tmp_path: Path, licences: tuple[str, ...], depth: int, denied: bool
) -> None:
    policy = NC_BASE_POLICY.replace("DEPTH", str(depth))
    report = audit_lock(tmp_path, _chain(*licences), policy_text=policy, targets=["acme/m0"])
    assert (_codes(report).get("nc-ancestor") == "deny") is denied
    if denied:
        assert report.models[0].verdicts["house"] == "deny"


def test_lineage_condition_skips_unresolved_ancestors(tmp_path: Path) -> None:
    """A base that cannot be read has no facts: the lineage condition does not hold for it (the unresolved
    base is reported by its own engine finding instead)."""
    models = _chain("mit", None)  # acme/m1 is named but missing from the lockfile
    policy = (
        "version: 1\nname: house\nsettings: {default: allow, unresolved: warn}\nrules:\n"
        "  - id: any-ancestor\n    action: deny\n    when: {lineage: {license: {id: {matches: '*'}}}}\n"
    )
    report = audit_lock(tmp_path, models, policy_text=policy)
    codes = _codes(report)
    assert "any-ancestor" not in codes
    assert report.models[0].verdicts["house"] != "deny"
    # with the base present, the same condition holds
    resolved = audit_lock(tmp_path, _chain("mit", "mit"), policy_text=policy, targets=["acme/m0"])
    assert _codes(resolved)["any-ancestor"] == "deny"


LISTED = {
    "orgs": ["listedco"],
    "name": "Listed Co",
    "kind": "company",
    "country": "ZZ",
    "lists": [{"list": "Test Entity List", "since": "2025-01-01", "source": "https://example.org/fr"}],
}


@pytest.mark.parametrize(
    ("when", "org", "fires"),
    [
        ("{publisher: {lists: Test Entity List}}", "listedco", True),
        ("{publisher: {lists: test entity list}}", "listedco", True),  # identifiers case-insensitively
        ("{publisher: {lists: [Other List, Test Entity List]}}", "listedco", True),
        ("{publisher: {lists: {not_in: [Test Entity List]}}}", "listedco", False),
        ("{publisher: {lists: Test Entity List}}", "plainco", False),
        ("{publisher: {lists: {not_in: [Test Entity List]}}}", "plainco", True),
        ("{publisher: {listed: true}}", "listedco", True),
        ("{publisher: {listed: true}}", "plainco", False),
    ],
)
def test_publisher_lists_fact_is_the_names_of_its_listings(
    tmp_path: Path, when: str, org: str, fires: bool
) -> None:
    policy = (
        f"version: 1\nname: origin\nsettings: {{default: allow}}\nrules:\n"
        f"  - id: on-list\n    action: warn\n    when: {when}\n"
    )
    plain = {"orgs": ["plainco"], "name": "Plain Co", "kind": "company", "country": "ZZ", "lists": []}
    models = {f"{org}/model": {"license": "mit", "author": org}}
    report = audit_lock(tmp_path, models, policy_text=policy, publishers=[LISTED, plain])
    assert ("on-list" in _codes(report)) is fires
