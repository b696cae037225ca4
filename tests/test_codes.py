"""The finding-code registry: every code the engine emits is registered and marked as the engine's."""

from __future__ import annotations

import re
from pathlib import Path

import licensecheck
from licensecheck.codes import CODES, ENGINE, ENGINE_CODES, RULE, describe

PACKAGE = Path(licensecheck.__file__).parent


def test_codes_the_engine_emits_are_registered_as_engine_codes() -> None:
    emitted = {
        code
        for path in (PACKAGE / "engine").glob("*.py")
        for code in re.findall(r'\brule="([a-z-]+)"', path.read_text(encoding="utf-8"))
    }
    assert emitted, "no engine finding found: the pattern is stale"
    assert {c: CODES[c].source for c in emitted} == dict.fromkeys(emitted, ENGINE)


def test_every_code_is_a_rule_or_an_engine_code_and_waivable_engine_codes_are_known() -> None:
    assert {c.source for c in CODES.values()} == {RULE, ENGINE}
    assert {c for c, v in CODES.items() if v.source == ENGINE and v.waivable} == ENGINE_CODES
    assert "waiver-unused" not in ENGINE_CODES  # a waiver cannot waive its own notice


def test_describe_falls_back_for_custom_codes() -> None:
    assert describe("gated") == CODES["gated"].description
    assert describe("my-own-rule") == "Custom policy rule 'my-own-rule'."
