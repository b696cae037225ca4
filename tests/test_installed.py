"""Installed models: GGUF and safetensors headers, a Hugging Face cache and an Ollama store, read offline.

Fixtures are made with the real writers: the `gguf` package's GGUFWriter, huggingface_hub downloading
from the fake Hub into a cache folder, and an Ollama-layout store (manifests and content-addressed blobs).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path
from typing import Any

import gguf  # the real writer (a [test] dependency)
import pytest

from licensecheck.sources import gguf as gguf_reader
from licensecheck.sources.installed import (
    hf_cache_models,
    hub_id_of_url,
    installed_roots,
    kind_of,
    ollama_models,
    read_installed,
)
from tests.fakehub import FakeHub


def write_gguf(path: Path, general: dict[str, object], *, vocab: int = 0) -> Path:
    """A small but real GGUF file: metadata through GGUFWriter, one tiny tensor, optional big vocabulary."""
    import numpy as np

    writer = gguf.GGUFWriter(str(path), "llama")
    for key, value in general.items():
        if isinstance(value, bool):
            writer.add_bool(key, value)
        elif isinstance(value, int):
            writer.add_uint32(key, value)
        else:
            writer.add_string(key, str(value))
    if vocab:
        writer.add_token_list([f"tok{i}" for i in range(vocab)])
        writer.add_token_scores([0.0] * vocab)
    writer.add_tensor("t", np.zeros((4, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


LLAMA_GGUF = {
    "general.name": "Meta Llama 3.1 8B Instruct",
    "general.organization": "Meta Llama",
    "general.license": "llama3.1",
    "general.repo_url": "https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
    "general.base_model.count": 1,
    "general.base_model.0.name": "Meta Llama 3.1 8B Instruct",
    "general.base_model.0.organization": "Meta Llama",
    "general.base_model.0.repo_url": "https://huggingface.co/meta-llama/Meta-Llama-3.1-8B-Instruct",
}


def test_gguf_header_gives_licence_repo_and_bases(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "model.gguf", LLAMA_GGUF, vocab=2000)
    header = gguf_reader.read_header(path)
    assert header.version == 3 and header.tensor_count == 1
    assert header.general["general.license"] == "llama3.1"
    assert not any(k.startswith("tokenizer.") for k in header.general)  # skipped, never stored
    (meta,) = list(read_installed(str(path)))
    assert meta.id == str(path)
    assert meta.repo_id == "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF" and meta.author == "bartowski"
    assert meta.declared.license == "llama3.1"
    assert meta.base_models == ("meta-llama/Meta-Llama-3.1-8B-Instruct",)
    assert meta.error is None


def test_gguf_base_without_hub_url_is_kept_as_written(tmp_path: Path) -> None:
    general = {
        "general.license": "mit",
        "general.base_model.count": 1,
        "general.base_model.0.name": "Some Base",
    }
    (meta,) = list(read_installed(str(write_gguf(tmp_path / "m.gguf", general))))
    assert meta.repo_id is None and meta.base_models == ("Some Base",)


def test_gguf_named_by_magic_without_suffix(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "blob", {"general.license": "apache-2.0"})
    assert kind_of(path) == "gguf"


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 1), "truncated"),
        (b"GGUF" + struct.pack("<I", 1) + b"\0" * 16, "version 1"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 2**40), "key/value count"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**40), "string length"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<I", 99), "value type"),
        (
            b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k"
            + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1) * 6,
            "nested",
        ),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<IIQ", 9, 8, 2**40), "array"),
    ],
)  # fmt: skip
def test_hostile_gguf_headers_are_malformed_models(tmp_path: Path, payload: bytes, needle: str) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(payload)
    (meta,) = list(read_installed(str(path)))
    assert meta.error is not None and meta.error.kind == "malformed"
    assert needle in meta.error.message


def test_huge_sparse_gguf_costs_only_its_header(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "big.gguf", {"general.license": "mit"})
    with path.open("r+b") as fh:  # 40 GB of tensor data that is never read (a sparse file)
        fh.truncate(40 * 1024**3)
    (meta,) = list(read_installed(str(path)))
    assert meta.declared.license == "mit"


def _safetensors(path: Path, metadata: dict[str, str] | None) -> Path:
    header: dict[str, object] = {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}
    if metadata is not None:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0\0\0\0")
    return path


def test_safetensors_metadata(tmp_path: Path) -> None:
    path = _safetensors(
        tmp_path / "m.safetensors",
        {"modelspec.license": "creativeml-openrail-m", "base_model": "https://huggingface.co/org/base"},
    )
    (meta,) = list(read_installed(str(path)))
    assert meta.declared.license == "creativeml-openrail-m"
    assert meta.base_models == ("org/base",)
    (bare,) = list(read_installed(str(_safetensors(tmp_path / "n.safetensors", None))))
    assert bare.declared.license is None and bare.error is None


def test_safetensors_hostile_header(tmp_path: Path) -> None:
    path = tmp_path / "h.safetensors"
    path.write_bytes(struct.pack("<Q", 2**62))
    (meta,) = list(read_installed(str(path)))
    assert meta.error is not None and "100 MB" in meta.error.message


def test_hf_cache_from_real_downloads(fakehub: FakeHub, tmp_path: Path) -> None:
    from huggingface_hub import hf_hub_download

    fakehub.add_model("acme/mit-model", {"license": "mit"}, sha="a" * 40)
    fakehub.add_model(
        "acme/custom", {"license": "other", "license_name": "acme-terms"}, sha="b" * 40,
        files={"LICENSE": "ACME MODEL TERMS\nNo commercial use is permitted.\n"},
    )  # fmt: skip
    fakehub.add_dataset("acme/data", {"license": "cc-by-4.0"})
    cache = tmp_path / "hub"
    hf_hub_download("acme/mit-model", "README.md", cache_dir=cache)
    hf_hub_download("acme/custom", "README.md", cache_dir=cache)
    hf_hub_download("acme/custom", "LICENSE", cache_dir=cache)
    hf_hub_download("acme/data", "README.md", repo_type="dataset", cache_dir=cache)
    assert kind_of(cache) == "hf-cache"
    metas = {m.id: m for m in hf_cache_models(cache)}
    assert set(metas) == {f"acme/custom@{'b' * 40}", f"acme/mit-model@{'a' * 40}"}  # no dataset
    mit = metas[f"acme/mit-model@{'a' * 40}"]
    assert mit.repo_id == "acme/mit-model" and mit.revision == "a" * 40 and mit.declared.license == "mit"
    custom = metas[f"acme/custom@{'b' * 40}"]
    assert custom.license_text is not None and "ACME MODEL TERMS" in custom.license_text


def _blob(store: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    (store / "blobs").mkdir(parents=True, exist_ok=True)
    (store / "blobs" / f"sha256-{digest}").write_bytes(data)
    return f"sha256:{digest}"


def _ollama_store(tmp_path: Path, name: str, tag: str, layers: list[tuple[str, bytes]]) -> Path:
    store = tmp_path / "ollama"
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "layers": [{"mediaType": mt, "digest": _blob(store, data), "size": len(data)} for mt, data in layers],
    }
    path = store / "manifests" / "registry.ollama.ai" / "library" / name / tag
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest))
    return store


# A real licence's title and the opening of its first line (the Llama 3.1 Community License Agreement).
LLAMA_LICENSE_LAYER = (
    b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n"
)


def test_ollama_store_model_and_licence_layers(tmp_path: Path) -> None:
    model = write_gguf(tmp_path / "w.gguf", {"general.license": "llama3.1"}).read_bytes()
    store = _ollama_store(
        tmp_path, "llama3.1", "8b",
        [("application/vnd.ollama.image.model", model), ("application/vnd.ollama.image.license", LLAMA_LICENSE_LAYER)],
    )  # fmt: skip
    assert kind_of(store) == "ollama"
    (meta,) = list(ollama_models(store))
    assert meta.id == "llama3.1:8b"
    assert meta.declared.license == "llama3.1"
    assert meta.license_text is not None and meta.license_text.startswith("LLAMA 3.1 COMMUNITY")


def test_ollama_hostile_manifest_and_digest(tmp_path: Path) -> None:
    store = _ollama_store(tmp_path, "evil", "latest", [])
    bad = store / "manifests" / "registry.ollama.ai" / "library" / "evil" / "latest"
    bad.write_text(json.dumps({"layers": [{"mediaType": "application/vnd.ollama.image.license",
                                           "digest": "sha256:../../../../etc/passwd"}]}))  # fmt: skip
    (meta,) = list(ollama_models(store))
    assert meta.error is not None and meta.error.kind == "not-found"
    bad.write_text("{not json")
    (meta,) = list(ollama_models(store))
    assert meta.error is not None and meta.error.kind == "malformed"


def test_symlink_loop_in_store_is_not_followed(tmp_path: Path) -> None:
    store = _ollama_store(tmp_path, "m", "t", [("application/vnd.ollama.image.license", b"MIT License\n")])
    loop = store / "manifests" / "registry.ollama.ai" / "library" / "loop"
    os.symlink(loop, loop)
    tag_loop = store / "manifests" / "registry.ollama.ai" / "library" / "m" / "loop"
    os.symlink(tag_loop, tag_loop)
    metas = {m.id: m for m in ollama_models(store)}
    assert set(metas) == {"m:t", "m:loop"}
    assert metas["m:loop"].error is not None and metas["m:loop"].error.kind == "malformed"


def test_hub_urls() -> None:
    assert hub_id_of_url("https://huggingface.co/org/name") == "org/name"
    assert hub_id_of_url("https://hf.co/org/name.git") == "org/name"
    assert hub_id_of_url("https://huggingface.co/datasets/org/name") is None
    assert hub_id_of_url("https://github.com/org/name") is None
    assert hub_id_of_url(3) is None


def test_installed_roots_follow_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "hf" / "hub").mkdir(parents=True)
    (tmp_path / "ol").mkdir()
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "ol"))
    assert installed_roots() == [tmp_path / "hf" / "hub", tmp_path / "ol"]


# ---- installed models as targets of `check`, judged like Hub models -----------------------------------
def _json(result: Any) -> dict[str, Any]:
    assert "Traceback" not in result.err, result.err
    return dict(json.loads(result.out))


def _lock_llama(tmp_path: Path) -> Path:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(
        "version: 1\nmodels:\n  meta-llama/Meta-Llama-3.1-8B-Instruct:\n    author: meta-llama\n"
        "    license: llama3.1\n    license_name: null\n    license_link: null\n",
        encoding="utf-8",
    )
    return lock


def test_check_a_gguf_file_with_its_base_from_the_lockfile(tmp_path: Path, cli: Any) -> None:
    path = write_gguf(tmp_path / "llama.gguf", LLAMA_GGUF)
    lock = _lock_llama(tmp_path)
    result = cli(
        "check", "--offline", "--lockfile", str(lock), "-p", "commercial", "--format", "json", str(path)
    )
    (model,) = _json(result)["models"]
    assert model["id"] == str(path) and model["source"] == "local"
    assert model["license"]["expression"] == "LicenseRef-scancode-llama-3.1-license-2024"
    assert model["lineage"] == [
        {"id": "meta-llama/Meta-Llama-3.1-8B-Instruct", "relation": "quantized", "depth": 1,
         "license": "LicenseRef-scancode-llama-3.1-license-2024"}
    ]  # fmt: skip
    assert model["verdicts"] == {"commercial": "warn"} and result.code == 0


def test_check_a_cache_and_a_store_stream_every_model(fakehub: FakeHub, tmp_path: Path, cli: Any) -> None:
    from huggingface_hub import hf_hub_download

    fakehub.add_model("acme/mit-model", {"license": "mit"}, sha="a" * 40)
    fakehub.add_model("acme/nc-model", {"license": "cc-by-nc-4.0"}, sha="c" * 40)
    cache = tmp_path / "hub"
    for repo in ("acme/mit-model", "acme/nc-model"):
        hf_hub_download(repo, "README.md", cache_dir=cache)
    model = write_gguf(tmp_path / "w.gguf", LLAMA_GGUF).read_bytes()
    store = _ollama_store(
        tmp_path, "llama3.1", "8b",
        [("application/vnd.ollama.image.model", model), ("application/vnd.ollama.image.license", LLAMA_LICENSE_LAYER)],
    )  # fmt: skip
    (store / "blobs" / "sha256-bad").write_bytes(b"GGUF\x03")  # never referenced: ignored
    lock = _lock_llama(tmp_path)
    result = cli(
        "check", "--offline", "--lockfile", str(lock), "-p", "commercial", "--format", "json", str(cache), str(store)
    )  # fmt: skip
    verdicts = {m["id"]: m["verdicts"]["commercial"] for m in _json(result)["models"]}
    assert verdicts == {
        f"acme/mit-model@{'a' * 40}": "allow",
        f"acme/nc-model@{'c' * 40}": "deny",
        "llama3.1:8b": "warn",
    }
    assert result.code == 1  # a denied cached model fails the gate


def test_a_truncated_model_layer_is_an_unresolved_model(tmp_path: Path, cli: Any) -> None:
    store = _ollama_store(
        tmp_path, "broken", "latest", [("application/vnd.ollama.image.model", b"GGUF\x03\x00")]
    )
    result = cli("check", "--offline", "-p", "openness", "--format", "json", str(store))
    (model,) = _json(result)["models"]
    assert model["error"]["kind"] == "malformed" and model["verdicts"] == {"openness": "deny"}


def test_installed_audits_the_users_cache_and_store(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _ollama_store(tmp_path, "m", "t", [("application/vnd.ollama.image.license", b"MIT License\n")])
    monkeypatch.setenv("OLLAMA_MODELS", str(store))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "no-hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    result = cli("check", "--installed", "--offline", "-p", "openness", "--format", "json")
    assert [m["id"] for m in _json(result)["models"]] == ["m:t"]
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "nothing-here"))
    empty = cli("check", "--installed", "--offline", "-p", "openness")
    assert empty.code == 2 and "no Hugging Face cache" in empty.err
