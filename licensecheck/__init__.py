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
    """Judge models (Hub ids, model folders or card files) under built-in postures or policy files."""
    import datetime as dt

    from licensecheck.engine import audit
    from licensecheck.engine.evaluate import Env
    from licensecheck.licenses import facts
    from licensecheck.policy.document import load_policy

    kb = facts.load()
    sources, _ = audit.sources_for(Path(lockfile), offline=offline)
    pols = [load_policy(p) for p in policies]
    return audit.run(list(targets), pols, kb, sources, Env(kb, dt.date.today(), tuple(uses)))
