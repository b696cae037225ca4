"""The Hub's request budget, as it announces it, shared by every worker of a run.

The Hub answers every request with `RateLimit: "<bucket>";r=<left>;t=<seconds to reset>` and
`RateLimit-Policy: "fixed window";"<bucket>";q=<quota>;w=<window>` (buckets `api`, `resolvers`, `pages`;
fixed 5-minute windows). `Retry-After` is not documented but honoured when present. This module keeps, per
bucket, what is left and when the window resets, counts each request it lets through against it, and when
the budget is spent holds every worker until the reset: one pause for all of them, announced once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

MAX_WAIT = 300.0  # the Hub's window: a reset further away than this is not waited for
_RATELIMIT = re.compile(r'"(?P<bucket>[A-Za-z0-9_-]+)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')
_POLICY = re.compile(r"q\s*=\s*(?P<q>\d+).*?w\s*=\s*(?P<w>\d+)")

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def _monotonic() -> float:
    return time.monotonic()  # looked up at call time: tests swap this module's `time` for a fake clock


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


class RateLimited(Exception):
    """The budget is spent and resets later than licensecheck waits (or a request kept getting 429)."""


@dataclass(frozen=True)
class Announced:
    """What one response said about its bucket."""

    bucket: str
    remaining: int
    reset: float  # seconds from now
    quota: int | None = None
    window: float | None = None


def parse(headers: Mapping[str, str]) -> Announced | None:
    """The `RateLimit` / `RateLimit-Policy` pair of a response (header names in any case), if well formed."""
    low = {k.lower(): v for k, v in headers.items()}
    match = _RATELIMIT.search(low.get("ratelimit", "") or "")
    if match is None:
        return None
    quota = window = None
    policy = _POLICY.search(low.get("ratelimit-policy", "") or "")
    if policy is not None:
        quota, window = int(policy.group("q")), float(policy.group("w"))
    return Announced(match.group("bucket"), int(match.group("r")), float(match.group("t")), quota, window)


def retry_after(headers: Mapping[str, str], now: Callable[[], dt.datetime] | None = None) -> float | None:
    """`Retry-After` in seconds: an integer, or an HTTP date."""
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    current = now() if now is not None else dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - current).total_seconds())


@dataclass
class _Bucket:
    remaining: int | None = None  # None: not announced yet (or a new window began)
    reset_at: float = 0.0
    quota: int | None = None
    window: float | None = None
    announced_pause: float = -1.0  # reset_at of the last pause announced


@dataclass
class Usage:
    """What the run spent: requests per bucket, 429s, and time held by the limiter."""

    requests: dict[str, int] = field(default_factory=dict)
    throttled: int = 0
    waited: float = 0.0
    pauses: int = 0


class Limiter:
    """Thread-safe budget keeper. `clock` and `sleep` are injectable so tests never sleep for real."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        max_wait: float = MAX_WAIT,
        notify: Callable[[str], None] | None = None,
        has_token: bool = False,
        wall: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.clock = clock or _monotonic
        self.sleep = sleep or _sleep
        self.max_wait = max_wait
        self.notify = notify or (lambda _msg: None)
        self.has_token = has_token
        self.wall = wall or (lambda: dt.datetime.now().astimezone())
        self.usage = Usage()
        self._buckets: dict[str, _Bucket] = {}
        self._cond = threading.Condition()
        self._sleeping = False  # one worker sleeps the pause; the others wait for it on the condition

    def acquire(self, bucket: str) -> None:
        """Block until a request in `bucket` may go; count it. RateLimited when the reset is too far."""
        with self._cond:
            while True:
                b = self._buckets.setdefault(bucket, _Bucket())
                now = self.clock()
                if b.remaining is not None and b.remaining <= 0 and now < b.reset_at:
                    delay = b.reset_at - now
                    if delay > self.max_wait:
                        raise RateLimited(
                            f"the Hub's {bucket} budget is spent and resets in {delay:.0f} s, "
                            f"longer than licensecheck waits ({self.max_wait:.0f} s){self._hint()}"
                        )
                    self._announce(bucket, b, delay)
                    if self._sleeping:
                        self._cond.wait(timeout=min(delay, 1.0))
                        continue
                    self._sleeping = True
                    self._cond.release()
                    try:
                        self.sleep(delay)
                    finally:
                        self._cond.acquire()
                        self._sleeping = False
                        self.usage.waited += delay
                        self._cond.notify_all()
                    continue
                if b.remaining is not None and now >= b.reset_at and b.remaining <= 0:
                    b.remaining = b.quota  # a fresh window: its quota if known, else unknown until told
                if b.remaining is not None:
                    b.remaining -= 1
                self.usage.requests[bucket] = self.usage.requests.get(bucket, 0) + 1
                return

    def observe(self, bucket: str, status: int, headers: Mapping[str, str]) -> float | None:
        """Learn from a response. For a 429, returns how long to hold before retrying (None: too long)."""
        told = parse(headers)
        after = retry_after(headers)
        with self._cond:
            now = self.clock()
            name = told.bucket if told is not None else bucket
            b = self._buckets.setdefault(name, _Bucket())
            if told is not None:
                b.quota = told.quota or b.quota
                b.window = told.window or b.window
                reset_at = now + told.reset
                if b.remaining is None or reset_at > b.reset_at + 1.0:  # first word, or a new window
                    b.remaining, b.reset_at = told.remaining, reset_at
                else:  # answers of one window arrive out of order: the smallest count is the latest
                    b.remaining = min(b.remaining, told.remaining)
                    b.reset_at = max(b.reset_at, reset_at) if b.remaining <= 0 else b.reset_at
            if status != 429:
                return 0.0
            self.usage.throttled += 1
            hold = max(told.reset if told is not None else 0.0, after or 0.0)
            if told is None and after is None:
                hold = min(self.max_wait, b.window or 60.0)  # said nothing: assume the window's end
            b.remaining, b.reset_at = 0, now + hold  # a 429's own word on the reset is the latest
            if name != bucket:  # the request's own bucket is held too, whatever the header named
                own = self._buckets.setdefault(bucket, _Bucket())
                own.remaining, own.reset_at = 0, now + hold
            return hold if hold <= self.max_wait else None

    def _announce(self, bucket: str, b: _Bucket, delay: float) -> None:
        if b.announced_pause == b.reset_at:
            return
        b.announced_pause = b.reset_at
        self.usage.pauses += 1
        until = (self.wall() + dt.timedelta(seconds=delay)).strftime("%H:%M:%S")
        quota = f" of {b.quota}" if b.quota else ""
        window = f" per {b.window:.0f} s window" if b.window else ""
        self.notify(
            f"the Hub's {bucket} budget is spent (0{quota} requests left{window}): "
            f"pausing every request for {delay:.0f} s, until {until}{self._hint()}"
        )

    def _hint(self) -> str:
        if self.has_token:
            return ""
        return "; a token raises the budget (set HF_TOKEN or run `hf auth login`)"

    def state(self, bucket: str) -> tuple[int | None, float]:
        """(requests left, seconds to reset) as known now; for tests and `-v`."""
        with self._cond:
            b = self._buckets.get(bucket, _Bucket())
            return b.remaining, max(0.0, b.reset_at - self.clock())
