"""licensecheck: open-model licence compliance (SPDX normalization, licence facts, policy postures).

The library API in two calls (the CLI is the same pipeline):

    >>> import licensecheck
    >>> licensecheck.normalize_license("apache-2.0 OR llama3.1").expression
    'Apache-2.0 OR LicenseRef-scancode-llama-3.1-license-2024'
    >>> report = licensecheck.check(config="examples/licensecheck.yaml", offline=True)  # doctest: +SKIP
    >>> report.to_dict()["summary"]  # doctest: +SKIP
    {'models': 11, 'allow': 2, 'warn': 1, 'deny': 8}
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    import datetime as dt

    from .model import Report, Resolution

__all__ = ["__version__", "check", "normalize_license"]


def normalize_license(text: str) -> Resolution:
    """Normalize one licence string (a Hub id, an SPDX id, name or expression, or a known alias)."""
    from licensecheck.licenses.normalize import normalize_license_string

    return normalize_license_string(text)


def check(
    targets: Sequence[str] | None = None,
    policies: Sequence[str] | None = None,
    *,
    config: str | Path | None = None,
    lockfile: str | Path | None = None,
    offline: bool = False,
    uses: Sequence[str] | None = None,
    baseline: str | None = None,
    jobs: int = 16,
    use_cache: bool = True,
    today: dt.date | None = None,
) -> Report:
    """Judge models as `licensecheck check` does, and return the report (`report.to_dict()` is the JSON
    format; `report.models[i].verdict`, `.findings`, ... the same values as objects).

    - `targets`: Hub ids (`org/name[@revision]`), model folders, card `.md` files...; None: the config's
      `models`.
    - `policies`: built-in posture names or policy files; None: the config's, else openness and
      export-caution.
    - `config`: a config file, as `-c` (None: no config is read; nothing is discovered).
    - `lockfile`: as `--lockfile` (None: the config's, else licensecheck.lock beside the config, or in
      the working folder without one).
    - `offline`: read only the lockfile and local cards, never the network.
    - `uses`, `baseline`, `jobs`: as `--use`, `--baseline` and `--jobs`; `today` is the date waivers
      expire against.

    Raises `licensecheck.errors.LicensecheckError` (a `PolicyError` for policy or config problems) where
    the CLI would exit 2.
    """
    from licensecheck.engine.audit import Options, run_audit

    options = Options(
        targets=tuple(targets or ()),
        policies=tuple(policies or ()),
        config=Path(config) if config is not None else None,
        discover_config=False,
        lockfile=Path(lockfile) if lockfile is not None else None,
        offline=offline,
        use_cache=use_cache,
        jobs=jobs,
        uses=tuple(uses or ()),
        baseline=baseline,
        today=today,
    )
    return run_audit(options)
