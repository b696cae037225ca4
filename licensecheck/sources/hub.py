"""The Hugging Face Hub source: the only module that imports huggingface_hub."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..card import HUB_ID, meta_from_card
from ..model import FetchError, ModelMeta
from .cache import Cache
from .lockfile import entry_from_meta, meta_from_entry, now_iso

EXPAND: list[Any] = [
    "cardData",
    "gated",
    "author",
    "sha",
    "baseModels",
    "safetensors",
    "tags",
    "lastModified",
    "siblings",
    "pipeline_tag",
    "library_name",
]
# The listing endpoint refuses baseModels (HTTP 400); bases come from cardData.base_model and the tags.
LIST_EXPAND: list[Any] = [e for e in EXPAND if e != "baseModels"]
DATASET_EXPAND: list[Any] = ["cardData", "gated", "author", "sha", "tags", "lastModified"]
LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENSE-MODEL", "MODEL_LICENSE")
MAX_LICENSE_BYTES = 512 * 1024


class Malformed(Exception):
    pass


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def _token() -> str | None:
    tok = os.environ.get("HF_TOKEN")
    return tok.strip() if tok and tok.strip() else None


def _status(exc: BaseException) -> int | None:
    resp = getattr(exc, "response", None)
    code = getattr(resp, "status_code", None)
    return code if isinstance(code, int) else None


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "response", None)
    headers = getattr(resp, "headers", None)
    if headers is None:
        return None
    value = headers.get("Retry-After")
    try:
        return max(0.0, min(float(value), 60.0)) if value is not None else None
    except ValueError:
        return None


def classify(exc: BaseException) -> tuple[str, str, bool]:
    """(error kind, safe message, retryable) for an exception from the client. Never echoes tokens."""
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, GatedRepoError):
        return "gated", "the repository is gated and this token has no access (HTTP 403)", False
    if isinstance(exc, (RepositoryNotFoundError, RevisionNotFoundError)):
        status = _status(exc)
        return "not-found", f"repository or revision not found, or private (HTTP {status or 404})", False
    if isinstance(exc, Malformed):
        return "malformed", f"the Hub answered something that is not model metadata: {exc}", False
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return "malformed", f"the Hub's answer could not be read ({type(exc).__name__})", False
    if isinstance(exc, HfHubHTTPError):
        status = _status(exc)
        if status == 429:
            return "rate-limited", "the Hub rate-limited the requests (HTTP 429)", True
        if status == 403:
            return "gated", "access refused (HTTP 403)", False
        if status in (401, 404):
            return "not-found", f"repository not found or private (HTTP {status})", False
        if status is not None and status >= 500:
            return "network", f"the Hub failed (HTTP {status})", True
        return "network", f"HTTP error {status}", False
    name = type(exc).__name__
    return "network", f"could not reach the Hub ({name})", True


def _card_dict(info: Any) -> dict[str, Any]:
    data = getattr(info, "card_data", None)
    if data is None:
        return {}
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    if not isinstance(data, dict):
        raise Malformed("cardData is not a mapping")
    return data


def _base_relation(info: Any) -> str | None:
    bm = getattr(info, "base_models", None)
    if isinstance(bm, dict):
        rel = bm.get("relation")
        return rel if isinstance(rel, str) else None
    return None


def meta_from_info(target: str, repo_id: str, info: Any) -> ModelMeta:
    """ModelMeta from a huggingface_hub ModelInfo/DatasetInfo; Malformed when the shape is wrong."""
    if not isinstance(getattr(info, "id", None), str):
        raise Malformed("no repository id in the answer")
    card = _card_dict(info)
    tags = getattr(info, "tags", None) or []
    if not isinstance(tags, list):
        raise Malformed("tags is not a list")
    safetensors = getattr(info, "safetensors", None)
    total = getattr(safetensors, "total", None)
    modified = getattr(info, "last_modified", None)
    gated = getattr(info, "gated", None)
    meta = meta_from_card(
        target,
        {**card, "tags": [t for t in tags if isinstance(t, str)]},
        source="hub",
        repo_id=info.id if HUB_ID.match(info.id) else repo_id,
        revision=getattr(info, "sha", None),
        author=getattr(info, "author", None) or repo_id.split("/", 1)[0],
        gated=gated if isinstance(gated, (bool, str)) else None,
        parameters=total if isinstance(total, int) else None,
        pipeline_tag=getattr(info, "pipeline_tag", None) or card.get("pipeline_tag"),
        library_name=getattr(info, "library_name", None) or card.get("library_name"),
        last_modified=modified.isoformat() if isinstance(modified, dt.datetime) else None,
        fetched=now_iso(),
    )
    rel = meta.base_relation or _base_relation(info)
    if rel != meta.base_relation:
        from dataclasses import replace

        meta = replace(meta, base_relation=rel)
    return meta


class HubSource:
    """Model metadata from the Hub: cache first, a bounded worker pool, retries with backoff."""

    def __init__(
        self,
        *,
        jobs: int = 16,
        use_cache: bool = True,
        refresh: bool = False,
        timeout: float = 20.0,
        retries: int = 4,
        progress: bool = False,
        cache: Cache | None = None,
    ) -> None:
        from huggingface_hub import HfApi

        self.api = HfApi(endpoint=_endpoint(), token=_token() or False)
        self.jobs = jobs
        self.cache = cache or (Cache() if use_cache else None)
        self.refresh = refresh
        self.timeout = timeout
        self.retries = retries
        self.progress = progress and sys.stderr.isatty()
        self.prefetched: dict[str, ModelMeta] = {}
        self._lock = threading.Lock()
        self._done = 0

    # ---- requests --------------------------------------------------------------------------------
    def _call(self, fn: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return fn()
            except Exception as exc:
                _kind, _msg, retryable = classify(exc)
                if not retryable or attempt >= self.retries:
                    raise
                wait = _retry_after(exc)
                if wait is None:
                    wait = min(8.0, 0.25 * (2**attempt)) * (0.5 + random.random() / 2)
                time.sleep(wait)
                attempt += 1

    def _license_text(
        self, repo_id: str, revision: str | None, siblings: Sequence[str]
    ) -> tuple[str, str] | None:
        from huggingface_hub import get_session, hf_hub_url, hf_raise_for_status

        name = next((n for n in LICENSE_FILES if n in siblings), None)
        if name is None:
            return None
        url = hf_hub_url(repo_id, name, revision=revision or "main", endpoint=_endpoint())
        headers = self.api._build_hf_headers()

        def get() -> Any:
            r = get_session().get(url, headers=headers, timeout=self.timeout, follow_redirects=True)
            hf_raise_for_status(r)
            return r

        try:
            resp = self._call(get)
        except Exception:
            return None
        return name, resp.content[:MAX_LICENSE_BYTES].decode("utf-8", errors="replace")

    def _fetch(self, target: str, kind: str = "model") -> ModelMeta:
        repo_id, _, revision = target.partition("@")
        rev = revision or None
        if not HUB_ID.match(repo_id):
            return ModelMeta(
                id=target,
                repo_id=repo_id,
                source="hub",
                error=FetchError("not-found", f"{repo_id!r} is not a Hub repository id"),
            )
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(kind, repo_id, rev)
            if entry is not None:
                return meta_from_entry(target, repo_id, entry, source="cache")
        try:
            if kind == "dataset":
                info = self._call(
                    lambda: self.api.dataset_info(
                        repo_id, revision=rev, expand=DATASET_EXPAND, timeout=self.timeout
                    )
                )
            else:
                info = self._call(
                    lambda: self.api.model_info(repo_id, revision=rev, expand=EXPAND, timeout=self.timeout)
                )
            meta = meta_from_info(target, repo_id, info)
        except Exception as exc:
            err_kind, message, _ = classify(exc)
            return ModelMeta(id=target, repo_id=repo_id, source="hub", error=FetchError(err_kind, message))
        if kind == "model" and self._needs_license_file(meta):
            siblings = [getattr(s, "rfilename", "") for s in (getattr(info, "siblings", None) or [])]
            found = self._license_text(repo_id, meta.revision, siblings)
            if found is not None:
                from dataclasses import replace

                meta = replace(meta, license_file=found[0], license_text=found[1])
        if self.cache is not None:
            self.cache.put(kind, repo_id, rev, entry_from_meta(meta))
        return meta

    @staticmethod
    def _needs_license_file(meta: ModelMeta) -> bool:
        from ..normalize import normalize_declared

        return normalize_declared(meta.declared).expression is None and meta.declared.invalid is None

    # ---- batches ---------------------------------------------------------------------------------
    def _tick(self, total: int) -> None:
        if not self.progress:
            return
        with self._lock:
            self._done += 1
            done = self._done
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _many(self, ids: Sequence[str], kind: str) -> dict[str, ModelMeta]:
        out: dict[str, ModelMeta] = {}
        todo = []
        for target in ids:
            pre = self.prefetched.get(target.lower()) if kind == "model" else None
            if pre is not None:
                out[target] = pre
            else:
                todo.append(target)
        self._done = 0

        def work(t: str) -> tuple[str, ModelMeta]:
            meta = self._fetch(t, kind)
            self._tick(len(todo))
            return t, meta

        if len(todo) == 1:
            out[todo[0]] = work(todo[0])[1]
        elif todo:
            with ThreadPoolExecutor(max_workers=min(self.jobs, len(todo))) as pool:
                for t, meta in pool.map(work, todo):
                    out[t] = meta
        return out

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "model")

    def fetch_datasets(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "dataset")

    # ---- listing ---------------------------------------------------------------------------------
    def list_author(self, author: str) -> Iterator[ModelMeta]:
        """Every model of an organisation from the paged listing (one request per page), cached as it goes."""
        listing = self.api.list_models(author=author, expand=LIST_EXPAND)
        for info in listing:
            rid = getattr(info, "id", None)
            if not isinstance(rid, str):
                continue
            try:
                meta = meta_from_info(rid, rid, info)
            except Exception as exc:
                kind, message, _ = classify(exc)
                meta = ModelMeta(id=rid, repo_id=rid, source="hub", error=FetchError(kind, message))
            if meta.error is None and self.cache is not None:
                self.cache.put("model", rid, None, entry_from_meta(meta))
            yield meta


def list_author(author: str, source: HubSource) -> list[str]:
    """Ids of every model of an organisation; their metadata is kept for the same run (no second request)."""
    ids = []
    try:
        for meta in source.list_author(author):
            source.prefetched[meta.id.lower()] = meta
            ids.append(meta.id)
    except Exception as exc:
        from ..errors import LicensecheckError

        _, message, _ = classify(exc)
        raise LicensecheckError(f"cannot list the models of {author}: {message}") from None
    return ids
