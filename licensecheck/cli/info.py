"""Commands that explain: `normalize` (licence strings), `explain` (a licence or a model), `obligations`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from licensecheck.printable import printable

from .._version import __version__
from ..codes import USES
from .options import (
    CONFIG_HELP,
    LOCKFILE_HELP,
    USE_HELP,
    Command,
    _common_check_options,
    argument,
    policy_option,
)
from .wiring import judge, write


@click.command(cls=Command)
@argument("texts", nargs=-1, required=True, help="Licence strings: Hub ids, SPDX ids or expressions, names.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format (json: a list, one object per input).",
)
def normalize(texts: tuple[str, ...], fmt: str) -> None:
    """Show how licence strings normalize to SPDX (one result per input)."""
    import json

    from licensecheck.licenses.normalize import normalize_license_string

    results = [(t, normalize_license_string(t)) for t in texts]
    if fmt == "json":
        out = [
            {
                "input": t,
                "expression": r.expression,
                "method": r.method,
                "detail": r.detail,
                "licenses": [f.as_json() for f in r.licenses],
            }
            for t, r in results
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for t, r in results:
        expr = r.expression or "(unidentified)"
        cats = ", ".join(f"{f.id}: {f.category}" for f in r.licenses)
        extra = f"  [{cats}]" if cats else (f"  ({r.detail})" if r.detail else "")
        click.echo(printable(f"{_clean(t)!s:<40} -> {expr}  via {r.method}{extra}"))


def _clean(text: str) -> str:
    return printable(text)[:200]


@click.command(cls=Command)
@argument("target", help="A model (org/name, a folder, a card .md...) or a licence (an id, name or alias).")
@policy_option
@click.option("-c", "--config", "config_path", metavar="FILE", help=CONFIG_HELP)
@click.option("--lockfile", metavar="FILE", help=LOCKFILE_HELP)
@click.option(
    "--offline", is_flag=True, help="Never touch the network: read only the lockfile and local cards."
)
@click.option("--use", "uses", multiple=True, type=click.Choice(USES), help=USE_HELP)
def explain(
    target: str,
    policies: tuple[str, ...],
    config_path: str | None,
    lockfile: str | None,
    offline: bool,
    uses: tuple[str, ...],
) -> None:
    """Facts behind a licence (LICENCE), or the facts, lineage and rule trace behind a model's verdicts."""
    from licensecheck.engine import explain as ex

    if "/" not in target and not Path(target).exists():
        click.echo(ex.explain_license(target), nl=False)
        hint = ex.unknown_license_hint(target)
        if hint:
            click.echo(printable(f"licensecheck: {hint}"), err=True)
            sys.exit(1)
        return
    if not policies:
        policies = ("openness", "commercial", "export-caution")
    report, _ = judge(
        [target], policies=policies, config_path=config_path, lockfile=lockfile, offline=offline, uses=uses
    )
    click.echo(ex.explain_model(report.models[0]), nl=False)


@click.command(cls=Command)
@argument("targets", nargs=-1, help="Models, as for `check`. None: the config's `models`.")
@_common_check_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "notice"]),
    default="text",
    show_default=True,
    help="notice: a THIRD_PARTY_MODELS.md a product can ship.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (atomically).")
@click.option("--use", "uses", multiple=True, type=click.Choice(USES), help=USE_HELP)
def obligations(targets: tuple[str, ...], fmt: str, output: str | None, **options: Any) -> None:
    """What users of allowed or warned models must do: licence text, attribution, naming, AUP, user caps."""
    import json

    from licensecheck.licenses import obligations as ob

    report, _ = judge(targets, **options)
    if fmt == "notice":
        text = ob.notice(report, __version__)
    elif fmt == "json":
        data = [
            {
                "id": m.meta.id,
                "license": m.resolution.expression,
                "verdict": m.verdict,
                "obligations": [{"kind": o.kind, "text": o.text, "source": o.source} for o in m.obligations],
            }
            for m in report.models
        ]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = ob.render_text(report.models)
    write(text, output)
