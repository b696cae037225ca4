"""Model cards: YAML front matter read defensively, and card fields turned into ModelMeta."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from licensecheck.model import Declared, FetchError, ModelMeta
from licensecheck.schema.yamlio import YamlProblem, safe_load

MAX_FRONT_MATTER = 1024 * 1024
HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}\Z")  # \Z: no "\n"
REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}\Z")  # a branch, tag or commit (never `-x`)
MAX_REFS = 64  # base models / datasets kept per card: one more than this marks the list as cut
HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
_URL_REVISION = re.compile(r"^[A-Za-z0-9._/-]{1,200}\Z")


class CardProblem(ValueError):
    """A card whose front matter cannot be read."""


def front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a README.md as a dict ({} when there is none)."""
    if "\x00" in text[:8192]:
        raise CardProblem("the card is binary, not text")
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    end = None
    size = 0
    for i, line in enumerate(lines[1:], start=1):
        size += len(line) + 1
        if size > MAX_FRONT_MATTER:
            raise CardProblem(f"front matter larger than {MAX_FRONT_MATTER // 1024} KiB")
        if line.rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        raise CardProblem("front matter is not closed (no second '---' line)")
    try:
        data = safe_load("\n".join(lines[1:end]), unique_keys=True)  # `license:` twice is malformed
    except YamlProblem as exc:
        where = f" (line {exc.line + 1})" if exc.line else ""
        raise CardProblem(f"front matter is not valid YAML{where}: {exc.message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CardProblem(f"front matter is a {type(data).__name__}, not a mapping")
    return data


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _ids(value: Any, limit: int = MAX_REFS) -> tuple[str, ...]:
    """Distinct strings of a field (in order, de-duplicated in linear time), at most `limit` + 1: a
    longer list is cut there, and the extra entry tells the engine it was cut."""
    items = value if isinstance(value, list) else [value]
    out: dict[str, None] = {}
    for item in items:
        if isinstance(item, str):
            item = item.strip()
            if item:
                out.setdefault(item)
                if len(out) > limit:
                    break
    return tuple(out)


def _endpoint_prefix() -> tuple[str, str, str] | None:
    """(scheme, host[:port], path prefix) of HF_ENDPOINT, when set to something else than the Hub."""
    import os
    from urllib.parse import urlsplit

    raw = os.environ.get("HF_ENDPOINT", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw.rstrip("/"))
    if not parts.hostname:
        return None
    host = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
    return parts.scheme, host, parts.path.rstrip("/")


def hub_id_from_url(url: str) -> str | None:
    """`org/name[@REV]` from a model-page URL on the Hub or under HF_ENDPOINT; None when it is not one.
    The one reader of model URLs: targets, a card's `base_model` and a GGUF header's repository URL."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    mirror = _endpoint_prefix()
    if mirror is not None and host == mirror[1] and (path + "/").startswith(mirror[2] + "/"):
        path = path[len(mirror[2]) :]
    elif host not in HUB_HOSTS:
        return None
    segments = [unquote(s) for s in path.split("/") if s]
    if len(segments) < 2 or segments[0] in ("datasets", "spaces", "api", "docs", "models"):
        return None
    repo = "/".join(segments[:2])
    if not HUB_ID.match(repo):
        return None
    rest = segments[2:]
    if not rest:
        return repo
    if rest[0] in ("tree", "blob", "resolve") and len(rest) >= 2:
        rev = rest[1]
        if not _URL_REVISION.match(rev):
            return None
        return repo if rev == "main" and rest[0] == "tree" and len(rest) == 2 else f"{repo}@{rev}"
    return None


def base_model_ids(value: Any, limit: int = MAX_REFS) -> tuple[str, ...]:
    """The card's `base_model` entries as ids (`org/name` or `org/name@rev`), at most `limit` + 1.

    A model URL on the Hub (or under HF_ENDPOINT) is read as the id it names; an entry that is not text
    (a mapping, a number) is kept as a description, and text that is neither an id nor such a URL is
    kept as is: the engine turns both into unresolved bases, never drops them. A bare legacy name
    (`roberta-base`) is not followed (see SECURITY.md, known gaps).
    """
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: dict[str, None] = {}
    for item in items:
        if isinstance(item, str):
            text = item.strip()
            if not text or ("/" not in text and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", text)):
                continue
            if "://" in text:
                text = hub_id_from_url(text) or text
        elif item is None:
            continue
        else:
            text = f"({type(item).__name__}: {_brief(item)})"
        out.setdefault(text)
        if len(out) > limit:
            break
    return tuple(out)


def _brief(value: Any) -> str:
    """A short, printable description of an odd field value; containers are never repr'd (a Hub answer
    may nest them deeper than Python's recursion limit)."""
    if isinstance(value, (dict, list, tuple, set)):
        return f"{len(value)} item(s)"
    return repr(str(value)[:80])


def declared_from(card: Mapping[str, Any], tags: tuple[str, ...] = ()) -> Declared:
    lic = card.get("license")
    value: str | tuple[str, ...] | None
    invalid = None
    if lic is None or isinstance(lic, str):
        value = lic
    elif isinstance(lic, list) and all(isinstance(v, str) for v in lic):
        value = tuple(lic)
    else:
        value = None
        invalid = f"license is a {type(lic).__name__}: {_brief(lic)}"
    name = card.get("license_name")
    link = card.get("license_link")
    return Declared(
        license=value,
        license_name=name
        if isinstance(name, str)
        else (str(name) if isinstance(name, (int, float)) else None),
        license_link=link if isinstance(link, str) else None,
        tags=tags,
        invalid=invalid,
    )


def meta_from_card(
    target: str, card: Mapping[str, Any], *, source: str, repo_id: str | None = None, **extra: Any
) -> ModelMeta:
    """ModelMeta from card fields; `extra` overrides (Hub facts such as sha, gated, parameters)."""
    tags = (
        tuple(t for t in (card.get("tags") or []) if isinstance(t, str))
        if isinstance(card.get("tags"), list)
        else ()
    )
    bases = base_model_ids(card.get("base_model"))
    gated = bool(card.get("extra_gated_prompt") or card.get("extra_gated_fields") or card.get("gated"))
    values: dict[str, Any] = {
        "id": target,
        "repo_id": repo_id,
        "source": source,
        "declared": declared_from(card, tags),
        "author": repo_id.split("/", 1)[0] if repo_id else None,
        "gated": gated,
        "base_models": bases,
        "base_relation": _str(card.get("base_model_relation")),
        "datasets": _ids(card.get("datasets")),
        "tags": tags,
        "pipeline_tag": _str(card.get("pipeline_tag")),
        "library_name": _str(card.get("library_name")),
        "eu_disallowed": card.get("extra_gated_eu_disallowed") is True,
    }
    values.update(extra)
    return ModelMeta(**values)


def error_meta(target: str, kind: str, message: str, *, source: str, repo_id: str | None = None) -> ModelMeta:
    return ModelMeta(id=target, repo_id=repo_id, source=source, error=FetchError(kind, message))
