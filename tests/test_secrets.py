"""HF_TOKEN never leaves through us: not in any report format, log line, error message or file we write,
with -v, with -o, in the lockfile and the cache, and when the Hub refuses the token. Every test also
checks that the fake Hub did receive the token, so a test that sent nothing cannot pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.fakehub import FakeHub

TOKEN = "hf_SECRETxLicensecheckT0kenQ7w9Zr2Pm4Vb6Nc8"
# Pieces that would still give the token away if it were cut, masked at one end or re-encoded.
PIECES = (TOKEN, TOKEN[3:], TOKEN[:-6], "SECRETxLicensecheck", "T0kenQ7w9Zr2Pm4Vb6Nc8")
FORMATS = ("text", "json", "sarif", "markdown", "junit", "spdx-json", "cyclonedx-json", "html")
REPO = Path(__file__).resolve().parent.parent

MODELS = (
    "org/open",  # MIT: allowed, cached
    "org/derived",  # a fine-tune: its base is fetched too (lineage)
    "org/other",  # `other`: the LICENSE file is downloaded with the token
    "org/gated",  # gated: the LICENSE download answers 403 to this token
    "org/private",  # private: visible with the token
    "org/refused",  # 401 for every request: the Hub refuses the token
    "org/forbidden",  # 403 for every request
    "org/missing",  # 404
)


@pytest.fixture
def hub(fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    mit = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
    fakehub.add_model("org/open", {"license": "mit"})
    fakehub.add_model("org/derived", {"license": "apache-2.0"}, base_models=["org/open"])
    fakehub.add_model("org/other", {"license": "other", "license_name": "$HF_TOKEN"}, files={"LICENSE": mit})
    fakehub.add_model(
        "org/gated",
        {"license": "other", "license_name": "{HF_TOKEN}", "license_link": "LICENSE"},
        gated=True,
        files={"LICENSE": mit},
    )
    fakehub.add_model("org/private", {"license": "apache-2.0"}, private=True)
    fakehub.add_model("org/refused", {"license": "mit"})
    fakehub.add_model("org/forbidden", {"license": "mit"})
    fakehub.fail("org/refused", 401)
    fakehub.fail("org/forbidden", 403)
    yield fakehub


def _leaks(text: str | bytes) -> list[str]:
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return [p for p in PIECES if p in data]


def _files_under(*roots: Path) -> list[Path]:
    return sorted({p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()})


def _assert_clean(tmp_path: Path, *texts: str, wrote: bool = True) -> None:
    for text in texts:
        assert not _leaks(text), "the token is in the output"
    cache = Path(os.environ["LICENSECHECK_CACHE_DIR"])
    files = _files_under(tmp_path, cache)
    assert files or not wrote, "nothing was written: the test would prove nothing"
    for path in files:
        assert not _leaks(path.read_bytes()), f"the token is in {path}"


def _assert_sent(hub: FakeHub) -> None:
    assert f"Bearer {TOKEN}" in hub.tokens_seen, "the token was never sent: the test proves nothing"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_carries_the_token(hub: FakeHub, tmp_path: Path, fmt: str) -> None:
    code, out, err = invoke("check", "--format", fmt, "-v", *MODELS)
    assert code == 1  # the refused and missing models are unresolved: deny
    report = tmp_path / f"report.{fmt}"
    code2, out2, err2 = invoke("check", "--format", fmt, "-v", "--refresh", "-o", str(report), *MODELS)
    assert code2 == 1
    assert report.stat().st_size > 0 and out2 == ""
    _assert_clean(tmp_path, out, err, out2, err2)
    _assert_sent(hub)


def test_errors_from_a_refused_token_are_our_own_words(hub: FakeHub, tmp_path: Path) -> None:
    import json

    code, out, err = invoke("check", "--format", "json", "-v", "--no-cache", *MODELS)
    assert code == 1
    models = {m["id"]: m for m in json.loads(out)["models"]}
    assert models["org/refused"]["error"]["kind"] == "not-found"
    assert models["org/forbidden"]["error"]["kind"] == "gated"
    assert models["org/missing"]["error"]["kind"] == "not-found"
    assert models["org/private"]["error"] is None  # the token was used, and it worked
    assert models["org/gated"]["error"] is None  # metadata is readable; only the LICENSE download was refused
    for m in models.values():
        if m["error"] is not None:
            assert "Bearer" not in m["error"]["message"] and "Authorization" not in m["error"]["message"]
    _assert_clean(tmp_path, out, err, wrote=False)
    _assert_sent(hub)
    gated_downloads = [p for _, p in hub.requests if p.startswith("/org/gated/resolve/")]
    assert gated_downloads, "the gated LICENSE download (refused with 403) was not exercised"


def test_lock_writes_no_token(hub: FakeHub, tmp_path: Path) -> None:
    lock = tmp_path / "licensecheck.lock"
    code, out, err = invoke("lock", "--lockfile", str(lock), *MODELS)
    assert code == 1  # some models could not be locked; each is named in a warning
    assert "org/refused" in err and "org/forbidden" in err
    assert lock.is_file() and "org/open:" in lock.read_text(encoding="utf-8")
    _assert_clean(tmp_path, out, err)
    _assert_sent(hub)
    code, out2, err2 = invoke(
        "check", "--offline", "--lockfile", str(lock), "--format", "json", "-v", *MODELS
    )
    _assert_clean(tmp_path, out2, err2)


def test_explain_and_obligations_write_no_token(hub: FakeHub, tmp_path: Path) -> None:
    texts: list[str] = []
    for model in ("org/open", "org/refused", "org/gated"):
        _, out, err = invoke("explain", model)
        texts += [out, err]
    for fmt in ("text", "json", "notice"):
        _, out, err = invoke("obligations", "--format", fmt, *MODELS)
        texts += [out, err]
    _assert_clean(tmp_path, *texts)
    _assert_sent(hub)


def test_debug_logging_of_the_client_carries_no_token(hub: FakeHub, tmp_path: Path) -> None:
    """A fresh process with huggingface_hub at debug verbosity: its own log lines must not hold the token."""
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_VERBOSITY="debug", PYTHONWARNINGS="always")
    report = tmp_path / "report.sarif"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "licensecheck",
            "check",
            "-v",
            "--format",
            "sarif",
            "-o",
            str(report),
            *MODELS,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    _assert_clean(tmp_path, proc.stdout, proc.stderr)
    _assert_sent(hub)
    # requests go through licensecheck's own transport (huggingface_hub only finds the token): -v says
    # how many calls were made, never to where with what
    assert "Hub API call(s)" in proc.stderr


def test_policy_and_card_templates_do_not_expand_the_environment(hub: FakeHub, tmp_path: Path) -> None:
    policy = tmp_path / "leaky.yaml"
    policy.write_text(
        "version: 1\nname: leaky\nrules:\n"
        "  - id: everything\n    action: warn\n    when: {license: {category: [permissive, unknown]}}\n"
        '    message: "{license} $HF_TOKEN ${HF_TOKEN} {HF_TOKEN} %(HF_TOKEN)s {model.__class__}"\n',
        encoding="utf-8",
    )
    code, out, err = invoke(
        "check", "-p", str(policy), "-v", "--format", "json", "org/open", "org/other", "org/gated"
    )
    assert code == 0  # warn does not fail by default
    assert "$HF_TOKEN" in out and "{HF_TOKEN}" in out  # kept literally
    _assert_clean(tmp_path, out, err)
    _assert_sent(hub)


def test_the_token_goes_only_to_the_configured_endpoint(hub: FakeHub, tmp_path: Path) -> None:
    """Every request we make goes to HF_ENDPOINT (the fake); the conftest blocks any other address, so
    a request elsewhere would be an error in the report. None is."""
    import json

    code, out, _ = invoke("check", "--format", "json", "--no-cache", "org/open", "org/other", "org/private")
    assert code == 0
    for m in json.loads(out)["models"]:
        assert m["error"] is None
    assert len(hub.tokens_seen) == len(hub.requests)  # and every request to it was authenticated
    assert set(hub.tokens_seen) == {f"Bearer {TOKEN}"}
