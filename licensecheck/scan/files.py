"""Which files `scan` reads when given none, and the organisations and Hub check that settle candidates.

With no files and no `scan` globs in the config, the files are git's view of the working directory
(tracked, plus untracked files that are not ignored) when it is inside a git work tree, else a walk of
it; either way never a virtualenv, `node_modules`, build output or a cache (SKIP_DIRS). Paths are
relative to the working directory.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import SKIP_DIRS

MAX_CONFIRM = 300  # uncertain candidates checked on the Hub per run (one cached request each)


def _skipped(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return any(part in SKIP_DIRS or part.endswith(".egg-info") for part in parts[:-1])


def git_files(cwd: Path) -> list[Path] | None:
    """Tracked and untracked-but-not-ignored files under `cwd`, relative to it; None outside git."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"],
            cwd=cwd,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    return [Path(name) for name in sorted(set(names)) if name and not _skipped(name)]


def default_files(cwd: Path | None = None) -> list[Path]:
    """The files `scan` reads with no arguments and no config globs (see the module docstring)."""
    here = cwd or Path(".")
    found = git_files(here)
    if found is not None:
        return [path for path in found if (here / path).is_file()]
    return [here] if cwd else [Path(".")]


def relative(paths: Iterable[Path], cwd: Path) -> list[Path]:
    """`paths` relative to `cwd` where they lie under it (config globs give absolute paths)."""
    out = []
    for path in paths:
        try:
            out.append(path.resolve().relative_to(cwd.resolve()) if path.is_absolute() else path)
        except ValueError:
            out.append(path)
    return out


def known_orgs(publisher_orgs: Iterable[str], lockfile_ids: Iterable[str]) -> frozenset[str]:
    """Organisations that confirm a weak candidate offline: publishers and the lockfile's namespaces."""
    orgs = {org.lower() for org in publisher_orgs}
    orgs.update(repo.partition("/")[0].lower() for repo in lockfile_ids if "/" in repo)
    return frozenset(orgs)


def hub_confirm(
    fetch_many: Callable[[Sequence[str]], Mapping[str, Any]], warn: Callable[[str], None]
) -> Callable[[set[str]], set[str]]:
    """A `confirm` for the scanner over a Hub source's `fetch_many` (cached, one request per id):
    the candidates the Hub knows as models (gated ones included)."""

    def confirm(candidates: set[str]) -> set[str]:
        chosen = sorted(candidates)[:MAX_CONFIRM]
        if len(candidates) > MAX_CONFIRM:
            warn(f"{len(candidates) - MAX_CONFIRM} uncertain candidate(s) not checked on the Hub")
        from licensecheck.sources.hub import HubUnreachable

        try:
            metas = fetch_many(chosen)
        except HubUnreachable as exc:  # the references the context settles are still listed
            warn(f"{exc}; {len(chosen)} uncertain candidate(s) left unconfirmed")
            return set()
        confirmed = set()
        for repo, meta in metas.items():
            error = getattr(meta, "error", None)
            if error is None or getattr(error, "kind", None) == "gated":
                confirmed.add(repo)
        return confirmed

    return confirm


def cwd() -> Path:
    return Path(os.getcwd())
