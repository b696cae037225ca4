"""Faults: a Hub that times out, rate-limits, fails or answers garbage; a process killed while writing the
lockfile or the cache; a cache directory that cannot be written; an interrupted run. Each model gets its
`error.kind` and the run goes on; files are either old or new, never half-written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from licensecheck.sources.cache import Cache
from licensecheck.sources.hub import HubSource
from licensecheck.sources.lockfile import Lockfile
from tests.conftest import invoke, wait_until
from tests.fakehub import MALFORMED_KINDS, FakeClock, FakeHub

HANG_S = 15.0  # far below the fake Hub's 30 s answers: a run that waited for them would hang here
REPO = Path(__file__).resolve().parent.parent


# ---- helpers -------------------------------------------------------------------------------------
def check_json(*args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    code, out, _ = invoke("check", "--format", "json", "-p", "openness", "--no-cache", *args)
    return code, {m["id"]: m for m in json.loads(out)["models"]}


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture
def quick_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """HubSource as the CLI builds it, with a short timeout and few retries (there is no CLI option)."""
    defaults = HubSource.__init__.__kwdefaults__
    assert defaults is not None and "timeout" in defaults and "retries" in defaults
    monkeypatch.setitem(defaults, "timeout", 0.5)
    monkeypatch.setitem(defaults, "retries", 1)
    yield


def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the back-off and rate-limit waits instead of sleeping them (a fake clock)."""
    return FakeClock().install(monkeypatch).sleeps


# ---- the Hub misbehaving -------------------------------------------------------------------------
def test_timeouts_become_network_errors_and_others_still_resolve(fakehub: FakeHub) -> None:
    fakehub.add_model("org/slow", {"license": "mit"})
    fakehub.add_model("org/ok", {"license": "apache-2.0"})
    fakehub.slow("org/slow", 3.0)
    source = HubSource(timeout=0.5, retries=1, use_cache=False)
    got = source.fetch_many(["org/slow", "org/ok"])
    assert got["org/slow"].error is not None and got["org/slow"].error.kind == "network"
    assert "Hub" in got["org/slow"].error.message
    assert got["org/ok"].error is None and got["org/ok"].declared.license == "apache-2.0"
    assert fakehub.count("/api/models/org/slow") == 2  # one try and one retry: bounded


def test_timeouts_through_the_cli(fakehub: FakeHub, quick_hub: None) -> None:
    fakehub.add_model("org/slow", {"license": "mit"})
    fakehub.add_model("org/ok", {"license": "mit"})
    fakehub.slow("org/slow", 3.0)
    code, models = check_json("org/slow", "org/ok")
    assert code == 1  # an unresolved model fails closed
    assert models["org/slow"]["error"]["kind"] == "network"
    assert models["org/slow"]["verdict"] == "deny"
    assert models["org/ok"]["verdict"] == "allow"


def test_repeated_429_is_rate_limited_after_bounded_retries(fakehub: FakeHub) -> None:
    fakehub.add_model("org/limited", {"license": "mit"})
    fakehub.add_model("org/ok", {"license": "mit"})
    fakehub.fail("org/limited", 429, retry_after=0)
    code, models = check_json("org/limited", "org/ok")
    assert code == 1
    assert models["org/limited"]["error"]["kind"] == "rate-limited"
    assert models["org/ok"]["verdict"] == "allow"
    assert fakehub.count("/api/models/org/limited") == 5  # 1 + HubSource's 4 retries, then it gives up


