"""licensecheck: open-model licence compliance (SPDX normalization, licence facts, policy postures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .model import Resolution

__all__ = ["__version__", "normalize"]


def normalize(text: str) -> Resolution:
    """Normalize one licence string (a Hub id, an SPDX id, name or expression, or a known alias)."""
    from .normalize import normalize_license_string

    return normalize_license_string(text)


def __getattr__(name: str) -> Any:  # pragma: no cover - lazy public names
    raise AttributeError(name)
