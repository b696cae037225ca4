"""The command line: parse options, wire sources, policies and renderers, choose the exit code."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from ._version import __version__
from .errors import LicensecheckError, PolicyError

if TYPE_CHECKING:
    from .audit import Audit
    from .config import Config
    from .model import ModelReport, Report
    from .policy import Policy

FORMATS = ("text", "json", "sarif", "markdown", "junit", "spdx-json", "cyclonedx-json", "html")
DEFAULT_POSTURES = ("openness", "export-caution")
STREAMED = ("text", "json")  # formats written model by model for --author audits


# ---- shared helpers --------------------------------------------------------------------------------
def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"licensecheck: error: {message}", err=True)
    sys.exit(code)


def _load_config(path: str | None) -> Config:
    from . import config

    if path:
        p = Path(path)
        if not p.is_file():
            raise LicensecheckError(f"config file not found: {path}")
        return config.load(p)
    found = config.discover()
    return config.load(found) if found else config.Config()


def _policies(specs: Sequence[str], cfg: Config) -> list[Policy]:
    from .policy import load_policy

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
    if cfg.waivers or cfg.clarify:
        from dataclasses import replace

        out = [replace(p, waivers=(*p.waivers, *cfg.waivers)) for p in out]
    return out


def _builtin(name: str) -> bool:
    from .policy import BUILTINS

    return name in BUILTINS


def _lockfile_path(option: str | None, cfg: Config) -> Path:
    if option:
        return Path(option)
    if cfg.lockfile is not None:
        return cfg.lockfile
    return cfg.base_dir / "licensecheck.lock"


def _kb(cfg: Config) -> Any:
    from . import facts

    base = facts.load()
    if cfg.licenses or cfg.publishers:
        return base.extend(cfg.licenses, cfg.publishers)
    return base


def _offline(flag: bool) -> bool:
    return flag or os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _write(text: str, output: str | None, color: bool | None = None) -> None:
    if output:
        from .atomic import write_text

        write_text(Path(output), text)
    else:
        click.echo(text, nl=False, color=color)


def _context(cfg: Config, lockfile: Path | None) -> Any:
    from .render.context import RenderContext

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
        from .render import text

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


# ---- the group -------------------------------------------------------------------------------------
@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100}
)
@click.version_option(__version__, "--version", prog_name="licensecheck")
def cli() -> None:
    """Open-model licence compliance: normalize model licences to SPDX and judge them with policies."""


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
            type=click.Choice(["internal", "saas", "distribute", "fine-tune", "distill"]),
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


def _sources(
    cfg: Config, lockfile: Path, *, offline: bool, no_cache: bool, refresh: bool, jobs: int, verbose: bool
) -> Any:
    from .audit import Sources
    from .sources.lockfile import Lockfile

    lock = Lockfile.read(lockfile)
    if offline:
        return Sources(models=lock.fetch_many, datasets=lock.fetch_datasets), None
    from .sources.hub import HubSource

    hub = HubSource(jobs=jobs, use_cache=not no_cache, refresh=refresh, progress=True)

    return Sources(
        models=hub.fetch_many, datasets=hub.fetch_datasets, locked_license=lock.license_fields
    ), hub


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

    from .audit import Audit
    from .evaluate import Env

    cfg = _load_config(config_path)
    pols = _policies(policies, cfg)
    lock_path = _lockfile_path(lockfile, cfg)
    chosen = list(targets) or [cfg.resolve_path(m) if _looks_local(m) else m for m in cfg.models]
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
        from . import baseline as bl

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
        from .sources.hub import author_batches

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
                from . import baseline as bl

                model = bl.mark(model, run.baseline, run.audit.names)
            yield model


def _judge(targets: Sequence[str], **options: Any) -> tuple[Report, Config, Path]:
    from .model import Report

    run = _prepare(targets, **options)
    models = tuple(_models(run, options.get("author")))
    return Report(run.audit.names, models, run.audit.notices()), run.cfg, run.lock_path


def _stream(
    targets: Sequence[str], fmt: str, output: str | None, fail_on: str, color: str, **options: Any
) -> int:
    """Judge and write model by model (text or JSON): memory stays flat however many models an org has."""
    from .render import json as json_render
    from .render import text as text_render

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
        from .atomic import open_text

        with open_text(Path(output)) as fh:
            write(fh, False)
    else:
        write(sys.stdout, _use_color(color, output))
    notices = run.audit.notices()
    if fail_on == "warn" and any(n.severity == "warn" for n in notices):
        failed = True
    return 1 if failed else 0


def _looks_local(value: str) -> bool:
    from .sources.local import is_local_target

    return is_local_target(value)


# ---- commands --------------------------------------------------------------------------------------
@cli.command()
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


@cli.command()
@click.argument("texts", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def normalize(texts: tuple[str, ...], fmt: str) -> None:
    """Show how licence strings normalize to SPDX (one result per input)."""
    import json

    from .normalize import normalize_license_string

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
        click.echo(f"{_clean(t)!s:<40} -> {expr}  via {r.method}{extra}")


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


@cli.command()
@click.argument("target")
@click.option("-p", "--policy", "policies", multiple=True, metavar="NAME|FILE")
@click.option("-c", "--config", "config_path", metavar="FILE")
@click.option("--lockfile", metavar="FILE")
@click.option("--offline", is_flag=True)
@click.option(
    "--use",
    "uses",
    multiple=True,
    type=click.Choice(["internal", "saas", "distribute", "fine-tune", "distill"]),
)
def explain(
    target: str,
    policies: tuple[str, ...],
    config_path: str | None,
    lockfile: str | None,
    offline: bool,
    uses: tuple[str, ...],
) -> None:
    """Facts behind a licence (LICENCE), or the facts, lineage and rule trace behind a model's verdicts."""
    from . import explain as ex

    if "/" not in target and not Path(target).exists():
        click.echo(ex.explain_license(target), nl=False)
        return
    if not policies:
        policies = ("openness", "commercial", "export-caution")
    report, _, _ = _judge(
        [target], policies=policies, config_path=config_path, lockfile=lockfile, offline=offline, uses=uses
    )
    click.echo(ex.explain_model(report.models[0]), nl=False)


