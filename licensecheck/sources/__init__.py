"""Metadata sources: local cards, the lockfile, the cache and the Hub (the MetadataSource seam)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..model import ModelMeta

# A model repository's licence file, by the names it goes by, in the order they are looked for.
LICENSE_FILES = (
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.txt",
    "LICENSE-MODEL",
    "MODEL_LICENSE",
    "COPYING",
)


class MetadataSource(Protocol):
    """Reads metadata for Hub ids; a failure for one id is that model's `error`, never an exception."""

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]: ...
