"""What a Hub model id is: its spelling, its look-alikes, the keys that hold one, links to one.

Every scanner yields `Hit`s, candidate strings with their line; `model_id` keeps only those that are
ids (not MIME types, paths, npm scopes, domains, file names), `is_model_key` says which keys, variables
and flags name a model, and `links` reads `org/name` out of huggingface.co URLs.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import TypeAlias

# A candidate: the string, its 1-based line, why it may be a model, how sure that is, and its group
# (the items of one list or mapping: when one of them is a model, so are its id-shaped neighbours; 0: none).
Hit: TypeAlias = tuple[str, int, str, int, int]
NEGATIVE, WEAK, STRONG = 0, 1, 2  # not a model whatever else says so; a model if confirmed; a model


def strong(value: str, line: int, why: str, group: int = 0) -> Hit:
    return value, line, why, STRONG, group


def weak(value: str, line: int, why: str, group: int = 0) -> Hit:
    return value, line, why, WEAK, group


def negative(value: str, line: int, why: str) -> Hit:
    return value, line, why, NEGATIVE, 0


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


# Words of a key (or variable, flag, keyword) that say its value is a model, and words that say it is not.
_MODEL_WORDS = words(
    "model models checkpoint ckpt pretrained tokenizer vae unet controlnet adapter lora reranker embedder "
    "encoder teacher student draft hf hub_id hf_hub repo"
)
_NOT_MODEL_WORDS = words(
    "dataset datasets data output save upload push dir cache type file files class cls kwargs args "
    "revision dtype kind url endpoint token card format names size len count dim max min"
)
_KEYS = words(
    "model_id model_name model_name_or_path tokenizer_name tokenizer_name_or_path repo_id hf_hub_id"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.lru_cache(maxsize=4096)
def snake_case(key: str) -> str:
    return _CAMEL.sub("_", key).lower().replace("-", "_").replace(".", "_")


@functools.lru_cache(maxsize=4096)
def is_model_key(key: str, repo_id: bool = True) -> bool:
    """A key (or variable, flag, keyword) whose value is a model: `model`, `base_model`, `MODEL_PATH`,
    `vae_name`, `tokenizer`, `hf_hub`, `_MODELS`, ... but not `dataset_name`, `output_dir`, `model_type`."""
    snake = snake_case(key).strip("_")
    if snake == "repo_id" or snake == "repo":
        return repo_id
    if snake in _KEYS:
        return True
    parts = [part for part in snake.split("_") if part]
    if not parts or any(part in _NOT_MODEL_WORDS for part in parts):
        return False
    return any(part in _MODEL_WORDS for part in parts) and not (
        parts[0] == "hub" or snake.startswith(("push_", "hub_model"))
    )


def is_dataset_key(key: str) -> bool:
    """A key whose value is a dataset (or data files): `dataset`, `dataset_name`, `data_path`, `datasets`."""
    parts = snake_case(key).split("_")
    return any(part in ("dataset", "datasets", "data") for part in parts)


# Provider prefixes of LiteLLM, OpenRouter, SiliconFlow and the like: `PROVIDER/model` is not a Hub id.
PROVIDERS = words(
    "openrouter anthropic azure azure_ai bedrock vertex_ai vertex_ai_beta together_ai groq fireworks_ai "
    "deepinfra ollama ollama_chat siliconflow gemini perplexity sagemaker replicate anyscale xai voyage "
    "cloudflare watsonx nvidia_nim text-completion-openai litellm_proxy hosted_vllm openai_like "
    "cohere_chat mistral deepseek dashscope volcengine moonshot cerebras sambanova friendliai github "
    "lm_studio predibase clarifai baseten featherless_ai nebius novita"
)


def hub_part(value: str) -> str:
    """`org/name` of `org/name/` or `org/name/file.ext` (a repo named with a file in it); else `value`."""
    parts = value.split("/")
    if len(parts) == 3 and (parts[2] == "" or _FILE_EXT.search(parts[2])):
        return f"{parts[0]}/{parts[1]}"
    return value


_PROSE = re.compile(r"[A-Za-z]+/[a-z]+")


def looks_like_prose(value: str) -> bool:
    """`and/or`, `input/output`, `Qwen/qwen`: a pair of plain words, which prose holds by the thousand."""
    return _PROSE.fullmatch(value) is not None


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
            hits.append(strong(f"{parts[0]}/{parts[1]}", line, "huggingface.co link"))
    return hits


_GITHUB = re.compile(r"github\.com/([\w.-]+/[\w.-]+)", re.IGNORECASE)
_CANDIDATE = re.compile(r"(?<![\w.@/:-])[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*[A-Za-z0-9](?![\w/-]|\.\w)")


def github_repos(text: str) -> frozenset[str]:
    """`owner/repo` (lower case) of every GitHub link in `text`: the same pair elsewhere is no model."""
    return frozenset(match.group(1).lower().removesuffix(".git") for match in _GITHUB.finditer(text))


def prose_ids(text: str, line: int, why: str) -> list[Hit]:
    """Weak candidates: every id-shaped word of free text (Markdown prose, a comment-free shell word)."""
    hits: list[Hit] = []
    pos = 0
    for match in _CANDIDATE.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        if not looks_like_prose(match.group()):
            hits.append(weak(match.group(), line, why))
    return hits


_GROUPS = itertools.count(1)


def new_group() -> int:
    """A fresh group number for the items of one list or mapping."""
    return next(_GROUPS)
