"""The Hub source against the fake Hub with the real client: failure kinds, retries, tokens, the cache."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from licensecheck.cli import main
from licensecheck.sources.cache import DEFAULT_TTL, Cache
from licensecheck.sources.hub import HubSource
from tests.fakehub import MALFORMED_KINDS, FakeClock, FakeHub

TOKEN = "hf_SeCrEtT0kenNeverToBePrinted0123456789"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str, str]:
    """`licensecheck check --format json ARGS` in-process: (exit code, report, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return int(exc.value.code or 0), json.loads(out), out, err


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in report["models"]}


def codes(model: dict[str, Any]) -> set[str]:
    return {f["code"] for f in model["findings"]}


def model_requests(hub: FakeHub, repo_id: str) -> int:
    return hub.count(f"/api/models/{repo_id}")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The rate limiter's and the back-off's clock: waits are recorded, never slept."""
    return FakeClock().install(monkeypatch)


@pytest.fixture
def no_sleep(clock: FakeClock) -> Iterator[list[float]]:
    """Record the source's waits (back-off and rate-limit pauses) instead of sleeping them."""
    yield clock.sleeps


# ---------------------------------------------------------------------- failure kinds through the CLI

FAILURES: dict[str, tuple[str, dict[str, Any]]] = {
    # repo id -> (expected error.kind, FakeHub.fail keywords)
    "acme/private-401": ("not-found", {"status": 401}),
    "acme/missing-404": ("not-found", {"status": 404}),
    "acme/gated-403": ("gated", {"status": 403}),
    "acme/throttled-429": ("rate-limited", {"status": 429, "retry_after": 0}),
    "acme/broken-500": ("network", {"status": 500}),
    "acme/down-503": ("network", {"status": 503}),
}


def test_every_failure_kind_is_a_model_error_and_the_others_are_judged(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], no_sleep: list[float]
) -> None:
    fakehub.add_model("good/mit-model", {"license": "mit"})
    fakehub.add_model("good/nc-model", {"license": "cc-by-nc-4.0"})
    for repo_id, (_kind, fault) in FAILURES.items():
        fakehub.add_model(repo_id, {"license": "mit"})
        fakehub.fail(repo_id, **fault)
    fakehub.add_model("acme/broken-json", {"license": "mit"})
    fakehub.malformed("acme/broken-json", "broken-json")
    fakehub.add_model("acme/wrong-shape", {"license": "mit"})
    fakehub.malformed("acme/wrong-shape", "wrong-shape")
    targets = ["good/mit-model", *FAILURES, "acme/broken-json", "acme/wrong-shape", "good/nc-model"]

    code, report, _, err = run(capsys, "--no-cache", "-p", "openness", "-p", "export-caution", *targets)

    assert code == 1
    assert [m["id"] for m in report["models"]] == targets
    models = by_id(report)
    expected = {rid: kind for rid, (kind, _) in FAILURES.items()}
    expected |= {"acme/broken-json": "malformed", "acme/wrong-shape": "malformed"}
    for repo_id, kind in expected.items():
        m = models[repo_id]
        assert m["error"] is not None and m["error"]["kind"] == kind, (repo_id, m["error"])
        assert m["error"]["message"]
        assert m["verdict"] == "deny"
        assert m["license"]["expression"] is None
        unresolved = [f for f in m["findings"] if f["code"] == "unresolved"]
        assert {f["posture"] for f in unresolved} == {"openness", "export-caution"}
        assert all(f["severity"] == "deny" for f in unresolved)
    # the good models of the same run are judged normally
    assert models["good/mit-model"]["error"] is None
    assert models["good/mit-model"]["license"]["expression"] == "MIT"
    assert models["good/mit-model"]["verdicts"]["openness"] == "allow"
    assert models["good/nc-model"]["error"] is None
    assert models["good/nc-model"]["verdicts"]["openness"] == "deny"
    assert "not-open" in codes(models["good/nc-model"])
    assert report["summary"]["models"] == len(targets)
    # retryable failures were retried (default 4 retries: 5 requests), the others asked once
    for repo_id in ("acme/throttled-429", "acme/broken-500", "acme/down-503"):
        assert model_requests(fakehub, repo_id) == 5, repo_id
    for repo_id in ("acme/private-401", "acme/missing-404", "acme/gated-403", "acme/broken-json"):
        assert model_requests(fakehub, repo_id) == 1, repo_id
    # the 429s announced a reset of 0 s (nothing to wait); 5xx backed off exponentially
    assert no_sleep and max(no_sleep) <= 8.0
    assert "Traceback" not in err


