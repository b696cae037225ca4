"""The judging commands: `check` (models, folders, cards, an organisation) and `scan` (references in files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from licensecheck.printable import printable

from .options import Command, _common_check_options, _report_options, argument
from .wiring import emit, judge, rel, stream

if TYPE_CHECKING:
    from ..model import Report

STREAMED = ("text", "json")  # formats written model by model for --author audits


@click.command(cls=Command)
@argument(
    "targets",
    nargs=-1,
    help="Models: org/name[@revision], a model URL, a model folder, a card .md, a GGUF or safetensors "
    "file, a Hugging Face cache or Ollama store. None: the config's `models`.",
)
@_common_check_options
@_report_options
@click.option("--author", metavar="ORG", help="Audit every model of a Hub organisation.")
@click.option(
    "--installed",
    is_flag=True,
    help="Also audit the models installed here: the Hugging Face cache and the Ollama store.",
)
def check(
    targets: tuple[str, ...], fmt: str, output: str | None, fail_on: str, color: str, **options: Any
) -> int:
    """Audit models: TARGET is org/name, org/name@revision, a model folder, a model-card .md file, a GGUF
    or safetensors file, a Hugging Face cache folder or an Ollama model store."""
    from licensecheck.engine.audit import fails
    from licensecheck.sources.installed import holds_many

    many = options.get("author") or options.get("installed") or any(holds_many(t) for t in targets)
    if many and fmt in STREAMED:
        return stream(targets, fmt, output, fail_on, color, **options)
    report, run = judge(targets, **options)
    emit(report, run, fmt=fmt, output=output, color=color, verbose=options["verbose"])
    return 1 if fails(report, fail_on) else 0


@click.command(cls=Command)
@argument(
    "files",
    nargs=-1,
    help="Files and folders to scan. None: the config's `scan` globs, else the repository as git sees it.",
)
@click.option("--list", "list_only", is_flag=True, help="Only print PATH:LINE: org/name per reference.")
@_common_check_options
@_report_options
def scan(
    files: tuple[str, ...],
    list_only: bool,
    fmt: str,
    output: str | None,
    fail_on: str,
    color: str,
    **options: Any,
) -> int:
    """Find Hub model references in source and config files, and check them.

    With no FILE and no `scan` globs in the config: the repository's files as git sees them (tracked,
    and untracked but not ignored), never virtualenvs, node_modules, build output or caches."""
    from licensecheck.engine.audit import fails

    refs = _scan_refs(files, options)
    if list_only:
        for r in refs:
            why = f"  ({printable(r.why)})" if options["verbose"] else ""
            click.echo(f"{printable(r.file)}:{r.line}: {printable(r.model)}{why}")
        return 0
    if not refs:
        click.echo("no model references found", err=True)
        return 0
    from ..model import Reference

    by_model: dict[str, list[Reference]] = {}
    for r in refs:
        by_model.setdefault(r.model, []).append(Reference(r.file, r.line))
    report, run = judge(list(by_model), references=by_model, **options)
    emit(report, run, fmt=fmt, output=output, color=color, verbose=options["verbose"])
    _unlocked_hint(report, run.lockfile, options["config_path"], options["lockfile"])
    return 1 if fails(report, fail_on) else 0


def _scan_refs(files: tuple[str, ...], options: dict[str, Any]) -> list[Any]:
    """Scan FILEs (else the config's `scan` globs, else git's view of the working directory); weak
    candidates are settled by the knowledge base's publishers and the lockfile, then online by the Hub."""
    from licensecheck.engine.inputs import (
        hub_source,
        knowledge_base,
        load_config,
        lockfile_path,
        offline_forced,
    )

    from ..scan import files as scan_files
    from ..scan import scan_paths
    from ..sources.lockfile import Lockfile

    cfg = load_config(Path(options["config_path"]) if options["config_path"] else None)
    here = scan_files.cwd()
    if files:
        paths = [Path(f) for f in files]
    elif cfg.scan:
        found = {p for g in cfg.scan for p in cfg.base_dir.glob(g) if p.is_file()}
        paths = scan_files.relative(sorted(found), here)
    else:
        paths = scan_files.default_files()
    lock_path = lockfile_path(Path(options["lockfile"]) if options["lockfile"] else None, cfg)
    known = scan_files.known_orgs(knowledge_base(cfg).publishers, Lockfile.read(lock_path).models)
    confirm = None
    if not offline_forced(options["offline"]):
        hub = hub_source(
            jobs=options["jobs"], use_cache=not options["no_cache"], refresh=False, progress=None
        )
        confirm = scan_files.hub_confirm(
            hub.fetch_many, lambda text: click.echo(f"licensecheck: {text}", err=True)
        )
    return scan_paths(paths, known_orgs=known, confirm=confirm)


def _unlocked_hint(report: Report, lock_path: Path, config_path: str | None, lockfile: str | None) -> None:
    """On stderr: where each referenced model missing from the lockfile is, and the command that locks it.

    A bare `licensecheck lock` locks only the config's `models`, so the fix names the scanned ids.
    """
    import shlex

    from licensecheck.render.context import plural

    missing = [
        m for m in report.models if m.meta.error is not None and m.meta.error.kind == "not-in-lockfile"
    ]
    if not missing:
        return
    click.echo(
        printable(f"licensecheck: {plural(len(missing), 'referenced model')} not in {rel(lock_path)}:"),
        err=True,
    )
    for m in missing:
        for ref in m.references or ():
            click.echo(printable(f"  {ref.file}:{ref.line}: {m.meta.id}"), err=True)
    words = ["licensecheck", "lock"]
    if config_path:
        words += ["-c", config_path]
    if lockfile:
        words += ["--lockfile", lockfile]
    words += [m.meta.id for m in missing]
    click.echo("fix: lock them (needs the network) and commit the lockfile:", err=True)
    click.echo(printable(f"  {shlex.join(words)}"), err=True)
