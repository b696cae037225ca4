"""The bounded worker pool of Hub requests and its progress bar."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


def parallel(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`fn` over `items` on at most `jobs` daemon threads; results in order; a worker's exception is
    re-raised here (the others stop taking work). Daemon threads, not a ThreadPoolExecutor: Ctrl-C must
    not wait for requests in flight (an executor's workers are joined when the interpreter exits)."""
    results: list[R | None] = [None] * len(items)
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

    if len(items) == 1:
        return [fn(items[0])]
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
    return cast("list[R]", results)  # every slot was filled: no worker failed


class Progress:
    """Counts finished requests and reports them to a callback (the CLI draws the bar); None: silent."""

    def __init__(self, report: Callable[[int, int], None] | None) -> None:
        self.report = report
        self.drawing = report is not None and sys.stderr.isatty()
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0

    def start(self, total: int) -> None:
        with self._lock:
            self._done, self._total = 0, total

    def tick(self) -> None:
        if self.report is None:
            return
        with self._lock:
            self._done += 1
            done, total = self._done, self._total
            self.report(done, total)  # under the lock: the count a reader sees never goes backwards

    def line(self, message: str) -> None:
        """A message on its own line, even in the middle of a bar."""
        with self._lock:
            prefix = "\n" if self.drawing and 0 < self._done < self._total else ""
        sys.stderr.write(f"{prefix}licensecheck: {message}\n")
        sys.stderr.flush()
