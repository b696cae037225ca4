"""licensecheck: open-model licence compliance (SPDX normalization, licence facts, policy postures).

The library API in two calls (the CLI is the same pipeline):

    >>> import licensecheck
    >>> licensecheck.normalize_license("apache-2.0 OR llama3.1").expression
    'Apache-2.0 OR LicenseRef-scancode-llama-3.1-license-2024'
    >>> report = licensecheck.check(["deepseek-ai/DeepSeek-R1"], ["commercial"], offline=True)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from .model import Report, Resolution

__all__ = ["__version__", "check", "normalize_license"]


def normalize_license(text: str) -> Resolution:
    """Normalize one licence string (a Hub id, an SPDX id, name or expression, or a known alias)."""
    from licensecheck.licenses.normalize import normalize_license_string

    return normalize_license_string(text)


def check(
    targets: Sequence[str],
    policies: Sequence[str] = ("openness", "export-caution"),
    *,
    lockfile: str | Path = "licensecheck.lock",
    offline: bool = False,
    uses: Sequence[str] = (),
) -> Report:
    """Judge models (Hub ids, model folders or card files) under built-in postures or policy files.

    The same run as `licensecheck check`, without a config file: only the arguments given count.
    """
    from licensecheck.engine.audit import Options, run_audit

    options = Options(
        targets=tuple(targets),
        policies=tuple(policies),
        discover_config=False,
        lockfile=Path(lockfile),
        offline=offline,
        uses=tuple(uses),
    )
    return run_audit(options)
