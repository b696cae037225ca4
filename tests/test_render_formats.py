"""The machine-readable renderers: SARIF, SPDX, CycloneDX, JUnit and Markdown over a hand-built report."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecheck.model import (
    Declared,
    FetchError,
    Finding,
    LicenseFacts,
    LineageEntry,
    Publisher,
    Reference,
    Report,
    Waived,
)
from licensecheck.render import cyclonedx, junit, markdown, sarif, spdx
from licensecheck.render.context import RenderContext
from tests.factory import model_report

POSTURES = ("openness", "export-caution")
CREATED = "2025-01-31T12:00:00Z"
CTX = RenderContext(tool_version="0.1.0", config_path="licensecheck.yaml", created=CREATED)
R1_REV = "56d4cbbb4d29f4355bab4b9a39ccb717a14ad5ad"
LLAMA_REF = "LicenseRef-scancode-llama-3.1-license-2024"
PIPE_MESSAGE = "derived names must start with `Llama` | see the licence"

MIT = LicenseFacts(id="MIT", name="MIT License", category="permissive", osi_approved=True)
LLAMA = LicenseFacts(
    id=LLAMA_REF,
    name="Llama 3.1 Community License Agreement",
    category="community",
    links=("https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE",),
    sources=("https://www.llama.com/llama3_1/license/",),
)
OPENMDW = LicenseFacts(
    id="OpenMDW-1.0",
    name="OpenMDW License Agreement v1.0",
    category="permissive",
    links=("https://openmdw.ai/license/1-0/",),
)


_model = model_report


def _report() -> Report:
    deepseek = _model(
        "deepseek-ai/DeepSeek-R1",
        "MIT",
        {"openness": "allow", "export-caution": "warn"},
        (
            Finding("open-license", "openness", "allow", "MIT is an open licence"),
            Finding(
                "jurisdiction-of-concern",
                "export-caution",
                "warn",
                "publisher deepseek-ai (DeepSeek) is in CN",
            ),
            Finding("publisher-unknown", "export-caution", "info", "an informational note"),
        ),
        revision=R1_REV,
        declared=Declared(license="mit"),
        facts=(MIT,),
        publisher=Publisher(org="deepseek-ai", name="DeepSeek", country="CN"),
        references=(Reference("train.py", 12), Reference("configs/models.yaml", 3)),
    )
    llama = _model(
        "meta-llama/Llama-3.1-8B-Instruct",
        LLAMA_REF,
        {"openness": "deny", "export-caution": "allow"},
        (
            Finding("not-open", "openness", "deny", "the Llama 3.1 licence caps users and carries an AUP"),
            Finding(
                "naming-rule",
                "openness",
                "warn",
                PIPE_MESSAGE,
                waived=Waived(reason="legal approved 2025-01", approved_by="legal", expires=None),
            ),
        ),
        revision="0e9e39f249a16976918f6564b8830bc894c89659",
        declared=Declared(license="llama3.1"),
        facts=(LLAMA,),
        publisher=Publisher(org="meta-llama", name="Meta", country="US"),
    )
    missing = _model(
        "ghost-org/missing-model",
        None,
        {"openness": "deny", "export-caution": "deny"},
        (
            Finding("unresolved", "openness", "deny", "model not found on the Hub"),
            Finding("unresolved", "export-caution", "deny", "model not found on the Hub"),
        ),
        error=FetchError("not-found", "404 Client Error: Repository Not Found\x00"),
    )
    dual = _model(
        "./models/local-dual",
        "MIT OR Apache-2.0",
        {"openness": "allow", "export-caution": "allow"},
        repo_id=None,
        source="local",
    )
    openmdw = _model(
        "open-org/mdw-model",
        "OpenMDW-1.0",
        {"openness": "allow", "export-caution": "allow"},
        revision="a" * 40,
        facts=(OPENMDW,),
        lineage=(LineageEntry("deepseek-ai/DeepSeek-R1", "finetune", "MIT"),),
    )
    notice = Finding("waiver-unused", "openness", "warn", "waiver #2 matched no finding")
    return Report(postures=POSTURES, models=(deepseek, llama, missing, dual, openmdw), notices=(notice,))


REPORT = _report()


# --- SARIF -------------------------------------------------------------------------------------------------


def _sarif(report: Report = REPORT, ctx: RenderContext = CTX) -> dict[str, object]:
    log = json.loads(sarif.render(report, ctx))
    assert isinstance(log, dict)
    return log


def _location(uri: str, line: int) -> dict[str, object]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}}}


def _results_of(log: dict[str, object], model_id: str) -> list[dict[str, object]]:
    run = log["runs"][0]  # type: ignore[index]
    return [r for r in run["results"] if r["message"]["text"].startswith(f"{model_id}: ")]


def test_sarif_structure_and_rules() -> None:
    log = _sarif()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1  # type: ignore[arg-type]
    run = log["runs"][0]  # type: ignore[index]
    driver = run["tool"]["driver"]
    assert driver["name"] == "licensecheck"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    used = {"jurisdiction-of-concern", "publisher-unknown", "not-open", "naming-rule", "unresolved"}
    assert set(rule_ids) == used | {"waiver-unused"}  # allow findings make no rule
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "partialFingerprints"}
    # 2 non-allow findings for DeepSeek, 2 for Llama, 2 for the missing model, 1 notice
    assert len(run["results"]) == 7


def test_sarif_levels_messages_and_suppressions() -> None:
    log = _sarif()
    deepseek = _results_of(log, "deepseek-ai/DeepSeek-R1")
    assert [(r["ruleId"], r["level"]) for r in deepseek] == [
        ("jurisdiction-of-concern", "warning"),
        ("publisher-unknown", "note"),
    ]
    assert deepseek[0]["message"] == {
        "text": "deepseek-ai/DeepSeek-R1: publisher deepseek-ai (DeepSeek) is in CN [export-caution]"
    }
    llama = {r["ruleId"]: r for r in _results_of(log, "meta-llama/Llama-3.1-8B-Instruct")}
    assert llama["not-open"]["level"] == "error"
    assert "suppressions" not in llama["not-open"]
    waived = llama["naming-rule"]
    assert waived["level"] == "note"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "legal approved 2025-01",
            "properties": {"approved_by": "legal"},
        }
    ]
    missing = _results_of(log, "ghost-org/missing-model")
    assert [r["level"] for r in missing] == ["error", "error"]


def test_sarif_locations_at_references_else_config() -> None:
    log = _sarif()
    deepseek = _results_of(log, "deepseek-ai/DeepSeek-R1")[0]
    assert deepseek["locations"] == [_location("train.py", 12), _location("configs/models.yaml", 3)]
    llama = _results_of(log, "meta-llama/Llama-3.1-8B-Instruct")[0]
    assert llama["locations"] == [_location("licensecheck.yaml", 1)]
    run = log["runs"][0]  # type: ignore[index]
    notice = next(r for r in run["results"] if r["ruleId"] == "waiver-unused")
    assert notice["message"]["text"] == "waiver #2 matched no finding [openness]"
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "licensecheck.yaml"


def test_sarif_location_fallbacks() -> None:
    lock_only = _sarif(ctx=RenderContext(tool_version="0.1.0", lockfile_path="licensecheck.lock"))
    llama = _results_of(lock_only, "meta-llama/Llama-3.1-8B-Instruct")[0]
    assert llama["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "licensecheck.lock"
    nowhere = _sarif(ctx=RenderContext(tool_version="0.1.0"))
    assert "locations" not in _results_of(nowhere, "meta-llama/Llama-3.1-8B-Instruct")[0]
    # references still win without a config
    assert _results_of(nowhere, "deepseek-ai/DeepSeek-R1")[0]["locations"]


def test_sarif_local_card_is_its_own_location() -> None:
    card = _model("models/card.md", "MIT", {"openness": "deny"}, (Finding("x", "openness", "deny", "m"),))
    card = dataclasses.replace(card, meta=dataclasses.replace(card.meta, source="local", repo_id=None))
    log = _sarif(Report(("openness",), (card,)))
    assert _results_of(log, "models/card.md")[0]["locations"] == [_location("models/card.md", 1)]


def test_sarif_uris_are_uri_references() -> None:
    model = dataclasses.replace(
        REPORT.models[0],
        references=(
            Reference("./src/my model.py", 0),
            Reference("C:\\work\\x.py", 4),
            Reference("/abs/y.py", 2),
        ),
    )
    log = _sarif(Report(POSTURES, (model,)))
    assert _results_of(log, "deepseek-ai/DeepSeek-R1")[0]["locations"] == [
        _location("src/my%20model.py", 1),
        _location("file:///C:/work/x.py", 4),
        _location("file:///abs/y.py", 2),
    ]


def test_sarif_fingerprints_stable_and_distinct() -> None:
    first = [r["partialFingerprints"] for r in _sarif()["runs"][0]["results"]]  # type: ignore[index]
    again = [r["partialFingerprints"] for r in _sarif()["runs"][0]["results"]]  # type: ignore[index]
    assert first == again
    values = [fp["licensecheck/v1"] for fp in first]
    assert len(set(values)) == len(values)


def test_sarif_empty_report() -> None:
    log = _sarif(Report(POSTURES, ()))
    run = log["runs"][0]  # type: ignore[index]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


# --- SPDX --------------------------------------------------------------------------------------------------


def _parse_spdx(text: str, tmp_path: Path) -> object:
    from spdx_tools.spdx.parser.parse_anything import parse_file

    path = tmp_path / "report.spdx.json"
    path.write_text(text, encoding="utf-8")
    return parse_file(str(path))


def _license_refs(expression: str) -> set[str]:
    return set(re.findall(r"LicenseRef-[A-Za-z0-9.-]+", expression))


def test_spdx_round_trips_and_validates(tmp_path: Path) -> None:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    text = spdx.render(REPORT, CTX)
    document = _parse_spdx(text, tmp_path)
    assert validate_full_spdx_document(document) == []
    assert len(document.packages) == len(REPORT.models)  # type: ignore[attr-defined]


def test_spdx_packages(tmp_path: Path) -> None:
    doc = json.loads(spdx.render(REPORT, CTX))
    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["creationInfo"]["created"] == CREATED
    assert doc["creationInfo"]["creators"] == ["Tool: licensecheck-0.1.0"]
    packages = {p["name"]: p for p in doc["packages"]}
    assert list(packages) == [m.meta.id for m in REPORT.models]
    deepseek = packages["deepseek-ai/DeepSeek-R1"]
    assert deepseek["SPDXID"] == "SPDXRef-Model-deepseek-ai-DeepSeek-R1"
    assert deepseek["downloadLocation"] == "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    assert deepseek["versionInfo"] == R1_REV
    assert deepseek["supplier"] == "Organization: DeepSeek"
    assert deepseek["licenseDeclared"] == "MIT"
    assert deepseek["licenseConcluded"] == "NOASSERTION"
    assert deepseek["filesAnalyzed"] is False
    assert deepseek["externalRefs"] == [
        {
            "referenceCategory": "PACKAGE_MANAGER",  # the SPDX 2.3 schema takes both spellings
            "referenceType": "purl",
            "referenceLocator": f"pkg:huggingface/deepseek-ai/DeepSeek-R1@{R1_REV}",
        }
    ]
    missing = packages["ghost-org/missing-model"]
    assert missing["licenseDeclared"] == "NOASSERTION"
    assert missing["supplier"] == "NOASSERTION"
    assert "not-found" in missing["comment"]
    local = packages["./models/local-dual"]
    assert local["downloadLocation"] == "NOASSERTION"
    assert local["licenseDeclared"] == "MIT OR Apache-2.0"
    assert "externalRefs" not in local
    spdx_ids = [p["SPDXID"] for p in doc["packages"]]
    describes = [r for r in doc["relationships"] if r["relationshipType"] == "DESCRIBES"]
    assert sorted(r["relatedSpdxElement"] for r in describes) == sorted(spdx_ids)
    lineage = [r for r in doc["relationships"] if r["relationshipType"] == "DESCENDANT_OF"]
    assert lineage == [
        {
            "spdxElementId": packages["open-org/mdw-model"]["SPDXID"],
            "relationshipType": "DESCENDANT_OF",
            "relatedSpdxElement": deepseek["SPDXID"],
            "comment": "finetune",
        }
    ]


def test_spdx_every_license_ref_declared() -> None:
    doc = json.loads(spdx.render(REPORT, CTX))
    used = set().union(*(_license_refs(p["licenseDeclared"]) for p in doc["packages"]))
    declared = {info["licenseId"]: info for info in doc["hasExtractedLicensingInfos"]}
    assert used == set(declared) == {LLAMA_REF, "LicenseRef-OpenMDW-1.0"}
    llama = declared[LLAMA_REF]
    assert llama["name"] == "Llama 3.1 Community License Agreement"
    assert llama["seeAlsos"] == [*LLAMA.links, *LLAMA.sources]
    assert LLAMA.links[0] in llama["extractedText"]


def test_spdx_id_newer_than_the_license_list_becomes_declared_ref() -> None:
    from spdx_tools.common.spdx_licensing import spdx_licensing

    # the premise: spdx-tools' licence list predates OpenMDW-1.0
    assert spdx_licensing.validate("OpenMDW-1.0").invalid_symbols == ["OpenMDW-1.0"]
    doc = json.loads(spdx.render(REPORT, CTX))
    package = next(p for p in doc["packages"] if p["name"] == "open-org/mdw-model")
    assert package["licenseDeclared"] == "LicenseRef-OpenMDW-1.0"
    info = next(i for i in doc["hasExtractedLicensingInfos"] if i["licenseId"] == "LicenseRef-OpenMDW-1.0")
    assert info["name"] == "OpenMDW License Agreement v1.0"
    assert info["seeAlsos"] == ["https://openmdw.ai/license/1-0/"]
    assert "OpenMDW-1.0" in info["comment"]


@pytest.mark.parametrize(
    ("expression", "declared"),
    [
        ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"),
        ("GPL-2.0-only WITH Made-Up-exception", "LicenseRef-GPL-2.0-only-WITH-Made-Up-exception"),
        ("LicenseRef-licensecheck-acme WITH Classpath-exception-2.0", None),
        ("(MIT AND OpenMDW-1.0) OR LicenseRef-x_y", "(MIT AND LicenseRef-OpenMDW-1.0) OR LicenseRef-x-y"),
        ("some custom licence", "LicenseRef-some-custom-licence"),
        ("MIT AND", "NOASSERTION"),
        ("((", "NOASSERTION"),
        ("Classpath-exception-2.0", "LicenseRef-Classpath-exception-2.0"),
    ],
)
def test_spdx_odd_expressions_stay_valid(expression: str, declared: str | None, tmp_path: Path) -> None:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    model = _model("org/odd", expression, {"openness": "warn"})
    text = spdx.render(Report(("openness",), (model,)), CTX)
    package = json.loads(text)["packages"][0]
    assert package["licenseDeclared"] == (declared or expression)
    assert validate_full_spdx_document(_parse_spdx(text, tmp_path)) == []
    refs = {i["licenseId"] for i in json.loads(text).get("hasExtractedLicensingInfos", [])}
    assert refs == _license_refs(package["licenseDeclared"])


def test_spdx_ids_are_safe_and_unique(tmp_path: Path) -> None:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    models = (
        _model("org/a_b", "MIT", {"openness": "allow"}),
        _model("org/a-b", "MIT", {"openness": "allow"}),
        _model("org/a-b", "MIT", {"openness": "allow"}, revision="abc"),
        _model("org/a-b", "MIT", {"openness": "allow"}, revision="def"),
        _model("ünïcode (x)", "MIT", {"openness": "allow"}, repo_id=None, source="local"),
        _model("///", "MIT", {"openness": "allow"}, repo_id=None, source="local"),
    )
    text = spdx.render(Report(("openness",), models), CTX)
    ids = [p["SPDXID"] for p in json.loads(text)["packages"]]
    prefix = "SPDXRef-Model-"
    assert ids == [
        f"{prefix}org-a-b",
        f"{prefix}org-a-b-2",
        f"{prefix}org-a-b-3",
        f"{prefix}org-a-b-4",
        f"{prefix}unicode-x",
        f"{prefix}unnamed",
    ]
    assert validate_full_spdx_document(_parse_spdx(text, tmp_path)) == []


def test_spdx_empty_report_is_valid(tmp_path: Path) -> None:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    text = spdx.render(Report(POSTURES, ()), CTX)
    assert validate_full_spdx_document(_parse_spdx(text, tmp_path)) == []


def test_spdx_is_reproducible_with_a_fixed_timestamp() -> None:
    assert spdx.render(REPORT, CTX) == spdx.render(REPORT, CTX)
    later = dataclasses.replace(CTX, created="2025-02-01T00:00:00+00:00")
    first = json.loads(spdx.render(REPORT, CTX))["documentNamespace"]
    assert json.loads(spdx.render(REPORT, later))["documentNamespace"] != first


def test_spdx_invalid_document_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    from spdx_tools.spdx.validation.validation_message import ValidationContext, ValidationMessage

    monkeypatch.setattr(
        spdx, "validate_full_spdx_document", lambda doc: [ValidationMessage("broken", ValidationContext())]
    )
    with pytest.raises(RuntimeError, match="broken"):
        spdx.render(REPORT, CTX)


# --- CycloneDX ---------------------------------------------------------------------------------------------


def _components() -> dict[str, dict[str, object]]:
    bom = json.loads(cyclonedx.render(REPORT, CTX))
    return {c["bom-ref"]: c for c in bom["components"]}


def test_cyclonedx_passes_the_strict_schema() -> None:
    text = cyclonedx.render(REPORT, CTX)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    assert errors is None, [str(e) for e in errors or ()]
    empty = cyclonedx.render(Report(POSTURES, ()), CTX)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(empty) is None


def test_cyclonedx_document() -> None:
    bom = json.loads(cyclonedx.render(REPORT, CTX))
    assert bom["bomFormat"] == "CycloneDX"
    assert bom["specVersion"] == "1.6"
    assert bom["metadata"]["timestamp"].startswith("2025-01-31T12:00:00")
    tools = bom["metadata"]["tools"]["components"]
    assert [(t["name"], t["version"]) for t in tools] == [("licensecheck", "0.1.0")]
    assert cyclonedx.render(REPORT, CTX) == cyclonedx.render(REPORT, CTX)


def test_cyclonedx_components() -> None:
    components = _components()
    assert len(components) == len(REPORT.models)
    assert {c["type"] for c in components.values()} == {"machine-learning-model"}
    deepseek = components["deepseek-ai/DeepSeek-R1"]
    assert (deepseek["group"], deepseek["name"]) == ("deepseek-ai", "DeepSeek-R1")
    assert deepseek["version"] == R1_REV
    assert deepseek["purl"] == f"pkg:huggingface/deepseek-ai/DeepSeek-R1@{R1_REV}"
    assert deepseek["supplier"] == {"name": "DeepSeek"}
    assert deepseek["licenses"] == [{"license": {"id": "MIT", "acknowledgement": "declared"}}]
    assert {"type": "website", "url": "https://huggingface.co/deepseek-ai/DeepSeek-R1"} in deepseek[
        "externalReferences"
    ]
    props = {(p["name"], p["value"]) for p in deepseek["properties"]}
    assert {
        ("licensecheck:verdict", "warn"),
        ("licensecheck:verdict:openness", "allow"),
        ("licensecheck:verdict:export-caution", "warn"),
    } <= props

    llama = components["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["licenses"] == [
        {"license": {"name": LLAMA.name, "acknowledgement": "declared", "url": LLAMA.links[0]}}
    ]
    assert ("licensecheck:license", LLAMA_REF) in {(p["name"], p["value"]) for p in llama["properties"]}

    missing = components["ghost-org/missing-model"]
    assert "licenses" not in missing
    assert ("licensecheck:license", "NOASSERTION") in {(p["name"], p["value"]) for p in missing["properties"]}

    local = components["./models/local-dual"]
    assert local["licenses"] == [{"expression": "MIT OR Apache-2.0", "acknowledgement": "declared"}]
    assert "purl" not in local
    assert "group" not in local

    mdw = components["open-org/mdw-model"]
    assert mdw["licenses"] == [{"license": {"id": "OpenMDW-1.0", "acknowledgement": "declared"}}]
    ancestors = mdw["pedigree"]["ancestors"]
    assert [(a["type"], a["purl"]) for a in ancestors] == [
        ("machine-learning-model", "pkg:huggingface/deepseek-ai/DeepSeek-R1")
    ]


# --- JUnit -------------------------------------------------------------------------------------------------


def test_junit_suites_and_cases() -> None:
    root = ET.fromstring(junit.render(REPORT, CTX))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["licensecheck.openness", "licensecheck.export-caution"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [m.meta.id for m in REPORT.models]
        assert {c.get("classname") for c in cases} == {suite.get("name", "").removeprefix("licensecheck.")}
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("errors") == str(len(suite.findall("testcase/error")))
    assert root.get("tests") == str(len(REPORT.models) * len(POSTURES))
    assert root.get("failures") == "1"
    assert root.get("errors") == "2"


def test_junit_outcomes() -> None:
    root = ET.fromstring(junit.render(REPORT, CTX))

    def case(posture: str, model_id: str) -> ET.Element:
        found = root.find(f"testsuite[@name='licensecheck.{posture}']/testcase[@name='{model_id}']")
        assert found is not None
        return found

    denied = case("openness", "meta-llama/Llama-3.1-8B-Instruct").find("failure")
    assert denied is not None
    assert denied.get("message") == "the Llama 3.1 licence caps users and carries an AUP"
    assert "not-open" in (denied.text or "")
    llama_out = case("openness", "meta-llama/Llama-3.1-8B-Instruct").findtext("system-out")
    assert "waived warn naming-rule" in (llama_out or "")
    warned = case("export-caution", "deepseek-ai/DeepSeek-R1")
    assert warned.find("failure") is None
    assert "jurisdiction-of-concern" in (warned.findtext("system-out") or "")
    error = case("openness", "ghost-org/missing-model").find("error")
    assert error is not None
    assert error.get("type") == "not-found"
    assert "\x00" not in (error.get("message") or "")
    passed = case("openness", "./models/local-dual")
    assert list(passed) == []
    notices = root.find("testsuite[@name='licensecheck.openness']/system-out")
    assert notices is not None
    assert "waiver-unused" in (notices.text or "")


# --- Markdown ----------------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [re.split(r"(?<!\\)\|", row.strip())[1:-1] for row in rows]


def test_markdown_table() -> None:
    text = markdown.render(REPORT, CTX)
    assert text.startswith("## licensecheck\n")
    assert "5 models checked against openness, export-caution: 2 deny, 1 warn, 2 allow." in text
    rows = _rows(text)
    header, separator, body = rows[0], rows[1], rows[2:]
    assert [c.strip() for c in header] == ["model", "licence", "openness", "export-caution"]
    assert {c.strip() for c in separator} == {"---"}
    assert len(body) == len(REPORT.models)
    assert all(len(row) == len(header) for row in body)
    by_model = {row[0].strip(): [c.strip() for c in row[1:]] for row in body}
    # licence names with the SPDX id or LicenseRef beside them
    assert by_model["deepseek-ai/DeepSeek-R1"] == ["MIT License (`MIT`)", "allow", "*warn*"]
    assert by_model["meta-llama/Llama-3.1-8B-Instruct"] == [
        f"Llama 3.1 Community License Agreement (`{LLAMA_REF}`)",
        "**deny**",
        "allow",
    ]
    assert by_model["ghost-org/missing-model"] == ["*unresolved: not-found*", "**deny**", "**deny**"]


def test_markdown_findings_escape_and_waivers() -> None:
    text = markdown.render(REPORT, CTX)
    findings = text.split("### Findings", 1)[1]
    assert "- **deepseek-ai/DeepSeek-R1**" in findings
    assert "*warn* `jurisdiction-of-concern` (export-caution)" in findings
    assert "an informational note" not in findings  # info is not listed
    assert "derived names must start with \\`Llama\\` \\| see the licence" in findings
    assert "waived `naming-rule`" in findings
    assert "- **./models/local-dual**" not in findings
    assert "waiver #2 matched no finding" in text.split("### Notices", 1)[1]


def test_markdown_escapes_and_caps_table_cells() -> None:
    model = _model("org/x|y`z" + "w" * 300, "MIT", {"openness": "allow"})
    rows = _rows(markdown.render(Report(("openness",), (model,)), CTX))
    cell = rows[2][0].strip()
    assert cell.startswith("org/x\\|y\\`z")
    assert cell.endswith("…")
    assert len(cell) <= markdown.CELL_LIMIT + 4  # the escapes add a character each
    assert len(rows[2]) == 3


# --- context -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "created", ["2025-01-31T12:00:00Z", "2025-01-31T13:00:00.123+01:00", "2025-01-31T12:00:00"]
)
def test_created_timestamps(created: str) -> None:
    when = RenderContext(tool_version="x", created=created).created_at()
    assert when.isoformat() == "2025-01-31T12:00:00+00:00"


# --- hostile values ----------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_CDX_VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)


@settings(max_examples=40, deadline=None)
@given(model_id=_TEXT, expression=st.one_of(st.none(), _TEXT), message=_TEXT, file=_TEXT)
def test_renderers_never_break_on_hostile_values(
    model_id: str, expression: str | None, message: str, file: str
) -> None:
    finding = Finding("license-unknown", "openness", "deny", message, waived=None)
    model = _model(model_id, expression, {"openness": "deny"}, (finding,), references=(Reference(file, 3),))
    report = Report(("openness",), (model,), notices=(Finding("waiver-unused", "x", "warn", message),))
    json.loads(sarif.render(report, CTX))
    ET.fromstring(junit.render(report, CTX))
    assert len(_rows(markdown.render(report, CTX))) == 3
    spdx_doc = json.loads(spdx.render(report, CTX))  # raises if spdx-tools finds the document invalid
    assert len(spdx_doc["packages"]) == 1
    bom_text = cyclonedx.render(report, CTX)
    assert len(json.loads(bom_text)["components"]) == 1
    assert _CDX_VALIDATOR.validate_str(bom_text) is None


def test_sarif_matches_the_official_schema() -> None:
    """The SARIF 2.1.0 schema (OASIS, copied into tests/data) accepts our output."""
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(_sarif())) == []
