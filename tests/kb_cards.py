"""Shared checks of the knowledge-base tests that pin real card spellings to their entries
(test_kb_2026_more, test_kb_fresh3, test_kb_fresh4): one place for how an entry is checked."""

from __future__ import annotations

import datetime as dt

from licensecheck.engine.match import Env, license_fact
from licensecheck.licenses import facts
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import kb
from licensecheck.model import Declared, LicenseFacts

TODAY = dt.date(2026, 12, 1)


def facts_of(lid: str) -> LicenseFacts:
    return kb().facts(lid)


def distill_restricted(lid: str) -> bool:
    base = facts.load()
    return bool(license_fact(base.facts(lid), "distill_restricted", Env(base, TODAY)))


def check_card_spelling(name: str, lid: str, category: str, commercial: bool | str, verified: bool) -> None:
    """`other` + the card's license_name resolves to the entry, with its category, commercial use,
    verified flag, a date and https sources."""
    res = normalize_declared(Declared(license="other", license_name=name))
    assert (res.expression, res.method) == (lid, "license-name")
    (lic,) = res.licenses
    assert (lic.category, lic.commercial_use, lic.verified) == (category, commercial, verified)
    assert lic.as_of and lic.sources and all(s.startswith("https://") for s in lic.sources)


def check_dated_and_unsettled(lids: list[str]) -> None:
    """Each entry is dated no later than today, and an unverified one says what is not settled."""
    for lid in lids:
        lic = facts_of(lid)
        assert lic.as_of is not None and lic.as_of <= TODAY.isoformat(), lid
        if not lic.verified:
            assert lic.notes and "Not settled" in lic.notes, lid
