"""The publisher registry: sourced facts, kinds, and re-uploaders that take their origin from lineage."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks import publisher_coverage
from licensecheck.cli import main
from licensecheck.errors import ConfigError
from licensecheck.licenses import facts

DATA = Path(facts.__file__).resolve().parent / "data" / "publishers.yaml"
URL = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return list(data["publishers"])


# ---------------------------------------------------------------------- sourcing rules


def test_every_entry_has_url_sources_a_date_and_a_kind(entries: list[dict[str, Any]]) -> None:
    kinds = set(facts.PUBLISHER_KINDS + facts.LINEAGE_KINDS)
    for e in entries:
        who = e["orgs"][0]
        assert e["kind"] in kinds, who
        assert e["sources"], who
        assert all(isinstance(s, str) and URL.match(s) for s in e["sources"]), who
        assert DATE.match(str(e["as_of"])), who
        assert isinstance(e["verified"], bool), who


def test_no_entry_cites_a_file_or_prose_instead_of_a_url(entries: list[dict[str, Any]]) -> None:
    text = DATA.read_text(encoding="utf-8")
    assert "publishers.md" not in text and "licenses.md" not in text
    for e in entries:
        for s in e["sources"]:
            assert not s.lower().startswith(("reference", "shared", "see ")), s
        assert "NOT VERIFIED" not in str(e.get("notes") or "")


def test_marked_kinds_have_evidence_with_a_url_and_no_country(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        if e["kind"] in facts.LINEAGE_KINDS:
            assert e["country"] is None, e["orgs"]
            assert re.search(r"https://\S+", e.get("evidence") or ""), e["orgs"]


def test_a_country_is_an_iso_code_or_null_and_unsourced_countries_are_not_verified(
    entries: list[dict[str, Any]],
) -> None:
    for e in entries:
        country = e["country"]
        assert country is None or re.fullmatch(r"[A-Z]{2}", country), e["orgs"]
        if e["kind"] in facts.PUBLISHER_KINDS and country is None:
            assert e["verified"] is False, e["orgs"]


def test_listings_carry_a_date_and_a_url(entries: list[dict[str, Any]]) -> None:
    listed = [e for e in entries if e["lists"]]
    assert listed
    for e in listed:
        for li in e["lists"]:
            assert li["list"] and DATE.match(li["since"]) and URL.match(li["source"]) and li["citation"]
        assert e["verified"] is True, e["orgs"]


def test_an_organisation_appears_once(entries: list[dict[str, Any]]) -> None:
    orgs = [o.lower() for e in entries for o in e["orgs"]]
    assert len(orgs) == len(set(orgs))


# ---------------------------------------------------------------------- facts


def test_known_publishers_and_their_countries() -> None:
    kb = facts.load()
    expected = {
        "deepseek-ai": ("company", "CN"),
        "hfl": ("research-lab", "CN"),
        "Tele-AI": ("company", "CN"),
        "TencentARC": ("company", "CN"),
        "depth-anything": ("research-lab", "HK"),
        "Helsinki-NLP": ("university", "FI"),
        "meta-llama": ("company", "US"),
        "NbAiLab": ("government", "NO"),  # a country code YAML would otherwise read as false
    }
    for org, (kind, country) in expected.items():
        pub = kb.publisher(org)
        assert pub is not None and (pub.kind, pub.country) == (kind, country), org
    assert kb.publisher("tele-ai") is kb.publisher("Tele-AI")  # organisations match case-insensitively
    hfl = kb.publisher("hfl")
    assert hfl is not None and hfl.verified and any("github.com/ymcui" in s for s in hfl.sources)


def test_restricted_party_listings() -> None:
    kb = facts.load()
    zhipu = kb.publisher("zai-org")
    assert zhipu is not None and zhipu.verified and [li.since for li in zhipu.lists] == ["2025-01-16"]
    pixart = kb.publisher("PixArt-alpha")  # Huawei authors, but no source lists the team: no listing
    assert pixart is not None and pixart.country == "CN"
    for org in ("deepseek-ai", "Qwen", "tencent", "moonshotai", "hfl", "PixArt-alpha"):
        pub = kb.publisher(org)
        assert pub is not None and pub.lists == (), org


def test_re_uploaders_individuals_and_communities_have_no_country() -> None:
    kb = facts.load()
    for org, kind in (
        ("TheBloke", "re-uploader"),
        ("bartowski", "re-uploader"),
        ("kandinsky-community", "re-uploader"),
        ("lllyasviel", "individual"),
        ("bigcode", "community"),
    ):
        pub = kb.publisher(org)
        assert pub is not None and pub.known, org
        assert pub.kind == kind and pub.country is None, org
        assert pub.evidence and "https://" in pub.evidence, org


def test_a_marked_kind_drops_a_country_given_to_it() -> None:
    pub = facts.publisher_from_mapping(
        "quantco", {"name": "QuantCo", "kind": "re-uploader", "country": "cn", "verified": True}, None
    )
    assert pub.country is None and pub.kind == "re-uploader" and pub.verified
    plain = facts.publisher_from_mapping("newcorp", {"name": "NewCorp", "country": "ru"}, "2026-01-01")
    assert plain.country == "RU" and plain.kind is None and not plain.verified and plain.as_of == "2026-01-01"
    assert facts.publisher_from_mapping("x", {"verified": "yes"}, None).verified is False


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown kind 'quantizer'"):
        facts.publisher_from_mapping("x", {"kind": "quantizer"}, None)


# ---------------------------------------------------------------------- export-caution over a lockfile

LOCK = """\
version: 1
knowledge_base: test
models:
  TheBloke/DeepSeek-R1-Distill-GGUF:
    license: mit
    author: TheBloke
    base_models: [deepseek-ai/DeepSeek-R1]
  deepseek-ai/DeepSeek-R1: {license: mit, author: deepseek-ai}
  TheBloke/Llama-2-7B-GGUF:
    license: llama2
    author: TheBloke
    base_models: [meta-llama/Llama-2-7b-hf]
  meta-llama/Llama-2-7b-hf: {license: llama2, author: meta-llama}
  TheBloke/orphan-GGUF: {license: mit, author: TheBloke}
