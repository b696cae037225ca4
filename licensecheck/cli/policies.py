"""Policy commands: `policy list/show/validate/test`, and `init` (a commented config to start from)."""

from __future__ import annotations

from pathlib import Path

import click

from licensecheck.printable import printable

from ..errors import LicensecheckError, PolicyError
from .options import Command, argument


@click.group()
def policy() -> None:
    """List, show, validate and test policies."""


@policy.command("list", cls=Command)
def policy_list() -> None:
    """List the built-in postures."""
    from licensecheck.policy.document import BUILTINS, load_policy

    for name in BUILTINS:
        click.echo(printable(f"{name:<16} {load_policy(name).description}"))


@policy.command("show", cls=Command)
@argument("name", help="A built-in posture: openness, commercial or export-caution.")
def policy_show(name: str) -> None:
    """Print a built-in posture's YAML."""
    from licensecheck.policy.document import BUILTINS, builtin_text

    if name not in BUILTINS:
        raise LicensecheckError(f"no built-in policy '{name}' (built-in: {', '.join(BUILTINS)})")
    click.echo(builtin_text(name), nl=False)


@policy.command("validate", cls=Command)
@argument("files", nargs=-1, required=True, help="Policy files to validate.")
def policy_validate(files: tuple[str, ...]) -> None:
    """Validate policy files: every problem as FILE:LINE:COL: message (exit 2 on any)."""
    from licensecheck.policy.document import validate_files
    from licensecheck.render.context import plural

    problems = validate_files(list(files))
    if problems:
        raise PolicyError(problems)
    click.echo(f"{plural(len(files), 'policy file')} OK")


@policy.command("test", cls=Command)
@argument("files", nargs=-1, required=True, help="Policy test files (cases and the verdicts they expect).")
def policy_test(files: tuple[str, ...]) -> int:
    """Run policy test cases: cards or lockfile entries and the verdicts they must get (exit 1 on a failure)."""
    from licensecheck.policy.cases import run_files

    lines, failed = run_files([Path(f) for f in files])
    for line in lines:
        click.echo(printable(line))
    return 1 if failed else 0


@click.command(cls=Command)
@click.option("--force", is_flag=True, help="Overwrite an existing licensecheck.yaml.")
@click.option(
    "-o", "--output", default="licensecheck.yaml", show_default=True, help="Where to write the config."
)
def init(force: bool, output: str) -> None:
    """Write a commented licensecheck.yaml to start from."""
    from licensecheck.cli.template import TEMPLATE

    path = Path(output)
    if path.exists() and not force:
        raise LicensecheckError(f"{output} exists; use --force to overwrite it")
    from ..atomic import write_text

    write_text(path, TEMPLATE)
    click.echo(f"wrote {output}")
