"""The judging commands: `check` (models, folders, cards, an organisation) and `scan` (references in files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .options import _common_check_options, _report_options
from .wiring import emit, judge, rel, stream

if TYPE_CHECKING:
    from ..model import Report

STREAMED = ("text", "json")  # formats written model by model for --author audits


@click.command()
@click.argument("targets", nargs=-1)
@_common_check_options
@_report_options
@click.option("--author", metavar="ORG", help="Audit every model of a Hub organisation.")
def check(
    targets: tuple[str, ...], fmt: str, output: str | None, fail_on: str, color: str, **options: Any
) -> int:
    """Audit models: TARGET is org/name, org/name@revision, a model folder or a model-card .md file."""
    from licensecheck.engine.audit import fails

    if options.get("author") and fmt in STREAMED:
        return stream(targets, fmt, output, fail_on, color, **options)
    report, run = judge(targets, **options)
    emit(report, run, fmt=fmt, output=output, color=color, verbose=options["verbose"])
    return 1 if fails(report, fail_on) else 0


@click.command()
@click.argument("files", nargs=-1)
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
    """Find Hub model references in source and config files, and check them."""
    from licensecheck.engine.audit import fails
    from licensecheck.engine.inputs import load_config

    from ..scan import scan_paths

    paths = [Path(f) for f in files]
    if not paths:
        cfg = load_config(Path(options["config_path"]) if options["config_path"] else None)
        globs = cfg.scan or ("**/*.py",)
        paths = sorted({p for g in globs for p in cfg.base_dir.glob(g) if p.is_file()})
    refs = scan_paths(paths)
    if list_only:
        for r in refs:
            click.echo(f"{r.file}:{r.line}: {r.model}")
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


def _unlocked_hint(report: Report, lock_path: Path, config_path: str | None, lockfile: str | None) -> None:
    """On stderr: where each referenced model missing from the lockfile is, and the command that locks it.

    A bare `licensecheck lock` locks only the config's `models`, so the fix names the scanned ids.
    """
    import shlex

    missing = [
        m for m in report.models if m.meta.error is not None and m.meta.error.kind == "not-in-lockfile"
    ]
    if not missing:
        return
    click.echo(f"licensecheck: {len(missing)} referenced model(s) not in {rel(lock_path)}:", err=True)
    for m in missing:
        for ref in m.references or ():
            click.echo(f"  {ref.file}:{ref.line}: {m.meta.id}", err=True)
    words = ["licensecheck", "lock"]
    if config_path:
        words += ["-c", config_path]
    if lockfile:
        words += ["--lockfile", lockfile]
    words += [m.meta.id for m in missing]
    click.echo("fix: lock them (needs the network) and commit the lockfile:", err=True)
    click.echo(f"  {shlex.join(words)}", err=True)
