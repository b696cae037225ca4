"""Holes a security review of the Hub transport and the installed-model readers found; each test failed
before its fix (a traceback, a hang, a wrong allow, an unbounded wait, or a forged log line)."""

from __future__ import annotations

import json
import os
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from licensecheck.sources import ratelimit
from licensecheck.sources.cache import Cache
from licensecheck.sources.card import HUB_ID
from licensecheck.sources.gguf import read_header
from licensecheck.sources.installed import ollama_models
from licensecheck.sources.ratelimit import Limiter, RateLimited
from tests.conftest import invoke
from tests.fakehub import FakeHub

SHA = "a" * 40


# ---- hostile numbers in headers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    ['"api";r=' + "9" * 5000 + ";t=1", '"api";r=\u0663;t=1', '"api";r=1;t=' + "9" * 5000],
)
def test_rate_limit_headers_a_mirror_garbles_read_as_absent(value: str) -> None:
    assert ratelimit.parse({"RateLimit": value}) is None  # \u0663: a digit to Python, not what the Hub sends


def test_a_garbled_policy_is_ignored_but_the_budget_is_read() -> None:
    told = ratelimit.parse(
        {"RateLimit": '"api";r=1;t=1', "RateLimit-Policy": '"fixed window";"api";q=' + "9" * 5000}
    )
    assert told is not None and (told.remaining, told.quota) == (1, None)


@pytest.mark.parametrize("value", ["\u00b2", "9" * 5000, "-3", "1e9"])
def test_a_retry_after_that_is_no_number_is_ignored(value: str) -> None:
    assert ratelimit.retry_after({"Retry-After": value}) is None


class _Hostile(BaseHTTPRequestHandler):
    """Answers a model's metadata well, and its LICENSE with a Content-Length no integer parser takes."""

    def do_GET(self) -> None:
        if self.path.startswith("/api/models/org/x"):
            body = json.dumps(
                {
                    "id": "org/x",
                    "sha": SHA,
                    "cardData": {"license": "other"},
                    "siblings": [{"rfilename": "LICENSE"}],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Length", "\u00b2".encode().decode("latin-1"))
        self.end_headers()
        self.wfile.write(b"MIT License\n")
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hostile_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_a_licence_download_with_a_garbled_length_is_judged_not_a_traceback(hostile_hub: str) -> None:
    r = invoke("check", "--no-cache", "-p", "commercial", "--format", "json", "org/x")  # no Traceback
    (model,) = json.loads(r.out)["models"]
    # the length is read as absent: the small body within the cap is read and its licence identified
    assert model["license"]["expression"] == "MIT" and model["verdict"] == "allow" and r.code == 0


# ---- a card value of the wrong type never reaches the lockfile ------------------------------------------
def test_odd_typed_card_fields_do_not_poison_the_lockfile(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_model("org/odd", {"license": "mit", "pipeline_tag": {"x": 1}, "library_name": ["a"]})
    lock = tmp_path / "licensecheck.lock"
    assert invoke("lock", "--lockfile", str(lock), "org/odd").code == 0
    r = invoke("check", "--offline", "--lockfile", str(lock), "-p", "openness", "--format", "json", "org/odd")
    assert r.code == 0, r.err
    assert json.loads(r.out)["models"][0]["verdict"] == "allow"


# ---- the cache remembers which Hub answered ------------------------------------------------------------
def test_a_mirrors_cached_answer_is_not_served_for_another_hub(tmp_path: Path) -> None:
    mirror = Cache(tmp_path, endpoint="http://mirror.test")
    mirror.put("model", "org/x", SHA, {"license": "mit"})
    assert mirror.get("model", "org/x", SHA) == {"license": "mit"}
    assert Cache(tmp_path, endpoint="https://huggingface.co").get("model", "org/x", SHA) is None


# ---- the pauses of one run are bounded together ----------------------------------------------------------
def test_a_hub_that_keeps_saying_nothing_is_left_cannot_hold_a_run() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = Limiter(clock=lambda: now[0], sleep=sleep, max_total_wait=1000.0)
    spent = {"RateLimit": '"api";r=0;t=299', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
    with pytest.raises(RateLimited) as exc:
        for _ in range(100):
            sent = limiter.acquire("api")
            limiter.observe("api", 200, spent, sent)
    assert now[0] <= 1000.0 and "pauses" in str(exc.value)


# ---- installed models: FIFOs, devices and huge kept arrays -----------------------------------------------
def _models_of(store: Path) -> list[Any]:
    """The store's models, read on a daemon thread: a read that blocks (the bug) fails the test instead
    of hanging the suite."""
    got: list[Any] = []
    reader = threading.Thread(target=lambda: got.extend(ollama_models(store)), daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert not reader.is_alive(), "reading the store blocked"
    return got


def _store(tmp_path: Path) -> Path:
    store = tmp_path / "ollama"
    (store / "blobs").mkdir(parents=True)
    (store / "manifests" / "registry.ollama.ai" / "library" / "m").mkdir(parents=True)
    return store


def test_a_manifest_that_is_a_fifo_or_a_device_is_not_read(tmp_path: Path) -> None:
    store = _store(tmp_path)
    folder = store / "manifests" / "registry.ollama.ai" / "library" / "m"
    os.mkfifo(folder / "fifo")
    os.symlink("/dev/zero", folder / "zero")
    metas = {m.id: m for m in _models_of(store)}
    assert set(metas) == {"m:fifo", "m:zero"}
    assert all(m.error is not None and m.error.kind == "malformed" for m in metas.values())


def test_a_licence_layer_that_is_a_fifo_is_not_read(tmp_path: Path) -> None:
    store = _store(tmp_path)
    digest = "b" * 64
    os.mkfifo(store / "blobs" / f"sha256-{digest}")
    layer = {"mediaType": "application/vnd.ollama.image.license", "digest": f"sha256:{digest}"}
    (store / "manifests" / "registry.ollama.ai" / "library" / "m" / "t").write_text(
        json.dumps({"layers": [layer]})
    )
    (meta,) = _models_of(store)
    assert meta.error is not None and meta.error.kind == "malformed"


def test_a_long_general_array_is_skipped_not_kept(tmp_path: Path) -> None:
    n = 2_000_000
    key = b"general.junk"
    payload = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key
    payload += struct.pack("<IIQ", 9, 0, n) + b"\0" * n  # an array of 2M uint8 under general.*
    path = tmp_path / "junk.gguf"
    path.write_bytes(payload)
    header = read_header(path)
    assert header.general["general.junk"] is None  # read past, nothing kept


def test_hub_ids_end_at_the_end_of_the_text() -> None:
    assert HUB_ID.match("a/b") and not HUB_ID.match("a/b\n")
