"""HTTP to the Hub: one keep-alive connection per worker thread, the budget kept by the limiter, retries,
a deadline and a size cap for every answer, redirects that never carry the token off the Hub.

Written on the standard library, not on huggingface_hub's session: that session is `requests` before 1.0
and `httpx` after, it hides the headers of successful answers (where the Hub announces its budget), and
its listings follow a `Link: rel=next` to any host with the token.
"""

from __future__ import annotations

import base64
import http.client
import random
import re
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from .._version import __version__
from .ratelimit import Limiter, RateLimited

REDIRECTS = 5
_CHUNK = 64 * 1024


class TransportError(Exception):
    """No usable answer: connection refused, DNS, timeout, deadline, a too large answer, a bad redirect."""

    def __init__(self, message: str, *, connect: bool = False, retry: bool = True) -> None:
        super().__init__(message)
        self.connect = connect  # the host was never reached (refused, unknown, unroutable)
        self.retry = retry  # worth another try (the network), not an answer refused for its size or address


class HubHTTPError(Exception):
    """An HTTP error answer, with the Hub's `X-Error-Code` / `X-Error-Message` (both may be absent)."""

    def __init__(self, status: int, url: str, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.url = url
        self.headers = dict(headers)
        self.error_code = self.headers.get("x-error-code") or None
        self.error_message = self.headers.get("x-error-message") or None
        self.body = body[:4096]
        super().__init__(f"HTTP {status} from {url}")


@dataclass(frozen=True)
class Answer:
    status: int
    url: str  # redacted
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Endpoint:
    """The Hub's address: scheme, host, port and path prefix; any user:password kept apart from it."""

    scheme: str
    host: str
    port: int
    prefix: str
    userinfo: str | None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        parts = urlsplit(url.strip().rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"HF_ENDPOINT must be an http(s) URL, not {redact(url)!r}")
        userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else None
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname.lower(), port, parts.path.rstrip("/"), userinfo)

    @property
    def base(self) -> str:
        default = 443 if self.scheme == "https" else 80
        netloc = self.host if self.port == default else f"{self.host}:{self.port}"
        return f"{self.scheme}://{netloc}{self.prefix}"

    def owns(self, url: str) -> bool:
        """Whether `url` is on this endpoint (same scheme, host, port, under its path prefix)."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return (
            parts.scheme == self.scheme
            and (parts.hostname or "").lower() == self.host
            and port == self.port
            and (parts.path + "/").startswith(self.prefix + "/")
        )


def redact(url: str) -> str:
    """A URL without the user:password it may carry (HF_ENDPOINT=https://user:pass@mirror)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()


class Transport:
    """GETs to the Hub. Thread-safe: each worker thread keeps its own connections."""

    def __init__(
        self,
        endpoint: Endpoint,
        token: str | None,
        limiter: Limiter,
        *,
        timeout: float = 20.0,
        retries: int = 4,
    ) -> None:
        self.endpoint = endpoint
        self.token = token
        self.limiter = limiter
        self.timeout = timeout
        self.retries = retries
        self.answered = False  # some answer (any status) came back from the Hub during this run
        self._local = threading.local()
        self._open: list[http.client.HTTPConnection] = []  # every thread's, closed by close()
        self._open_lock = threading.Lock()

    # ---- the public call ------------------------------------------------------------------------
    def get(
        self,
        path_or_url: str,
        params: Sequence[tuple[str, str]] = (),
        *,
        bucket: str = "api",
        max_bytes: int = 32 * 1024 * 1024,
        deadline: float = 60.0,
        foreign_redirects: bool = False,
    ) -> Answer:
        """GET with retries: 429 waits as the limiter says, 5xx and network errors back off.
        HubHTTPError for an error answer, TransportError when there is none, RateLimited when the
        budget will not come back in time."""
        url = path_or_url if "://" in path_or_url else self.endpoint.base + path_or_url
        if params:
            url += ("&" if "?" in url else "?") + urlencode(list(params))
        attempt = throttled = 0
        while True:
            sent = self.limiter.acquire(bucket)
            try:
                answer = self._follow(url, max_bytes, deadline, foreign_redirects)
            except TransportError as exc:
                self.limiter.release(bucket)
                if attempt >= self.retries or not exc.retry:
                    raise
                self._backoff(attempt)
                attempt += 1
                continue
            except BaseException:
                self.limiter.release(bucket)  # e.g. interrupted: not in flight any more
                raise
            hold = self.limiter.observe(bucket, answer.status, answer.headers, sent)
            if answer.status == 429:
                throttled += 1
                if hold is None or throttled > self.retries:
                    raise RateLimited("the Hub kept refusing the requests (HTTP 429)" + self._hint())
                continue  # the next acquire holds every worker until the reset
            if answer.status >= 500 and attempt < self.retries:
                self._backoff(attempt)
                attempt += 1
                continue
            if answer.status >= 400:
                raise HubHTTPError(answer.status, answer.url, answer.headers, answer.body)
            return answer

    def _hint(self) -> str:
        return "" if self.token else "; a token raises the budget (set HF_TOKEN or run `hf auth login`)"

    def _backoff(self, attempt: int) -> None:
        wait = min(8.0, 0.25 * (2**attempt)) * (0.5 + random.random() / 2)
        self.limiter.sleep(wait)

    # ---- one URL and its redirects --------------------------------------------------------------
    def _follow(self, url: str, max_bytes: int, deadline: float, foreign: bool) -> Answer:
        until = time.monotonic() + deadline
        for _ in range(REDIRECTS + 1):
            own = self.endpoint.owns(url)
            if not own and not foreign:
                raise TransportError(
                    f"refused to follow the Hub to another address ({redact(url)})", retry=False
                )
            status, headers, body = self._once(url, own, max_bytes, until)
            if status in (301, 302, 303, 307, 308) and "location" in headers:
                url = urljoin(url, headers["location"])
                continue
            return Answer(status, redact(url), headers, body)
        raise TransportError(f"more than {REDIRECTS} redirects from {redact(url)}", retry=False)

    def _headers(self, own: bool) -> dict[str, str]:
        headers = {"User-Agent": f"licensecheck/{__version__}", "Accept-Encoding": "identity"}
        if own and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif own and self.endpoint.userinfo:
            raw = unquote(self.endpoint.userinfo).encode("utf-8")
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        return headers

    def _once(self, url: str, own: bool, max_bytes: int, until: float) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for fresh in (False, True):
            conn, absolute = self._connection(parts.scheme, parts.hostname or "", parts.port, fresh)
            try:
                conn.request("GET", url if absolute else target, headers=self._headers(own))
                self._limit(conn, until)
                resp = conn.getresponse()
                headers = {k.lower(): v for k, v in resp.getheaders()}
                self.answered = True
                body = _read(resp, conn, max_bytes, until, redact(url), self.timeout)
                if resp.will_close:
                    self._drop(parts.scheme, parts.hostname or "", parts.port)
                return resp.status, headers, body
            except TransportError:
                self._drop(parts.scheme, parts.hostname or "", parts.port)
                raise
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(parts.scheme, parts.hostname or "", parts.port)
                if not fresh:
                    continue  # a kept-alive connection the server had closed: once more on a new one
                raise TransportError(f"could not reach the Hub ({type(exc).__name__})") from None
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts.scheme, parts.hostname or "", parts.port)
                connect = isinstance(exc, (ConnectionRefusedError, socket.gaierror)) or (
                    isinstance(exc, OSError) and not self.answered and not isinstance(exc, TimeoutError)
                )
                name = "Timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
                raise TransportError(f"could not reach the Hub ({name})", connect=connect) from None
        raise TransportError("could not reach the Hub")  # pragma: no cover - the loop returns or raises

    def _limit(self, conn: http.client.HTTPConnection, until: float) -> None:
        left = until - time.monotonic()
        if left <= 0:
            raise TransportError("the Hub's answer took longer than its deadline (Timeout)", retry=False)
        if conn.sock is not None:
            conn.sock.settimeout(min(self.timeout, left))

    # ---- connections --------------------------------------------------------------------------
    def _connection(
        self, scheme: str, host: str, port: int | None, fresh: bool
    ) -> tuple[http.client.HTTPConnection, bool]:
        pool: dict[tuple[str, str, int | None], tuple[http.client.HTTPConnection, bool]]
        pool = self._local.__dict__.setdefault("pool", {})
        key = (scheme, host, port)
        if not fresh and key in pool:
            return pool[key]
        self._drop(scheme, host, port)
        made = _connect(scheme, host, port, self.timeout)
        pool[key] = made
        with self._open_lock:
            self._open.append(made[0])
        return made

    def close(self) -> None:
        """Close every kept-alive connection (the worker threads that held them have finished)."""
        with self._open_lock:
            conns, self._open = self._open, []
        for conn in conns:
            conn.close()

    def _drop(self, scheme: str, host: str, port: int | None) -> None:
        pool = self._local.__dict__.get("pool", {})
        made = pool.pop((scheme, host, port), None)
        if made is not None:
            made[0].close()


