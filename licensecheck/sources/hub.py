"""The Hugging Face Hub source: model and dataset metadata, LICENSE files and organisation listings.

One API call per model at most in a run (bases and datasets included, whatever batch asks for them), none
when the cache answers; the HTTP, the budget and the listing live in transport.py, ratelimit.py and
listing.py. huggingface_hub is used for one thing only: finding the user's token as the Hub's own tools do
(`get_token`, public in every version from 0.30 on).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..errors import LicensecheckError, UsageError
from ..model import Declared, FetchError, ModelMeta
from . import HUB_HOSTS, licence_file_in, listing
from .answers import Malformed, classify, meta_from_json, said, siblings_of
from .cache import Cache
from .card import HUB_ID
from .lockfile import entry_from_meta, meta_from_entry
from .pool import Progress, parallel
from .ratelimit import Clock, Limiter, RateLimited, Sleep
from .targets import BARE, bare_not_found
from .transport import Endpoint, HubHTTPError, Transport, TransportError, redact

EXPAND = [
    "cardData", "gated", "author", "sha", "baseModels", "safetensors", "tags", "lastModified", "siblings",
    "pipeline_tag", "library_name",
]  # fmt: skip
# The listing endpoint refuses baseModels (HTTP 400); bases come from cardData.base_model and the tags.
LIST_EXPAND = [e for e in EXPAND if e != "baseModels"]
DATASET_EXPAND = ["cardData", "gated", "author", "sha", "tags", "lastModified"]
MAX_LICENSE_BYTES = 512 * 1024  # a LICENSE is never megabytes; a larger one is not read (unidentified)
LICENSE_DEADLINE = 30.0  # seconds for the whole download, however the bytes trickle in
MAX_INFO_BYTES = 32 * 1024 * 1024
INFO_DEADLINE = 60.0
DEFAULT_ENDPOINT = "https://huggingface.co"


class TokenRefused(LicensecheckError):
    """The Hub refused the token itself (401 "Invalid credentials"): one error for the run."""


class HubUnreachable(LicensecheckError):
    """No answer at all from the Hub: one error for the run, not one per model."""


def endpoint() -> Endpoint:
    raw = os.environ.get("HF_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
    try:
        return Endpoint.parse(raw)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def token() -> str | None:
    """HF_TOKEN, else the token `hf auth login` saved, found by huggingface_hub's own lookup."""
    env = os.environ.get("HF_TOKEN", "").strip()
    if env:
        return env
    try:
        from huggingface_hub import get_token
    except ImportError:  # pragma: no cover - a dependency of the package
        return None
    try:
        found = get_token()
    except Exception as exc:  # e.g. a failed OIDC exchange in 2.x: said, without the exception's text
        raise LicensecheckError(f"could not read the Hugging Face token ({type(exc).__name__})") from None
    return found.strip() if isinstance(found, str) and found.strip() else None


_WARM_LOCK = threading.Lock()
_warm = False


def _warm_normalizer() -> None:
    """Load the knowledge base and SPDX tables once, before the workers need them (their caches are not
    thread-safe on first use: a cold pool of 16 workers built 5 to 8 copies at once)."""
    global _warm
    with _WARM_LOCK:
        if _warm:
            return
        from licensecheck.licenses.declared import normalize_declared

        with contextlib.suppress(Exception):  # a real problem shows up, once, where a worker normalizes
            normalize_declared(Declared(license="mit"))
            normalize_declared(Declared(license="other", license_name="apache-2.0 OR mit"))
        _warm = True


def needs_license_file(meta: ModelMeta) -> bool:
    """The card names no licence the normalizer knows (and no unusable value), or only one it inferred:
    read the LICENSE file."""
    from licensecheck.licenses.declared import normalize_declared
    from licensecheck.licenses.normalize import is_inferred

    if not _warm:
        _warm_normalizer()
    res = normalize_declared(meta.declared)
    return (res.expression is None or is_inferred(res)) and meta.declared.invalid is None


