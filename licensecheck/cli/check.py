"""The judging commands: `check` (models, folders, cards, an organisation) and `scan` (references in files)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..render.context import printable
from .options import _common_check_options, _report_options
from .wiring import _emit, _exit_code, _judge, _load_config, _rel, _stream

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
) -> None:
    """Audit models: TARGET is org/name, org/name@revision, a model folder or a model-card .md file."""
    if options.get("author") and fmt in STREAMED:
        sys.exit(_stream(targets, fmt, output, fail_on, color, **options))
    report, cfg, lock_path = _judge(targets, **options)
    _emit(report, cfg, lock_path, fmt=fmt, output=output, color=color, verbose=options["verbose"])
    sys.exit(_exit_code(report, fail_on))


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
) -> None:
    """Find Hub model references in source and config files, and check them."""
    from ..scan import scan_paths

    paths = [Path(f) for f in files]
    if not paths:
        cfg = _load_config(options["config_path"])
        globs = cfg.scan or ("**/*.py",)
        paths = sorted({p for g in globs for p in cfg.base_dir.glob(g) if p.is_file()})
    refs = scan_paths(paths)
    if list_only:
        for r in refs:
            click.echo(printable(f"{r.file}:{r.line}: {r.model}"))
        return
    if not refs:
        click.echo("no model references found", err=True)
        sys.exit(0)
    from ..model import Reference

    by_model: dict[str, list[Reference]] = {}
    for r in refs:
        by_model.setdefault(r.model, []).append(Reference(r.file, r.line))
    report, cfg, lock_path = _judge(list(by_model), references=by_model, **options)
    _emit(report, cfg, lock_path, fmt=fmt, output=output, color=color, verbose=options["verbose"])
    _unlocked_hint(report, lock_path, options["config_path"], options["lockfile"])
    sys.exit(_exit_code(report, fail_on))


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
    click.echo(
        printable(f"licensecheck: {len(missing)} referenced model(s) not in {_rel(lock_path)}:"), err=True
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