def test_text_report_of_failures_has_no_traceback(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], no_sleep: list[float]
) -> None:
    fakehub.add_model("good/mit-model", {"license": "mit"})
    fakehub.add_model("acme/down", {"license": "mit"})
    fakehub.fail("acme/down", 503)
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", "good/mit-model", "acme/down", "nobody/nothing"])
    out, err = capsys.readouterr()
    assert exc.value.code == 1
    assert "Traceback" not in out + err
    assert "acme/down" in out and "nobody/nothing" in out and "good/mit-model" in out


def test_a_missing_repository_is_not_found(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("good/mit-model", {"license": "mit"})
    fakehub.add_model("acme/hidden", {"license": "mit"}, private=True)
    code, report, _, _ = run(capsys, "--no-cache", "good/mit-model", "nobody/nothing", "acme/hidden")
    models = by_id(report)
    assert code == 1
    assert models["nobody/nothing"]["error"]["kind"] == "not-found"
    assert models["acme/hidden"]["error"]["kind"] == "not-found"  # private: 401 without a token
    assert models["good/mit-model"]["verdicts"]["openness"] == "allow"


def test_a_gated_repository_still_gives_its_metadata(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Hub serves a gated repo's metadata to anyone; only a 403 on the API call is `gated`."""
    fakehub.add_model("acme/gated", {"license": "mit"}, gated="manual")
    code, report, _, _ = run(capsys, "--no-cache", "-p", "export-caution", "-v", "acme/gated")
    m = by_id(report)["acme/gated"]
    assert m["error"] is None
    assert "gated" in codes(m)
    assert code == 0


def test_503_once_then_success(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], no_sleep: list[float]
) -> None:
    fakehub.add_model("acme/flaky", {"license": "apache-2.0"})
    fakehub.fail("acme/flaky", 503, times=1)
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "acme/flaky")
    m = by_id(report)["acme/flaky"]
    assert m["error"] is None and m["license"]["expression"] == "Apache-2.0"
    assert code == 0
    assert model_requests(fakehub, "acme/flaky") == 2
    assert len(no_sleep) == 1 and 0 < no_sleep[0] <= 0.25


def test_429_once_waits_retry_after_then_succeeds(fakehub: FakeHub, clock: FakeClock) -> None:
    fakehub.add_model("acme/busy", {"license": "mit"})
    fakehub.fail("acme/busy", 429, times=1, retry_after=1)
    meta = HubSource(use_cache=False).fetch_many(["acme/busy"])["acme/busy"]
    assert meta.error is None
    assert meta.declared.license == "mit"
    assert clock.sleeps == [1.0]  # the reset the 429 announced, waited once
    assert model_requests(fakehub, "acme/busy") == 2


def test_429_every_time_is_rate_limited_after_the_retries(fakehub: FakeHub) -> None:
    fakehub.add_model("acme/throttled", {"license": "mit"})
    fakehub.add_model("acme/fine", {"license": "mit"})
    fakehub.fail("acme/throttled", 429, retry_after=0)
    source = HubSource(use_cache=False, retries=2)
    got = source.fetch_many(["acme/throttled", "acme/fine"])
    err = got["acme/throttled"].error
    assert err is not None and err.kind == "rate-limited"
    assert got["acme/fine"].error is None
    assert model_requests(fakehub, "acme/throttled") == 3


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_every_time_is_network(fakehub: FakeHub, status: int, no_sleep: list[float]) -> None:
    fakehub.add_model("acme/down", {"license": "mit"})
    fakehub.fail("acme/down", status)
    meta = HubSource(use_cache=False, retries=3).fetch_many(["acme/down"])["acme/down"]
    assert meta.error is not None and meta.error.kind == "network"
    assert str(status) in meta.error.message
    assert model_requests(fakehub, "acme/down") == 4
    # exponential backoff with jitter: each wait within [0.5, 1] x 0.25 x 2**attempt
    assert len(no_sleep) == 3
    for attempt, wait in enumerate(no_sleep):
        assert 0.125 * 2**attempt <= wait <= 0.25 * 2**attempt


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_every_malformed_answer_is_malformed(fakehub: FakeHub, kind: str) -> None:
    fakehub.add_model("acme/odd", {"license": "mit"})
    fakehub.add_model("acme/fine", {"license": "mit"})
    fakehub.malformed("acme/odd", kind)
    got = HubSource(use_cache=False, retries=0).fetch_many(["acme/odd", "acme/fine"])
    err = got["acme/odd"].error
    assert err is not None and err.kind == "malformed", (kind, err)
    assert got["acme/fine"].error is None
    assert model_requests(fakehub, "acme/odd") == 1  # a malformed answer is not retried


