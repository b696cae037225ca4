"""Test set-up: no network except loopback, a private cache per test, the fake Hub fixture, the CLI
runner (`cli` fixture, or `invoke()` where a fixture cannot reach) and the golden-file option."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from licensecheck.cli import main
from tests.fakehub import FakeHub, fakehub  # noqa: F401  (fixture)

DATA = Path(__file__).parent / "data"
CARDS = DATA / "cards"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and not (host.startswith("127.") or host in ("localhost", "::1"))
        and self.family in (socket.AF_INET, socket.AF_INET6)
    ):
        raise OSError(f"network access to {host!r} is blocked in tests")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield


@dataclass(frozen=True)
class Result:
    """What one CLI run gave: its exit code, stdout and stderr (unpacks as `code, out, err`)."""

    code: int
    out: str
    err: str

    def __iter__(self) -> Iterator[Any]:
        return iter((self.code, self.out, self.err))

    def json(self) -> Any:
        return json.loads(self.out)


def invoke(*args: str) -> Result:
    """Run the CLI in-process, as `licensecheck ARGS...`, with its own stdout and stderr.

    Whatever the input, the run must end in an exit code and messages, never a traceback.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
        main(list(args))
    code = exc.value.code
    result = Result(
        code if isinstance(code, int) else (0 if code is None else 1), out.getvalue(), err.getvalue()
    )
    assert "Traceback" not in result.out + result.err
    return result


Cli = Callable[..., Result]


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Whether `condition` came to hold within `timeout` s, checked every 10 ms: for waiting on another
    process or thread (a fake Hub's request counter, a child's file), never a fixed sleep."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()  # never set: its wait() is the pause between checks
    while not condition():
        if time.monotonic() > deadline:
            return False
        tick.wait(0.01)
    return True


@pytest.fixture
def cli() -> Cli:
    """The CLI runner: `code, out, err = cli("check", "--offline", ...)`."""
    return invoke


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/* from the current output (then review the diff); "
        "LICENSECHECK_UPDATE_GOLDEN=1 does the same",
    )


def card(name: str) -> Path:
    """A real card fixture folder under tests/data/cards/."""
    path = CARDS / name
    assert path.exists(), f"missing fixture {path}"
    return path


__all__ = ["CARDS", "DATA", "Cli", "FakeHub", "Result", "card", "invoke", "wait_until"]
