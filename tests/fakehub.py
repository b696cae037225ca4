"""A fake Hugging Face Hub: a real HTTP server on 127.0.0.1 for tests and benchmarks.

It speaks the subset of the Hub API that ``huggingface_hub`` (2.x) calls for model and dataset
metadata, author listings and plain (non-LFS, non-Xet) file downloads, and it can inject faults
(401/403/404/429/5xx, slow answers, malformed JSON) per repository.

Routes (``{repo}`` is ``org/name`` or a legacy one-segment id; path segments are URL-decoded):

* ``GET /api/models/{repo}`` and ``GET /api/models/{repo}/revision/{rev}`` (``rev``: branch, tag or
  full commit sha; unknown -> 404 ``X-Error-Code: RevisionNotFound``). ``expand`` is read from both
  ``expand=`` (what huggingface_hub sends, repeated) and ``expand[]=`` (what the Hub docs show);
  with ``expand`` only ``_id``, ``id`` and the requested keys are returned, as on the Hub.
* ``GET /api/models?author=ORG&expand=...&limit=N``: pages of ``page_size`` items (``min(page_size,
  limit)`` when ``limit`` is given) with ``Link: <URL&cursor=...>; rel="next"``. As on the Hub,
  ``expand`` values ``baseModels``, ``childrenModelCount`` and ``usedStorage`` are refused (400) when
  listing.
* ``GET /api/datasets/{repo}`` (+ ``/revision/{rev}``) and ``GET /api/datasets?author=ORG``.
* ``HEAD``/``GET /{repo}/resolve/{rev}/{filename}`` and ``/datasets/{repo}/resolve/...``: 200 with
  ``ETag``, ``X-Repo-Commit``, ``Content-Length`` (``Range: bytes=a-b`` gives 206); a missing file is
  404 ``EntryNotFound``; a gated repo answers 401 (no token) / 403 (token) ``GatedRepo`` for every
  file except ``README.md`` and ``.gitattributes``.
* A missing repo, or a private repo asked without an ``Authorization`` header, is 401 without a token
  and 404 with one, both with ``X-Error-Code: RepoNotFound`` (what the real Hub does).
* Anything else: 404 ``{"error": ...}``.

Fault keys (for :meth:`FakeHub.fail`, :meth:`FakeHub.slow`, :meth:`FakeHub.malformed`): a repo id
(matches its API and resolve requests), ``"author:ORG"`` (matches listing pages for that author),
or ``"*"`` (every routed request). A request matches its own key first, then ``"*"``.

(PYTEST_DONT_REWRITE: this module has no asserts; test modules import it before registering it as a
plugin, which would otherwise warn.)
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import math
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pytest

__all__ = ["FakeClock", "FakeHub", "configure_huggingface_hub", "fakehub"]

JSON = dict[str, Any]
CardDataFn = Callable[[int], "dict[str, Any] | None"]

DEFAULT_LAST_MODIFIED = "2024-12-01T00:00:00.000Z"
CREATED_AT = "2024-01-01T00:00:00.000Z"

# Keys accepted by `expand` (the Literal types in huggingface_hub 2.4.0 hf_api.py).
MODEL_EXPAND_KEYS = frozenset(
    {
        "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
        "downloads", "downloadsAllTime", "evalResults", "gated", "gguf", "inference",
        "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token", "model-index",
        "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings", "spaces", "tags",
        "transformersInfo", "trendingScore", "usedStorage", "widgetData",
    }
)  # fmt: skip
DATASET_EXPAND_KEYS = frozenset(
    {
        "author", "cardData", "citation", "createdAt", "description", "disabled", "downloads",
        "downloadsAllTime", "gated", "lastModified", "likes", "mainSize", "paperswithcode_id", "private",
        "resourceGroup", "sha", "siblings", "tags", "trendingScore", "usedStorage",
    }
)  # fmt: skip
# The Hub refuses these in listings (only /api/models/{repo_id} accepts them).
LIST_FORBIDDEN_EXPAND = frozenset({"baseModels", "childrenModelCount", "usedStorage"})

MODEL_INFO_DEFAULT_KEYS = (
    "_id", "id", "modelId", "author", "sha", "lastModified", "private", "disabled", "gated", "downloads",
    "likes", "library_name", "tags", "pipeline_tag", "createdAt", "cardData", "siblings", "spaces",
    "safetensors", "usedStorage",
)  # fmt: skip
MODEL_LIST_DEFAULT_KEYS = (
    "_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name",
    "createdAt", "modelId",
)  # fmt: skip
DATASET_INFO_DEFAULT_KEYS = (
    "_id", "id", "author", "sha", "lastModified", "private", "gated", "disabled", "tags", "citation",
    "description", "downloads", "likes", "cardData", "siblings", "createdAt", "usedStorage",
)  # fmt: skip
DATASET_LIST_DEFAULT_KEYS = (
    "_id", "id", "author", "sha", "lastModified", "private", "gated", "disabled", "tags", "downloads",
    "likes", "createdAt", "description",
)  # fmt: skip

MALFORMED_KINDS = (
    "broken-json", "wrong-shape", "string", "missing-id", "wrong-types", "bad-date", "html", "empty",
)  # fmt: skip
UNGATED_FILES = frozenset({"README.md", ".gitattributes"})
GITATTRIBUTES = b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n"

_GENERATED_RE = re.compile(r"^model-(\d{6})$")


def _hex(text: str, length: int = 40) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _object_id(repo_id: str) -> str:
    """A deterministic 24-hex Mongo-style ``_id``."""
    return _hex("oid:" + repo_id, 24)


def _git_blob_sha(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _to_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


@dataclass(frozen=True)
class _Snapshot:
    """One commit of a repository."""

    sha: str
    author: str | None
    card_data: Any
    gated: bool | str
    private: bool
    tags: tuple[str, ...] | None
    pipeline_tag: str | None
    library_name: str | None
    base_models: tuple[str, ...] | None
    base_relation: str | None
    safetensors_total: int | None
    files: tuple[tuple[str, bytes], ...]
    last_modified: str


@dataclass
class _Repo:
    repo_id: str
    kind: str  # "model" | "dataset"
    history: list[_Snapshot] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)  # branch/tag -> sha

    @property
    def head(self) -> _Snapshot:
        return self.resolve("main") or self.history[-1]

    def resolve(self, rev: str) -> _Snapshot | None:
        sha = self.refs.get(rev, rev)
        for snap in reversed(self.history):
            if snap.sha == sha:
                return snap
        return None


@dataclass
class _Fault:
    times: int | None  # None = always
    status: int = 0
    retry_after: float | None = None
    body: bytes | None = None
    error_code: str | None = None
    kind: str = ""
    seconds: float = 0.0
    message: str | None = None  # X-Error-Message instead of the status's usual one

    def take(self) -> bool:
        """Consume one use; False when exhausted."""
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True


@dataclass
class _Generated:
    author: str
    n: int
    card_data_fn: CardDataFn


@dataclass
class _Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    stream: Iterator[bytes] | None = None  # a body written piece by piece (Content-Length: length)
    length: int = 0


@dataclass
class _Budget:
    """The Hub's fixed-window request budget, per bucket."""

    quota: int
    window: float
    clock: Callable[[], float]
    enforce: bool
    start: float | None = None
    used: dict[str, tuple[int, int]] = field(default_factory=dict)  # bucket -> (window index, requests)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, bucket: str) -> tuple[bool, dict[str, str]]:
        """(over the quota, the RateLimit headers of this answer)."""
        with self.lock:
            now = self.clock()
            if self.start is None:
                self.start = now
            index = int((now - self.start) // self.window)
            seen, count = self.used.get(bucket, (index, 0))
            used = (count if seen == index else 0) + 1
            self.used[bucket] = (index, used)
            reset = self.start + (index + 1) * self.window - now
        over = self.enforce and used > self.quota
        headers = {
            "RateLimit": f'"{bucket}";r={max(0, self.quota - used)};t={max(0, math.ceil(reset))}',
            "RateLimit-Policy": f'"fixed window";"{bucket}";q={self.quota};w={self.window:g}',
        }
        return over, headers


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> _Response:
    return _Response(status, json.dumps(payload).encode("utf-8"), dict(headers or {}))


def _error(status: int, message: str, code: str | None = None) -> _Response:
    headers = {"X-Error-Message": message}
    if code:
        headers["X-Error-Code"] = code
    return _json(status, {"error": message}, headers)


_ADD_KWARGS = frozenset(
    {
        "card_data", "sha", "author", "gated", "private", "tags", "pipeline_tag", "library_name",
        "base_models", "base_relation", "safetensors_total", "files", "last_modified",
    }
)  # fmt: skip


class FakeHub:
    """A real HTTP server on 127.0.0.1 (port 0 = ephemeral) speaking the subset of the Hub API
    huggingface_hub calls. Thread-safe; quiet (no request logging)."""

    def __init__(self, *, page_size: int = 100, delay: float = 0.0) -> None:
        self.page_size = page_size
        self.delay = delay
        self.requests: list[tuple[str, str]] = []
        self.tokens_seen: list[str] = []
        self._lock = threading.RLock()
        self._repos: dict[tuple[str, str], _Repo] = {}
        self._generated: dict[str, _Generated] = {}
        self._failures: dict[str, _Fault] = {}
        self._malformed: dict[str, _Fault] = {}
        self._slow: dict[str, float] = {}
        self._budget = _Budget(quota=100_000, window=300.0, clock=time.monotonic, enforce=False)
        self._redirects: dict[str, str] = {}
        self._valid_tokens: frozenset[str] | None = None
        self._hostile_listings: dict[str, str] = {}
        self._elsewhere = ""
        self.throttled = 0  # answers 429 because the budget of rate_limit() was spent
        self._trickles: dict[tuple[str, str], tuple[int, int, float]] = {}
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._url: str | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (kept after :meth:`stop`, for messages)."""
        if self._url is None:
            raise RuntimeError("FakeHub is not started")
        return self._url

    def start(self) -> FakeHub:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.hub = self
        self._server = server
        self._url = f"http://127.0.0.1:{server.server_port}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fakehub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wake handlers sleeping in delay/slow
        server.shutdown()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ repositories

    def add_model(
        self,
        repo_id: str,
        card_data: dict[str, Any] | None = None,
        *,
        sha: str | None = None,
        author: str | None = None,
        gated: bool | str = False,
        private: bool = False,
        tags: list[str] | None = None,
        pipeline_tag: str | None = None,
        library_name: str | None = None,
        base_models: list[str] | None = None,
        base_relation: str | None = None,
        safetensors_total: int | None = None,
        files: dict[str, str | bytes] | None = None,
        last_modified: str = DEFAULT_LAST_MODIFIED,
    ) -> None:
        """Add (or replace) a model repo whose ``main`` branch points at one commit.

        ``gated=True`` means ``"auto"``; ``base_models`` also go into ``cardData.base_model`` and into
        ``base_model:...`` tags; ``base_relation`` defaults to ``finetune`` (``merge`` for several bases).
        """
        self._add(
            "model", repo_id, card_data, sha=sha, author=author, gated=gated, private=private, tags=tags,
            pipeline_tag=pipeline_tag, library_name=library_name, base_models=base_models,
            base_relation=base_relation, safetensors_total=safetensors_total, files=files,
            last_modified=last_modified,
        )  # fmt: skip

    def add_dataset(
        self,
        repo_id: str,
        card_data: dict[str, Any] | None = None,
        *,
        sha: str | None = None,
        author: str | None = None,
        gated: bool | str = False,
        private: bool = False,
        tags: list[str] | None = None,
        files: dict[str, str | bytes] | None = None,
        last_modified: str = DEFAULT_LAST_MODIFIED,
    ) -> None:
        """Add (or replace) a dataset repo."""
        self._add(
            "dataset", repo_id, card_data, sha=sha, author=author, gated=gated, private=private, tags=tags,
            files=files, last_modified=last_modified,
        )  # fmt: skip

    def update_model(self, repo_id: str, **changes: Any) -> str:
        """Push a new commit: copy ``main``, apply ``changes`` (any ``add_model`` keyword), move ``main``.

        Older commits stay reachable by sha through ``/revision/{sha}`` and resolve URLs.
        Returns the new sha.
        """
        return self._update("model", repo_id, changes)

    def update_dataset(self, repo_id: str, **changes: Any) -> str:
        """Like :meth:`update_model`, for a dataset."""
        return self._update("dataset", repo_id, changes)

    def remove_model(self, repo_id: str) -> None:
        with self._lock:
            if self._repos.pop(("model", repo_id), None) is None:
                raise KeyError(repo_id)

    def remove_dataset(self, repo_id: str) -> None:
        with self._lock:
            if self._repos.pop(("dataset", repo_id), None) is None:
                raise KeyError(repo_id)

    def set_ref(self, repo_id: str, ref: str, sha: str | None = None, *, kind: str = "model") -> None:
        """Point a branch or tag ``ref`` at ``sha`` (default: the current ``main`` commit)."""
        with self._lock:
            repo = self._repos[(kind, repo_id)]
            target = sha or repo.head.sha
            if repo.resolve(target) is None:
                raise KeyError(target)
            repo.refs[ref] = target

    def shas(self, repo_id: str, *, kind: str = "model") -> list[str]:
        """Commit shas of a repo, oldest first."""
        with self._lock:
            return [snap.sha for snap in self._repos[(kind, repo_id)].history]

    def generate_author(self, author: str, n: int, card_data_fn: CardDataFn | None = None) -> None:
        """Declare ``n`` synthetic models ``{author}/model-000000`` ... computed on the fly by index.

        Nothing per model is stored: listings and ``model_info`` build each answer from the index.
        ``card_data_fn(i)`` gives the card data of model ``i`` (default ``{"license": "apache-2.0"}``).
        Generated models are read-only (faults by repo id still apply).
        """
        if n < 0 or n > 1_000_000:
            raise ValueError("n must be between 0 and 1,000,000")
        with self._lock:
            self._generated[author] = _Generated(author, n, card_data_fn or _default_card)

    @staticmethod
    def generated_id(author: str, index: int) -> str:
        return f"{author}/model-{index:06d}"

    # ------------------------------------------------------------------ faults

    def fail(
        self,
        repo_id: str,
        status: int,
        *,
        times: int | None = None,
        retry_after: float | None = None,
        body: bytes | None = None,
        error_code: str | None = None,
        message: str | None = None,
    ) -> None:
        """The next ``times`` requests for ``repo_id`` (None = always) answer ``status``.

        Default ``X-Error-Code``: 401/404 -> ``RepoNotFound``, 403 -> ``GatedRepo``; pass
        ``error_code=""`` to send none. ``retry_after`` adds ``Retry-After`` (integer seconds when
        integral; huggingface_hub only parses integers) and ``RateLimit`` headers.
        """
        with self._lock:
            self._failures[repo_id] = _Fault(
                times=times, status=status, retry_after=retry_after, body=body, error_code=error_code,
                message=message,
            )  # fmt: skip

    def malformed(self, repo_id: str, kind: str = "broken-json", *, times: int | None = None) -> None:
        """Answer metadata requests for ``repo_id`` with 200 and a bad body.

        Kinds: ``broken-json`` (truncated JSON), ``wrong-shape`` (a JSON list), ``string`` (a JSON
        string), ``missing-id`` (an object without ``id``), ``wrong-types`` (``id`` right, other fields
        of the wrong types: parses into a ModelInfo whose ``card_data`` is a str), ``bad-date``
        (``lastModified: "yesterday"``), ``html`` (an HTML page), ``empty`` (no body).
        """
        if kind not in MALFORMED_KINDS:
            raise ValueError(f"unknown malformed kind {kind!r}; expected one of {MALFORMED_KINDS}")
        with self._lock:
            self._malformed[repo_id] = _Fault(times=times, kind=kind)

    def slow(self, repo_id: str, seconds: float) -> None:
        """Requests for ``repo_id`` wait ``seconds`` before answering (on top of ``delay``)."""
        with self._lock:
            self._slow[repo_id] = seconds

    def clear_faults(self, repo_id: str | None = None) -> None:
        """Remove injected faults for ``repo_id`` (None = all)."""
        with self._lock:
            for table in (self._failures, self._malformed, self._slow):
                if repo_id is None:
                    table.clear()
                else:
                    table.pop(repo_id, None)

    def rate_limit(
        self, quota: int, window: float, *, clock: Callable[[], float] | None = None, enforce: bool = True
    ) -> None:
        """Count requests in fixed windows of ``window`` seconds (per bucket: ``api`` for ``/api/``,
        ``resolvers`` for ``/resolve/``, as on the Hub) and answer 429 past ``quota`` when ``enforce``.
        Every answer carries ``RateLimit: "<bucket>";r=<left>;t=<seconds to reset>`` and
        ``RateLimit-Policy: "fixed window";"<bucket>";q=<quota>;w=<window>`` (always, enforced or not).
        ``clock`` (default ``time.monotonic``) lets a test share a fake clock with the client."""
        with self._lock:
            self._budget = _Budget(quota=quota, window=window, clock=clock or time.monotonic, enforce=enforce)

    def redirect(self, old_id: str, new_id: str) -> None:
        """A renamed repository: its API and resolve URLs answer 307 to ``new_id``'s (same host)."""
        with self._lock:
            self._redirects[old_id] = new_id

    def require_tokens(self, *tokens: str) -> None:
        """Only these tokens are valid: any other ``Authorization: Bearer`` is 401 "Invalid credentials"."""
        with self._lock:
            self._valid_tokens = frozenset(tokens)

    def hostile_listing(
        self, author: str, mode: str, *, elsewhere: str = "http://attacker.invalid:8080"
    ) -> None:
        """Make ``author``'s listing hostile. Modes: ``endless`` (every page new ids and a next link),
        ``cycle`` (the next link is the first page again), ``foreign-next`` (the next link is on another
        host, ``elsewhere``), ``foreign-ids`` (items claiming another organisation's models among the real
        ones)."""
        if mode not in ("endless", "cycle", "foreign-next", "foreign-ids"):
            raise ValueError(mode)
        with self._lock:
            self._hostile_listings[author] = mode
            self._elsewhere = elsewhere

    def trickle(
        self, repo_id: str, filename: str, *, size: int, step: int = 10, interval: float = 0.0
    ) -> None:
        """Serve ``filename`` of ``repo_id`` as ``size`` generated bytes, ``step`` bytes at a time with
        ``interval`` seconds between writes (a slow or huge LICENSE); nothing is held in memory."""
        with self._lock:
            self._trickles[(repo_id, filename)] = (size, step, interval)

    # ------------------------------------------------------------------ observation

    def count(self, prefix: str = "", method: str | None = None) -> int:
        """Requests whose ``path?query`` starts with ``prefix`` (and whose method is ``method``)."""
        with self._lock:
            return sum(
                1 for m, p in self.requests if p.startswith(prefix) and (method is None or m == method)
            )

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.tokens_seen.clear()

    # ------------------------------------------------------------------ internals: state

    def _add(self, kind: str, repo_id: str, card_data: Any, **kwargs: Any) -> None:
        with self._lock:
            if kind == "model" and self._generated_index(repo_id) is not None:
                raise ValueError(f"{repo_id} collides with a generated model")
            repo = _Repo(repo_id, kind)
            snap = self._snapshot(repo, card_data=card_data, **kwargs)
            repo.history.append(snap)
            repo.refs["main"] = snap.sha
            self._repos[(kind, repo_id)] = repo

    def _update(self, kind: str, repo_id: str, changes: dict[str, Any]) -> str:
        unknown = set(changes) - _ADD_KWARGS
        if unknown:
            raise TypeError(f"unknown change(s): {sorted(unknown)}")
        with self._lock:
            repo = self._repos[(kind, repo_id)]
            head = repo.head
            current: dict[str, Any] = {
                "card_data": head.card_data,
                "author": head.author,
                "gated": head.gated,
                "private": head.private,
                "tags": list(head.tags) if head.tags is not None else None,
                "pipeline_tag": head.pipeline_tag,
                "library_name": head.library_name,
                "base_models": list(head.base_models) if head.base_models is not None else None,
                "base_relation": head.base_relation,
                "safetensors_total": head.safetensors_total,
                "files": dict(head.files),
                "last_modified": head.last_modified,
                "sha": None,
            }
            current.update(changes)
            snap = self._snapshot(repo, **current)
            repo.history.append(snap)
            repo.refs["main"] = snap.sha
            return snap.sha

    def _snapshot(
        self,
        repo: _Repo,
        *,
        card_data: Any = None,
        sha: str | None = None,
        author: str | None = None,
        gated: bool | str = False,
        private: bool = False,
        tags: list[str] | None = None,
        pipeline_tag: str | None = None,
        library_name: str | None = None,
        base_models: list[str] | None = None,
        base_relation: str | None = None,
        safetensors_total: int | None = None,
        files: dict[str, str | bytes] | None = None,
        last_modified: str = DEFAULT_LAST_MODIFIED,
    ) -> _Snapshot:
        if sha is None:
            sha = _hex(f"{repo.kind}:{repo.repo_id}@{len(repo.history)}")
        if author is None and "/" in repo.repo_id:
            author = repo.repo_id.split("/", 1)[0]
        return _Snapshot(
            sha=sha,
            author=author,
            card_data=copy.deepcopy(card_data),
            gated="auto" if gated is True else gated,
            private=private,
            tags=tuple(tags) if tags is not None else None,
            pipeline_tag=pipeline_tag,
            library_name=library_name,
            base_models=tuple(base_models) if base_models is not None else None,
            base_relation=base_relation,
            safetensors_total=safetensors_total,
            files=tuple((name, _to_bytes(content)) for name, content in (files or {}).items()),
            last_modified=last_modified,
        )

    def _generated_index(self, repo_id: str) -> int | None:
        author, _, name = repo_id.partition("/")
        gen = self._generated.get(author)
        match = _GENERATED_RE.match(name)
        if gen is None or match is None:
            return None
        index = int(match.group(1))
        return index if index < gen.n else None

    def _generated_snapshot(self, repo_id: str, index: int) -> _Snapshot:
        gen = self._generated[repo_id.split("/", 1)[0]]
        return _Snapshot(
            sha=_hex(f"model:{repo_id}@0"),
            author=gen.author,
            card_data=gen.card_data_fn(index),
            gated=False,
            private=False,
            tags=None,
            pipeline_tag=None,
            library_name=None,
            base_models=None,
            base_relation=None,
            safetensors_total=None,
            files=(),
            last_modified=DEFAULT_LAST_MODIFIED,
        )

    def _lookup(self, kind: str, repo_id: str) -> tuple[str, list[_Snapshot], dict[str, str]] | None:
        """(repo_id, history, refs) of a stored or generated repo."""
        with self._lock:
            repo = self._repos.get((kind, repo_id))
            if repo is not None:
                return repo.repo_id, list(repo.history), dict(repo.refs)
            if kind == "model":
                index = self._generated_index(repo_id)
                if index is not None:
                    snap = self._generated_snapshot(repo_id, index)
                    return repo_id, [snap], {"main": snap.sha}
        return None

    # ------------------------------------------------------------------ internals: payloads

    @staticmethod
    def _files(repo_id: str, snap: _Snapshot) -> dict[str, bytes]:
        files = dict(snap.files)
        if "README.md" not in files:
            card = _card_data(snap)
            front = f"---\n{json.dumps(card, indent=2)}\n---\n\n" if card else ""
            files["README.md"] = f"{front}# {repo_id}\n".encode()
        files.setdefault(".gitattributes", GITATTRIBUTES)
        return dict(sorted(files.items()))

    def _fields(self, kind: str, repo_id: str, snap: _Snapshot) -> dict[str, Callable[[], Any]]:
        """Every key this fake can answer, lazily computed. A value of None means "omit"."""
        card = _card_data(snap)

        def siblings() -> list[JSON]:
            return [{"rfilename": name} for name in self._files(repo_id, snap)]

        def used_storage() -> int:
            return sum(len(content) for content in self._files(repo_id, snap).values())

        common: dict[str, Callable[[], Any]] = {
            "_id": lambda: _object_id(repo_id),
            "id": lambda: repo_id,
            "author": lambda: snap.author,
            "sha": lambda: snap.sha,
            "lastModified": lambda: snap.last_modified,
            "createdAt": lambda: CREATED_AT,
            "private": lambda: snap.private,
            "disabled": lambda: False,
            "gated": lambda: snap.gated,
            "downloads": lambda: 0,
            "downloadsAllTime": lambda: 0,
            "likes": lambda: 0,
            "trendingScore": lambda: 0,
            "tags": lambda: _tags(snap, card),
            "cardData": lambda: card,
            "siblings": siblings,
            "usedStorage": used_storage,
        }
        if kind == "dataset":
            common.update(
                {
                    "description": lambda: f"Dataset {repo_id}",
                    "citation": lambda: None,
                    "paperswithcode_id": lambda: None,
                    "mainSize": used_storage,
                }
            )
            return common
        common.update(
            {
                "modelId": lambda: repo_id,
                "library_name": lambda: snap.library_name,
                "pipeline_tag": lambda: snap.pipeline_tag,
                "spaces": lambda: [],
                "childrenModelCount": lambda: 0,
                "safetensors": lambda: (
                    None
                    if snap.safetensors_total is None
                    else {"parameters": {"BF16": snap.safetensors_total}, "total": snap.safetensors_total}
                ),
                "baseModels": lambda: (
                    {
                        "relation": _relation(snap),
                        "models": [{"_id": _object_id(b), "id": b} for b in snap.base_models],
                    }
                    if snap.base_models
                    else None
                ),
            }
        )
        return common

    def _payload(
        self, kind: str, repo_id: str, snap: _Snapshot, expand: list[str], defaults: tuple[str, ...]
    ) -> JSON:
        fields = self._fields(kind, repo_id, snap)
        keys = ["_id", "id", *expand] if expand else list(defaults)
        out: JSON = {}
        for key in keys:
            getter = fields.get(key)
            value = getter() if getter is not None else None
            if value is not None:
                out[key] = value
        return out

    # ------------------------------------------------------------------ internals: routing

    def _handle(self, method: str, raw_path: str, headers: dict[str, str]) -> _Response:
        auth = headers.get("authorization")
        with self._lock:
            self.requests.append((method, raw_path))
            if auth is not None:
                self.tokens_seen.append(auth)
        if self.delay > 0:
            self._stopping.wait(self.delay)

        split = urlsplit(raw_path)
        bucket = "resolvers" if "/resolve/" in split.path else "api"
        over, budget_headers = self._budget.take(bucket)
        resp = self._route_and_answer(method, raw_path, headers, over, auth)
        for name, value in budget_headers.items():
            resp.headers.setdefault(name, value)  # a fault's own RateLimit headers win
        return resp

    def _route_and_answer(
        self, method: str, raw_path: str, headers: dict[str, str], over: bool, auth: str | None
    ) -> _Response:
        if over:
            with self._lock:
                self.throttled += 1
            return _error(429, "You have been rate-limited; you can retry this action later.")
        with self._lock:
            valid = self._valid_tokens
        if valid is not None and auth is not None and auth.removeprefix("Bearer ") not in valid:
            return _error(401, "Invalid credentials in Authorization header")
        split = urlsplit(raw_path)
        query = parse_qsl(split.query, keep_blank_values=True)
        raw_segments = [s for s in split.path.split("/") if s]
        segments = [unquote(s) for s in raw_segments]
        route = _route(segments, query)
        if route is None:
            return _error(404, "Sorry, we can't find the page you are looking for.")
        with self._lock:
            renamed = self._redirects.get(route.repo_id) if route.repo_id else None
        if renamed is not None:
            path = split.path.replace("/" + route.repo_id + "/", "/" + renamed + "/", 1)
            if path == split.path and split.path.endswith("/" + route.repo_id):
                path = split.path[: -len(route.repo_id)] + renamed
            location = path + ("?" + split.query if split.query else "")
            return _Response(307, b"", {"Location": location})

        key = route.key
        with self._lock:
            seconds = self._slow.get(key, self._slow.get("*", 0.0))
        if seconds > 0:
            self._stopping.wait(seconds)

        failure = self._take(self._failures, key)
        if failure is not None:
            return self._failure_response(failure, has_token=auth is not None)
        if method not in ("GET", "HEAD"):
            return _error(405, f"Method {method} not allowed")
        if route.name in ("info", "list"):
            bad = self._take(self._malformed, key)
            if bad is not None:
                return _malformed_response(bad.kind, route.repo_id or "unknown/unknown")
        if route.name == "info":
            return self._info(route, query, has_token=auth is not None)
        if route.name == "list":
            return self._list(route, query, has_token=auth is not None)
        return self._resolve(route, headers, has_token=auth is not None)

    def _trickle_body(self, size: int, step: int, interval: float) -> Iterator[bytes]:
        sent = 0
        while sent < size and not self._stopping.is_set():
            chunk = b"x" * min(step, size - sent)
            sent += len(chunk)
            yield chunk
            if interval > 0:
                self._stopping.wait(interval)

    def _take(self, table: dict[str, _Fault], key: str) -> _Fault | None:
        with self._lock:
            for k in (key, "*"):
                fault = table.get(k)
                if fault is not None and fault.take():
                    return fault
        return None

    @staticmethod
    def _failure_response(fault: _Fault, *, has_token: bool) -> _Response:
        status = fault.status
        code = fault.error_code
        if code is None:
            code = {401: "RepoNotFound", 404: "RepoNotFound", 403: "GatedRepo"}.get(status, "")
        messages = {
            401: "Invalid username or password.",
            403: "Access to this model is restricted. You must have access to it and be authenticated.",
            404: "Repository not found",
            429: "You have been rate-limited; you can retry this action later.",
        }
        message = fault.message or messages.get(
            status, "Internal Error - We're working hard to fix this as soon as possible!"
        )
        resp = _error(status, message, code or None)
        if fault.body is not None:
            resp.body = fault.body
            resp.headers.pop("X-Error-Message", None)
            resp.content_type = "text/plain; charset=utf-8"
        if fault.retry_after is not None:
            ra = fault.retry_after
            resp.headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
            resp.headers["RateLimit"] = f'"api";r=0;t={max(0, math.ceil(ra))}'
            resp.headers["RateLimit-Policy"] = '"fixed window";"api";q=500;w=300'
        return resp

    def _find(
        self, kind: str, repo_id: str, rev: str | None, *, has_token: bool
    ) -> tuple[_Snapshot, str] | _Response:
        found = self._lookup(kind, repo_id)
        if found is None or (found[1][-1].private and not has_token):
            return _error(401 if not has_token else 404, "Repository not found", "RepoNotFound")
        rid, history, refs = found
        sha = refs.get(rev or "main", rev or "main")
        for snap in reversed(history):
            if snap.sha == sha:
                if snap.private and not has_token:
                    break
                return snap, rid
        else:
            return _error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        return _error(401, "Repository not found", "RepoNotFound")

    def _info(self, route: _Route, query: list[tuple[str, str]], *, has_token: bool) -> _Response:
        kind = route.kind
        expand = _expand(query)
        allowed = MODEL_EXPAND_KEYS if kind == "model" else DATASET_EXPAND_KEYS
        bad = [e for e in expand if e not in allowed]
        if bad:
            return _error(400, f'"expand" must be one of the allowed values, got {bad}')
        found = self._find(kind, route.repo_id, route.rev, has_token=has_token)
        if isinstance(found, _Response):
            return found
        snap, rid = found
        defaults = MODEL_INFO_DEFAULT_KEYS if kind == "model" else DATASET_INFO_DEFAULT_KEYS
        return _json(200, self._payload(kind, rid, snap, expand, defaults))

    def _list(self, route: _Route, query: list[tuple[str, str]], *, has_token: bool) -> _Response:
        kind = route.kind
        expand = _expand(query)
        allowed = (MODEL_EXPAND_KEYS - LIST_FORBIDDEN_EXPAND) if kind == "model" else DATASET_EXPAND_KEYS
        bad = [e for e in expand if e not in allowed]
        if bad:
            return _error(400, f'"expand" must be one of the allowed values, got {bad}')
        params = dict(query)
        author = params.get("author")
        try:
            limit = int(params["limit"]) if "limit" in params else None
            offset = _decode_cursor(params.get("cursor"))
        except ValueError:
            return _error(400, "Invalid limit or cursor")
        size = self.page_size if limit is None else max(1, min(self.page_size, limit))

        with self._lock:
            explicit = [
                (repo.repo_id, repo.head)
                for repo in self._repos.values()
                if repo.kind == kind
                and (author is None or repo.head.author == author)
                and (has_token or not repo.head.private)
            ]
            gens = [g for g in self._generated.values() if kind == "model" and author in (None, g.author)]
        total = len(explicit) + sum(g.n for g in gens)
        if limit is not None:
            total = min(total, limit)
        end = min(offset + size, total)

        items: list[JSON] = []
        defaults = MODEL_LIST_DEFAULT_KEYS if kind == "model" else DATASET_LIST_DEFAULT_KEYS
        for position in range(offset, end):
            if position < len(explicit):
                rid, snap = explicit[position]
            else:
                index = position - len(explicit)
                for gen in gens:
                    if index < gen.n:
                        rid = self.generated_id(gen.author, index)
                        snap = self._generated_snapshot(rid, index)
                        break
                    index -= gen.n
            items.append(self._payload(kind, rid, snap, expand, defaults))

        headers: dict[str, str] = {}
        with self._lock:
            hostile = self._hostile_listings.get(author or "")
        path = "/api/models" if kind == "model" else "/api/datasets"
        if hostile == "endless":
            items = [{"_id": _object_id(f"{author}/endless-{offset}"), "id": f"{author}/endless-{offset}"}]
            end, total = offset + 1, offset + 2
        elif hostile == "foreign-ids":
            items.append(
                {"_id": _object_id("victim/model"), "id": "victim/model", "cardData": {"license": "mit"}}
            )
        if end < total or hostile in ("cycle", "foreign-next"):
            cursor = _encode_cursor(0 if hostile == "cycle" else end)
            next_query = [(k, v) for k, v in query if k != "cursor"] + [("cursor", cursor)]
            base = self._elsewhere if hostile == "foreign-next" else self.url
            headers["Link"] = f'<{base}{path}?{urlencode(next_query)}>; rel="next"'
        return _json(200, items, headers)

    def _resolve(self, route: _Route, req_headers: dict[str, str], *, has_token: bool) -> _Response:
        found = self._find(route.kind, route.repo_id, route.rev, has_token=has_token)
        if isinstance(found, _Response):
            return found
        snap, rid = found
        if snap.gated and route.filename not in UNGATED_FILES:
            message = f"Access to model {rid} is restricted. You must have access to it and be authenticated."
            return _error(403 if has_token else 401, message, "GatedRepo")
        with self._lock:
            trickle = self._trickles.get((rid, route.filename))
        if trickle is not None:
            size, step, interval = trickle
            return _Response(
                200, b"", {"X-Repo-Commit": snap.sha}, "text/plain; charset=utf-8",
                stream=self._trickle_body(size, step, interval), length=size,
            )  # fmt: skip
        files = self._files(rid, snap)
        content = files.get(route.filename)
        if content is None:
            resp = _error(404, "Entry not found", "EntryNotFound")
            resp.headers["X-Repo-Commit"] = snap.sha
            return resp
        headers = {
            "ETag": f'"{_git_blob_sha(content)}"',
            "X-Repo-Commit": snap.sha,
            "Accept-Ranges": "bytes",
        }
        ctype = "text/plain; charset=utf-8" if _is_text(content) else "application/octet-stream"
        rng = req_headers.get("range")
        if rng:
            match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", rng)
            if match and (match.group(1) or match.group(2)):
                first, last = match.groups()
                size = len(content)
                start = int(first) if first else max(0, size - int(last))
                stop = min(size - 1, int(last)) if first and last else size - 1
                if start >= size or start > stop:
                    headers["Content-Range"] = f"bytes */{size}"
                    return _Response(416, b"", headers, ctype)
                headers["Content-Range"] = f"bytes {start}-{stop}/{size}"
                return _Response(206, content[start : stop + 1], headers, ctype)
        return _Response(200, content, headers, ctype)


# ---------------------------------------------------------------------- helpers


def _default_card(index: int) -> dict[str, Any]:
    return {"license": "apache-2.0"}


def _card_data(snap: _Snapshot) -> Any:
    card = snap.card_data
    if snap.base_models:
        base: Any = snap.base_models[0] if len(snap.base_models) == 1 else list(snap.base_models)
        if card is None:
            card = {"base_model": base}
        elif isinstance(card, dict) and "base_model" not in card:
            card = {**card, "base_model": base}
    return card


def _relation(snap: _Snapshot) -> str:
    if snap.base_relation:
        return snap.base_relation
    return "merge" if snap.base_models and len(snap.base_models) > 1 else "finetune"


def _tags(snap: _Snapshot, card: Any) -> list[str]:
    tags = list(snap.tags) if snap.tags is not None else []
    if snap.tags is None and snap.library_name:
        tags.append(snap.library_name)
    if snap.pipeline_tag and snap.pipeline_tag not in tags:
        tags.append(snap.pipeline_tag)
    if snap.base_models:
        relation = _relation(snap)
        for base in snap.base_models:
            tags += [f"base_model:{base}", f"base_model:{relation}:{base}"]
    licence = card.get("license") if isinstance(card, dict) else None
    for value in licence if isinstance(licence, list) else [licence]:
        if isinstance(value, str) and value:
            tags.append(f"license:{value}")
    tags.append("region:us")
    return list(dict.fromkeys(tags))


def _is_text(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in content


def _expand(query: list[tuple[str, str]]) -> list[str]:
    return [v for k, v in query if k in ("expand", "expand[]")]


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"$offset": offset}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["$offset"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("bad cursor") from exc
    if not isinstance(offset, int) or offset < 0:
        raise ValueError("bad cursor")
    return offset


def _malformed_response(kind: str, repo_id: str) -> _Response:
    if kind == "broken-json":
        return _Response(200, b'{"id": "' + repo_id.encode() + b'", "cardData": {"license": "mi')
    if kind == "wrong-shape":
        return _json(200, [{"id": repo_id}, 1, 2])
    if kind == "string":
        return _json(200, "this is not a model")
    if kind == "missing-id":
        return _json(200, {"modelId": repo_id, "cardData": {"license": "mit"}})
    if kind == "wrong-types":
        return _json(
            200,
            {
                "id": repo_id,
                "sha": 12345,
                "author": ["not", "a", "string"],
                "gated": "sometimes",
                "cardData": "license: mit",
                "tags": "license:mit",
                "safetensors": None,
            },
        )
    if kind == "bad-date":
        return _json(200, {"id": repo_id, "sha": "0" * 40, "lastModified": "yesterday"})
    if kind == "html":
        return _Response(200, b"<html><body>Hugging Face is down</body></html>", {}, "text/html")
    return _Response(200, b"")


@dataclass(frozen=True)
class _Route:
    name: str  # "info" | "list" | "resolve"
    kind: str  # "model" | "dataset"
    repo_id: str
    rev: str | None
    filename: str
    key: str


def _route(segments: list[str], query: list[tuple[str, str]]) -> _Route | None:
    if len(segments) >= 2 and segments[0] == "api" and segments[1] in ("models", "datasets"):
        kind = "model" if segments[1] == "models" else "dataset"
        rest = segments[2:]
        if not rest:
            author = dict(query).get("author", "")
            return _Route("list", kind, "", None, "", f"author:{author}")
        if "revision" in rest[1:3]:
            idx = rest.index("revision", 1)
            repo_parts, rev_parts = rest[:idx], rest[idx + 1 :]
            if 1 <= len(repo_parts) <= 2 and len(rev_parts) == 1:
                repo_id = "/".join(repo_parts)
                return _Route("info", kind, repo_id, rev_parts[0], "", repo_id)
            return None
        if 1 <= len(rest) <= 2:
            repo_id = "/".join(rest)
            return _Route("info", kind, repo_id, None, "", repo_id)
        return None
    kind = "model"
    if segments and segments[0] in ("datasets", "spaces"):
        if segments[0] == "spaces":
            return None
        kind, segments = "dataset", segments[1:]
    if "resolve" in segments[1:3]:
        idx = segments.index("resolve", 1)
        repo_parts, rest = segments[:idx], segments[idx + 1 :]
        if 1 <= len(repo_parts) <= 2 and len(rest) >= 2:
            repo_id = "/".join(repo_parts)
            return _Route("resolve", kind, repo_id, rest[0], "/".join(rest[1:]), repo_id)
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    hub: FakeHub

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients that time out and hang up are expected."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"
    sys_version = ""
    timeout = 60
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid a ~40 ms delayed ACK
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.hub._lock:
            self.server.hub._conns.add(self.connection)

    def finish(self) -> None:
        with self.server.hub._lock:
            self.server.hub._conns.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """No request logging."""

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = self.server.hub._handle(method, self.path, headers)
        except Exception as exc:  # a bug in the fake must not hang the client
            resp = _error(500, f"FakeHub internal error: {exc!r}")
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header(
                "Content-Length", str(resp.length if resp.stream is not None else len(resp.body))
            )
            for name, value in resp.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if method != "HEAD" and resp.body:
                self.wfile.write(resp.body)
            if method != "HEAD" and resp.stream is not None:
                for piece in resp.stream:
                    self.wfile.write(piece)
                    self.wfile.flush()
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")


# ---------------------------------------------------------------------- a clock tests control


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it: waits are recorded, never slept.

    Share it with :meth:`FakeHub.rate_limit` so the stand-in's windows turn when the client waits."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(0.0, seconds)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
        """Make licensecheck's rate limiter and back-off use this clock."""
        import types

        from licensecheck.sources import ratelimit

        fake = types.SimpleNamespace(monotonic=self.monotonic, sleep=self.sleep, time=time.time)
        monkeypatch.setattr(ratelimit, "time", fake)
        return self


# ---------------------------------------------------------------------- pytest integration

# Environment read by huggingface_hub; cleared so no real credential or offline flag leaks into tests.
_UNSET_ENV = (
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",
    "HF_TOKEN_PATH",
    "HF_OIDC_RESOURCE",
    "HF_OIDC_ID_TOKEN",
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "HF_ASSETS_CACHE",
    "HF_XET_CACHE",
    "HUGGINGFACE_CO_STAGING",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN",
)


def configure_huggingface_hub(monkeypatch: pytest.MonkeyPatch, endpoint: str, hf_home: Path) -> None:
    """Point huggingface_hub (env for subprocesses, module constants for this process) at ``endpoint``.

    huggingface_hub reads ``HF_ENDPOINT``, ``HF_HOME`` etc. once, at import of
    ``huggingface_hub.constants``; so besides the environment we patch the constants it reads at call
    time: ``ENDPOINT`` (default of ``HfApi(endpoint=None)``), ``HUGGINGFACE_CO_URL_TEMPLATE`` (used by
    ``hf_hub_url``/``hf_hub_download``), the cache and token paths, telemetry and offline flags.
    """
    hf_home.mkdir(parents=True, exist_ok=True)
    for name in _UNSET_ENV:
        monkeypatch.delenv(name, raising=False)
    env = {
        "HF_ENDPOINT": endpoint,
        "HF_HOME": str(hf_home),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "HF_HUB_DISABLE_UPDATE_CHECK": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    from huggingface_hub import constants  # the client under test; imported lazily on purpose

    patches: dict[str, object] = {
        "ENDPOINT": endpoint,
        "HUGGINGFACE_CO_URL_TEMPLATE": endpoint + "/{repo_id}/resolve/{revision}/{filename}",
        "HF_HOME": str(hf_home),
        "HF_HUB_CACHE": os.path.join(hf_home, "hub"),
        "HF_ASSETS_CACHE": os.path.join(hf_home, "assets"),
        "HF_TOKEN_PATH": os.path.join(hf_home, "token"),
        "HF_STORED_TOKENS_PATH": os.path.join(hf_home, "stored_tokens"),
        "HF_HUB_DISABLE_TELEMETRY": True,
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": False,  # so a test's HF_TOKEN (monkeypatch.setenv) is sent
        "HF_HUB_OFFLINE": False,
    }
    for attr, setting in patches.items():
        if hasattr(constants, attr):
            monkeypatch.setattr(constants, attr, setting)


@pytest.fixture
def fakehub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    """A started :class:`FakeHub` with huggingface_hub pointed at it; stopped afterwards.

    A fresh ``HfApi()`` and ``hf_hub_download(...)`` use it without an explicit ``endpoint=``.
    """
    hub = FakeHub().start()
    try:
        configure_huggingface_hub(monkeypatch, hub.url, tmp_path / "hf-home")
        yield hub
    finally:
        hub.stop()