@pytest.mark.parametrize("status", [400, 418])
def test_other_client_errors_are_network_without_retries(fakehub: FakeHub, status: int) -> None:
    """huggingface_hub's BadRequestError (400) is also a ValueError: still an HTTP error, not `malformed`."""
    fakehub.add_model("acme/odd", {"license": "mit"})
    fakehub.fail("acme/odd", status)
    meta = HubSource(use_cache=False).fetch_many(["acme/odd"])["acme/odd"]
    assert meta.error is not None and meta.error.kind == "network"
    assert str(status) in meta.error.message
    assert model_requests(fakehub, "acme/odd") == 1


def test_a_bug_in_a_worker_is_raised_not_swallowed(fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        fakehub.add_model(f"acme/m{i}", {"license": "mit"})

    def broken(self: HubSource, target: str, kind: str = "model") -> Any:
        raise RuntimeError(f"bug while fetching {target}")

    monkeypatch.setattr(HubSource, "_fetch", broken)
    with pytest.raises(RuntimeError, match="bug while fetching"):
        HubSource(use_cache=False).fetch_many([f"acme/m{i}" for i in range(4)])


def test_results_keep_the_order_of_the_targets(fakehub: FakeHub) -> None:
    ids = [f"acme/m{i:02d}" for i in range(40)]
    for i, repo_id in enumerate(ids):
        fakehub.add_model(repo_id, {"license": "mit" if i % 2 else "apache-2.0"})
        fakehub.slow(repo_id, 0.05 * (i % 3))
    got = HubSource(use_cache=False, jobs=7).fetch_many(ids)
    assert list(got) == ids
    assert [m.declared.license for m in got.values()] == ["mit" if i % 2 else "apache-2.0" for i in range(40)]
    assert fakehub.count() == 40


def test_a_slow_answer_beyond_the_timeout_is_network(fakehub: FakeHub, no_sleep: list[float]) -> None:
    fakehub.add_model("acme/slow", {"license": "mit"})
    fakehub.add_model("acme/fine", {"license": "mit"})
    fakehub.slow("acme/slow", 3.0)
    got = HubSource(use_cache=False, timeout=0.3, retries=1).fetch_many(["acme/slow", "acme/fine"])
    err = got["acme/slow"].error
    assert err is not None and err.kind == "network"
    assert "Timeout" in err.message
    assert got["acme/fine"].error is None
    assert model_requests(fakehub, "acme/slow") == 2  # one try and one retry, each cut at the timeout


def test_an_unreachable_hub_is_one_error_suggesting_offline(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], no_sleep: list[float]
) -> None:
    fakehub.stop()
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", "acme/a", "acme/b", "acme/c"])
    out, err = capsys.readouterr()
    assert exc.value.code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach the Hub" in lines[0] and "--offline" in lines[0]
    assert "Traceback" not in err and out == ""


def test_a_target_that_is_not_a_hub_id_is_not_found_without_a_request(fakehub: FakeHub) -> None:
    got = HubSource(use_cache=False).fetch_many(["not a repo id"])
    err = got["not a repo id"].error
    assert err is not None and err.kind == "not-found"
    assert fakehub.count() == 0


