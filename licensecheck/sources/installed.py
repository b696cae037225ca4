"""Installed models: GGUF and safetensors files, a Hugging Face cache, an Ollama store, read offline.

Each yields ModelMeta like a local card does, so postures, lineage, findings and formats work unchanged.
What a file says about itself is all we know: a GGUF header's `general.license*` keys, its base models
and repository URL; a safetensors header's `__metadata__`; a cached snapshot's README.md and LICENSE;
an Ollama model's licence layer and its model layer's GGUF header. A file that cannot be read is a model
with an error (`malformed`), never an exception.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecheck.model import Declared, ModelMeta
from licensecheck.sources import open_regular
from licensecheck.sources.card import (
    CardProblem,
    error_meta,
    front_matter,
    hub_id_from_url,
    meta_from_card,
)
from licensecheck.sources.local import MAX_CARD_BYTES, MAX_LICENSE_BYTES, license_file, read_text

if TYPE_CHECKING:
    from licensecheck.sources.gguf import Value

MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024  # the format's own limit
MAX_MANIFEST = 1024 * 1024
OLLAMA_MODEL = "application/vnd.ollama.image.model"
OLLAMA_LICENSE = "application/vnd.ollama.image.license"


def hub_id_of_url(url: object) -> str | None:
    """`org/name` of a Hub model URL (on the Hub or under HF_ENDPOINT), else None."""
    if not isinstance(url, str):
        return None
    repo = hub_id_from_url(url.strip().removesuffix(".git"))
    return repo.split("@", 1)[0] if repo else None


def kind_of(path: Path) -> str | None:
    """What an existing path holds: gguf, safetensors, hf-cache, ollama, or None (a card or model folder)."""
    if path.is_file():
        if path.suffix.lower() == ".safetensors":
            return "safetensors"
        from licensecheck.sources.gguf import is_gguf  # lazy: a check of Hub ids never reads a GGUF file

        if path.suffix.lower() == ".gguf" or is_gguf(path):
            return "gguf"
        return None
    if path.is_dir():
        if (path / "manifests").is_dir() and (path / "blobs").is_dir():
            return "ollama"
        try:
            if any(p.name.startswith("models--") for p in path.iterdir()):
                return "hf-cache"
        except OSError:
            return None
    return None


def _text(value: Value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def meta_from_gguf(target: str, general: dict[str, Value], license_text: str | None = None) -> ModelMeta:
    """ModelMeta from a GGUF header's `general.*` keys (see DESIGN.md section 8, installed models)."""
    repo_id = hub_id_of_url(general.get("general.repo_url"))
    bases: list[str] = []
    count = general.get("general.base_model.count")
    for i in range(min(int(count), 64) if isinstance(count, int) and not isinstance(count, bool) else 0):
        url = general.get(f"general.base_model.{i}.repo_url")
        base = hub_id_of_url(url)
        if base is None:
            # Not a Hub repository: keep what the file says, so lineage reports it as unresolved.
            org = _text(general.get(f"general.base_model.{i}.organization"))
            name = _text(general.get(f"general.base_model.{i}.name"))
            base = _text(url) or " / ".join(x for x in (org, name) if x) or f"base model {i}"
        if base not in bases:
            bases.append(base)
    lic = general.get("general.license")
    return ModelMeta(
        id=target,
        repo_id=repo_id,
        source="local",
        declared=Declared(
            license=_text(lic),
            license_name=_text(general.get("general.license.name")),
            license_link=_text(general.get("general.license.link")),
        ),
        author=repo_id.split("/", 1)[0] if repo_id else None,
        base_models=tuple(bases),
        license_text=license_text,
        license_file="LICENSE" if license_text else None,
    )


def read_gguf(target: str, path: Path, license_text: str | None = None) -> ModelMeta:
    from licensecheck.sources.gguf import GGUFProblem, read_header

    try:
        header = read_header(path)
    except GGUFProblem as exc:
        return error_meta(target, "malformed", f"{target}: {exc}", source="local")
    return meta_from_gguf(target, header.general, license_text)


def read_safetensors(target: str, path: Path) -> ModelMeta:
    """ModelMeta from a safetensors header's `__metadata__` (license keys, base_model, modelspec.*)."""
    try:
        with open_regular(path) as fh:
            size_bytes = fh.read(8)
            if len(size_bytes) != 8:
                raise CardProblem("the file ends before its header size")
            size = int.from_bytes(size_bytes, "little")
            if size > MAX_SAFETENSORS_HEADER:
                raise CardProblem(f"header size {size} is over the format's 100 MB limit")
            raw = fh.read(size)
        if len(raw) != size:
            raise CardProblem("the file ends inside its header (truncated)")
        header = json.loads(raw.decode("utf-8"))
    except (CardProblem, ValueError, RecursionError) as exc:
        return error_meta(
            target, "malformed", f"{target}: not a readable safetensors header: {exc}", source="local"
        )
    except OSError as exc:
        return error_meta(target, "not-found", f"cannot read {target}: {exc.strerror or exc}", source="local")
    meta = header.get("__metadata__") if isinstance(header, dict) else None
    fields: dict[str, Any] = {}
    if isinstance(meta, dict):
        for key in ("license", "license_name", "license_link", "base_model"):
            for spelling in (key, f"modelspec.{key}"):
                if isinstance(meta.get(spelling), str) and key not in fields:
                    fields[key] = meta[spelling]
    if "base_model" in fields:
        fields["base_model"] = [
            hub_id_of_url(b) or b for b in str(fields["base_model"]).split(",") if b.strip()
        ]
    return meta_from_card(target, fields, source="local")


