"""What an audit reads before it judges: the config, the policies (with the config's waivers), the lockfile
path, the knowledge base with the config's extras, and the metadata sources (lockfile or Hub)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecheck.errors import LicensecheckError, PolicyError
from licensecheck.values import Value

if TYPE_CHECKING:
    from licensecheck.config import Config
    from licensecheck.licenses.facts import KnowledgeBase
    from licensecheck.model import ModelMeta
    from licensecheck.policy.document import Policy

DEFAULT_POSTURES = ("openness", "export-caution")

Fetch = Callable[[list[str]], "dict[str, ModelMeta]"]
Progress = Callable[[int, int], None]
"""Called with (done, total) as a batch of metadata requests completes; the caller draws it."""


@dataclass(frozen=True, eq=False, repr=False)
class Sources(Value):
    """Where metadata comes from: models (Hub/cache or lockfile), datasets, and the locked entries."""

    models: Fetch
    datasets: Fetch | None = None
    locked_license: Callable[[str], tuple[object, object, object] | None] | None = None


def load_config(path: Path | None, *, discover: bool = True) -> Config:
    """The config at `path`, else the one discovered from the working folder, else the empty config."""
    from licensecheck import config

    if path is not None:
        if not path.is_file():
            raise LicensecheckError(f"config file not found: {path}")
        return config.load(path)
    found = config.discover() if discover else None
    return config.load(found) if found else config.Config()


def load_policies(specs: Sequence[str], cfg: Config) -> list[Policy]:
    """The chosen policies (else the config's, else the defaults), each with the config's waivers added.

    Every problem of every policy is raised at once; a config waiver naming no known rule is refused,
    since a typo must not quietly stop a waiver (or a gate) from working.
    """
    from licensecheck.codes import ENGINE_CODES
    from licensecheck.policy.document import BUILTINS, load_policy
    from licensecheck.schema.located import suggest

    chosen = list(specs) or [p if p in BUILTINS else cfg.resolve_path(p) for p in cfg.policies]
    problems: list[tuple[str, int, int, str]] = []
    out: list[Policy] = []
    for spec in chosen or DEFAULT_POSTURES:
        try:
            out.append(load_policy(spec))
        except PolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyError(problems)
    names = [p.name for p in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise LicensecheckError(
            f"two policies share the name {', '.join(sorted(dup))}: give each a distinct `name`"
        )
    if not cfg.waivers:
        return out
    # A waiver may name a rule of any posture of the config, chosen with -p for this run or not.
    pool = out + (_config_postures(cfg) if specs else [])
    known = sorted({n for p in pool for r in p.rules for n in (r.id, r.code)} | ENGINE_CODES)
    unknown = [
        (w.pos[0], w.pos[1], w.pos[2], f"waiver names unknown rule '{rid}'{suggest(rid, known)}")
        for w in cfg.waivers
        for rid in w.rules
        if rid not in known
    ]
    if unknown:
        raise PolicyError(unknown, what="config")
    return [replace(p, waivers=(*p.waivers, *cfg.waivers)) for p in out]


def _config_postures(cfg: Config) -> list[Policy]:
    """The postures the config chooses (its own, or the defaults) that load; a broken one is reported
    when it is used, not while looking up rule names."""
    from licensecheck.policy.document import BUILTINS, load_policy

    out = []
    for spec in [p if p in BUILTINS else cfg.resolve_path(p) for p in cfg.policies] or DEFAULT_POSTURES:
        try:
            out.append(load_policy(spec))
        except LicensecheckError:
            continue
    return out


def lockfile_path(option: Path | None, cfg: Config) -> Path:
    """The lockfile: the option, else the config's `lockfile`, else licensecheck.lock beside the config."""
    if option is not None:
        return option
    if cfg.lockfile is not None:
        return cfg.lockfile
    return cfg.base_dir / "licensecheck.lock"


def knowledge_base(cfg: Config) -> KnowledgeBase:
    """The shipped knowledge base, extended with the config's `licenses:` and `publishers:` entries."""
    from licensecheck.licenses import facts

    base = facts.load()
    if cfg.licenses or cfg.publishers:
        return base.extend(cfg.licenses, cfg.publishers)
    return base


def offline_forced(flag: bool) -> bool:
    """--offline, or HF_HUB_OFFLINE set the way huggingface_hub reads it."""
    return flag or os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def resolve_targets(targets: Sequence[str], cfg: Config, *, offline: bool) -> list[str]:
    """The command line's targets, else the config's `models` (paths relative to the config file), each
    in the form the run uses (a model URL becomes its id); a target of no known form is exit 2."""
    from licensecheck.sources import targets as parse

    if targets:
        return parse.resolve(targets, offline=offline)
    return parse.resolve(cfg.models, offline=offline, base=cfg.base_dir if cfg.path else None)


def hub_targets(cfg: Config) -> list[str]:
    """The config's `models` that name Hub models (what `lock` resolves)."""
    from licensecheck.sources.targets import is_local

    return [m for m in cfg.models if not is_local(m)]


def hub_source(*, jobs: int, use_cache: bool, refresh: bool, progress: Progress | None) -> Any:
    """A Hub source whose per-request progress goes to `progress` (drawn by the caller, or nowhere)."""
    from licensecheck.sources.hub import HubSource

    return HubSource(jobs=jobs, use_cache=use_cache, refresh=refresh, progress=progress)


def sources_for(
    lockfile: Path,
    *,
    offline: bool,
    use_cache: bool = True,
    refresh: bool = False,
    jobs: int = 16,
    progress: Progress | None = None,
) -> tuple[Sources, Any]:
    """The lockfile alone (offline), or the Hub compared with the lockfile; and the Hub source, if any."""
    from licensecheck.sources.lockfile import Lockfile

    lock = Lockfile.read(lockfile)
    if offline:
        return Sources(models=lock.fetch_many, datasets=lock.fetch_datasets), None
    hub = hub_source(jobs=jobs, use_cache=use_cache, refresh=refresh, progress=progress)
    return Sources(
        models=hub.fetch_many, datasets=hub.fetch_datasets, locked_license=lock.license_fields
    ), hub
