"""The knowledge-base data files are consistent: sourced, dated, typed, unique aliases, all 83 Hub ids."""

from __future__ import annotations

import yaml

from licensecheck.licenses import facts
from tests import kb_lint


def test_data_files_pass_every_check():
    report = kb_lint.Report()
    kb = yaml.safe_load((kb_lint.DATA / "licenses.yaml").read_text(encoding="utf-8"))
    pubs = yaml.safe_load((kb_lint.DATA / "publishers.yaml").read_text(encoding="utf-8"))
    entries = kb_lint.check_licenses(kb, report)
    kb_lint.check_hub_ids(kb, entries, report)
    kb_lint.check_aliases(kb, entries, report)
    kb_lint.check_publishers(pubs, report)
    assert report.errors == []
    assert len(entries) >= 70


def test_every_fact_has_a_source_and_a_date():
    kb = facts.load()
    for lic in kb.custom.values():
        assert lic.sources and lic.as_of, lic.id
    for pub in kb.publishers.values():
        assert pub.sources and pub.as_of, pub.org


def test_restricted_parties_and_countries():
    kb = facts.load()
    zhipu = kb.publisher("THUDM")
    assert zhipu is not None and zhipu.country == "CN"
    assert [li.list for li in zhipu.lists] == ["US Entity List"] and zhipu.lists[0].since == "2025-01-16"
    deepseek = kb.publisher("deepseek-ai")
    assert deepseek is not None and deepseek.lists == ()
    assert kb.countries_of_concern == {"CN", "HK", "MO", "CU", "IR", "KP", "RU", "VE"}