"""


def _check(capsys: pytest.CaptureFixture[str], root: Path, *models: str) -> dict[str, dict[str, Any]]:
    (root / "licensecheck.lock").write_text(LOCK, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["check", "--offline", "--format", "json", "-p", "export-caution", *models])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return {m["id"]: m for m in json.loads(out)["models"]}


def _codes(model: dict[str, Any]) -> dict[str, str]:
    return {f["code"]: f["severity"] for f in model["findings"]}


def test_a_re_upload_takes_its_origin_from_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    got = _check(
        capsys,
        tmp_path,
        "TheBloke/DeepSeek-R1-Distill-GGUF",
        "TheBloke/Llama-2-7B-GGUF",
        "TheBloke/orphan-GGUF",
    )
    deepseek = got["TheBloke/DeepSeek-R1-Distill-GGUF"]
    assert deepseek["publisher"]["org"] == "TheBloke" and deepseek["publisher"]["country"] is None
    assert deepseek["verdict"] == "warn" and _codes(deepseek)["jurisdiction-of-concern"] == "warn"
    [finding] = [f for f in deepseek["findings"] if f["code"] == "jurisdiction-of-concern"]
    assert "deepseek-ai" in finding["message"] and "TheBloke (" not in finding["message"]
    # The same re-uploader over a US base: no country of its own, so nothing to warn about.
    llama = got["TheBloke/Llama-2-7B-GGUF"]
    assert llama["verdict"] == "allow" and "jurisdiction-of-concern" not in _codes(llama)
    # A registered re-uploader is not an unknown publisher, and has no country of its own.
    orphan = got["TheBloke/orphan-GGUF"]
    assert orphan["verdict"] == "allow" and orphan["publisher"]["country"] is None
    assert "publisher-unknown" not in _codes(orphan)


def test_a_config_cannot_give_a_re_uploader_a_country(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "licensecheck.yaml").write_text(
        textwrap.dedent(
            """\
            publishers:
              - orgs: [TheBloke]
                name: Someone
                kind: re-uploader
                country: RU
            """
        ),
        encoding="utf-8",
    )
    got = _check(capsys, tmp_path, "TheBloke/orphan-GGUF")
    orphan = got["TheBloke/orphan-GGUF"]
    assert orphan["publisher"]["name"] == "Someone" and orphan["publisher"]["country"] is None
    assert orphan["verdict"] == "allow"


# ---------------------------------------------------------------------- the coverage benchmark


def test_coverage_benchmark_counts_organisations_and_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [f"TheBloke/m{i}" for i in range(4)] + ["deepseek-ai/a", "deepseek-ai/b", "deepseek-ai/c"]
    rows += ["nobody-here/x", "nobody-here/y", "nobody-here/z", "solo/one"]
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"repo_id_guess": r, "front_matter": {}}) for r in rows]
    corpus.write_text(
        "\n".join([*lines, "not json", json.dumps({"repo_id_guess": 7})]) + "\n", encoding="utf-8"
    )
    assert publisher_coverage.main([str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "skipped 2 line(s)" in out
    assert "organisations with >= 3 models: 3 (10 models" in out and "covered: 2 (66.7%)" in out
    assert "models whose organisation is in the registry: 7 of 11 (63.6%)" in out
    assert "re-uploader" in out and "not covered (>= 3 models): nobody-here (3)" in out


def test_coverage_benchmark_needs_its_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert publisher_coverage.main([str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "corpus not found" in err and "missing.jsonl" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert publisher_coverage.main([str(empty)]) == 2
    assert "no usable cards" in capsys.readouterr().err


def test_publisher_countries_checked_against_primary_sources() -> None:
    kb = facts.load()
    checked = {
        "facebook": ("US", "CIK=META"),
        "microsoft": ("US", "CIK=MSFT"),
        "google": ("US", "CIK=GOOGL"),
        "apple": ("US", "CIK=AAPL"),
        "amazon": ("US", "CIK=AMZN"),
        "nvidia": ("US", "docs.nvidia.com"),
        "deepseek-ai": ("CN", "github.com/deepseek-ai"),
        "01-ai": ("CN", "github.com/01-ai/Yi"),
        "baichuan-inc": ("CN", "huggingface.co/baichuan-inc"),
        "jinaai": ("DE", "github.com/jina-ai/press-kit"),
    }
    for org, (country, source) in checked.items():
        pub = kb.publisher(org)
        assert pub is not None and pub.verified and pub.country == country, org
        assert any(source in s for s in pub.sources), org
    qwen = kb.publisher("Qwen")  # CN is settled for Alibaba, not yet for Ant Group's inclusionAI
    assert qwen is not None and qwen.country == "CN" and not qwen.verified
    ant = kb.publisher("inclusionAI")
    assert ant is not None and ant.name == qwen.name and not ant.verified