def test_a_reset_within_the_window_is_waited(fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _no_sleep(monkeypatch)
    fakehub.add_model("org/limited", {"license": "mit"})
    fakehub.fail("org/limited", 429, retry_after=240, times=1)
    got = HubSource(use_cache=False).fetch_many(["org/limited"])
    assert got["org/limited"].error is None  # the second answer is the real one
    assert waits == [240.0]  # the whole announced reset (up to the 300 s window), waited once


def test_a_reset_beyond_the_window_is_not_waited(fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _no_sleep(monkeypatch)
    fakehub.add_model("org/limited", {"license": "mit"})
    fakehub.fail("org/limited", 429, retry_after=3600)
    got = HubSource(use_cache=False).fetch_many(["org/limited"])
    error = got["org/limited"].error
    assert error is not None and error.kind == "rate-limited"
    assert waits == []  # an hour-long reset: said at once, not slept
    assert fakehub.count("/api/models/org/limited") == 1


def test_a_429_that_clears_is_retried_to_success(fakehub: FakeHub) -> None:
    fakehub.add_model("org/model", {"license": "mit"})
    fakehub.fail("org/model", 429, retry_after=0, times=2)
    code, models = check_json("org/model")
    assert code == 0
    assert models["org/model"]["verdict"] == "allow"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_repeated_5xx_is_a_network_error(
    fakehub: FakeHub, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = _no_sleep(monkeypatch)
    fakehub.add_model("org/down", {"license": "mit"})
    fakehub.add_model("org/ok", {"license": "mit"})
    fakehub.fail("org/down", status)
    code, models = check_json("org/down", "org/ok")
    assert code == 1
    assert models["org/down"]["error"]["kind"] == "network"
    assert str(status) in models["org/down"]["error"]["message"]
    assert models["org/ok"]["verdict"] == "allow"
    assert len(waits) == 4 and all(0 < w <= 8.0 for w in waits)  # exponential back-off, bounded
    assert waits[-1] > waits[0]


def test_5xx_backoff_waits_between_tries_and_stays_bounded(
    fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = _no_sleep(monkeypatch)  # the waits asked for, not the clock: the test neither sleeps nor times
    fakehub.add_model("org/down", {"license": "mit"})
    fakehub.fail("org/down", 503)
    got = HubSource(use_cache=False, retries=2).fetch_many(["org/down"])
    assert got["org/down"].error is not None and got["org/down"].error.kind == "network"
    assert fakehub.count("/api/models/org/down") == 3  # one try, two retries
    assert len(waits) == 2 and 0.125 <= waits[0] <= 0.25 and 0.25 <= waits[1] <= 0.5  # jittered


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, "not-found"),
        (403, "gated"),
        (404, "not-found"),
        (418, "network"),
        (400, "network"),
    ],
)
def test_client_errors_map_to_kinds_without_retries(fakehub: FakeHub, status: int, kind: str) -> None:
    fakehub.add_model("org/model", {"license": "mit"})
    fakehub.fail("org/model", status)
    code, models = check_json("org/model")
    assert code == 1
    assert models["org/model"]["error"]["kind"] == kind
    assert fakehub.count("/api/models/org/model") == 1


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_garbage_answers_are_malformed_and_the_run_goes_on(fakehub: FakeHub, kind: str) -> None:
    fakehub.add_model("org/garbage", {"license": "mit"})
    fakehub.add_model("org/ok", {"license": "mit"})
    fakehub.malformed("org/garbage", kind)
    code, models = check_json("org/garbage", "org/ok")
    assert code == 1
    assert models["org/garbage"]["error"]["kind"] == "malformed", models["org/garbage"]["error"]
    assert models["org/garbage"]["verdict"] == "deny"
    assert models["org/ok"]["verdict"] == "allow"
    assert fakehub.count("/api/models/org/garbage") == 1  # garbage is not retried


def test_every_kind_of_garbage_in_one_run(fakehub: FakeHub) -> None:
    ids = [f"org/bad-{kind}" for kind in MALFORMED_KINDS]
    for repo_id, kind in zip(ids, MALFORMED_KINDS, strict=True):
        fakehub.add_model(repo_id, {"license": "mit"})
        fakehub.malformed(repo_id, kind)
    fakehub.add_model("org/ok", {"license": "mit"})
    code, models = check_json(*ids, "org/ok", "--jobs", "4")
    assert code == 1
    assert {models[i]["error"]["kind"] for i in ids} == {"malformed"}
    assert models["org/ok"]["verdict"] == "allow"


def test_odd_card_data_from_the_hub(fakehub: FakeHub) -> None:
    """Well-formed JSON, hostile content: deep nesting, odd types, a huge list, escapes."""
    deep: Any = "mit"
    for _ in range(300):  # the fake deep-copies cards; deeper still is tested on card.py directly
        deep = {"a": deep}
    cards: dict[str, Any] = {
        "org/deep": {"license": deep},
        "org/int": {"license": 5},
        "org/list": {"license": [f"x{i}" for i in range(20_000)]},
        "org/escape": {"license": "other", "license_name": "\x1b[31mevil\x1b[0m", "base_model": "\x1b[2J"},
        "org/tags": {"license": "other", "tags": {"a": 1}, "base_model": {"a": 1}, "datasets": 7},
    }
    for repo_id, card in cards.items():
        fakehub.add_model(repo_id, card)
    fakehub.add_model("org/ok", {"license": "mit"})
    code, models = check_json(*cards, "org/ok")
    assert code == 1
    for repo_id in cards:
        m = models[repo_id]
        assert m["verdict"] == "deny" and m["license"]["expression"] is None, repo_id
        assert m["error"] is None, (repo_id, m["error"])
        assert "license-unknown" in {f["code"] for f in m["findings"]}, repo_id
    assert models["org/ok"]["verdict"] == "allow"


def test_a_license_file_that_fails_to_download_is_not_fatal(fakehub: FakeHub) -> None:
    fakehub.add_model(
        "org/other",
        {"license": "other"},
        files={
            "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy"
        },
    )
    fakehub.add_model("org/gated", {"license": "other"}, gated=True, files={"LICENSE": "x"})
    code, models = check_json("org/other", "org/gated")
    assert models["org/other"]["license"]["expression"] == "MIT"
    assert models["org/gated"]["error"] is None
    assert models["org/gated"]["license"]["expression"] is None
    assert code == 1


# ---- killed while writing ------------------------------------------------------------------------
_SLOW_WRITER = """
import os, sys
from pathlib import Path
real_fsync = os.fsync
def slow_fsync(fd):  # a stuck disk: the data is in the temporary file, the rename has not happened
    print("writing", flush=True)
    sys.stdin.read()  # until the parent kills us
    real_fsync(fd)
os.fsync = slow_fsync
{body}
"""


def _kill_mid_write(folder: Path, code: str, pattern: str) -> list[Path]:
    """Run `code` in a child, SIGKILL it once it says its temporary file (`pattern`) has data; the temps."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        said = proc.stdout.readline()  # blocks until the child is stuck in fsync (or has died)
        assert said == "writing\n" and proc.poll() is None, "the writer finished before it could be killed"
        temps = [p for p in folder.glob(pattern) if p.stat().st_size > 0]
        assert temps, "no temporary file appeared"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return temps


def test_lockfile_survives_a_kill_during_write(tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    old = Lockfile(lock, {"org/model": {"license": "mit", "revision": "a" * 40}}, {})
    old.write("2024-12")
    before = lock.read_bytes()
    body = (
        "from licensecheck.atomic import write_text\n"
        f"write_text(Path({str(lock)!r}), 'version: 1\\nmodels:\\n' + '#' * 50_000_000)\n"
    )
    temps = _kill_mid_write(tmp_path, _SLOW_WRITER.format(body=body), ".licensecheck.lock.*.tmp")
    assert lock.read_bytes() == before  # the old file, intact
    again = Lockfile.read(lock)
    assert again.get("org/model") == {"license": "mit", "revision": "a" * 40}
    assert all(t.name.startswith(".licensecheck.lock.") for t in temps)  # debris is hidden, never the lock
    code, out, _ = invoke(
        "check", "--offline", "--lockfile", str(lock), "--format", "json", "-p", "openness", "org/model"
    )
    assert code == 0 and json.loads(out)["models"][0]["verdict"] == "allow"


def test_lockfile_is_old_or_new_when_killed_at_any_moment(tmp_path: Path) -> None:
    """No slow-disk trick: kill a plain 50 MB write as soon as its temporary file shows, several times."""
    lock = tmp_path / "licensecheck.lock"
    old = b"version: 1\nmodels: {}\n"
    new = b"version: 1\nmodels: {}\n" + b"#" * 50_000_000 + b"\n"
    for _ in range(3):
        lock.write_bytes(old)
        code = (
            "import sys\nfrom pathlib import Path\nfrom licensecheck.atomic import write_text\n"
            f"write_text(Path({str(lock)!r}), 'version: 1\\nmodels: {{}}\\n' + '#' * 50_000_000 + '\\n')\n"
        )
        env = dict(os.environ, PYTHONPATH=str(REPO))
        proc = subprocess.Popen([sys.executable, "-c", code], env=env)
        while proc.poll() is None and not list(tmp_path.glob(".licensecheck.lock.*.tmp")):
            os.sched_yield()  # no sleep: kill it the moment its temporary file shows
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        data = lock.read_bytes()
        assert data in (old, new), f"a half-written lockfile of {len(data)} bytes"
        for debris in tmp_path.glob(".licensecheck.lock.*.tmp"):
            debris.unlink()


def test_cache_entry_survives_a_kill_during_write(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    entry = {"license": "mit", "revision": "b" * 40, "author": "org"}
    Cache(root).put("model", "org/model", None, entry)
    (path,) = list(root.rglob("*.json"))
    before = path.read_bytes()
    body = (
        "from licensecheck.sources.cache import Cache\n"
        f"Cache(Path({str(root)!r})).put('model', 'org/model', None, "
        "{'license': 'apache-2.0', 'license_text': 'x' * 50_000_000})\n"
    )
    _kill_mid_write(path.parent, _SLOW_WRITER.format(body=body), f".{path.name}.*.tmp")
    assert path.read_bytes() == before
    assert Cache(root).get("model", "org/model", None) == entry


def test_an_atomic_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    from licensecheck.atomic import write_text

    lock = tmp_path / "licensecheck.lock"
    lock.write_text("old\n", encoding="utf-8")
    lock.chmod(0o664)
    write_text(lock, "new\n")
    assert lock.stat().st_mode & 0o777 == 0o664  # not the temporary file's private 0o600
    fresh = tmp_path / "report.json"
    write_text(fresh, "{}\n")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


# ---- a cache that cannot be written ---------------------------------------------------------------
@pytest.mark.parametrize("layout", ["below-a-file", "is-a-file"])
def test_unwritable_cache_directory_does_not_stop_the_invoke(
    fakehub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a regular file where the cache's parent should be\n", encoding="utf-8")
    cache_dir = blocker / "cache" if layout == "below-a-file" else blocker
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(cache_dir))
    fakehub.add_model("org/open", {"license": "mit"})
    fakehub.add_model("org/closed", {"license": "cc-by-nc-4.0"})
    for _ in range(2):  # nothing is cached, so the second run asks the Hub again and agrees
        code, out, _ = invoke("check", "--format", "json", "-p", "openness", "org/open", "org/closed")
        models = {m["id"]: m for m in json.loads(out)["models"]}
        assert code == 1
        assert models["org/open"]["verdict"] == "allow" and models["org/open"]["source"] == "hub"
        assert models["org/closed"]["verdict"] == "deny" and models["org/closed"]["error"] is None
    assert fakehub.count("/api/models/org/open") == 2
    assert blocker.is_file()


def test_unwritable_cache_with_lock_still_writes_the_lockfile(
    fakehub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x\n", encoding="utf-8")
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(blocker / "cache"))
    fakehub.add_model("org/open", {"license": "mit"})
    lock = tmp_path / "licensecheck.lock"
    code, _, _ = invoke("lock", "--lockfile", str(lock), "org/open")
    assert code == 0
    assert Lockfile.read(lock).get("org/open") is not None


@pytest.mark.parametrize("where", ["below-a-file", "a-directory"])
def test_an_unwritable_report_is_a_clear_error(tmp_path: Path, where: str) -> None:
    card = tmp_path / "card.md"
    card.write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x\n", encoding="utf-8")
    target = blocker / "report.json" if where == "below-a-file" else tmp_path
    code, _, err = invoke("check", "--offline", "--format", "json", "-o", str(target), str(card))
    assert code == 2
    assert "cannot write" in err


# ---- interrupted ---------------------------------------------------------------------------------
def _interrupt(*_: Any, **__: Any) -> Any:
    raise KeyboardInterrupt


def test_keyboard_interrupt_while_fetching_exits_130(
    fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakehub.add_model("org/model", {"license": "mit"})
    monkeypatch.setattr(HubSource, "fetch_many", _interrupt)
    code, out, err = invoke("check", "org/model")
    assert code == 130
    assert "interrupted" in err
    assert out == ""


def test_keyboard_interrupt_while_reading_local_cards_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "card.md"
    card.write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    monkeypatch.setattr("licensecheck.engine.audit.read_local", _interrupt)
    code, _, err = invoke("check", "--offline", str(card))
    assert code == 130 and "interrupted" in err


def test_keyboard_interrupt_while_writing_the_report_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "card.md"
    card.write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text("old report\n", encoding="utf-8")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    code, _, err = invoke("check", "--offline", "--format", "json", "-o", str(report), str(card))
    assert code == 130 and "interrupted" in err
    assert report.read_text(encoding="utf-8") == "old report\n"
    assert not list(tmp_path.glob(".report.json.*"))  # the temporary file is cleaned up


def test_sigint_during_a_single_fetch_exits_130_promptly(fakehub: FakeHub) -> None:
    fakehub.add_model("org/model", {"license": "mit"})
    fakehub.slow("org/model", 30)
    _sigint_and_wait(fakehub, ["org/model"])


def test_sigint_during_a_parallel_fetch_exits_130_promptly(fakehub: FakeHub) -> None:
    for i in range(3):
        fakehub.add_model(f"org/m{i}", {"license": "mit"})
    fakehub.slow("*", 30)
    _sigint_and_wait(fakehub, ["org/m0", "org/m1", "org/m2"])


def _sigint_and_wait(fakehub: FakeHub, targets: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "licensecheck", "check", "--no-cache", *targets],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # started, imported and waiting on the Hub: every target has been asked for
        asked = lambda: all(fakehub.count(f"/api/models/{t}") for t in targets)  # noqa: E731
        assert wait_until(lambda: asked() or proc.poll() is not None)
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=HANG_S)  # a guard against a hang, not a measurement
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {HANG_S} s after SIGINT (the Hub answers after 30 s)")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