def _connect(
    scheme: str, host: str, port: int | None, timeout: float
) -> tuple[http.client.HTTPConnection, bool]:
    """A connection to host (through the environment's proxy, if any); True when requests must name the
    absolute URL (plain HTTP through a proxy)."""
    if scheme not in ("http", "https"):
        raise TransportError(f"not an http(s) address: {scheme}://")
    proxy = None if urllib.request.proxy_bypass(host) else urllib.request.getproxies().get(scheme)
    if proxy:
        p = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        tunnel_headers = {}
        if p.username is not None:
            raw = f"{unquote(p.username)}:{unquote(p.password or '')}".encode()
            tunnel_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        if scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                p.hostname or "", p.port or 8080, timeout=timeout, context=ssl.create_default_context()
            )
            conn.set_tunnel(host, port or 443, headers=tunnel_headers)
            return conn, False
        return http.client.HTTPConnection(p.hostname or "", p.port or 8080, timeout=timeout), True
    if scheme == "https":
        return http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        ), False
    return http.client.HTTPConnection(host, port, timeout=timeout), False


_LENGTH = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²" passes isdigit() but not int())


def _read(
    resp: http.client.HTTPResponse,
    conn: http.client.HTTPConnection,
    cap: int,
    until: float,
    url: str,
    timeout: float,
) -> bytes:
    """The body, at most `cap` bytes, all of it before `until` (a trickle cannot stretch a read)."""
    length = resp.getheader("Content-Length")
    if length is not None and _LENGTH.fullmatch(length.strip()) and int(length) > cap:
        resp.close()
        raise TransportError(
            f"the answer from {url} is larger than {_size(cap)} ({_size(int(length))})", retry=False
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        left = until - time.monotonic()
        if left <= 0:
            resp.close()
            raise TransportError(
                f"the answer from {url} took longer than its deadline (Timeout)", retry=False
            )
        if conn.sock is not None:
            conn.sock.settimeout(min(timeout, left))
        try:
            chunk = resp.read1(min(_CHUNK, cap + 1 - size))
        except TimeoutError:
            resp.close()
            late = time.monotonic() >= until  # the whole deadline, not one slow read: not tried again
            raise TransportError(f"the answer from {url} was too slow (Timeout)", retry=not late) from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            resp.close()
            raise TransportError(f"the answer from {url} is larger than {_size(cap)}", retry=False)
    resp.read()  # at the end of the body: marks the response done, so the connection can be reused
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"
