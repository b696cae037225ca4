"""--author audits are judged and written model by model (text and JSON), with the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakehub import FakeHub


def _cards(i: int) -> dict[str, object]:
    return {"license": "cc-by-nc-4.0" if i % 5 == 0 else "mit"}


@pytest.fixture
def org(fakehub: FakeHub) -> FakeHub:
    fakehub.generate_author("org", 450, _cards)
    fakehub.add_model("else/where", {"license": "mit"})
    return fakehub


def test_streamed_json_is_the_same_report(org: FakeHub, cli, tmp_path: Path):
    code, out, _ = cli(
        "check", "--no-cache", "-p", "commercial", "--format", "json", "--author", "org", "else/where"
    )
    streamed = json.loads(out)
    assert code == 1
    assert streamed["summary"] == {"models": 451, "allow": 361, "warn": 0, "deny": 90}
    assert list(streamed)[-2:] == ["summary", "notices"]
    assert streamed["models"][0]["id"] == "else/where"
    # the same models judged without streaming (explicit targets, no --author) give the same entries
    ids = [m["id"] for m in streamed["models"][1:6]]
    _, out, _ = cli("check", "-p", "commercial", "--format", "json", *ids)
    batch = json.loads(out)
    assert [m["verdicts"] for m in batch["models"]] == [m["verdicts"] for m in streamed["models"][1:6]]


def test_streamed_text_and_output_file(org: FakeHub, cli, tmp_path: Path):
    target = tmp_path / "report.txt"
    code, out, _ = cli(
        "check",
        "--no-cache",
        "-p",
        "commercial",
        "--author",
        "org",
        "-o",
        str(target),
        "--fail-on",
        "never",
    )
    assert code == 0 and out == ""
    text = target.read_text()
    lines = text.splitlines()
    assert lines[0].split() == ["MODEL", "LICENCE", "COMMERCIAL"]
    assert lines[1].split() == ["org/model-000000", "CC-BY-NC-4.0", "deny"]
    assert "non-commercial" in lines[2]  # the row's findings follow it
    assert lines[-2] == "450 models: 360 allow, 0 warn, 90 deny (postures: commercial)"
    assert lines[-1].startswith("inputs: ")  # the files the run read


def test_streamed_audit_reads_one_page_at_a_time(org: FakeHub, cli):
    cli("check", "--no-cache", "-p", "openness", "--format", "json", "--author", "org")
    assert org.count("/api/models?") == 5  # 450 models, 100 per page
    assert org.count("/api/models/") == 0


def test_a_listing_page_that_never_comes_is_a_clear_error(fakehub: FakeHub):
    from licensecheck.errors import LicensecheckError
    from licensecheck.sources.hub import HubSource, author_batches

    fakehub.generate_author("org", 10)
    fakehub.slow("author:org", 3.0)
    source = HubSource(timeout=0.2, retries=0, use_cache=False)
    # the page does come, after 3 s: an error (rather than the ten models) means the deadline cut it off
    with pytest.raises(LicensecheckError, match="cannot list the models of org"):
        list(author_batches("org", source))
