"""Atomic file writes: a temporary file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    """The process umask, read once at import (reading it means setting it, which is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_DEFAULT_MODE = 0o666 & ~_umask()


@contextlib.contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """A text file to write `path` through: readers see the old file or the new one, never a half-written one.

    The new file keeps the mode of the file it replaces (else the usual 0o666 less the umask): the
    temporary file's private 0o600 must not leak onto a lockfile or report that others read.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = _DEFAULT_MODE
    import tempfile  # here, not at import: readers of the lockfile never pay for it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (see `open_text`)."""
    with open_text(path) as fh:
        fh.write(text)