def _snapshot_meta(target: str, repo_id: str, revision: str, folder: Path) -> ModelMeta:
    card_path = folder / "README.md"
    try:
        card = front_matter(read_text(card_path, MAX_CARD_BYTES)) if card_path.is_file() else {}
        lic_path = license_file(folder, card.get("license_link"), repo_id)
        text = read_text(lic_path, MAX_LICENSE_BYTES) if lic_path else None
    except (CardProblem, OSError) as exc:
        return error_meta(target, "malformed", f"{target}: {exc}", source="local", repo_id=repo_id)
    if not card and text is None:
        return error_meta(
            target,
            "not-found",
            f"{target}: the cache holds no README.md or LICENSE",
            source="local",
            repo_id=repo_id,
        )
    return meta_from_card(
        target,
        card,
        source="local",
        repo_id=repo_id,
        revision=revision,
        license_text=text,
        license_file=lic_path.name if lic_path else None,
    )


def hf_cache_models(folder: Path) -> Iterator[ModelMeta]:
    """Every model in a Hugging Face cache folder at each cached revision, through huggingface_hub's scanner."""
    from huggingface_hub import scan_cache_dir

    try:
        info = scan_cache_dir(folder)
    except (
        Exception
    ) as exc:  # huggingface_hub raises its own CacheNotFound (its module moved across versions)
        yield error_meta(
            str(folder), "malformed", f"{folder}: not a readable Hugging Face cache: {exc}", source="local"
        )
        return
    for repo in sorted(info.repos, key=lambda r: r.repo_id):
        if repo.repo_type != "model":
            continue
        for rev in sorted(repo.revisions, key=lambda r: r.commit_hash):
            target = f"{repo.repo_id}@{rev.commit_hash}"
            yield _snapshot_meta(target, repo.repo_id, rev.commit_hash, Path(rev.snapshot_path))


def _ollama_name(manifest: Path, root: Path) -> str:
    parts = manifest.relative_to(root / "manifests").parts  # host / namespace / model / tag
    if len(parts) != 4:
        raise ValueError(f"not a manifest path: {manifest}")
    host, *path, tag = parts
    if host == "registry.ollama.ai" and path[:1] == ["library"]:
        path = path[1:]
    name = "/".join(path if host == "registry.ollama.ai" else [host, *path])
    return f"{name}:{tag}"


def _blob(root: Path, digest: object) -> Path | None:
    if not isinstance(digest, str) or not re.fullmatch(r"sha256[:-][0-9a-f]{64}", digest):
        return None
    return root / "blobs" / digest.replace(":", "-")


def ollama_models(root: Path) -> Iterator[ModelMeta]:
    """Every model (`name:tag`) of an Ollama store: the licence layer's text and the model layer's GGUF header."""
    base = root / "manifests"
    for dirpath, _dirs, files in sorted(os.walk(base)):  # os.walk does not follow symlinked folders
        for fname in sorted(files):
            manifest = Path(dirpath) / fname
            try:
                name = _ollama_name(manifest, root)
            except ValueError:
                continue
            yield _ollama_model(root, manifest, name)


def _ollama_model(root: Path, manifest: Path, name: str) -> ModelMeta:
    try:
        doc = json.loads(read_text(manifest, MAX_MANIFEST))
        layers = doc.get("layers") if isinstance(doc, dict) else None
        if not isinstance(layers, list):
            raise CardProblem("manifest has no layers")
    except (CardProblem, OSError, ValueError, RecursionError) as exc:
        return error_meta(name, "malformed", f"{name}: unreadable Ollama manifest: {exc}", source="local")
    texts: list[str] = []
    model_blob: Path | None = None
    for layer in layers:
        if not isinstance(layer, dict):
            continue
        blob = _blob(root, layer.get("digest"))
        if blob is None:
            continue
        if layer.get("mediaType") == OLLAMA_LICENSE:
            try:
                texts.append(read_text(blob, MAX_LICENSE_BYTES))
            except (CardProblem, OSError) as exc:
                return error_meta(
                    name, "malformed", f"{name}: unreadable licence layer: {exc}", source="local"
                )
        elif layer.get("mediaType") == OLLAMA_MODEL:
            model_blob = blob
    license_text = "\n\n".join(texts) or None
    if model_blob is None:
        if license_text is None:
            return error_meta(name, "not-found", f"{name}: no model or licence layer", source="local")
        return ModelMeta(id=name, source="local", license_text=license_text, license_file="LICENSE")
    return read_gguf(name, model_blob, license_text)


def installed_roots() -> list[Path]:
    """The user's own Hugging Face cache and Ollama store, where their environment puts them (if present)."""
    home = Path.home()
    hf_home = Path(
        os.environ.get("HF_HOME")
        or (Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "huggingface")
    )
    hub_cache = Path(
        os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE") or hf_home / "hub"
    )
    ollama = Path(os.environ.get("OLLAMA_MODELS") or home / ".ollama" / "models")
    return [p for p in (hub_cache.expanduser(), ollama.expanduser()) if p.is_dir()]


def holds_many(target: str) -> bool:
    """Whether a target is a folder of many installed models (a Hugging Face cache or an Ollama store)."""
    if not os.path.isdir(os.path.expanduser(target)):  # one stat and no Path: most targets are Hub ids
        return False
    return kind_of(Path(target).expanduser()) in ("hf-cache", "ollama")


def read_installed(target: str) -> Iterator[ModelMeta]:
    """The models an installed-model path holds (one for a file, many for a cache or a store)."""
    path = Path(target).expanduser()
    kind = kind_of(path)
    if kind == "gguf":
        yield read_gguf(target, path)
    elif kind == "safetensors":
        yield read_safetensors(target, path)
    elif kind == "hf-cache":
        yield from hf_cache_models(path)
    elif kind == "ollama":
        yield from ollama_models(path)