def test_revision_targets_ask_that_revision(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/evolving", {"license": "cc-by-nc-4.0"})
    old = fakehub.shas("acme/evolving")[0]
    fakehub.update_model("acme/evolving", card_data={"license": "apache-2.0"})
    code, report, _, _ = run(
        capsys, "--no-cache", "-p", "openness", f"acme/evolving@{old}", "acme/evolving", "acme/evolving@nope"
    )
    models = by_id(report)
    assert models[f"acme/evolving@{old}"]["revision"] == old
    assert models[f"acme/evolving@{old}"]["verdicts"]["openness"] == "deny"
    assert models["acme/evolving"]["verdicts"]["openness"] == "allow"
    assert models["acme/evolving@nope"]["error"]["kind"] == "not-found"
    assert fakehub.count(f"/api/models/acme/evolving/revision/{old}") == 1
    assert code == 1


def test_one_metadata_request_per_model_and_no_readme(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("acme/a", {"license": "mit"})
    fakehub.add_model("acme/b", {"license": "apache-2.0"})
    run(capsys, "--no-cache", "acme/a", "acme/b")
    assert fakehub.count() == 2
    assert fakehub.count("/acme/a/resolve") == 0


# ---------------------------------------------------------------------- the token


@pytest.mark.parametrize("status", [None, 401, 403])
def test_hf_token_is_sent_and_never_printed(
    fakehub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    status: int | None,
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    fakehub.add_model("acme/model", {"license": "mit"})
    fakehub.add_model("acme/other", {"license": "other"}, files={"LICENSE": "Some custom terms\n"})
    if status is not None:
        fakehub.fail("acme/model", status, body=f"bad token {TOKEN}".encode() if status == 401 else None)
    code, report, out, err = run(capsys, "--no-cache", "-v", "acme/model", "acme/other")
    assert fakehub.tokens_seen and all(t == f"Bearer {TOKEN}" for t in fakehub.tokens_seen)
    assert TOKEN not in out + err
    assert TOKEN not in json.dumps(report)
    if status is not None:
        assert by_id(report)["acme/model"]["error"]["kind"] == ("gated" if status == 403 else "not-found")
        assert code == 1
    # the other formats and the lock command do not print it either
    for fmt in ("text", "sarif", "markdown", "junit"):
        with pytest.raises(SystemExit):
            main(["check", "--no-cache", "-v", "--format", fmt, "acme/model"])
        out, err = capsys.readouterr()
        assert TOKEN not in out + err
    with pytest.raises(SystemExit):
        main(["lock", "--lockfile", str(tmp_path / "x.lock"), "acme/model", "acme/other"])
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert TOKEN not in (tmp_path / "x.lock").read_text(encoding="utf-8")


def test_no_token_sends_no_authorization(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    run(capsys, "--no-cache", "acme/model")
    assert fakehub.tokens_seen == []


# ---------------------------------------------------------------------- the cache


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["LICENSECHECK_CACHE_DIR"]).rglob("*.json"))


def test_a_second_check_within_the_ttl_makes_no_request(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("base/origin", {"license": "apache-2.0"})
    fakehub.add_model("acme/ft", {"license": "apache-2.0"}, base_models=["base/origin"])
    fakehub.add_model("acme/other", {"license": "cc-by-nc-4.0"})
    code1, first, _, _ = run(capsys, "acme/ft", "acme/other")
    assert fakehub.count() == 3  # two targets and one base model
    assert {m["source"] for m in first["models"]} == {"hub"}
    code2, second, _, _ = run(capsys, "acme/ft", "acme/other")
    assert fakehub.count() == 3
    assert {m["source"] for m in second["models"]} == {"cache"}
    assert code1 == code2 == 1
    assert [m["verdicts"] for m in first["models"]] == [m["verdicts"] for m in second["models"]]
    assert [m["lineage"] for m in first["models"]] == [m["lineage"] for m in second["models"]]


def test_refresh_refetches_and_sees_the_change(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    run(capsys, "-p", "openness", "acme/model")
    fakehub.update_model("acme/model", card_data={"license": "cc-by-nc-4.0"})
    _, cached, _, _ = run(capsys, "-p", "openness", "acme/model")
    assert cached["models"][0]["verdict"] == "allow"  # still the cached answer, within the TTL
    assert fakehub.count() == 1
    code, fresh, _, _ = run(capsys, "--refresh", "-p", "openness", "acme/model")
    assert fakehub.count() == 2
    assert fresh["models"][0]["source"] == "hub"
    assert fresh["models"][0]["verdict"] == "deny"
    assert code == 1
    _, after, _, _ = run(capsys, "-p", "openness", "acme/model")  # the refresh updated the cache
    assert after["models"][0]["source"] == "cache" and after["models"][0]["verdict"] == "deny"
    assert fakehub.count() == 2


def test_no_cache_neither_reads_nor_writes(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    run(capsys, "--no-cache", "acme/model")
    assert cache_files() == []  # not written
    run(capsys, "acme/model")  # populate
    files = cache_files()
    assert len(files) == 1
    before = files[0].read_bytes()
    fakehub.update_model("acme/model", card_data={"license": "cc-by-nc-4.0"})
    _, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "acme/model")
    assert report["models"][0]["source"] == "hub"  # not read
    assert report["models"][0]["verdict"] == "deny"
    assert fakehub.count() == 3
    assert files[0].read_bytes() == before  # not written


CORRUPT = [
    b"{not json",
    b"",
    b"\x00\xff" * 10,
    b"[]",
    b'{"format": 1}',
    b'{"format": 1, "repo_id": 5, "stored": 1e12, "entry": {}}',
    b'{"format": 1, "repo_id": "acme/model", "stored": "now", "entry": {}}',
    b'{"format": 99, "repo_id": "acme/model", "stored": 1e12, "entry": {}}',
]


@pytest.mark.parametrize("garbage", CORRUPT)
def test_a_corrupt_cache_entry_is_refetched_and_replaced(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], garbage: bytes
) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    run(capsys, "acme/model")
    (path,) = cache_files()
    path.write_bytes(garbage)
    _, report, _, _ = run(capsys, "-p", "openness", "acme/model")
    assert report["models"][0]["source"] == "hub"
    assert report["models"][0]["verdict"] == "allow"
    assert fakehub.count() == 2
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["repo_id"] == "acme/model" and doc["entry"]["license"] == "mit"
    _, again, _, _ = run(capsys, "acme/model")
    assert again["models"][0]["source"] == "cache"
    assert fakehub.count() == 2


@pytest.mark.parametrize("how", ["chmod", "under-a-file"])
def test_an_unwritable_cache_still_gives_the_right_verdict(
    fakehub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    how: str,
) -> None:
    fakehub.add_model("acme/model", {"license": "cc-by-nc-4.0"})
    fakehub.add_model("acme/fine", {"license": "mit"})
    if how == "chmod":
        root = tmp_path / "ro-cache"
        root.mkdir()
        root.chmod(0o500)
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder\n", encoding="utf-8")
        root = blocker / "cache"  # mkdir under a regular file fails even for root
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(root))
    try:
        for _ in range(2):
            code, report, _, err = run(capsys, "-p", "openness", "acme/model", "acme/fine")
            assert code == 1
            assert [m["verdict"] for m in report["models"]] == ["deny", "allow"]
            assert all(m["error"] is None for m in report["models"])
            assert "Traceback" not in err
    finally:
        if how == "chmod":
            root.chmod(0o700)
    if how == "under-a-file":
        assert fakehub.count() == 4  # nothing could be cached: both runs asked the Hub


def _age_cache_entries(seconds: float) -> None:
    for path in cache_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["stored"] = doc["stored"] - seconds
        path.write_text(json.dumps(doc), encoding="utf-8")


def test_pinned_revisions_never_expire_unpinned_expire_after_the_ttl(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("acme/pinned", {"license": "mit"})
    fakehub.add_model("acme/floating", {"license": "mit"})
    sha = fakehub.shas("acme/pinned")[0]
    targets = [f"acme/pinned@{sha}", "acme/floating"]
    run(capsys, *targets)
    assert fakehub.count() == 2
    _age_cache_entries(DEFAULT_TTL - 60)  # just within the TTL: both cached
    run(capsys, *targets)
    assert fakehub.count() == 2
    _age_cache_entries(120)  # now older than the TTL
    _, report, _, _ = run(capsys, *targets)
    sources = {m["id"]: m["source"] for m in report["models"]}
    assert sources == {f"acme/pinned@{sha}": "cache", "acme/floating": "hub"}
    assert model_requests(fakehub, "acme/floating") == 2
    assert fakehub.count(f"/api/models/acme/pinned/revision/{sha}") == 1
    _age_cache_entries(365 * 24 * 3600)  # a year: a pinned commit is still good
    _, report, _, _ = run(capsys, *targets)
    assert report["models"][0]["source"] == "cache"
    assert fakehub.count(f"/api/models/acme/pinned/revision/{sha}") == 1


def test_cache_unit_behaviour(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", ttl=10)
    sha = "a" * 40
    cache.put("model", "Org/Name", None, {"license": "mit"})
    cache.put("model", "Org/Name", sha, {"license": "apache-2.0"})
    assert cache.get("model", "org/name", None) == {"license": "mit"}  # ids are case-insensitive
    assert cache.get("model", "Org/Name", sha) == {"license": "apache-2.0"}
    assert cache.get("dataset", "Org/Name", None) is None  # kinds do not mix
    assert cache.get("model", "Org/Name", "b" * 40) is None
    assert cache.get("model", "Org/Name", "v1.0") is None
    assert not list((tmp_path / "c").rglob("*.tmp"))  # atomic writes leave no temporary file
    cache.clear()
    assert cache.get("model", "Org/Name", None) is None


def test_cache_skips_a_fifo_and_absurd_nesting(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("model", "org/a", None, {"license": "mit"})
    path = cache._path("model", "org/a", None)
    path.unlink()
    os.mkfifo(path)  # opening a FIFO for reading would block until a writer came
    assert cache.get("model", "org/a", None) is None
    cache.put("model", "org/a", None, {"license": "mit"})  # replaced atomically
    assert cache.get("model", "org/a", None) == {"license": "mit"}
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert cache.get("model", "org/a", None) is None
    path.unlink()
    path.mkdir()
    assert cache.get("model", "org/a", None) is None


def test_cache_rejects_an_entry_stored_for_another_repo(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("model", "org/a", None, {"license": "mit"})
    path_a = cache._path("model", "org/a", None)
    path_b = cache._path("model", "org/b", None)
    path_b.parent.mkdir(parents=True, exist_ok=True)
    path_b.write_bytes(path_a.read_bytes())
    assert cache.get("model", "org/b", None) is None


# ---------------------------------------------------------------------- --author through the listing


def test_author_audit_uses_the_listing_not_per_model_requests(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fakehub.page_size == 100
    fakehub.generate_author(
        "bigorg", 500, lambda i: {"license": "cc-by-nc-4.0" if i % 5 == 0 else "apache-2.0"}
    )
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "--author", "bigorg")
    pages = fakehub.count("/api/models?")
    per_model = fakehub.count("/api/models/")
    assert pages == 5
    assert per_model == 0
    assert fakehub.count() == pages
    assert report["summary"]["models"] == 500
    assert report["summary"]["deny"] == 100
    assert report["summary"]["allow"] == 400
    ids = [m["id"] for m in report["models"]]
    assert len(set(ids)) == 500 and ids[0] == "bigorg/model-000000"
    assert code == 1


def test_author_audit_fills_the_cache_and_merges_targets(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.generate_author("org", 120)
    fakehub.add_model("else/where", {"license": "mit"})
    code, report, _, _ = run(capsys, "-p", "openness", "--author", "org", "org/model-000003", "else/where")
    assert report["summary"]["models"] == 121  # a target also listed is judged once
    assert fakehub.count("/api/models?") == 2
    assert fakehub.count("/api/models/") == 1  # only else/where
    assert code == 0
    fakehub.reset_counts()
    code, report, _, _ = run(capsys, "-p", "openness", "org/model-000007")
    assert report["models"][0]["source"] == "cache"
    assert fakehub.count() == 0


def test_author_audit_reads_the_licence_file_like_a_single_check(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    gpl = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"
    fakehub.add_model("org/custom", {"license": "other"}, files={"LICENSE": gpl})
    fakehub.add_model("org/silent", None, files={"LICENSE.md": gpl})
    fakehub.add_model("org/plain", {"license": "mit"}, files={"LICENSE": "MIT License\n"})
    fakehub.add_model("org/nofile", {"license": "other"})
    _, report, _, _ = run(capsys, "-p", "openness", "--author", "org")
    expressions = {m["id"]: m["license"]["expression"] for m in report["models"]}
    assert expressions == {
        "org/custom": "GPL-3.0-only",
        "org/silent": "GPL-3.0-only",
        "org/plain": "MIT",
        "org/nofile": None,
    }
    assert fakehub.count("/api/models/") == 0
    assert fakehub.count("/org/custom/resolve/") == 1 and fakehub.count("/org/silent/resolve/") == 1
    assert fakehub.count("/org/plain/resolve/") == 0
    # what the listing cached is what a single check would have found
    fakehub.reset_counts()
    _, single, _, _ = run(capsys, "-p", "openness", "org/custom", "org/silent")
    assert [m["source"] for m in single["models"]] == ["cache", "cache"]
    assert [m["license"]["expression"] for m in single["models"]] == ["GPL-3.0-only", "GPL-3.0-only"]
    assert fakehub.count() == 0


def test_author_listing_failure_is_a_clear_error(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    fakehub.fail("author:someorg", 403)
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", "--author", "someorg"])
    out, err = capsys.readouterr()
    assert exc.value.code == 2
    assert "someorg" in err and "Traceback" not in err
    assert TOKEN not in out + err


def test_author_with_offline_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--offline", "--author", "someorg"])
    assert exc.value.code == 2
    assert "--offline" in capsys.readouterr().err


# ---------------------------------------------------------------------- lineage and the LICENSE file


def test_lineage_is_fetched_through_the_same_source(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("meta-llama/Llama-3.1-8B", {"license": "llama3.1"})
    fakehub.add_model("acme/llama-ft", {"license": "apache-2.0"}, base_models=["meta-llama/Llama-3.1-8B"])
    fakehub.add_model(
        "acme/llama-ft-GGUF",
        {"license": "apache-2.0"},
        base_models=["acme/llama-ft"],
        base_relation="quantized",
    )
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "acme/llama-ft-GGUF")
    m = report["models"][0]
    assert [(e["id"], e["license"]) for e in m["lineage"]] == [
        ("acme/llama-ft", "Apache-2.0"),
        ("meta-llama/Llama-3.1-8B", "LicenseRef-scancode-llama-3.1-license-2024"),
    ]
    assert m["verdict"] == "deny"
    assert "base-model-license" in codes(m)
    assert code == 1


def test_licence_file_fetched_only_when_the_card_does_not_say(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model(
        "acme/other",
        {"license": "other"},
        files={"LICENSE": "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"},
    )
    fakehub.add_model("acme/mit", {"license": "mit"}, files={"LICENSE": "GNU GENERAL PUBLIC LICENSE\n"})
    _, report, _, _ = run(capsys, "--no-cache", "acme/other", "acme/mit")
    assert [m["license"]["expression"] for m in report["models"]] == ["GPL-3.0-only", "MIT"]
    assert fakehub.count("/acme/other/resolve/") == 1
    assert fakehub.count("/acme/mit/resolve/") == 0


# ---------------------------------------------------------------------- the Hub's budget (RateLimit headers)


def test_rate_limit_pauses_every_worker_together_without_a_429(
    fakehub: FakeHub, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """120 models, 50 calls per 300 s window, 16 workers: two pauses until the resets, announced once each,
    and not one request refused: the budget is counted before asking, not learnt from 429s."""
    fakehub.rate_limit(quota=50, window=300, clock=clock.monotonic)
    ids = [f"acme/m{i:03d}" for i in range(120)]
    for repo_id in ids:
        fakehub.add_model(repo_id, {"license": "mit"})
    code, report, _, err = run(capsys, "--no-cache", "-p", "openness", "-v", *ids)
    assert code == 0
    assert [m["error"] for m in report["models"]] == [None] * 120
    assert fakehub.throttled == 0
    assert fakehub.count("/api/models/") == 120
    assert len(clock.sleeps) == 2 and all(0 < s <= 300 for s in clock.sleeps)
    pauses = [line for line in err.splitlines() if "budget is spent" in line]
    assert len(pauses) == 2
    assert "until" in pauses[0] and "HF_TOKEN" in pauses[0] and "0 of 50" in pauses[0]
    assert "120 Hub API call(s)" in err  # -v: the calls used


def test_a_token_run_is_not_told_to_set_a_token(
    fakehub: FakeHub, clock: FakeClock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    fakehub.rate_limit(quota=3, window=300, clock=clock.monotonic)
    ids = [f"acme/m{i}" for i in range(5)]
    for repo_id in ids:
        fakehub.add_model(repo_id, {"license": "mit"})
    code, _, _, err = run(capsys, "--no-cache", "-p", "openness", "--jobs", "1", *ids)
    assert code == 0
    assert "budget is spent" in err and "HF_TOKEN" not in err
    assert TOKEN not in err


def test_429s_from_other_clients_pause_all_workers_until_the_reset(
    fakehub: FakeHub, clock: FakeClock
) -> None:
    """The budget was spent by someone else (another process on the same IP): the first 429 holds
    everyone until the reset it announced, then the run goes on."""
    ids = [f"acme/m{i:02d}" for i in range(20)]
    for repo_id in ids:
        fakehub.add_model(repo_id, {"license": "mit"})
    fakehub.fail("*", 429, retry_after=42, times=1)
    got = HubSource(use_cache=False, jobs=8).fetch_many(ids)
    assert all(m.error is None for m in got.values())
    assert clock.sleeps == [42.0]  # one pause for all eight workers


def test_listing_pages_wait_for_the_budget_too(
    fakehub: FakeHub, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.page_size = 10
    fakehub.generate_author("bigorg", 55)
    fakehub.rate_limit(quota=2, window=300, clock=clock.monotonic)
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "--author", "bigorg")
    assert code == 0
    assert report["summary"]["models"] == 55
    assert fakehub.count("/api/models?") == 6
    assert fakehub.throttled == 0 and len(clock.sleeps) == 2


def test_a_listing_page_refused_with_429_is_retried(
    fakehub: FakeHub, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.generate_author("org", 5)
    fakehub.fail("author:org", 429, retry_after=30, times=2)
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "--author", "org")
    assert code == 0 and report["summary"]["models"] == 5
    assert clock.sleeps == [30.0, 30.0]


def test_the_ratelimit_header_is_read_on_successful_answers() -> None:
    from licensecheck.sources.ratelimit import Limiter

    clock = FakeClock()
    limiter = Limiter(clock=clock.monotonic, sleep=clock.sleep)
    headers = {"RateLimit": '"api";r=1;t=55', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
    sent = limiter.acquire("api")
    assert limiter.observe("api", 200, headers, sent) == 0.0
    assert limiter.state("api") == (1, 55.0)
    sent = limiter.acquire("api")  # the last call of the window
    limiter.observe("api", 200, {**headers, "RateLimit": '"api";r=0;t=55'}, sent)
    assert clock.sleeps == []
    limiter.acquire("api")  # spent: held until the reset
    assert clock.sleeps == [55.0]
    assert limiter.state("api")[0] == 499  # a fresh window of the announced quota, one call taken


# ---------------------------------------------------------------------- one call per model


def test_a_base_shared_across_batches_is_asked_once_per_run(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("base/origin", {"license": "apache-2.0", "datasets": ["data/set"]})
    fakehub.add_dataset("data/set", {"license": "cc-by-4.0"})
    for i in range(3):
        fakehub.add_model(f"acme/ft{i}", {"license": "apache-2.0", "datasets": ["data/set"]},
                          base_models=["base/origin"])  # fmt: skip
    run(capsys, "--no-cache", "acme/ft0", "acme/ft1", "acme/ft2", "acme/ft0")
    assert model_requests(fakehub, "base/origin") == 1
    assert model_requests(fakehub, "acme/ft0") == 1
    assert fakehub.count("/api/datasets/data/set") <= 1


# ---------------------------------------------------------------------- tokens


def test_a_refused_token_is_one_run_error(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fakehub.require_tokens("hf_the_right_one")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    for i in range(5):
        fakehub.add_model(f"acme/m{i}", {"license": "mit"})
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", *[f"acme/m{i}" for i in range(5)]])
    out, err = capsys.readouterr()
    assert exc.value.code == 2
    assert err.count("the Hub refused the token") == 1
    assert "not found" not in out + err
    assert TOKEN not in out + err


def test_the_token_saved_by_hf_auth_login_is_used(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from huggingface_hub import constants

    Path(constants.HF_TOKEN_PATH).write_text(TOKEN + "\n", encoding="utf-8")
    fakehub.add_model("acme/private", {"license": "mit"}, private=True)
    code, report, out, err = run(capsys, "--no-cache", "-p", "openness", "acme/private")
    assert code == 0 and report["models"][0]["error"] is None
    assert fakehub.tokens_seen == [f"Bearer {TOKEN}"]
    assert TOKEN not in out + err


def test_a_403_that_is_not_gating_says_so(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/locked", {"license": "mit"})
    fakehub.fail("acme/locked", 403, error_code="")
    _, report, _, _ = run(capsys, "--no-cache", "acme/locked")
    error = report["models"][0]["error"]
    assert error["kind"] == "gated" and "not for a gated repository" in error["message"]


def test_a_disabled_repository_says_so(fakehub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub.add_model("acme/gone", {"license": "mit"})
    fakehub.fail("acme/gone", 403, error_code="", message="Access to this resource is disabled.")
    _, report, _, _ = run(capsys, "--no-cache", "acme/gone")
    error = report["models"][0]["error"]
    assert error["kind"] == "not-found" and "disabled" in error["message"]


# ---------------------------------------------------------------------- what users type


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("https://huggingface.co/acme/model", "/api/models/acme/model?"),
        ("https://huggingface.co/acme/model/tree/main", "/api/models/acme/model?"),
        ("https://huggingface.co/acme/model/tree/v1", "/api/models/acme/model/revision/v1?"),
        ("https://huggingface.co/acme/model/blob/v1/README.md", "/api/models/acme/model/revision/v1?"),
        ("https://hf.co/acme/model", "/api/models/acme/model?"),
        ("{endpoint}/acme/model/tree/v1", "/api/models/acme/model/revision/v1?"),
    ],
)
def test_a_model_page_url_is_a_target(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], typed: str, asked: str
) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    fakehub.set_ref("acme/model", "v1")
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", typed.format(endpoint=fakehub.url))
    assert code == 0 and report["models"][0]["error"] is None
    assert fakehub.count(asked) == 1


@pytest.mark.parametrize(
    ("typed", "offline"),
    [
        ("./models/mymodle", False),  # a mistyped folder
        ("models/my-model/extra", False),
        ("https://huggingface.co/datasets/acme/data", False),
        ("https://example.com/acme/model", False),
        ("acme model", False),
        ("gpt2", True),  # a bare legacy name cannot be looked up offline
    ],
)
def test_a_target_of_no_known_form_is_a_usage_error(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], typed: str, offline: bool
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", *(["--offline"] if offline else []), typed])
    _, err = capsys.readouterr()
    assert exc.value.code == 2
    assert repr(typed) in err and "Traceback" not in err
    assert fakehub.count() == 0


def test_a_bare_organisation_is_a_usage_error_after_one_look(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("acme/model", {"license": "mit"})
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", "acme"])
    assert exc.value.code == 2
    assert "'acme'" in capsys.readouterr().err
    assert fakehub.count() == 1


def test_a_legacy_name_follows_the_hubs_redirect(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model("openai-community/gpt2", {"license": "mit"})
    fakehub.redirect("gpt2", "openai-community/gpt2")
    code, report, _, _ = run(capsys, "--no-cache", "-p", "openness", "gpt2")
    m = report["models"][0]
    assert code == 0 and m["error"] is None and m["id"] == "gpt2"
    assert fakehub.count("/api/models/openai-community/gpt2") == 1


def test_a_typo_in_the_configs_models_is_a_usage_error(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "licensecheck.yaml").write_text("models: [acme/model, ./modles/mine]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache"])
    assert exc.value.code == 2
    assert "modles/mine" in capsys.readouterr().err
    assert fakehub.count() == 0


def test_author_listing_no_model_is_a_usage_error(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.generate_author("realorg", 3)
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-cache", "--author", "reallorg"])
    assert exc.value.code == 2
    assert "no models found for reallorg" in capsys.readouterr().err
