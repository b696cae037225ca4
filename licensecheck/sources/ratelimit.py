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
MAX_TOTAL_WAIT = 1800.0  # all pauses of one run together: a Hub that keeps saying "0 left" cannot hold it
# Numbers are ASCII digits of bounded length: a hostile mirror's "²" or 5,000-digit values read as absent.
_RATELIMIT = re.compile(
    r'"(?P<bucket>[A-Za-z0-9_-]{1,64})"\s*;\s*r\s*=\s*(?P<r>[0-9]{1,12})\s*;\s*t\s*=\s*(?P<t>[0-9]{1,12})(?![0-9])'
)
_POLICY = re.compile(r"q\s*=\s*(?P<q>[0-9]{1,12})(?![0-9]).*?w\s*=\s*(?P<w>[0-9]{1,12})(?![0-9])")
_SECONDS = re.compile(r"[0-9]{1,12}")

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
    if _SECONDS.fullmatch(value):
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
    """One bucket's window as this run sees it: what it sent in it, what others took, when it resets."""

    quota: int | None = None
    window: float | None = None
    reset_at: float | None = None
    sent: int = 0  # this run's requests in the current window
    others: int = 0  # requests the Hub counted in this window that this run did not send (other clients)
    spent: bool = False  # a 429 said so, whatever the counts
    inflight: int = 0  # requests let through and not answered yet
    announced_pause: float = -1.0  # reset_at of the last pause announced

    @property
    def remaining(self) -> int | None:
        if self.spent:
            return 0
        return None if self.quota is None else self.quota - self.sent - self.others

    def roll(self, now: float) -> None:
        """A new window begins (its reset passed): nothing sent in it yet."""
        self.sent = self.others = 0
        self.spent = False
        self.reset_at = now + self.window if self.window else None


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
        max_total_wait: float = MAX_TOTAL_WAIT,
        notify: Callable[[str], None] | None = None,
        has_token: bool = False,
        wall: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.clock = clock or _monotonic
        self.sleep = sleep or _sleep
        self.max_wait = max_wait
        self.max_total_wait = max_total_wait
        self.notify = notify or (lambda _msg: None)
        self.has_token = has_token
        self.wall = wall or (lambda: dt.datetime.now().astimezone())
        self.usage = Usage()
        self._buckets: dict[str, _Bucket] = {}
        self._cond = threading.Condition()
        self._sleeping = False  # one worker sleeps the pause; the others wait for it on the condition

    def acquire(self, bucket: str) -> float:
        """Block until a request in `bucket` may go, count it, and return when it went (for observe).
        RateLimited when the reset is further away than the limiter waits."""
        with self._cond:
            while True:
                b = self._buckets.setdefault(bucket, _Bucket())
                now = self.clock()
                if b.reset_at is not None and now >= b.reset_at:
                    b.roll(now)
                left = b.remaining
                if left is not None and left <= 0 and b.reset_at is not None:
                    delay = b.reset_at - now
                    if delay > self.max_wait:
                        raise RateLimited(
                            f"the Hub's {bucket} budget is spent and resets in {delay:.0f} s, "
                            f"longer than licensecheck waits ({self.max_wait:.0f} s){self._hint()}"
                        )
                    if self.usage.waited + delay > self.max_total_wait:
                        raise RateLimited(
                            f"the Hub's {bucket} budget is spent again after {self.usage.waited:.0f} s of "
                            f"pauses in this run; licensecheck pauses at most {self.max_total_wait:.0f} s "
                            f"a run{self._hint()}"
                        )
                    self._announce(bucket, b, delay)
                    if self._sleeping:
                        self._cond.wait(timeout=min(delay, 1.0))
                        continue
                    self._sleeping = True
                    for _ in range(60):  # the answers in flight first (they may say more), a minute at most
                        if b.inflight <= 0:
                            break
                        self._cond.wait(timeout=1.0)
                    delay = max(0.0, (b.reset_at or now) - self.clock())
                    self._cond.release()
                    try:
                        self.sleep(delay)
                    finally:
                        self._cond.acquire()
                        self._sleeping = False
                        self.usage.waited += delay
                        self._cond.notify_all()
                    continue
                b.sent += 1
                b.inflight += 1
                self.usage.requests[bucket] = self.usage.requests.get(bucket, 0) + 1
                return now

    def observe(
        self, bucket: str, status: int, headers: Mapping[str, str], sent: float | None = None
    ) -> float | None:
        """Learn from the answer to a request that went at `sent` (acquire's value). For a 429, returns
        how long to hold before retrying (None: longer than the limiter waits)."""
        told = parse(headers)
        after = retry_after(headers)
        with self._cond:
            now = self.clock()
            own = self._buckets.setdefault(bucket, _Bucket())
            own.inflight = max(0, own.inflight - 1)
            self._cond.notify_all()
            b = self._buckets.setdefault(told.bucket if told is not None else bucket, _Bucket())
            if told is not None:
                b.quota = told.quota or b.quota
                b.window = told.window or b.window
            if told is not None and status != 429 and b.quota is not None and not b.spent:
                used = b.quota - told.remaining  # what the Hub had counted when it answered
                # the reset as seen when the request went: an answer that arrives late cannot push it on
                reset_at = (now if sent is None else sent) + told.reset
                slack = min(2.0, (b.window or 8.0) / 4)
                if b.reset_at is None:  # the first word: this run's requests so far are in this window
                    b.reset_at = reset_at
                    b.others = max(0, used - b.sent)
                elif reset_at > b.reset_at + slack:  # the window turned while requests were going
                    b.reset_at, b.spent = reset_at, False
                    b.sent, b.others = used + own.inflight, 0
                elif reset_at >= b.reset_at - slack:  # this window: what the Hub counted beyond ours
                    b.others = max(b.others, used - b.sent)
                    # `t` is whole seconds and requests take time to arrive: the latest estimate is the
                    # safe one (resuming a moment after the reset, never a moment before it)
                    b.reset_at = max(b.reset_at, reset_at)
                # else: an answer from a window already over says nothing about this one
            if status != 429:
                return 0.0
            self.usage.throttled += 1
            hold = max(told.reset if told is not None else 0.0, after or 0.0)
            if told is None and after is None:
                hold = min(self.max_wait, b.window or 60.0)  # said nothing: assume the window's end
            for held in {id(b): b, id(own): own}.values():  # the request's own bucket too
                held.spent, held.reset_at = True, now + hold
            return hold if hold <= self.max_wait else None

    def release(self, bucket: str) -> None:
        """A request let through that got no answer at all."""
        with self._cond:
            own = self._buckets.setdefault(bucket, _Bucket())
            own.inflight = max(0, own.inflight - 1)
            self._cond.notify_all()

    def _announce(self, bucket: str, b: _Bucket, delay: float) -> None:
        """Say why and until when, once per pause: not again for the same reset (give or take the
        Hub's whole seconds), nor for a hold of a second or two."""
        if b.reset_at is None or abs(b.reset_at - b.announced_pause) <= 2.0 or delay < 2.0:
            return
        b.announced_pause = b.reset_at if b.reset_at is not None else -1.0
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
            return b.remaining, max(0.0, (b.reset_at or 0.0) - self.clock())
