"""The fake Hub, exercised with the real huggingface_hub client (no network beyond 127.0.0.1)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import HfApi, constants, hf_hub_download, hf_hub_url
from huggingface_hub.errors import (
    BadRequestError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from tests.fakehub import FakeHub

pytest_plugins = ("tests.fakehub",)

EXPAND: Any = ["cardData", "sha", "gated", "author", "siblings", "safetensors", "baseModels", "tags"]
LIST_EXPAND: Any = ["cardData", "sha", "gated", "author", "tags", "lastModified"]


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to connect anywhere but 127.0.0.1."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"network access outside 127.0.0.1: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def api(fakehub: FakeHub) -> HfApi:
    """A fresh client built with no explicit endpoint: the fixture must be enough."""
    return HfApi()


def _llama(hub: FakeHub) -> None:
    hub.add_model(
        "acme/llama-ft",
        {"license": "llama3.1", "license_name": "llama3.1", "base_model": "meta/llama"},
        gated="manual",
        pipeline_tag="text-generation",
        library_name="transformers",
        base_models=["meta/llama"],
        safetensors_total=8_030_261_248,
        files={"LICENSE": "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n", "config.json": "{}"},
    )


# ---------------------------------------------------------------------- configuration


def test_fixture_points_a_fresh_client_at_the_fake(fakehub: FakeHub, api: HfApi) -> None:
    assert fakehub.url.startswith("http://127.0.0.1:")
    assert os.environ["HF_ENDPOINT"] == fakehub.url
    assert os.environ["HF_HUB_DISABLE_TELEMETRY"] == "1"
    assert "HF_TOKEN" not in os.environ
    assert api.endpoint == fakehub.url
    assert hf_hub_url("a/b", "LICENSE").startswith(fakehub.url + "/a/b/resolve/main/")
    assert constants.HF_HUB_CACHE.startswith(os.environ["HF_HOME"])
    fakehub.add_model("a/b", {"license": "mit"})
    card = api.model_info("a/b").card_data
    assert card is not None and card.license == "mit"
    assert fakehub.count("/api/models/a/b") == 1
    assert fakehub.tokens_seen == []  # no token configured, none sent


def test_unknown_path_is_json_404(fakehub: FakeHub) -> None:
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(fakehub.url + "/api/spaces/x/y", timeout=5)
    assert exc.value.code == 404
    assert "error" in json.loads(exc.value.read())


# ---------------------------------------------------------------------- model_info


def test_model_info_with_expand(fakehub: FakeHub, api: HfApi) -> None:
    _llama(fakehub)
    info = api.model_info("acme/llama-ft", expand=EXPAND)
    assert info.id == "acme/llama-ft"
    assert info.card_data is not None and info.card_data.license == "llama3.1"
    assert info.sha is not None and len(info.sha) == 40
    assert info.gated == "manual"
    assert info.author == "acme"
    assert info.siblings is not None
    assert sorted(s.rfilename for s in info.siblings) == [
        ".gitattributes",
        "LICENSE",
        "README.md",
        "config.json",
    ]
    assert info.safetensors is not None and info.safetensors.total == 8_030_261_248
    # ModelInfo.base_models is annotated list[str] but holds the Hub's raw object:
    base: Any = info.base_models
    assert base == {"relation": "finetune", "models": [{"_id": base["models"][0]["_id"], "id": "meta/llama"}]}
    assert info.tags is not None
    assert {"base_model:meta/llama", "base_model:finetune:meta/llama", "license:llama3.1"} <= set(info.tags)
    # only the expanded keys come back, as on the Hub
    assert info.last_modified is None and info.private is None and info.pipeline_tag is None
    (method, path) = fakehub.requests[-1]
    assert method == "GET"
    assert path.startswith("/api/models/acme/llama-ft?expand=cardData&expand=sha&")


def test_model_info_without_expand_has_default_fields(fakehub: FakeHub, api: HfApi) -> None:
    _llama(fakehub)
    info = api.model_info("acme/llama-ft")
    assert info.card_data is not None and info.card_data.license == "llama3.1"
    assert info.last_modified is not None and info.last_modified.year == 2024
    assert info.private is False and info.pipeline_tag == "text-generation"
    assert info.library_name == "transformers" and info.siblings is not None
    assert info.base_models is None  # not a default key


def test_base_models_go_into_card_data(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("x/merge", {"license": "apache-2.0"}, base_models=["a/one", "b/two"])
    info = api.model_info("x/merge", expand=["cardData", "baseModels"])
    assert info.card_data is not None and info.card_data.base_model == ["a/one", "b/two"]
    base: Any = info.base_models
    assert base is not None and base["relation"] == "merge"


def test_unknown_expand_is_bad_request(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("a/b")
    with pytest.raises(BadRequestError):
        api.model_info("a/b", expand=["licence"])  # type: ignore[list-item]


def test_revision_endpoint_serves_old_and_new_commits(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m", {"license": "apache-2.0"})
    old = api.model_info("org/m", expand=["sha"]).sha
    new = fakehub.update_model("org/m", card_data={"license": "cc-by-nc-4.0"})
    assert old != new and fakehub.shas("org/m") == [old, new]

    pinned = api.model_info("org/m", revision=old, expand=["cardData", "sha"])
    assert pinned.sha == old and pinned.card_data is not None and pinned.card_data.license == "apache-2.0"
    assert fakehub.requests[-1][1].startswith(f"/api/models/org/m/revision/{old}?")

    head = api.model_info("org/m", revision="main", expand=["cardData", "sha"])
    assert head.sha == new and head.card_data is not None and head.card_data.license == "cc-by-nc-4.0"

    fakehub.set_ref("org/m", "v1.0", old)
    assert api.model_info("org/m", revision="v1.0", expand=["sha"]).sha == old

    with pytest.raises(RevisionNotFoundError):
        api.model_info("org/m", revision="f" * 40)
    with pytest.raises(RevisionNotFoundError):
        api.model_info("org/m", revision="no-such-branch")


def test_update_keeps_unchanged_fields(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m", {"license": "mit"}, gated=True, files={"LICENSE": "MIT"})
    fakehub.update_model("org/m", card_data={"license": "apache-2.0"})
    info = api.model_info("org/m", expand=["gated", "siblings", "cardData"])
    assert info.gated == "auto"
    assert info.siblings is not None and "LICENSE" in {s.rfilename for s in info.siblings}
    with pytest.raises(TypeError):
        fakehub.update_model("org/m", licence="mit")


def test_remove_model(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.remove_model("org/m")
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("org/m")


# ---------------------------------------------------------------------- errors


def test_401_is_repository_not_found(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.fail("org/m", 401)
    with pytest.raises(RepositoryNotFoundError) as exc:
        api.model_info("org/m")
    assert not isinstance(exc.value, GatedRepoError)
    assert exc.value.response.status_code == 401


def test_missing_repo_is_401_anonymous_and_404_with_token(fakehub: FakeHub) -> None:
    with pytest.raises(RepositoryNotFoundError) as anonymous:
        HfApi().model_info("org/missing")
    assert anonymous.value.response.status_code == 401
    with pytest.raises(RepositoryNotFoundError) as authenticated:
        HfApi(token="hf_secret_for_tests").model_info("org/missing")
    assert authenticated.value.response.status_code == 404
    assert fakehub.tokens_seen == ["Bearer hf_secret_for_tests"]


def test_forced_404_is_repository_not_found(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.fail("org/m", 404)
    with pytest.raises(RepositoryNotFoundError) as exc:
        api.model_info("org/m")
    assert exc.value.response.status_code == 404


def test_private_repo_needs_a_token(fakehub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    fakehub.add_model("org/private", {"license": "other"}, private=True)
    with pytest.raises(RepositoryNotFoundError):
        HfApi().model_info("org/private")
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    assert HfApi().model_info("org/private", expand=["private"]).private is True
    assert fakehub.tokens_seen == ["Bearer hf_from_env"]


def test_403_gated_is_gated_repo_error(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.fail("org/m", 403)
    with pytest.raises(GatedRepoError) as exc:
        api.model_info("org/m")
    assert exc.value.response.status_code == 403
    assert isinstance(exc.value, RepositoryNotFoundError)  # GatedRepoError subclasses it: check it first


def test_403_without_code_is_plain_http_error(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.fail("org/m", 403, error_code="")
    with pytest.raises(HfHubHTTPError) as exc:
        api.model_info("org/m")
    assert not isinstance(exc.value, RepositoryNotFoundError)


def test_429_carries_retry_after_and_is_not_retried_by_model_info(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m", {"license": "mit"})
    fakehub.fail("org/m", 429, times=1, retry_after=7)
    with pytest.raises(HfHubHTTPError) as exc:
        api.model_info("org/m")
    err = exc.value
    assert type(err) is HfHubHTTPError
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "7"
    assert "Retry after 7 seconds" in str(err)
    assert fakehub.count("/api/models/org/m") == 1  # model_info does not retry by itself
    assert api.model_info("org/m").card_data is not None  # `times=1` is used up


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_hf_hub_http_error(fakehub: FakeHub, api: HfApi, status: int) -> None:
    fakehub.add_model("org/m")
    fakehub.fail("org/m", status, body=b"upstream exploded")
    with pytest.raises(HfHubHTTPError) as exc:
        api.model_info("org/m")
    assert type(exc.value) is HfHubHTTPError
    assert exc.value.response.status_code == status
    assert exc.value.server_message == "upstream exploded"


def test_list_models_retries_5xx_itself(fakehub: FakeHub, api: HfApi) -> None:
    """paginate() goes through http_backoff: 429/5xx are retried (1 s first wait)."""
    fakehub.generate_author("org", 3)
    fakehub.fail("author:org", 503, times=1)
    models = list(api.list_models(author="org"))
    assert len(models) == 3
    assert fakehub.count("/api/models?") == 2


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("broken-json", json.JSONDecodeError),
        ("html", json.JSONDecodeError),
        ("empty", json.JSONDecodeError),
        ("wrong-shape", TypeError),
        ("string", TypeError),
        ("missing-id", KeyError),
        ("bad-date", ValueError),
    ],
)
def test_malformed_answers_raise(fakehub: FakeHub, api: HfApi, kind: str, error: type[Exception]) -> None:
    fakehub.add_model("org/m")
    fakehub.malformed("org/m", kind)
    with pytest.raises(error):
        api.model_info("org/m", expand=["cardData"])


def test_wrong_types_parse_into_odd_model_info(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.malformed("org/m", "wrong-types", times=1)
    info: Any = api.model_info("org/m")
    assert info.card_data == "license: mit" and info.sha == 12345 and info.tags == "license:mit"
    assert api.model_info("org/m").sha == fakehub.shas("org/m")[0]


def test_slow_answer_times_out(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    fakehub.slow("org/m", 5.0)
    with pytest.raises(Exception) as exc:  # requests' or httpx's ReadTimeout, as the client version has it
        api.model_info("org/m", timeout=0.3)
    assert "timeout" in type(exc.value).__name__.lower() or "timed out" in str(exc.value).lower()
    fakehub.slow("org/m", 0.0)
    assert api.model_info("org/m").id == "org/m"


def test_delay_applies_to_every_request_and_server_is_concurrent(fakehub: FakeHub, api: HfApi) -> None:
    for i in range(32):
        fakehub.add_model(f"org/m{i}")
    fakehub.delay = 0.1
    start = time.monotonic()
    api.model_info("org/m0")
    assert time.monotonic() - start >= 0.1
    start = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        infos = list(pool.map(lambda i: api.model_info(f"org/m{i}"), range(32)))
    elapsed = time.monotonic() - start
    assert [i.id for i in infos] == [f"org/m{i}" for i in range(32)]
    assert elapsed < 1.5, elapsed  # serial would be >= 3.2 s


def test_stop_is_prompt_with_a_request_in_flight() -> None:
    hub = FakeHub().start()
    hub.add_model("org/m")
    hub.slow("org/m", 30)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            urllib.request.urlopen(hub.url + "/api/models/org/m", timeout=10).read()
        except BaseException as exc:  # the connection is cut, or answered early
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    hub.stop()
    thread.join(5)
    assert time.monotonic() - start < 3
    assert not thread.is_alive()


def test_counts_and_reset(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m")
    api.model_info("org/m")
    api.model_info("org/m", revision="main")
    assert fakehub.count() == 2
    assert fakehub.count("/api/models/org/m/revision/") == 1
    assert fakehub.count(method="HEAD") == 0
    fakehub.reset_counts()
    assert fakehub.count() == 0 and fakehub.requests == []


# ---------------------------------------------------------------------- list_models


def test_list_models_pages_by_link_header(fakehub: FakeHub, api: HfApi) -> None:
    for i in range(250):
        fakehub.add_model(f"big/m{i:03d}", {"license": "mit" if i % 2 else "apache-2.0"})
    fakehub.add_model("other/x")
    models = list(api.list_models(author="big", expand=LIST_EXPAND))
    assert len(models) == 250
    assert [m.id for m in models] == [f"big/m{i:03d}" for i in range(250)]
    assert all(m.card_data is not None and m.sha and m.author == "big" for m in models)
    assert models[1].card_data is not None and models[1].card_data.license == "mit"
    list_requests = [p for _, p in fakehub.requests if p.startswith("/api/models?")]
    assert len(list_requests) == 3
    assert all("author=big" in p and "expand=cardData" in p for p in list_requests)
    assert "cursor=" not in list_requests[0] and all("cursor=" in p for p in list_requests[1:])


def test_list_models_honours_limit_and_page_size(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.page_size = 10
    fakehub.generate_author("org", 95)
    assert len(list(api.list_models(author="org", limit=5))) == 5
    assert fakehub.count("/api/models?") == 1
    fakehub.reset_counts()
    assert len(list(api.list_models(author="org", limit=25))) == 25
    assert fakehub.count("/api/models?") == 3
    fakehub.reset_counts()
    assert len(list(api.list_models(author="org"))) == 95
    assert fakehub.count("/api/models?") == 10


def test_list_models_refuses_base_models_expand(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/m", base_models=["a/b"])
    with pytest.raises(BadRequestError):
        list(api.list_models(author="org", expand=["baseModels"]))
    (model,) = api.list_models(author="org", expand=["tags", "cardData"])
    assert model.tags is not None and "base_model:a/b" in model.tags
    assert model.card_data is not None and model.card_data.base_model == "a/b"


def test_list_models_hides_private_without_token(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_model("org/public")
    fakehub.add_model("org/secret", private=True)
    assert [m.id for m in api.list_models(author="org")] == ["org/public"]
    assert len(list(HfApi(token="hf_t").list_models(author="org"))) == 2


def test_generate_author_is_lazy(fakehub: FakeHub, api: HfApi) -> None:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fakehub.generate_author(
            "huge", 100_000, lambda i: {"license": "mit" if i % 3 else "llama3.1", "index": i}
        )
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 50_000, grown  # nothing per model (a dict each would be tens of MB)
    assert fakehub._repos == {}

    last = api.model_info(FakeHub.generated_id("huge", 99_999), expand=["cardData", "sha"])
    assert last.id == "huge/model-099999"
    assert last.card_data is not None and last.card_data.license == "llama3.1"
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("huge/model-100000")

    first_page = list(api.list_models(author="huge", expand=["cardData"], limit=100))
    assert [m.id for m in first_page][:2] == ["huge/model-000000", "huge/model-000001"]
    assert first_page[1].card_data is not None and first_page[1].card_data.license == "mit"
    assert fakehub.count("/api/models?") == 1


def test_generated_model_stream_pages(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.page_size = 1000
    fakehub.generate_author("huge", 5_500)
    count = sum(1 for _ in api.list_models(author="huge", expand=["cardData"]))
    assert count == 5_500
    assert fakehub.count("/api/models?") == 6


# ---------------------------------------------------------------------- datasets


def test_dataset_info(fakehub: FakeHub, api: HfApi) -> None:
    fakehub.add_dataset("org/data", {"license": "cc-by-4.0"})
    old = fakehub.shas("org/data", kind="dataset")[0]
    fakehub.update_dataset("org/data", card_data={"license": "cc-by-sa-4.0"})
    info = api.dataset_info("org/data", expand=["cardData", "sha", "author", "tags"])
    assert info.card_data is not None and info.card_data.license == "cc-by-sa-4.0"
    assert info.author == "org" and info.tags is not None and "license:cc-by-sa-4.0" in info.tags
    pinned = api.dataset_info("org/data", revision=old, expand=["cardData"])
    assert pinned.card_data is not None and pinned.card_data.license == "cc-by-4.0"
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("org/none")
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("org/data")  # a dataset is not a model


# ---------------------------------------------------------------------- downloads


def test_hf_hub_download_license(fakehub: FakeHub, tmp_path: Path) -> None:
    _llama(fakehub)
    fakehub.update_model("acme/llama-ft", gated=False)
    path = hf_hub_download("acme/llama-ft", "LICENSE", cache_dir=tmp_path / "cache")
    assert Path(path).read_text() == "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n"
    assert str(tmp_path / "cache") in path
    sha = fakehub.shas("acme/llama-ft")[-1]
    assert f"/snapshots/{sha}/" in path
    methods = [(m, p) for m, p in fakehub.requests if "/resolve/" in p]
    assert methods == [
        ("HEAD", "/acme/llama-ft/resolve/main/LICENSE"),
        ("GET", "/acme/llama-ft/resolve/main/LICENSE"),
    ]


def test_hf_hub_download_readme_is_generated_from_card(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_model("org/m", {"license": "mit", "tags": ["x"]})
    text = Path(hf_hub_download("org/m", "README.md", cache_dir=tmp_path)).read_text()
    assert text.startswith("---\n") and '"license": "mit"' in text


def test_hf_hub_download_pinned_revision_and_binary(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_model("org/m", files={"LICENSE": "v1", "blob.bin": bytes(range(256))})
    old = fakehub.shas("org/m")[0]
    fakehub.update_model("org/m", files={"LICENSE": "v2"})
    assert Path(hf_hub_download("org/m", "LICENSE", revision=old, cache_dir=tmp_path)).read_text() == "v1"
    assert Path(hf_hub_download("org/m", "LICENSE", cache_dir=tmp_path)).read_text() == "v2"
    blob = Path(hf_hub_download("org/m", "blob.bin", revision=old, cache_dir=tmp_path)).read_bytes()
    assert blob == bytes(range(256))


def test_hf_hub_download_errors(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_model("org/m", {"license": "mit"})
    with pytest.raises(EntryNotFoundError) as exc:  # RemoteEntryNotFoundError from 1.0 on
        hf_hub_download("org/m", "LICENSE", cache_dir=tmp_path)
    assert isinstance(exc.value, EntryNotFoundError)
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("org/none", "LICENSE", cache_dir=tmp_path)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download("org/m", "README.md", revision="nope", cache_dir=tmp_path)


def test_gated_repo_metadata_is_public_but_files_are_not(fakehub: FakeHub, tmp_path: Path) -> None:
    _llama(fakehub)
    assert HfApi().model_info("acme/llama-ft", expand=["gated"]).gated == "manual"
    with pytest.raises(GatedRepoError) as anonymous:
        hf_hub_download("acme/llama-ft", "LICENSE", cache_dir=tmp_path)
    assert anonymous.value.response.status_code == 401
    with pytest.raises(GatedRepoError) as authenticated:
        hf_hub_download("acme/llama-ft", "LICENSE", cache_dir=tmp_path, token="hf_x")
    assert authenticated.value.response.status_code == 403
    readme = hf_hub_download("acme/llama-ft", "README.md", cache_dir=tmp_path)
    assert "llama3.1" in Path(readme).read_text()


def test_download_honours_range(fakehub: FakeHub) -> None:
    fakehub.add_model("org/m", files={"LICENSE": "0123456789"})
    request = urllib.request.Request(
        fakehub.url + "/org/m/resolve/main/LICENSE", headers={"Range": "bytes=2-4"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 206 and response.read() == b"234"
        assert response.headers["X-Repo-Commit"] == fakehub.shas("org/m")[0]


def test_context_manager_and_explicit_endpoint(tmp_path: Path) -> None:
    """Without the fixture: HfApi(endpoint=...) and hf_hub_download(endpoint=...) also work."""
    with FakeHub(page_size=2) as hub:
        hub.add_model("org/m", {"license": "bsd-3-clause"}, files={"LICENSE": "BSD"})
        api = HfApi(endpoint=hub.url, token=False)
        assert api.model_info("org/m").card_data is not None
        path = hf_hub_download("org/m", "LICENSE", cache_dir=tmp_path, endpoint=hub.url, token=False)
        assert Path(path).read_text() == "BSD"


def test_dataset_file_download(fakehub: FakeHub, tmp_path: Path) -> None:
    fakehub.add_dataset("org/data", {"license": "cc-by-4.0"}, files={"LICENSE": "CC BY 4.0"})
    path = hf_hub_download("org/data", "LICENSE", repo_type="dataset", cache_dir=tmp_path)
    assert Path(path).read_text() == "CC BY 4.0"
    assert fakehub.count("/datasets/org/data/resolve/main/LICENSE") == 2


# ---------------------------------------------------------------------- recorded shapes of the real Hub

SHAPES = Path(__file__).parent / "data" / "hub_shapes.yaml"


def _shapes() -> list[dict[str, Any]]:
    import yaml

    doc = yaml.safe_load(SHAPES.read_text(encoding="utf-8"))
    return list(doc["shapes"])


def _ask(url: str, token: str | None = None) -> tuple[int, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as resp:
            return resp.status, dict(resp.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items())


def _setup(hub: FakeHub, case: str) -> tuple[str, str | None]:
    """The stand-in set up for one recorded case: (path to ask, token)."""
    hub.add_model("acme/model", {"license": "mit"}, files={"LICENSE": "MIT License\n"})
    hub.add_model("acme/gated", {"license": "mit"}, gated="manual", files={"LICENSE": "MIT License\n"})
    paths: dict[str, tuple[str, str | None]] = {
        "ratelimit-on-every-answer": ("/api/models/acme/model", None),
        "ratelimit-resolvers": ("/acme/model/resolve/main/LICENSE", None),
        "rate-limited": ("/api/models/acme/model", None),
        "missing-repo-anonymous": ("/api/models/acme/nothing", None),
        "missing-repo-with-token": ("/api/models/acme/nothing", "hf_valid"),
        "invalid-token": ("/api/models/acme/model", "hf_not_valid"),
        "revision-not-found": ("/api/models/acme/model/revision/nope", None),
        "entry-not-found": ("/acme/model/resolve/main/NOPE.txt", None),
        "gated-file-anonymous": ("/acme/gated/resolve/main/LICENSE", None),
        "gated-file-with-token": ("/acme/gated/resolve/main/LICENSE", "hf_valid"),
        "disabled-repo": ("/api/models/acme/model", None),
        "listing-next-page": ("/api/models?author=acme&limit=5", None),
        "renamed-repo": ("/api/models/acme/old-name", None),
        "resolve-file": ("/acme/model/resolve/main/LICENSE", None),
    }
    hub.require_tokens("hf_valid")
    if case == "rate-limited":
        hub.rate_limit(quota=1, window=300)
        _ask(hub.url + "/api/models/acme/model")
    if case == "disabled-repo":
        hub.fail("acme/model", 403, error_code="", message="Access to this resource is disabled.")
    if case == "listing-next-page":
        hub.page_size = 1
    if case == "renamed-repo":
        hub.redirect("acme/old-name", "acme/model")
    return paths[case]


@pytest.mark.parametrize("shape", _shapes(), ids=lambda s: s["case"])
def test_the_fake_answers_like_the_hub(shape: dict[str, Any]) -> None:
    import re

    assert shape["source"].startswith("https://")
    with FakeHub() as hub:
        path, token = _setup(hub, shape["case"])
        status, headers = _ask(hub.url + path, token)
    assert status == shape["status"], (shape["case"], status)
    for name, want in shape["headers"].items():
        got = headers.get(name)
        assert got is not None, (shape["case"], name, headers)
        if isinstance(want, dict):
            assert re.search(want["match"], got), (shape["case"], name, got)
        else:
            assert got == want, (shape["case"], name, got)
