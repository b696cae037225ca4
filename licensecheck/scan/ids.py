"""What a Hub model id is: its spelling, its look-alikes, the keys that hold one, links to one.

Every scanner yields `Hit`s, candidate strings with their line; `model_id` keeps only those that are
ids (not MIME types, paths, npm scopes, domains, file names), `is_model_key` says which keys, variables
and flags name a model, and `links` reads `org/name` out of huggingface.co URLs.
"""

from __future__ import annotations

import functools
import re
from typing import TypeAlias

Hit: TypeAlias = tuple[str, int]  # candidate string, 1-based line


def words(spec: str) -> frozenset[str]:
    """`"a b"` as `{"a", "b"}`: the scanners' word lists are written this way."""
    return frozenset(spec.split())


def pairs(spec: str) -> dict[str, str]:
    """`"a:x b:y"` as `{"a": "x", "b": "y"}`."""
    return {key: value for key, _, value in (pair.partition(":") for pair in spec.split())}


# -- what a Hub model id is ------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
_REV = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,127}")
_MIME = words("application audio chemical example font image message model multipart text video")
_FILE_EXT = re.compile(
    r"\.(bin|pt|pth|ckpt|safetensors|gguf|ggml|onnx|h5|hdf5|pkl|pickle|joblib|npy|npz|msgpack|tflite|pb"
    r"|model|json|jsonl|ya?ml|toml|txt|csv|tsv|parquet|arrow|py|sh|md|zip|tar|gz|tgz|bz2|xz|zst|wav|mp3"
    r"|png|jpe?g|gif|webp|html?|xml|ini|cfg|log)$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"\.(com|org|net|io|dev|ai|co|gov|edu|app|cloud)$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def model_id(raw: str) -> str | None:
    """`raw` as a Hub model id, or None: MIME types, paths, npm scopes and URLs are not ids."""
    text = raw[7:] if raw[:7].lower() in ("hf-hub:", "hf_hub:") else raw
    base, at, rev = text.partition("@")
    if not _ID.fullmatch(base) or (at and not _REV.fullmatch(rev)):
        return None
    org, name = base.split("/")
    if (
        org.lower() in _MIME
        or "--" in base
        or ".." in base
        or org[-1] in ".-"
        or name[-1] in ".-"
        or _FILE_EXT.search(name)
        or _DOMAIN.search(org)
        or (org.isdigit() and name.isdigit())
    ):
        return None
    return text


def pinned(model: str, revision: str | None) -> str:
    """`model` pinned to `revision` when one was given beside it."""
    if revision and "@" not in model and _REV.fullmatch(revision):
        return f"{model}@{revision}"
    return model


_KEYS = frozenset(
    {"model", "model_id", "model_name", "model_name_or_path", "tokenizer_name", "tokenizer_name_or_path"}
)
_KEY_ENDS = ("_model", "_model_id", "_model_name", "_model_name_or_path")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.lru_cache(maxsize=4096)
def snake_case(key: str) -> str:
    return _CAMEL.sub("_", key).lower().replace("-", "_")


def is_model_key(key: str, repo_id: bool = True) -> bool:
    """A key (or variable, flag, keyword) whose value is a model: `model`, `base_model`, `*_model`, ..."""
    snake = snake_case(key)
    return snake in _KEYS or snake.endswith(_KEY_ENDS) or (repo_id and snake == "repo_id")


# -- huggingface.co links --------------------------------------------------------------------------

_LINK = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?:www\.)?(?:huggingface|hf)\.co/([\w.~%+/@=&?#:-]+)", re.IGNORECASE
)
_NOT_REPOS = words(
    "api blog brand changelog chat collections course datasets docs enterprise huggingchat "
    "inference-api inference-endpoints join learn login models new new-dataset new-space "
    "notifications organizations papers posts pricing privacy search settings spaces support tasks "
    "terms-of-service transformers"
)
_REPO_PAGES = frozenset({"", "blob", "tree", "resolve", "raw", "commit", "commits", "discussions", "edit"})


def links(text: str, line: int) -> list[Hit]:
    """`org/name` of every model page or file link in `text`, whose first line is `line`."""
    hits: list[Hit] = []
    pos = 0
    for match in _LINK.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        parts = re.split(r"[?#]", match.group(1), maxsplit=1)[0].rstrip(".,;:!").split("/")
        page = parts[2] if len(parts) > 2 else ""
        if len(parts) >= 2 and parts[0].lower() not in _NOT_REPOS and page in _REPO_PAGES:
            hits.append((f"{parts[0]}/{parts[1]}", line))
    return hits
