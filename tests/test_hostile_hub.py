"""A hostile Hub (or mirror): listings that claim other organisations' models, never end or cycle, next
links to another host, LICENSE files that trickle or weigh a gigabyte, credentials in HF_ENDPOINT."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from licensecheck.cli import main
from licensecheck.sources import hub as hubmod
from licensecheck.sources import listing
from licensecheck.sources.cache import Cache
from licensecheck.sources.hub import HubSource
from tests.fakehub import FakeClock, FakeHub

TOKEN = "hf_HostileHubMustNeverSeeThis0123456789"


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exc.value.code or 0), out, err


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    return FakeClock().install(monkeypatch)


def test_a_listing_item_of_another_organisation_is_not_kept_nor_cached(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fakehub.add_model("evil/model", {"license": "mit"})
    fakehub.add_model("victim/model", {"license": "cc-by-nc-4.0"})
    fakehub.hostile_listing("evil", "foreign-ids")
    code, out, err = check(capsys, "--format", "json", "-p", "openness", "--author", "evil")
    ids = [m["id"] for m in json.loads(out)["models"]]
    assert ids == ["evil/model"] and code == 0
    assert "victim/model" in err and "ignored" in err  # said once, as a warning
    cache = Cache()
    assert cache.get("model", "victim/model", None) is None  # the planted MIT is not the victim's entry
    code, out, _ = check(capsys, "--format", "json", "-p", "openness", "victim/model")
    assert json.loads(out)["models"][0]["verdict"] == "deny" and code == 1


def test_an_endless_listing_stops_at_the_page_cap(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "MAX_PAGES", 25)
    fakehub.hostile_listing("loop", "endless")
    code, out, err = check(capsys, "--format", "markdown", "--no-cache", "--author", "loop")
    assert code == 2
    assert "did not end after 25 pages" in err
    assert fakehub.count("/api/models?") == 25
    assert out == ""  # no report grows without bound


def test_a_cycling_listing_is_refused(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.page_size = 2
    fakehub.generate_author("cyc", 5)
    fakehub.hostile_listing("cyc", "cycle")
    code, _, err = check(capsys, "--format", "markdown", "--no-cache", "--author", "cyc")
    assert code == 2 and "repeats itself" in err
    assert fakehub.count("/api/models?") <= 3


def test_a_next_link_to_another_host_is_refused_and_gets_no_token(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with FakeHub() as elsewhere:
        fakehub.page_size = 2
        fakehub.generate_author("org", 5)
        fakehub.hostile_listing(
            "org", "foreign-next", elsewhere=elsewhere.url.replace("127.0.0.1", "localhost")
        )
        code, out, err = check(capsys, "--format", "markdown", "--no-cache", "--author", "org")
        assert code == 2 and "another address" in err
        assert elsewhere.count() == 0 and elsewhere.tokens_seen == []
    assert TOKEN not in out + err


def test_an_api_redirect_to_another_host_is_not_followed(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with FakeHub() as elsewhere:
        elsewhere.add_model("acme/model", {"license": "mit"})
        fakehub.redirect("acme/model", "acme/model")  # replaced below by an absolute, foreign Location
        fakehub._redirects.clear()
        fakehub.add_model("acme/model", {"license": "mit"})
        fakehub.fail("acme/model", 307, error_code="")
        fakehub._failures["acme/model"].body = b""
        original = fakehub._failure_response

        def foreign(fault: Any, *, has_token: bool) -> Any:
            resp = original(fault, has_token=has_token)
            resp.headers["Location"] = elsewhere.url + "/api/models/acme/model"
            return resp

        monkeypatch.setattr(fakehub, "_failure_response", foreign)
        code, out, _ = check(capsys, "--format", "json", "--no-cache", "-p", "openness", "acme/model")
        model = json.loads(out)["models"][0]
        assert model["error"]["kind"] == "network" and "another address" in model["error"]["message"]
        assert elsewhere.count() == 0 and elsewhere.tokens_seen == []
        assert code == 1


def _meta_with_licence_file(fakehub: FakeHub) -> None:
    fakehub.add_model("acme/odd", {"license": "other"}, files={"LICENSE": "placeholder\n"})


def test_a_trickling_licence_file_is_cut_at_its_deadline(
    fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    _meta_with_licence_file(fakehub)
    fakehub.trickle("acme/odd", "LICENSE", size=100_000, step=10, interval=0.05)
    monkeypatch.setattr(hubmod, "LICENSE_DEADLINE", 0.5)
    meta = HubSource(use_cache=False).fetch_many(["acme/odd"])["acme/odd"]
    assert meta.error is None and meta.license_text is None  # unread: the licence stays unidentified
    assert fakehub.count("/acme/odd/resolve/") == 1  # a deadline is not tried again


def test_a_gigabyte_licence_file_is_not_read(fakehub: FakeHub) -> None:
    _meta_with_licence_file(fakehub)
    fakehub.trickle("acme/odd", "LICENSE", size=1 << 30, step=1 << 20)
    tracemalloc.start()
    try:
        meta = HubSource(use_cache=False).fetch_many(["acme/odd"])["acme/odd"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert meta.error is None and meta.license_text is None
    assert peak < 16 * 1024 * 1024  # refused by its Content-Length, not read


def test_credentials_in_hf_endpoint_are_never_printed(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cretMirrorPassw0rd"
    monkeypatch.setenv("HF_ENDPOINT", fakehub.url.replace("http://", f"http://mirror-user:{secret}@"))
    fakehub.add_model("acme/down", {"license": "mit"})
    fakehub.fail("acme/down", 503)
    fakehub.add_model("acme/fine", {"license": "mit"})
    code, out, err = check(capsys, "--format", "json", "--no-cache", "-v", "acme/down", "acme/fine")
    assert code == 1 and secret not in out + err
    fakehub.stop()
    code, out, err = check(capsys, "--no-cache", "-v", "acme/fine")
    assert code == 2 and "cannot reach the Hub" in err
    assert secret not in out + err
