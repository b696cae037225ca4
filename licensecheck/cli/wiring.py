"""Wiring shared by the commands: config, policies, sources and lockfile, judging, rendering, exit codes."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from .._version import __version__
from ..errors import LicensecheckError, PolicyError

if TYPE_CHECKING:
    from licensecheck.engine.audit import Audit
    from licensecheck.policy.document import Policy

    from ..config import Config
    from ..model import ModelReport, Report

DEFAULT_POSTURES = ("openness", "export-caution")


def _load_config(path: str | None) -> Config:
    from .. import config

    if path:
        p = Path(path)
        if not p.is_file():
            raise LicensecheckError(f"config file not found: {path}")
        return config.load(p)
    found = config.discover()
    return config.load(found) if found else config.Config()


def _policies(specs: Sequence[str], cfg: Config) -> list[Policy]:
    from licensecheck.policy.document import load_policy

    chosen = list(specs) or [cfg.resolve_path(p) if not _builtin(p) else p for p in cfg.policies]
    chosen = chosen or list(DEFAULT_POSTURES)
    problems: list[tuple[str, int, int, str]] = []
    out: list[Policy] = []
    for spec in chosen:
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
    if cfg.waivers:
        from dataclasses import replace

        from licensecheck.policy.document import ENGINE_CODES
        from licensecheck.schema.located import suggest

        known = sorted({n for p in out for r in p.rules for n in (r.id, r.code)} | ENGINE_CODES)
        unknown = [
            (w.pos[0], w.pos[1], w.pos[2], f"waiver names unknown rule '{rid}'{suggest(rid, known)}")
            for w in cfg.waivers
            for rid in w.rules
            if rid not in known
        ]
        if unknown:
            raise PolicyError(unknown)  # a typo must not quietly stop a waiver (or a gate) from working
        out = [replace(p, waivers=(*p.waivers, *cfg.waivers)) for p in out]
    return out


def _builtin(name: str) -> bool:
    from licensecheck.policy.document import BUILTINS

    return name in BUILTINS


def _lockfile_path(option: str | None, cfg: Config) -> Path:
    if option:
        return Path(option)
    if cfg.lockfile is not None:
        return cfg.lockfile
    return cfg.base_dir / "licensecheck.lock"


def _kb(cfg: Config) -> Any:
    from licensecheck.licenses import facts

    base = facts.load()
    if cfg.licenses or cfg.publishers:
        return base.extend(cfg.licenses, cfg.publishers)
    return base


def _offline(flag: bool) -> bool:
    return flag or os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _write(text: str, output: str | None, color: bool | None = None) -> None:
    if output:
        from ..atomic import write_text

        write_text(Path(output), text)
    else:
        click.echo(text, nl=False, color=color)


def _context(cfg: Config, lockfile: Path | None) -> Any:
    from ..render.context import RenderContext

    return RenderContext(
        tool_version=__version__,
        config_path=_rel(cfg.path) if cfg.path else None,
        lockfile_path=_rel(lockfile) if lockfile and lockfile.exists() else None,
    )


def _use_color(choice: str, output: str | None) -> bool:
    if output or choice == "never":
        return False
    if choice == "always":
        return True
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _render(
    report: Report, fmt: str, *, cfg: Config, lockfile: Path | None, color: bool, verbose: bool
) -> str:
    ctx = _context(cfg, lockfile)
    if fmt == "text":
        from ..render import text

        return text.render(report, ctx, color=color, verbose=verbose)
    from importlib import import_module

    module = {
        "json": "json",
        "sarif": "sarif",
        "markdown": "markdown",
        "junit": "junit",
        "spdx-json": "spdx",
        "cyclonedx-json": "cyclonedx",
        "html": "html",
    }[fmt]
    renderer: Callable[[Report, Any], str] = import_module(f"licensecheck.render.{module}").render
    return renderer(report, ctx)


def _emit(
    report: Report, cfg: Config, lock_path: Path, *, fmt: str, output: str | None, color: str, verbose: bool
) -> None:
    """Render the report and write it to stdout or the output file."""
    use_color = _use_color(color, output)
    text = _render(report, fmt, cfg=cfg, lockfile=lock_path, color=use_color, verbose=verbose)
    _write(text, output, color=use_color)


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _exit_code(report: Report, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    bad = {"deny"} if fail_on == "deny" else {"deny", "warn"}
    if any(m.verdict in bad for m in report.models if m.gating):
        return 1
    if fail_on == "warn" and any(n.severity == "warn" for n in report.notices):
        return 1
    return 0


def _sources(
    cfg: Config, lockfile: Path, *, offline: bool, no_cache: bool, refresh: bool, jobs: int, verbose: bool
) -> Any:
    from licensecheck.engine.audit import sources_for

    return sources_for(lockfile, offline=offline, use_cache=not no_cache, refresh=refresh, jobs=jobs)


@dataclass
class _Run:
    """Everything a judging command wires together before it judges."""

    cfg: Config
    lock_path: Path
    targets: list[str]
    audit: Audit
    hub: Any
    baseline: Any


def _prepare(
    targets: Sequence[str],
    *,
    policies: Sequence[str] = (),
    config_path: str | None = None,
    lockfile: str | None = None,
    offline: bool = False,
    no_cache: bool = False,
    refresh: bool = False,
    jobs: int = 16,
    verbose: bool = False,
    uses: Sequence[str] = (),
    author: str | None = None,
    references: dict[str, list[Any]] | None = None,
    baseline: str | None = None,
) -> _Run:
    import datetime as dt

    from licensecheck.engine.audit import Audit
    from licensecheck.engine.evaluate import Env

    cfg = _load_config(config_path)
    pols = _policies(policies, cfg)
    lock_path = _lockfile_path(lockfile, cfg)
    chosen = _targets(targets, cfg, offline=_offline(offline))
    sources, hub = _sources(
        cfg,
        lock_path,
        offline=_offline(offline),
        no_cache=no_cache,
        refresh=refresh,
        jobs=jobs,
        verbose=verbose,
    )
    if author and hub is None:
        raise LicensecheckError("--author lists models on the Hub and cannot run with --offline")
    if not chosen and not author:
        raise LicensecheckError(
            "nothing to check: give targets (org/name, a model folder or a card .md), "
            "--author ORG, or `models:` in licensecheck.yaml"
        )
    kb = _kb(cfg)
    env = Env(kb, dt.date.today(), tuple(uses) or cfg.use)
    audit = Audit(pols, kb, sources, env, clarify=cfg.clarify, references=references)
    base = None
    if baseline:
        from licensecheck.engine import baseline as bl

        base = bl.load(baseline, lock_path)
    return _Run(cfg, lock_path, chosen, audit, hub, base)


def _models(run: _Run, author: str | None) -> Iterator[ModelReport]:
    """Judged models: the targets, then an organisation's models a batch at a time (streamable).

    A target of the audited organisation is judged when the listing reaches it (its metadata comes
    with the page, no extra request); one the listing does not show (private, pinned) comes last.
    """
    org = author.lower() if author else None
    deferred = [t for t in run.targets if org and "@" not in t and t.split("/", 1)[0].lower() == org]
    batches: Iterable[list[str]] = [[t for t in run.targets if t not in deferred]]
    listed: set[str] = set()
    if author:
        from ..sources.hub import author_batches

        first = {t.lower() for t in run.targets if t not in deferred}
        wanted = {t.lower() for t in deferred}

        def pages() -> Iterator[list[str]]:
            for batch in author_batches(author, run.hub):
                listed.update(t.lower() for t in batch if t.lower() in wanted)
                yield [t for t in batch if t.lower() not in first]
            yield [t for t in deferred if t.lower() not in listed]

        batches = itertools.chain(batches, pages())
    for batch in batches:
        if not batch:
            continue
        for model in run.audit.judge(batch):
            if run.baseline is not None:
                from licensecheck.engine import baseline as bl

                model = bl.mark(model, run.baseline, run.audit.names)
            yield model


def _judge(targets: Sequence[str], **options: Any) -> tuple[Report, Config, Path]:
    from ..model import Report

    run = _prepare(targets, **options)
    models = tuple(_models(run, options.get("author")))
    _hub_usage(run.hub, options.get("verbose", False))
    return Report(run.audit.names, models, run.audit.notices()), run.cfg, run.lock_path


def _stream(
    targets: Sequence[str], fmt: str, output: str | None, fail_on: str, color: str, **options: Any
) -> int:
    """Judge and write model by model (text or JSON): memory stays flat however many models an org has."""
    from ..render import json as json_render
    from ..render import text as text_render

    run = _prepare(targets, **options)
    failing = {"deny"} if fail_on == "deny" else ({"deny", "warn"} if fail_on == "warn" else set())
    failed = False

    def counted() -> Iterator[ModelReport]:
        nonlocal failed
        for m in _models(run, options.get("author")):
            failed = failed or (m.gating and m.verdict in failing)
            yield m

    def write(out: TextIO, use_color: bool) -> None:
        if fmt == "json":
            json_render.stream(
                out, run.audit.names, counted(), run.audit.notices, _context(run.cfg, run.lock_path)
            )
        else:
            text_render.stream(
                out,
                run.audit.names,
                counted(),
                run.audit.notices,
                color=use_color,
                verbose=options["verbose"],
            )

    if output:
        from ..atomic import open_text

        with open_text(Path(output)) as fh:
            write(fh, False)
    else:
        write(sys.stdout, _use_color(color, output))
    _hub_usage(run.hub, options.get("verbose", False))
    notices = run.audit.notices()
    if fail_on == "warn" and any(n.severity == "warn" for n in notices):
        failed = True
    return 1 if failed else 0


def _looks_local(value: str) -> bool:
    from ..sources.targets import is_local

    return is_local(value)


def _targets(targets: Sequence[str], cfg: Config, *, offline: bool) -> list[str]:
    """The command line's targets, else the config's `models:`; a target of no known form is exit 2."""
    from ..sources import targets as parse

    if targets:
        return parse.resolve(targets, offline=offline)
    return parse.resolve(cfg.models, offline=offline, base=cfg.base_dir if cfg.path else None)


def _hub_usage(hub: Any, verbose: bool) -> None:
    """With -v: one line on stderr with the Hub calls the run made."""
    if verbose and hub is not None:
        click.echo(f"licensecheck: {hub.usage()}", err=True)
