"""The `lock` command: resolve models online, with their base models, and write the lockfile."""

from __future__ import annotations

from pathlib import Path

import click

from licensecheck.printable import printable

from ..errors import LicensecheckError
from .options import CONFIG_HELP, LOCKFILE_HELP, Command, argument
from .wiring import progress_bar


@click.command(cls=Command)
@argument("targets", nargs=-1, help="Hub models (org/name[@revision]) to lock besides the config's `models`.")
@click.option("-c", "--config", "config_path", metavar="FILE", help=CONFIG_HELP)
@click.option("--lockfile", metavar="FILE", help=LOCKFILE_HELP)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=16, show_default=True, help="Concurrent Hub requests."
)
@click.option("--author", metavar="ORG", help="Lock every model of a Hub organisation.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the metadata cache.")
@click.option("--refresh", is_flag=True, hidden=True, expose_value=False)  # always refetches
def lock(
    targets: tuple[str, ...],
    config_path: str | None,
    lockfile: str | None,
    jobs: int,
    author: str | None,
    no_cache: bool,
) -> int:
    """Resolve targets (and the config's models) online, with their base models, and write the lockfile."""
    from licensecheck.engine import inputs
    from licensecheck.engine.lock import lock_models
    from licensecheck.render.context import plural

    if inputs.offline_forced(False):
        raise LicensecheckError("`licensecheck lock` needs the Hub; HF_HUB_OFFLINE is set")
    cfg = inputs.load_config(Path(config_path) if config_path else None)
    path = inputs.lockfile_path(Path(lockfile) if lockfile else None, cfg)
    from ..sources import targets as parse

    # local models are not locked: the config's are skipped before its Hub ids are checked
    named = list(targets) or inputs.hub_targets(cfg)
    wanted = [t for t in parse.resolve(named, offline=False) if not parse.is_local(t)]
    hub = inputs.hub_source(jobs=jobs, use_cache=not no_cache, refresh=True, progress=progress_bar())
    if author:
        from ..sources.hub import list_author

        wanted += list_author(author, hub)
    if not wanted:
        raise LicensecheckError("nothing to lock: give Hub ids or list `models:` in licensecheck.yaml")
    count, errors = lock_models(wanted, path, hub)
    click.echo(printable(f"locked {plural(count, 'model')} in {path}"))
    for model, message in errors:
        click.echo(printable(f"licensecheck: warning: {model}: {message}"), err=True)
    return 1 if errors else 0
