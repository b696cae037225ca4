"""The option sets the judging commands share: policies, config, sources, and the report's format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..codes import USES

FORMATS = ("text", "json", "sarif", "markdown", "junit", "spdx-json", "cyclonedx-json", "html")


class HelpArgument(click.Argument):
    """A positional argument with a help text (click 8.3 and later list them natively, in "Positional
    arguments"; `Command` lists them under "Arguments" for older clicks)."""

    def __init__(self, param_decls: list[str], help: str = "", **attrs: Any) -> None:
        super().__init__(param_decls, **attrs)
        self.help = help


class Command(click.Command):
    """A command whose help lists its arguments' help texts, whatever the click version."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not hasattr(click.Command, "format_arguments"):  # click < 8.3 has no such section
            rows = [
                (p.human_readable_name, p.help or "")
                for p in self.get_params(ctx)
                if isinstance(p, HelpArgument)
            ]
            if rows:
                with formatter.section("Arguments"):
                    formatter.write_dl(rows)
        super().format_options(ctx, formatter)


def argument(name: str, help: str, **attrs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`click.argument` with a help text."""
    return click.argument(name, cls=HelpArgument, help=help, **attrs)


def policy_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-p",
        "--policy",
        "policies",
        multiple=True,
        metavar="NAME|FILE",
        callback=_check_policies,
        help="Posture to apply (repeatable): openness, commercial, export-caution or a policy file.",
    )(f)


def _check_policies(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A name that is neither a built-in posture nor a file is a usage error (a typo, not a policy problem)."""
    from pathlib import Path

    from licensecheck.policy.document import BUILTINS

    for value in values:
        if value not in BUILTINS and not Path(value).is_file():
            from licensecheck.schema.located import suggest

            raise click.BadParameter(
                f"{value!r} is neither a built-in posture ({', '.join(BUILTINS)}) nor a file"
                f"{suggest(value, list(BUILTINS))}",
                ctx=ctx,
                param=param,
            )
    return values


CONFIG_HELP = "Config file (default: licensecheck.yaml or pyproject.toml, found from here upward)."
LOCKFILE_HELP = "Lockfile (default: the config's `lockfile`, else licensecheck.lock beside the config)."
USE_HELP = "How the models will be used (repeatable); postures use it where licences differ."


def _common_check_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        policy_option,
        click.option("-c", "--config", "config_path", metavar="FILE", help=CONFIG_HELP),
        click.option("--lockfile", metavar="FILE", help=LOCKFILE_HELP),
        click.option(
            "--offline", is_flag=True, help="Never touch the network: read only the lockfile and local cards."
        ),
        click.option("--no-cache", is_flag=True, help="Do not read or write the metadata cache."),
        click.option("--refresh", is_flag=True, help="Refetch metadata even when the cache is fresh."),
        click.option(
            "--jobs",
            type=click.IntRange(1, 64),
            default=16,
            show_default=True,
            help="Concurrent Hub requests.",
        ),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Text reports: also show info findings and the rule trace (OR choices, base-model verdicts).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Report format.",
        ),
        click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (atomically)."),
        click.option(
            "--fail-on",
            type=click.Choice(["deny", "warn", "never"]),
            default="deny",
            show_default=True,
            help="Which verdict makes the exit code 1.",
        ),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
            help="Colour the text report (auto: on a terminal, unless NO_COLOR is set).",
        ),
        click.option("--use", "uses", multiple=True, type=click.Choice(USES), help=USE_HELP),
        click.option(
            "--baseline",
            metavar="LOCKFILE|GIT-REF",
            help="Only models new or relicensed since this lockfile (or the lockfile at a git ref) can fail.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f
