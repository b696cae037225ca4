"""The Hugging Face Hub source: the only module that imports huggingface_hub."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from licensecheck.sources.card import HUB_ID, meta_from_card

from ..model import Declared, FetchError, ModelMeta
from . import LICENSE_FILES
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
MAX_LICENSE_BYTES = 512 * 1024
MAX_WAIT = 150.0  # seconds of retry waits per request, whatever Retry-After asks for


class Malformed(Exception):
    pass


_WARM_LOCK = threading.Lock()
_warm = False


def _warm_normalizer() -> None:
    """Load the knowledge base and the SPDX tables once, before any worker needs them.

    Their caches are not thread-safe on first use: without this, the workers of a cold pool build their
    own copies at the same time (5 to 8 builds of 0.1-0.2 s CPU each were seen with 16 workers)."""
    global _warm
    with _WARM_LOCK:
        if _warm:
            return
        from licensecheck.licenses.declared import normalize_declared

        with contextlib.suppress(Exception):  # a real problem shows up, once, where a worker normalizes
            normalize_declared(Declared(license="mit"))
            normalize_declared(Declared(license="other", license_name="apache-2.0 OR mit"))
        _warm = True


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
    # before ValueError: some HTTP errors (BadRequestError, HTTP 400) are ValueErrors too
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
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return "malformed", f"the Hub's answer could not be read ({type(exc).__name__})", False
    name = type(exc).__name__
    return "network", f"could not reach the Hub ({name})", True


def _siblings(info: Any) -> list[str]:
    """The repository's file names, as listed in the answer (`siblings`)."""
    listed = getattr(info, "siblings", None)
    names = (getattr(s, "rfilename", None) for s in (listed if isinstance(listed, list) else []))
    return [n for n in names if isinstance(n, str)]


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


