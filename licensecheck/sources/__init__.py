"""Metadata sources: local cards, the lockfile, the cache and the Hub (the MetadataSource seam)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

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

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
MAX_LINKED_PATH = 256
# a licence "file" that is no text to read (a scan, an office document, weights, an archive)
_NOT_TEXT = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".rtf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".zip", ".gz",
     ".tgz", ".tar", ".bin", ".safetensors", ".gguf", ".pt", ".pth", ".ckpt", ".onnx", ".npz", ".npy", ".pkl",
     ".h5", ".json", ".yaml", ".yml", ".py"}
)  # fmt: skip
_LICENCE_STEM = re.compile(r"^(?:licen[cs]e|copying)", re.IGNORECASE)
_MODEL_WORD = re.compile(r"model|weight", re.IGNORECASE)
_OTHER_WORD = re.compile(r"code|software|source|data|third|notice|sample|example|tool", re.IGNORECASE)


def _is_text_name(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() not in _NOT_TEXT


def linked_path(link: str | None, repo_id: str | None, hosts: Collection[str] = HUB_HOSTS) -> str | None:
    """The file of the model's own repository that the card's `license_link` names, as a path inside it:
    a relative link (`LICENSE-MODEL`, `./docs/LICENSE.txt`) or a Hub link to this same repository
    (`https://huggingface.co/<repo>/blob/<revision>/<path>`, on a host of `hosts`). None for anything else:
    another repository or site, a path that climbs out or is absolute, control characters, a long path."""
    if not isinstance(link, str) or not link.strip() or len(link) > 4 * MAX_LINKED_PATH:
        return None
    link = link.strip()
    if "://" in link:
        try:
            parts = urlsplit(link)
            host = (parts.hostname or "").lower()
        except ValueError:  # "https://[oops/x": no URL at all
            return None
        segments = [unquote(s) for s in parts.path.split("/") if s]
        if (
            host not in hosts
            or repo_id is None
            or len(segments) < 5
            or segments[2] not in ("blob", "resolve")
        ):
            return None
        if "/".join(segments[:2]).lower() != repo_id.lower():
            return None
        path = "/".join(segments[4:])
    elif link.startswith(("/", "#", "?")) or ":" in link:
        return None  # site-absolute, an anchor, a query, a scheme such as mailto:
    else:
        path = unquote(link.split("#", 1)[0].split("?", 1)[0]).removeprefix("./")
    pieces = path.split("/")
    if (
        not path
        or len(path) > MAX_LINKED_PATH
        or "\\" in path
        or any(ord(c) < 32 or ord(c) == 127 for c in path)
        or any(p in ("", ".", "..") for p in pieces)
    ):
        return None
    return path


def licence_file_in(
    names: Collection[str],
    link: str | None = None,
    repo_id: str | None = None,
    hosts: Collection[str] = HUB_HOSTS,
) -> str | None:
    """Which of a repository's files (`names`: paths inside it) is the model's licence text:
    1. the file the card's `license_link` names, when the repository has it and it is text;
    2. else the first of LICENSE_FILES it has;
    3. else a top-level file named LICENSE.../LICENCE.../COPYING... in any case (`License.txt`,
       `LICENSE-Yuan`, `LICENSE_MODEL.txt`), when that choice is not ambiguous: the one naming the model or
       weights, else the only one that does not name code, data, third parties or notices. Several files
       and no way to tell which covers the weights: none (the licence stays unidentified, never the code's).
    """
    linked = linked_path(link, repo_id, hosts)
    if linked is not None and _is_text_name(linked):
        match = linked if linked in names else next((n for n in names if n.lower() == linked.lower()), None)
        if match is not None:
            return match
    for name in LICENSE_FILES:
        if name in names:
            return name
    found = sorted(n for n in names if "/" not in n and _LICENCE_STEM.match(n) and _is_text_name(n))
    for pool in (
        [n for n in found if _MODEL_WORD.search(n)],
        [n for n in found if not _OTHER_WORD.search(n)],
    ):
        if len(pool) == 1:
            return pool[0]
        if pool:
            return None
    return None


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