@cli.group()
def policy() -> None:
    """List, show and validate policies."""


@policy.command("list")
def policy_list() -> None:
    """List the built-in postures."""
    from .policy import BUILTINS, load_policy

    for name in BUILTINS:
        click.echo(f"{name:<16} {load_policy(name).description}")


@policy.command("show")
@click.argument("name")
def policy_show(name: str) -> None:
    """Print a built-in posture's YAML."""
    from .policy import BUILTINS, builtin_text

    if name not in BUILTINS:
        raise LicensecheckError(f"no built-in policy '{name}' (built-in: {', '.join(BUILTINS)})")
    click.echo(builtin_text(name), nl=False)


@policy.command("validate")
@click.argument("files", nargs=-1, required=True)
def policy_validate(files: tuple[str, ...]) -> None:
    """Validate policy files: every problem as FILE:LINE:COL: message (exit 2 on any)."""
    from .policy import validate_files

    problems = validate_files(list(files))
    if problems:
        raise PolicyError(problems)
    click.echo(f"{len(files)} policy file(s) OK")


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing licensecheck.yaml.")
@click.option("-o", "--output", default="licensecheck.yaml", show_default=True)
def init(force: bool, output: str) -> None:
    """Write a commented licensecheck.yaml to start from."""
    from .init import TEMPLATE

    path = Path(output)
    if path.exists() and not force:
        raise LicensecheckError(f"{output} exists; use --force to overwrite it")
    from .atomic import write_text

    write_text(path, TEMPLATE)
    click.echo(f"wrote {output}")


@cli.command()
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
    from .lock import lock_models

    if _offline(False):
        raise LicensecheckError("`licensecheck lock` needs the Hub; HF_HUB_OFFLINE is set")
    cfg = _load_config(config_path)
    path = _lockfile_path(lockfile, cfg)
    wanted = list(targets) or [m for m in cfg.models if not _looks_local(m)]
    from .sources.hub import HubSource, list_author

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


@cli.command()
@click.argument("targets", nargs=-1)
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
@click.option(
    "--use",
    "uses",
    multiple=True,
    type=click.Choice(["internal", "saas", "distribute", "fine-tune", "distill"]),
)
def obligations(targets: tuple[str, ...], fmt: str, output: str | None, **options: Any) -> None:
    """What users of allowed or warned models must do: licence text, attribution, naming, AUP, user caps."""
    import json

    from . import obligations as ob

    report, _, _ = _judge(targets, **options)
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
    _write(text, output)


@policy.command("test")
@click.argument("files", nargs=-1, required=True)
def policy_test(files: tuple[str, ...]) -> None:
    """Run policy test cases: cards or lockfile entries and the verdicts they must get (exit 1 on a failure)."""
    from .policytest import run_files

    lines, failed = run_files([Path(f) for f in files])
    for line in lines:
        click.echo(line)
    sys.exit(1 if failed else 0)


@cli.command()
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
    from .scan import scan_paths

    paths = [Path(f) for f in files]
    if not paths:
        cfg = _load_config(options["config_path"])
        globs = cfg.scan or ("**/*.py",)
        paths = sorted({p for g in globs for p in cfg.base_dir.glob(g) if p.is_file()})
    refs = scan_paths(paths)
    if list_only:
        for r in refs:
            click.echo(f"{r.file}:{r.line}: {r.model}")
        return
    if not refs:
        click.echo("no model references found", err=True)
        sys.exit(0)
    from .model import Reference

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
    click.echo(f"licensecheck: {len(missing)} referenced model(s) not in {_rel(lock_path)}:", err=True)
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


def _interrupted() -> NoReturn:
    """Exit 130 at once: Hub requests still in flight in worker threads are not waited for."""
    import threading

    click.echo("interrupted", err=True)
    workers = [
        t for t in threading.enumerate() if t.is_alive() and not t.daemon and t is not threading.main_thread()
    ]
    if workers:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(130)


# ---- entry point -----------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; every user-facing failure becomes a message and an exit code, never a traceback."""
    try:
        rv = cli.main(
            args=list(argv) if argv is not None else None, prog_name="licensecheck", standalone_mode=False
        )
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _interrupted()
    except PolicyError as exc:
        for path, line, col, msg in exc.problems:
            click.echo(f"{path}:{line}:{col}: {msg}", err=True)
        click.echo(f"licensecheck: {len(exc.problems)} policy problem(s); nothing was judged", err=True)
        sys.exit(2)
    except LicensecheckError as exc:
        _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # e.g. -o below a file or onto a folder
        where = f" {exc.filename}" if exc.filename else ""
        _fail(f"cannot write{where}: {exc.strerror or exc}")
    sys.exit(rv if isinstance(rv, int) else 0)
