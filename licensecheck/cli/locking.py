"""The `lock` command: resolve models online, with their base models, and write the lockfile."""

from __future__ import annotations

import sys

import click

from ..errors import LicensecheckError
from .wiring import _load_config, _lockfile_path, _looks_local, _offline


@click.command()
@click.argument("targets", nargs=-1)
@click.option("-c", "--config", "config_path", metavar="FILE")
@click.option("--lockfile", metavar="FILE")
@click.option("--jobs", type=click.IntRange(1, 64), default=16, show_default=True)
@click.option("--author", metavar="ORG", help="Lock every model of a Hub organisation.")
@click.option("--no-cache", is_flag=True)
@click.option("--refresh", is_flag=True, default=True, hidden=True)
def lock(
    targets: tuple[str, ...],
    config_path: str | None,
    lockfile: str | None,
    jobs: int,
    author: str | None,
    no_cache: bool,
    refresh: bool,
) -> None:
    """Resolve targets (and the config's models) online, with their base models, and write the lockfile."""
    from licensecheck.engine.lock import lock_models

    if _offline(False):
        raise LicensecheckError("`licensecheck lock` needs the Hub; HF_HUB_OFFLINE is set")
    cfg = _load_config(config_path)
    path = _lockfile_path(lockfile, cfg)
    from ..sources import targets as parse

    # local models are not locked: the config's are skipped before its Hub ids are checked
    named = list(targets) or [m for m in cfg.models if not _looks_local(m)]
    wanted = [t for t in parse.resolve(named, offline=False) if not _looks_local(t)]
    from ..sources.hub import HubSource, list_author

    hub = HubSource(jobs=jobs, use_cache=not no_cache, refresh=True, progress=True)
    if author:
        wanted += list_author(author, hub)
    if not wanted:
        raise LicensecheckError("nothing to lock: give Hub ids or list `models:` in licensecheck.yaml")
    count, errors = lock_models(wanted, path, hub)
    click.echo(f"locked {count} model(s) in {path}")
    for model, message in errors:
        click.echo(f"licensecheck: warning: {model}: {message}", err=True)
    sys.exit(1 if errors else 0)
