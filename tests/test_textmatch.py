"""LICENSE identification by the whole text: several licences are their AND, a phrase is not a licence.

Every licence-like text here is written for these tests (made-up terms in the structure real model
licences use); none is a copy of a real licence text. The SPDX matcher's verdict on real texts is
measured by benchmarks/spdx_texts.py; here, where a real SPDX text would be needed, the matcher is
replaced by a stand-in that reports the regions it would find.
"""

from __future__ import annotations

import pytest

from licensecheck.licenses import clauses, textmatch
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import identify_text
from licensecheck.model import Declared

LLAMA31 = "LicenseRef-scancode-llama-3.1-license-2024"

# the opening of a well-known permissive grant, borrowed inside terms that forbid commercial use
BORROWED_GRANT = """ACME Model Terms

Permission is hereby granted, free of charge, to any person obtaining a copy of these model weights,
to use, copy and modify them, subject to the following conditions.

1. You may not use the weights, or any output of them, for commercial purposes.
2. The weights are provided for research purposes only.
3. Keep this notice in every copy.
"""

WEIGHTS_NC_CODE_APACHE = """Licensing of this repository

The model weights are made available under the ACME Non-Commercial Model Terms: you may study and
modify them, and you may not use them in any product or service offered for a fee or for any other
commercial purpose. Redistribution must carry these terms.

The source code in this repository is licensed under the Apache License, Version 2.0.
"""

BASED_UPON = """ACME Open Model Agreement

This agreement is based upon the LLAMA 3.1 COMMUNITY LICENSE AGREEMENT and changes it as follows.
Licensee may use the model solely for non-commercial research, and shall not offer it as a service.
All other terms are set out below, numbered as in the agreement this one derives from.
"""


def _commercial(res) -> set[object]:
    return {f.commercial_use for f in res.licenses}


def test_a_permissive_grant_inside_non_commercial_terms_is_not_that_licence():
    res = identify_text(BORROWED_GRANT)
    assert res.expression is not None and "MIT" not in res.expression
    assert res.method == "text-clauses"
    assert _commercial(res) == {False}
    assert any("commercial purposes" in e for e in res.evidence)
    assert [code for code, _ in res.flags] == ["license-inferred"]


def test_a_permissive_title_beside_a_commercial_ban_never_yields_the_permissive_licence_alone():
    text = "MIT License\n\nPermission is hereby granted, free of charge.\nFor non-commercial use only.\n"
    res = identify_text(text)
    assert res.expression != "MIT" and False in _commercial(res)


def test_weights_under_non_commercial_terms_and_code_under_apache_is_not_an_allow():
    res = normalize_declared(Declared(license="other"), WEIGHTS_NC_CODE_APACHE)
    assert res.expression is not None and res.expression != "Apache-2.0"
    assert False in _commercial(res)


def _regions(*found: tuple[int, int, str]):
    def fake(text: str) -> list[tuple[int, int, str]]:
        return [(s, len(text) if e < 0 else e, lid) for s, e, lid in found]

    return fake


def test_weights_and_code_under_two_licences_are_their_and(monkeypatch):
    weights = WEIGHTS_NC_CODE_APACHE.split("The source code")[0]
    code = "Apache License body as the matcher would find it, long enough to be a licence. " * 20
    monkeypatch.setattr(textmatch, "_classify", _regions((len(weights), -1, "Apache-2.0")))
    res = identify_text(weights + code)
    assert res.expression is not None
    assert res.expression.startswith("Apache-2.0 AND LicenseRef-licensecheck-inferred-text-")
    assert _commercial(res) == {True, False}
    assert "license-inferred" in {code for code, _ in res.flags}


def test_a_whole_text_match_with_nothing_else_is_that_licence(monkeypatch):
    monkeypatch.setattr(textmatch, "_classify", _regions((0, -1, "BSD-3-Clause-No-Military-License")))
    res = identify_text("a text the matcher recognises in full " * 30)
    assert res.expression == "BSD-3-Clause-No-Military-License" and res.method == "license-text"
    assert res.flags == ()


