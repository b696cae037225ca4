"""A card read as a whole: a licence name beside the `license` id either restates it (agreement) or names
another licence, and then both apply, even when the knowledge base does not know the other one."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from licensecheck.cli import main
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.normalize import UNIDENTIFIED_PREFIX
from licensecheck.model import Declared


@pytest.mark.parametrize(
    ("license_", "name", "link"),
    [
        ("apache-2.0", "zephyrine-model-license", None),
        ("apache-2.0", "Zephyrine Model Terms", None),
        ("mit", "freeuse", None),  # a name that is not the id's: it may hide other terms
        ("mit", None, "https://example.com/legal/zephyrine-model-license-agreement/"),
        ("mit", None, "https://example.com/legal/zephyrine-model-license.md"),
    ],
)
def test_an_unknown_name_beside_an_id_applies_too(license_, name, link):
    res = normalize_declared(Declared(license=license_, license_name=name, license_link=link))
    assert res.expression is not None and " AND " in res.expression
    unknown = [f for f in res.licenses if f.id.startswith(UNIDENTIFIED_PREFIX)]
    assert len(unknown) == 1 and unknown[0].category == "unknown"
    (conflict,) = [m for code, m in res.flags if code == "license-conflict"]
    assert "both apply" in conflict and "does not hold" in conflict


def test_an_open_model_licence_name_beside_an_id_applies_as_community():
    res = normalize_declared(Declared(license="apache-2.0", license_name="Zephyrine Open Model License"))
    assert res.expression is not None and " AND " in res.expression
    assert {f.category for f in res.licenses} == {"permissive", "community"}
    assert any(code == "license-conflict" for code, _ in res.flags)
    assert any(code == "license-inferred" for code, _ in res.flags)


@pytest.mark.parametrize(
    ("license_", "name", "link"),
    [
        ("apache-2.0", "apache-2.0", None),
        ("apache-2.0", "Apache License 2.0", None),
        ("apache-2.0", "Apache Licence, Version 2.0", None),
        ("apache-2.0", "apache 2", None),
        ("apache-2.0", "apache", None),
        ("mit", "MIT License", None),
        ("mit", "license", None),
        ("mit", None, "https://huggingface.co/acme/model/resolve/main/LICENSE"),
        ("mit", None, "LICENSE.md"),
        ("apache-2.0", None, "https://www.apache.org/licenses/LICENSE-2.0"),
        ("apache-2.0", None, "https://huggingface.co/acme/some-model"),
        ("cc-by-4.0", "Creative Commons Attribution 4.0 International", None),
    ],
)
def test_a_name_or_link_that_restates_the_id_is_agreement(license_, name, link):
    res = normalize_declared(Declared(license=license_, license_name=name, license_link=link))
    assert res.expression is not None and " AND " not in res.expression
    assert not res.flags


def test_jamba_card_is_not_allowed_as_apache(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(
        "---\nlicense: apache-2.0\nlicense_name: jamba-open-model-license\n---\n", encoding="utf-8"
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(
            ["check", "--offline", "--format", "json", "--fail-on", "never", "-p", "commercial", str(folder)]
        )
    model = json.loads(out.getvalue())["models"][0]
    # the Jamba Open Model License is known now (community): both apply, the stricter terms decide
    assert model["license"]["expression"] == "Apache-2.0 AND LicenseRef-licensecheck-ai21-jamba-open-model"
    assert model["verdicts"]["commercial"] == "warn"
    codes = {f["code"] for f in model["findings"]}
    assert {"license-conflict", "conditional-commercial"} <= codes
