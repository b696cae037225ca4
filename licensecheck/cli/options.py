"""The option sets the judging commands share: policies, config, sources, and the report's format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..codes import USES

FORMATS = ("text", "json", "sarif", "markdown", "junit", "spdx-json", "cyclonedx-json", "html")


def _common_check_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "-p",
            "--policy",
            "policies",
            multiple=True,
            metavar="NAME|FILE",
            help="Posture to apply (repeatable): openness, commercial, export-caution or a file.",
        ),
        click.option(
            "-c", "--config", "config_path", metavar="FILE", help="Config file (default: discovered)."
        ),
        click.option(
            "--lockfile", metavar="FILE", help="Lockfile (default: licensecheck.lock beside the config)."
        ),
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
        click.option("-v", "--verbose", is_flag=True, help="Show info findings and the rule trace."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
        click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (atomically)."),
        click.option(
            "--fail-on",
            type=click.Choice(["deny", "warn", "never"]),
            default="deny",
            show_default=True,
            help="Which verdict makes the exit code 1.",
        ),
        click.option(
            "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
        ),
        click.option(
            "--use",
            "uses",
            multiple=True,
            type=click.Choice(USES),
            help="How the models will be used (repeatable); postures use it where licences differ.",
        ),
        click.option(
            "--baseline",
            metavar="LOCKFILE|GIT-REF",
            help="Only models new or relicensed since this lockfile (or the lockfile at a git ref) can fail.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f