def test_unexplained_text_beside_a_match_makes_it_unclear(monkeypatch):
    own = "Words of some other agreement that no licence here explains, read in full. " * 20
    monkeypatch.setattr(textmatch, "_classify", _regions((len(own), -1, "MIT")))
    res = identify_text(own + "matched licence text " * 10)
    assert res.expression is None and res.method == "license-text-partial"


def test_a_licence_based_upon_another_is_not_that_other():
    res = identify_text(BASED_UPON)
    assert res.expression is not None and LLAMA31 not in res.expression
    assert _commercial(res) == {False}


def test_a_model_licence_title_line_identifies_it():
    text = "# LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: 2024\n\nterms follow\n"
    res = identify_text(text)
    assert res.expression == LLAMA31 and res.method == "license-text"


def test_two_model_licences_in_one_file_are_their_and():
    text = (
        "Gemma Terms of Use\n\nterms of the first part\n\n"
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n\nterms of the second part\n"
    )
    res = identify_text(text)
    assert res.expression == f"LicenseRef-scancode-gemma-tou-2025-03-24 AND {LLAMA31}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\n   Apache License\n   Version 2.0, January 2004\n   http://www.apache.org/licenses/\n",
            "Apache-2.0",
        ),
        (
            "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n",
            "MIT",
        ),
        ("Creative Commons Attribution-NonCommercial 4.0 International\n", "CC-BY-NC-4.0"),
        ("Attribution Share Alike 4.0 International Public License\n", "CC-BY-SA-4.0"),
    ],
)
def test_a_file_that_is_only_a_title_names_that_licence(text, expected):
    assert identify_text(text).expression == expected


def test_a_known_title_over_a_long_unknown_body_is_not_that_licence():
    body = "These are the terms of an agreement of our own, written in full, clause after clause. " * 12
    res = identify_text("MIT License\n\n" + body)
    assert res.expression is None


# ---- GNU versions: only what the text says ---------------------------------------------------------
def test_a_gnu_text_without_a_notice_is_the_version_it_names_only(monkeypatch):
    monkeypatch.setattr(textmatch, "_classify", _regions((0, -1, "GPL-2.0")))
    assert identify_text("the GPL version 2 text " * 40).expression == "GPL-2.0-only"


def test_an_or_later_notice_before_the_text_makes_it_or_later(monkeypatch):
    notice = "notice: any later version " * 4
    monkeypatch.setattr(
        textmatch, "_classify", _regions((0, len(notice), "GPL-3.0-or-later"), (len(notice), -1, "GPL-3.0"))
    )
    assert identify_text(notice + "the GPL version 3 text " * 40).expression == "GPL-3.0-or-later"


def test_the_sample_notice_in_the_licences_own_appendix_is_not_the_licensors_choice(monkeypatch):
    body = "the GPL version 3 text " * 40
    appendix = "How to Apply These Terms to Your New Programs\n" + "sample notice " * 5
    monkeypatch.setattr(
        textmatch,
        "_classify",
        _regions((0, len(body), "GPL-3.0"), (len(body) + 50, -1, "GPL-3.0-or-later")),
    )
    assert identify_text(body + appendix).expression == "GPL-3.0-only"


def test_the_lgpl3_text_that_carries_the_gpl3_text_is_lgpl3(monkeypatch):
    monkeypatch.setattr(textmatch, "_classify", _regions((0, 400, "LGPL-3.0"), (400, -1, "GPL-3.0")))
    assert identify_text("lesser text " * 100).expression == "LGPL-3.0-only"


def test_the_real_matcher_is_used_and_a_mention_is_not_a_licence():
    # the real package: a sentence that mentions a licence is not a licence text
    assert textmatch.spdx_regions("This project is released under the MIT license. See LICENSE.") == []
    assert identify_text("All rights reserved. Do not copy.").expression is None


def test_unknown_text_without_any_clause_stays_unidentified():
    res = identify_text("Hello. This file intentionally says nothing about terms.\n")
    assert res.expression is None and "sha256:" in (res.detail or "")
    assert clauses.from_text("Hello.") is None


def test_a_gnu_title_stub_is_the_version_it_names_only():
    assert identify_text("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n").expression == "GPL-3.0-only"