def _parallel(fn: Callable[[str], tuple[str, ModelMeta]], items: Sequence[str], jobs: int) -> list[Any]:
    """`fn` over `items` on at most `jobs` daemon threads; results in order; a worker's exception is
    re-raised here. Daemon threads, not a ThreadPoolExecutor: Ctrl-C must not wait for requests in flight
    (an executor's workers are joined when the pool closes and again when the interpreter exits)."""
    results: list[Any] = [None] * len(items)
    pending = iter(enumerate(items))
    lock = threading.Lock()
    stop = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        while not stop.is_set():
            with lock:
                nxt = next(pending, None)
            if nxt is None:
                return
            index, item = nxt
            try:
                results[index] = fn(item)
            except BaseException as exc:  # handed to the caller, which re-raises it
                failures.append(exc)
                stop.set()

    threads = [
        threading.Thread(target=worker, name=f"licensecheck-fetch-{n}", daemon=True)
        for n in range(max(1, min(jobs, len(items))))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except BaseException:
        stop.set()  # KeyboardInterrupt: no new requests; the ones in flight are abandoned with the process
        raise
    if failures:
        raise failures[0]
    return results


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
        # listed models whose LICENSE file is still to fetch (in the pool, with the audit): id -> siblings
        self._license_pending: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._done = 0

    # ---- requests --------------------------------------------------------------------------------
    def _call(self, fn: Callable[[], Any]) -> Any:
        """Call the Hub, retrying 429/5xx with backoff (Retry-After honoured) for at most MAX_WAIT seconds."""
        attempt = 0
        waited = 0.0
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
                if waited + wait > MAX_WAIT:
                    raise
                waited += wait
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
            meta = self._with_license_file(meta, repo_id, _siblings(info))
        if self.cache is not None:
            self.cache.put(kind, repo_id, rev, entry_from_meta(meta))
        return meta

    def _with_license_file(self, meta: ModelMeta, repo_id: str, siblings: Sequence[str]) -> ModelMeta:
        found = self._license_text(repo_id, meta.revision, siblings)
        if found is None:
            return meta
        from dataclasses import replace

        return replace(meta, license_file=found[0], license_text=found[1])

    def _complete_listed(self, key: str, siblings: Sequence[str]) -> ModelMeta:
        """A listed model whose card names no known licence: add its LICENSE file, then cache it."""
        meta = self._with_license_file(self.prefetched[key], self.prefetched[key].repo_id or key, siblings)
        self.prefetched[key] = meta
        if self.cache is not None:
            self.cache.put("model", meta.repo_id or meta.id, None, entry_from_meta(meta))
        return meta

    @staticmethod
    def _needs_license_file(meta: ModelMeta) -> bool:
        from licensecheck.licenses.declared import normalize_declared
        from licensecheck.licenses.normalize import is_inferred

        if not _warm:
            _warm_normalizer()
        res = normalize_declared(meta.declared)
        # an inferred licence (a name the knowledge base does not hold) is worth its LICENSE text too
        return (res.expression is None or is_inferred(res)) and meta.declared.invalid is None

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
            if pre is not None and target.lower() not in self._license_pending:
                out[target] = pre
            else:
                todo.append(target)
        self._done = 0

        def work(t: str) -> tuple[str, ModelMeta]:
            key = t.lower()
            with self._lock:
                listed = kind == "model" and key in self.prefetched
                pending = self._license_pending.pop(key, None) if listed else None
            meta = self._complete_listed(key, pending) if pending is not None else self._fetch(t, kind)
            self._tick(len(todo))
            return t, meta

        if len(todo) == 1:
            out[todo[0]] = work(todo[0])[1]
        elif todo:
            if kind == "model" and not _warm:  # overlap the cold start with the first requests
                threading.Thread(target=_warm_normalizer, name="licensecheck-warm", daemon=True).start()
            for t, meta in _parallel(work, todo, self.jobs):
                out[t] = meta
        return out

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "model")

    def fetch_datasets(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "dataset")

    # ---- listing ---------------------------------------------------------------------------------
    def list_author(self, author: str) -> Iterator[ModelMeta]:
        """Every model of an organisation from the paged listing (one request per page), cached as it goes."""
        listing = _with_deadline(self.api.list_models(author=author, expand=LIST_EXPAND), 3 * self.timeout)
        for info in listing:
            rid = getattr(info, "id", None)
            if not isinstance(rid, str):
                continue
            try:
                meta = meta_from_info(rid, rid, info)
            except Exception as exc:
                kind, message, _ = classify(exc)
                meta = ModelMeta(id=rid, repo_id=rid, source="hub", error=FetchError(kind, message))
            if meta.error is None and self._needs_license_file(meta):
                siblings = _siblings(info)
                if any(name in siblings for name in LICENSE_FILES):
                    # as `check ORG/NAME` would: its LICENSE file, fetched when the model is audited
                    self._license_pending[rid.lower()] = siblings
                    yield meta
                    continue
            if meta.error is None and self.cache is not None:
                self.cache.put("model", rid, None, entry_from_meta(meta))
            yield meta


class ListingTimeout(TimeoutError):
    """The Hub did not answer a listing page in time (the client itself sets no timeout there)."""


def _with_deadline(items: Iterable[Any], seconds: float, buffer: int = 500) -> Iterator[Any]:
    """Items of a slow iterator, pumped by a daemon thread; waiting longer than `seconds` for the next
    one raises ListingTimeout. huggingface_hub pages listings with no timeout, so this bounds them."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=buffer)

    def pump() -> None:
        try:
            for item in items:
                box.put(("item", item))
            box.put(("end", None))
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(("error", exc))

    threading.Thread(target=pump, name="licensecheck-listing", daemon=True).start()
    while True:
        try:
            kind, value = box.get(timeout=seconds)
        except queue.Empty:
            raise ListingTimeout(f"no answer from the Hub's listing within {seconds:.0f} s") from None
        if kind == "end":
            return
        if kind == "error":
            raise value
        yield value


def author_batches(author: str, source: HubSource, size: int = 200) -> Iterator[list[str]]:
    """The organisation's model ids, a batch at a time; only the current batch's metadata is kept."""
    batch: list[str] = []
    listing = source.list_author(author)
    while True:
        try:
            meta = next(listing, None)
        except Exception as exc:
            from ..errors import LicensecheckError

            _, message, _ = classify(exc)
            raise LicensecheckError(f"cannot list the models of {author}: {message}") from None
        if meta is not None:
            source.prefetched[meta.id.lower()] = meta
            batch.append(meta.id)
        if batch and (meta is None or len(batch) >= size):
            yield batch
            for rid in batch:
                source.prefetched.pop(rid.lower(), None)
            batch = []
        if meta is None:
            return


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
