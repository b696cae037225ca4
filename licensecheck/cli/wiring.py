"""What the commands share that is about the terminal: options into engine options, the progress bar,
rendering and writing the report. Everything about judging lives in the engine."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from .._version import __version__

if TYPE_CHECKING:
    from licensecheck.engine.audit import AuditRun, Options

    from ..config import Config
    from ..model import Reference, Report


def engine_options(
    targets: Sequence[str],
    *,
    policies: Sequence[str] = (),
    config_path: str | None = None,
    lockfile: str | None = None,
    offline: bool = False,
    no_cache: bool = False,
    refresh: bool = False,
    jobs: int = 16,
    uses: Sequence[str] = (),
    author: str | None = None,
    references: dict[str, list[Reference]] | None = None,
    baseline: str | None = None,
    installed: bool = False,
) -> Options:
    """The engine's typed options from the judging commands' click options."""
    from licensecheck.engine.audit import Options

    return Options(
        targets=tuple(targets),
        policies=tuple(policies),
        config=Path(config_path) if config_path else None,
        lockfile=Path(lockfile) if lockfile else None,
        offline=offline,
        use_cache=not no_cache,
        refresh=refresh,
        jobs=jobs,
        uses=tuple(uses),
        author=author,
        references=tuple((m, tuple(refs)) for m, refs in (references or {}).items()),
        baseline=baseline,
        installed=installed,
    )


class ProgressBar:
    """Draws `[####....] done/total` on one line of a terminal and wipes it when the work is done.

    Requests are counted as they finish, in batches (the targets, then their base models) whose totals
    arrive one by one: the numbers shown only ever grow (a later, smaller batch adds to what is shown,
    it never restarts the count) and the bar never shrinks."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.done = 0
        self.total = 0
        self.filled = 0
        self.drawn = 0  # characters on the line now

    def __call__(self, done: int, total: int) -> None:
        self.done = max(self.done, done)
        self.total = max(self.total, total, self.done)
        self.filled = max(self.filled, self.WIDTH * self.done // max(self.total, 1))
        line = f"[{'#' * self.filled}{'.' * (self.WIDTH - self.filled)}] {self.done}/{self.total}"
        self.out.write("\r" + line.ljust(self.drawn))
        self.drawn = len(line)
        if self.done >= self.total:
            self.clear()
        else:
            self.out.flush()

    def clear(self) -> None:
        """Wipe the bar (the report then starts on a clean line)."""
        if self.drawn:
            self.out.write("\r" + " " * self.drawn + "\r")
            self.out.flush()
            self.drawn = 0


def progress_bar(stream: TextIO | None = None) -> ProgressBar | None:
    """A progress bar on stderr, or None when stderr is not a terminal."""
    out = stream or sys.stderr
    if stream is None and not out.isatty():
        return None
    return ProgressBar(out)


def prepare(targets: Sequence[str], bar: ProgressBar | None = None, **options: Any) -> AuditRun:
    from licensecheck.engine.audit import AuditRun

    options.pop("verbose", None)  # how to render: not the engine's business
    return AuditRun(engine_options(targets, **options), bar)


def judge(targets: Sequence[str], **options: Any) -> tuple[Report, AuditRun]:
    """The report of the targets under the click options, and the run (its config and lockfile)."""
    bar = progress_bar()
    try:
        run = prepare(targets, bar, **options)
        report = run.report()
    finally:
        if bar is not None:
            bar.clear()
    hub_usage(run, bool(options.get("verbose")))
    return report, run


def write(text: str, output: str | None, color: bool | None = None) -> None:
    if output:
        from ..atomic import write_text

        write_text(Path(output), text)
    else:
        click.echo(text, nl=False, color=color)


def context(cfg: Config, lockfile: Path | None) -> Any:
    from ..render.context import RenderContext

    return RenderContext(
        tool_version=__version__,
        config_path=rel(cfg.path) if cfg.path else None,
        lockfile_path=rel(lockfile) if lockfile and lockfile.exists() else None,
        config_lines=cfg.model_lines if cfg.path and cfg.path.suffix != ".toml" else (),
        lockfile_given=rel(lockfile) if lockfile else None,
    )


def text_width() -> int:
    """The width text reports wrap at: the terminal's, kept within 80-120 columns; 100 when not a terminal."""
    if not sys.stdout.isatty():
        return 100
    import shutil

    return min(max(shutil.get_terminal_size((100, 24)).columns, 80), 120)


def use_color(choice: str, output: str | None) -> bool:
    if output or choice == "never":
        return False
    if choice == "always":
        return True
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


RENDERERS = {
    "json": "json",
    "sarif": "sarif",
    "markdown": "markdown",
    "junit": "junit",
    "spdx-json": "spdx",
    "cyclonedx-json": "cyclonedx",
    "html": "html",
}


def render(report: Report, fmt: str, run: AuditRun, *, color: bool, verbose: bool) -> str:
    ctx = context(run.config, run.lockfile)
    if fmt == "text":
        from ..render import text

        return text.render(report, ctx, color=color, verbose=verbose, width=text_width())
    from importlib import import_module

    renderer: Callable[[Report, Any], str] = import_module(f"licensecheck.render.{RENDERERS[fmt]}").render
    return renderer(report, ctx)


def emit(report: Report, run: AuditRun, *, fmt: str, output: str | None, color: str, verbose: bool) -> None:
    """Render the report and write it to stdout or the output file."""
    colored = use_color(color, output)
    write(render(report, fmt, run, color=colored, verbose=verbose), output, color=colored)


def rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def stream(
    targets: Sequence[str], fmt: str, output: str | None, fail_on: str, color: str, **options: Any
) -> int:
    """Judge and write model by model (text or JSON): memory stays flat however many models an org has."""
    from licensecheck.engine.audit import model_fails, notices_fail

    from ..render import json as json_render
    from ..render import text as text_render

    bar = progress_bar()
    run = prepare(targets, bar, **options)
    failed = False

    def counted() -> Any:
        nonlocal failed
        for m in run.models():
            if bar is not None:
                bar.clear()  # a row is about to be written below the bar
            failed = failed or model_fails(m, fail_on)
            yield m

    def write_to(out: TextIO, colored: bool) -> None:
        if fmt == "json":
            json_render.stream(out, run.postures, counted(), run.notices, context(run.config, run.lockfile))
        else:
            text_render.stream(
                out,
                run.postures,
                counted(),
                run.notices,
                color=colored,
                verbose=options["verbose"],
                ctx=context(run.config, run.lockfile),
                width=text_width() if not output else 100,
            )

    if output:
        from ..atomic import open_text

        with open_text(Path(output)) as fh:
            write_to(fh, False)
    else:
        write_to(sys.stdout, use_color(color, output))
    hub_usage(run, bool(options.get("verbose")))
    return 1 if failed or notices_fail(run.notices(), fail_on) else 0


def hub_usage(run: AuditRun, verbose: bool) -> None:
    """With -v: one line on stderr with the Hub calls the run made."""
    if verbose and run.hub is not None:
        click.echo(f"licensecheck: {run.hub.usage()}", err=True)