class HubSource:
    """Model metadata from the Hub: cache first, a bounded worker pool, the Hub's budget kept for all."""

    def __init__(
        self,
        *,
        jobs: int = 16,
        use_cache: bool = True,
        refresh: bool = False,
        timeout: float = 20.0,
        retries: int = 4,
        progress: Callable[[int, int], None] | None = None,
        cache: Cache | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        from urllib.parse import urlsplit

        self.endpoint = endpoint()
        # where a card's licence link may point at its own repository: the Hub's names and this endpoint
        self.hosts = HUB_HOSTS | {(urlsplit(self.endpoint.base).hostname or "").lower()}
        self.token = token()
        self.progress = Progress(progress)
        self.notify = notify or self.progress.line
        kwargs: dict[str, Any] = {"notify": self.notify, "has_token": self.token is not None}
        if clock is not None:
            kwargs["clock"] = clock
        if sleep is not None:
            kwargs["sleep"] = sleep
        self.limiter = Limiter(**kwargs)
        self.transport = Transport(self.endpoint, self.token, self.limiter, timeout=timeout, retries=retries)
        self.jobs = jobs
        self.cache = cache or (Cache(endpoint=self.endpoint.base) if use_cache else None)
        self.refresh = refresh
        self.timeout = timeout
        self.retries = retries
        self.prefetched: dict[str, ModelMeta] = {}
        self.listings: list[listing.ListingStats] = []
        # listed models whose LICENSE file is still to fetch (in the pool, with the audit): id -> siblings
        self._license_pending: dict[str, list[str]] = {}
        self._memo: dict[tuple[str, str, str], ModelMeta] = {}  # the run's answers: one call per model
        self._lock = threading.Lock()

    # ---- run-level errors --------------------------------------------------------------------------
    def _run_error(self, exc: BaseException) -> LicensecheckError | None:
        """The failures that are the run's, not one model's: a refused token, a Hub that never answers."""
        if isinstance(exc, HubHTTPError) and exc.status == 401 and self.token:
            text = (exc.error_message or exc.body.decode("utf-8", "replace")).lower()
            if "invalid credentials" in text or "invalid token" in text:
                return TokenRefused(
                    f"the Hub refused the token: {said(exc.error_message or 'Invalid credentials', self.token)} "
                    "(HTTP 401); check HF_TOKEN, or log in again with `hf auth login`"
                )
        if isinstance(exc, TransportError) and exc.connect and not self.transport.answered:
            return HubUnreachable(
                f"cannot reach the Hub at {redact(self.endpoint.base)} "
                f"{str(exc).removeprefix('could not reach the Hub ')}; to check without the network, "
                "use --offline with a lockfile (`licensecheck lock` writes one while online)"
            )
        return None

    # ---- requests ----------------------------------------------------------------------------------
    def _get_json(self, path: str, expand: Sequence[str]) -> Any:
        answer = self.transport.get(
            path, [("expand", e) for e in expand], max_bytes=MAX_INFO_BYTES, deadline=INFO_DEADLINE
        )
        try:
            return json.loads(answer.body)
        except (ValueError, RecursionError):
            raise Malformed("the answer is not JSON") from None

    def _licence_file(self, meta: ModelMeta, repo_id: str, siblings: Sequence[str]) -> str | None:
        """The repository file to read as the licence (the one `license_link` names, else a LICENSE file)."""
        return licence_file_in(set(siblings), meta.declared.license_link, repo_id, self.hosts)

    def _license_text(self, repo_id: str, revision: str | None, name: str | None) -> tuple[str, str] | None:
        if name is None:
            return None
        from urllib.parse import quote

        path = f"/{quote(repo_id)}/resolve/{quote(revision or 'main', safe='')}/{quote(name)}"
        try:
            answer = self.transport.get(
                path, bucket="resolvers", max_bytes=MAX_LICENSE_BYTES, deadline=LICENSE_DEADLINE,
                foreign_redirects=True,
            )  # fmt: skip
        except (HubHTTPError, TransportError, RateLimited, ValueError, OSError):
            return None  # unread: the licence stays unidentified, so the model is not allowed on it
        return name, answer.body.decode("utf-8", errors="replace")

    def _fetch(self, target: str, kind: str = "model") -> ModelMeta:
        repo_id, _, revision = target.partition("@")
        rev = revision or None
        if not (HUB_ID.match(repo_id) or (kind == "model" and BARE.match(repo_id))):
            error = FetchError("not-found", f"{repo_id!r} is not a Hub repository id")
            return ModelMeta(id=target, repo_id=repo_id, source="hub", error=error)
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(kind, repo_id, rev)
            if entry is not None:
                return meta_from_entry(target, repo_id, entry, source="cache")
        from urllib.parse import quote

        path = f"/api/{kind}s/{quote(repo_id)}" + (f"/revision/{quote(rev, safe='')}" if rev else "")
        try:
            doc = self._get_json(path, DATASET_EXPAND if kind == "dataset" else EXPAND)
            meta = meta_from_json(target, repo_id, doc)
        except Exception as exc:
            fatal = self._run_error(exc)
            if fatal is not None:
                raise fatal from None
            err_kind, message, _ = classify(exc)
            if err_kind == "not-found" and "/" not in repo_id:
                raise bare_not_found(target) from None
            return ModelMeta(id=target, repo_id=repo_id, source="hub", error=FetchError(err_kind, message))
        if kind == "model" and needs_license_file(meta):
            meta = self._with_license_file(meta, meta.repo_id or repo_id, siblings_of(doc))
        if self.cache is not None:
            self.cache.put(kind, repo_id, rev, entry_from_meta(meta))
        return meta

    def _with_license_file(self, meta: ModelMeta, repo_id: str, siblings: Sequence[str]) -> ModelMeta:
        found = self._license_text(repo_id, meta.revision, self._licence_file(meta, repo_id, siblings))
        return meta if found is None else replace(meta, license_file=found[0], license_text=found[1])

    def _complete_listed(self, key: str, siblings: Sequence[str]) -> ModelMeta:
        """A listed model whose card names no known licence: add its LICENSE file, then cache it."""
        meta = self._with_license_file(self.prefetched[key], self.prefetched[key].repo_id or key, siblings)
        self.prefetched[key] = meta
        if self.cache is not None:
            self.cache.put("model", meta.repo_id or meta.id, None, entry_from_meta(meta))
        return meta

    # ---- batches -----------------------------------------------------------------------------------
    @staticmethod
    def _key(kind: str, target: str) -> tuple[str, str, str]:
        repo_id, _, rev = target.partition("@")
        return kind, repo_id.lower(), rev

    def _many(self, ids: Sequence[str], kind: str) -> dict[str, ModelMeta]:
        out: dict[str, ModelMeta] = {}
        todo: dict[tuple[str, str, str], list[str]] = {}
        for target in ids:
            pre = self.prefetched.get(target.lower()) if kind == "model" else None
            memo = self._memo.get(self._key(kind, target))
            if pre is not None and target.lower() not in self._license_pending:
                out[target] = pre
            elif memo is not None:
                out[target] = replace(memo, id=target)
            else:
                todo.setdefault(self._key(kind, target), []).append(target)
        firsts = [targets[0] for targets in todo.values()]
        self.progress.start(len(firsts))

        def work(t: str) -> ModelMeta:
            key = t.lower()
            with self._lock:
                listed = kind == "model" and key in self.prefetched
                pending = self._license_pending.pop(key, None) if listed else None
            meta = self._complete_listed(key, pending) if pending is not None else self._fetch(t, kind)
            self.progress.tick()
            return meta

        if kind == "model" and len(firsts) > 1 and not _warm:  # overlap the cold start with the requests
            threading.Thread(target=_warm_normalizer, name="licensecheck-warm", daemon=True).start()
        try:
            results = parallel(work, firsts, self.jobs)
        finally:
            self.transport.close()
        for first, meta in zip(firsts, results, strict=True):
            self._memo[self._key(kind, first)] = meta
            for target in todo[self._key(kind, first)]:
                out[target] = meta if target == first else replace(meta, id=target)
        return {t: out[t] for t in ids}

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "model")

    def fetch_datasets(self, ids: Sequence[str]) -> dict[str, ModelMeta]:
        return self._many(ids, "dataset")

    # ---- listing -----------------------------------------------------------------------------------
    def list_author(self, author: str) -> Iterator[ModelMeta]:
        """Every model of an organisation from the paged listing (one request per page), cached as it goes."""
        stats = listing.ListingStats()
        self.listings.append(stats)
        try:
            for page in listing.pages(self.transport, author, LIST_EXPAND, stats=stats):
                for item in page:
                    yield self._listed(item)
        except listing.ListingError:
            raise
        except Exception as exc:
            fatal = self._run_error(exc)
            if fatal is not None:
                raise fatal from None
            _, message, _ = classify(exc)
            raise listing.ListingError(f"cannot list the models of {author}: {message}") from None
        finally:
            self.transport.close()
        if stats.foreign:
            shown = ", ".join(said(i, None, 100) for i in stats.foreign_examples)
            self.notify(
                f"warning: the listing of {author} named {stats.foreign} model(s) of other organisations "
                f"(e.g. {shown}); they were ignored"
            )
        if stats.kept == 0:
            raise UsageError(f"no models found for {author} (is the organisation spelt as on the Hub?)")

    def _listed(self, item: dict[str, Any]) -> ModelMeta:
        rid: str = item["id"]
        try:
            meta = meta_from_json(rid, rid, item)
        except Exception as exc:
            kind, message, _ = classify(exc)
            return ModelMeta(id=rid, repo_id=rid, source="hub", error=FetchError(kind, message))
        if needs_license_file(meta):
            siblings = siblings_of(item)
            if self._licence_file(meta, rid, siblings) is not None:
                # as `check ORG/NAME` would: its LICENSE file, fetched when the model is audited
                self._license_pending[rid.lower()] = siblings
                return meta
        if self.cache is not None:
            self.cache.put("model", rid, None, entry_from_meta(meta))
        return meta

    # ---- what the run spent ------------------------------------------------------------------------
    def usage(self) -> str:
        """One line for `-v`: the calls the run made to the Hub, and any time spent waiting for its budget."""
        used = self.limiter.usage
        api = used.requests.get("api", 0)
        files = used.requests.get("resolvers", 0)
        pages = sum(s.pages for s in self.listings)
        parts = [f"{api} Hub API call(s)" + (f" ({pages} listing page(s))" if pages else "")]
        parts.append(f"{files} file download(s)")
        if used.throttled:
            parts.append(f"{used.throttled} answered 429")
        if used.waited:
            parts.append(f"{used.waited:.0f} s paused for the Hub's rate limit")
        return ", ".join(parts)


def author_batches(author: str, source: HubSource, size: int = 200) -> Iterator[list[str]]:
    """The organisation's model ids, a batch at a time; only the current batch's metadata is kept."""
    batch: list[str] = []
    for meta in source.list_author(author):
        source.prefetched[meta.id.lower()] = meta
        batch.append(meta.id)
        if len(batch) >= size:
            yield batch
            for rid in batch:
                source.prefetched.pop(rid.lower(), None)
            batch = []
    if batch:
        yield batch
        for rid in batch:
            source.prefetched.pop(rid.lower(), None)


def list_author(author: str, source: HubSource) -> list[str]:
    """Ids of every model of an organisation; their metadata is kept for the same run (no second request)."""
    ids = []
    for meta in source.list_author(author):
        source.prefetched[meta.id.lower()] = meta
        ids.append(meta.id)
    return ids
