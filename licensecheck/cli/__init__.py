"""The command line: the click group, its commands, and the one place errors become messages and exit codes."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from licensecheck.printable import printable

from .._version import __version__
from ..errors import LicensecheckError, PolicyError
from . import check, info, locking, policies


def _fail(message: str, code: int = 2) -> NoReturn:
    # A message of several lines (a lockfile's problems, one a line) keeps its lines; each is made
    # printable on its own, so no line can carry a control sequence a card or file put there.
    first, *rest = message.splitlines() or [""]
    click.echo(f"licensecheck: error: {printable(first)}", err=True)
    for line in rest:
        click.echo(printable(line), err=True)
    sys.exit(code)


# ---- the group -------------------------------------------------------------------------------------
@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100}
)
@click.version_option(__version__, "--version", prog_name="licensecheck")
def cli() -> None:
    """Open-model licence compliance: normalize model licences to SPDX and judge them with policies."""


cli.add_command(check.check)
cli.add_command(check.scan)
cli.add_command(info.normalize)
cli.add_command(info.explain)
cli.add_command(info.obligations)
cli.add_command(policies.policy)
cli.add_command(policies.init)
cli.add_command(locking.lock)


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
    if argv is None:  # the program itself (console script, python -m), not a caller in a longer process
        # At exit the interpreter's last garbage collections walk every object still alive (the report,
        # the knowledge base, the policies): ~13 ms of a 150 ms offline check, in a process that is
        # ending. Frozen objects are skipped by those collections only: the standard streams are still
        # flushed, and output files are written and closed before the command returns.
        atexit.register(gc.freeze)
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
        from licensecheck.render.context import plural  # lazy: --version and --help do not need it

        for path, line, col, msg in exc.problems:
            click.echo(printable(f"{path}:{line}:{col}: {msg}"), err=True)
        what = plural(len(exc.problems), f"{exc.what} problem")
        click.echo(f"licensecheck: {what}; nothing was judged", err=True)
        sys.exit(2)
    except LicensecheckError as exc:
        _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # e.g. -o below a file or onto a folder
        where = f" {exc.filename}" if exc.filename else ""
        _fail(f"cannot write{where}: {exc.strerror or exc}")
    sys.exit(rv if isinstance(rv, int) else 0)
