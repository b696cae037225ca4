"""Test set-up: no network except loopback, a private cache per test, the fake Hub fixture."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


def card(name: str) -> Path:
    """A real card fixture folder under tests/data/cards/."""
    path = CARDS / name
    assert path.exists(), f"missing fixture {path}"
    return path


__all__ = ["CARDS", "DATA", "FakeHub", "card"]
