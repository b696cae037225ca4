"""Metadata sources: local cards, the lockfile, the cache and the Hub (the MetadataSource seam)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

from ..model import ModelMeta

# A model repository's licence file, by the names it goes by, in the order they are looked for.
LICENSE_FILES = (
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.txt",
    "LICENSE-MODEL",
    "MODEL_LICENSE",
    "COPYING",
)


class NotRegular(OSError):
    """A path that is not a regular file (a FIFO, a device, a folder): never read."""


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading only if it is a regular file (after links): a FIFO does not block the
    open (O_NONBLOCK) and is refused, as are devices such as /dev/zero. NotRegular (an OSError) if not."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"{path.name} is not a regular file (a folder, FIFO or device); it is not read")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class MetadataSource(Protocol):
    """Reads metadata for Hub ids; a failure for one id is that model's `error`, never an exception."""

    def fetch_many(self, ids: Sequence[str]) -> dict[str, ModelMeta]: ...
