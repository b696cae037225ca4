"""Metadata sources: local cards, the lockfile, the cache and the Hub (the MetadataSource seam)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..model import ModelMeta


class MetadataSource(Protocol):
    """Reads metadata for Hub ids; a failure for one id is that model's `error`, never an exception."""

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]: ...
