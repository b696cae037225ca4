"""What users type as a target: a Hub id, a model-page URL, or a local path; anything else is a usage error.

Accepted:
- `org/name` and `org/name@REV` (a branch, tag or commit);
- a model page `https://huggingface.co/org/name`, with `/tree/REV[/...]`, `/blob/REV/...` or `/resolve/REV/...`,
  and the same under `HF_ENDPOINT` (becomes `org/name` or `org/name@REV`);
- an existing file or folder (a model folder, a card `.md`, a GGUF/safetensors file, a cache or store);
- a bare legacy name such as `gpt2`: tried on the Hub online (which redirects it to its organisation),
  an error offline.
Anything else (a mistyped folder, `org/name/extra`, a dataset or Space page, spaces or quotes) is a
usage error that names the target, so a typo never looks like a judged model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError
from .card import HUB_ID, hub_id_from_url

BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\Z")
REVISION = re.compile(r"^[A-Za-z0-9._/-]{1,200}\Z")
_PATH_SUFFIXES = (".md", ".gguf", ".safetensors", ".json", ".yaml", ".yml", ".txt")


def is_local(target: str) -> bool:
    """A path (existing, or spelled like one), as opposed to a Hub id or a bare legacy name."""
    if target.startswith((".", "/", "~")) or "\\" in target or target.lower().endswith(_PATH_SUFFIXES):
        return True
    repo = target.split("@", 1)[0]
    if HUB_ID.match(repo) or BARE.match(repo):
        return _exists(target) and not _looks_hub(target)
    return True


def _looks_hub(target: str) -> bool:
    return "@" in target and bool(HUB_ID.match(target.split("@", 1)[0]))


def _exists(target: str) -> bool:
    """Anything at the path, even a dangling or looping link (reading it then says what is wrong)."""
    try:
        return os.path.lexists(Path(target).expanduser())
    except (OSError, ValueError):
        return False


def resolve(targets: Iterable[str], *, offline: bool, base: Path | None = None) -> list[str]:
    """The targets as the run uses them (URLs become ids, config paths become absolute), in order.

    `base`: the folder relative paths are read from (the config's folder for its `models:`). UsageError
    (exit 2) for the first target that is none of the accepted forms, naming it."""
    out: list[str] = []
    for raw in targets:
        out.append(_one(raw, offline=offline, base=base))
    return out


def _one(raw: str, *, offline: bool, base: Path | None) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise UsageError(f"empty target {raw!r}: give org/name, a model URL or a path")
    target = raw.strip()
    if "://" in target:
        hub = hub_id_from_url(target)
        if hub is None:
            raise UsageError(
                f"target {_show(raw)} is not a model page: expected https://huggingface.co/ORG/NAME "
                "(optionally /tree/REVISION), or the same under HF_ENDPOINT"
            )
        return hub
    path = Path(target).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if _exists(str(path)) and not _looks_hub(target):
        return str(path) if base is not None else target
    repo, at, rev = target.partition("@")
    if HUB_ID.match(repo) and not target.startswith((".", "/", "~")):
        if at and not REVISION.match(rev):
            raise UsageError(f"target {_show(raw)} has an unreadable revision after '@'")
        return target
    if BARE.match(repo) and not target.lower().endswith(_PATH_SUFFIXES) and (not at or REVISION.match(rev)):
        if offline:
            raise UsageError(
                f"target {_show(raw)} is neither org/name nor an existing file or folder "
                "(a bare legacy Hub name can only be looked up online)"
            )
        return target  # a legacy Hub id (`gpt2`); the Hub says whether it knows it
    if target.startswith((".", "/", "~")) or "\\" in target or "/" in target:
        raise UsageError(f"target {_show(raw)}: no such file or folder, and not a Hub id (org/name)")
    raise UsageError(f"target {_show(raw)} is neither a Hub id (org/name), a model URL, nor a file or folder")


def _show(raw: str) -> str:
    """The target as typed, quoted, without control characters, not too long."""
    from licensecheck.printable import printable

    clean = printable(raw)
    return repr(clean[:200] + ("..." if len(clean) > 200 else ""))


def bare_not_found(target: str) -> UsageError:
    """The run error for a bare name the Hub does not know."""
    return UsageError(
        f"target {_show(target)} is not a model the Hub knows: give org/name, a model URL, or a file or folder"
    )
