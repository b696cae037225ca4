"""Baseline mode: only models new or relicensed since a baseline lockfile (or git ref) can fail a run."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from licensecheck.errors import LicensecheckError
from licensecheck.model import Finding, ModelReport
from licensecheck.sources.lockfile import Lockfile


def load(spec: str, lockfile: Path) -> Lockfile:
    """The baseline: a lockfile path, or a git ref whose version of `lockfile` is read with `git show`."""
    if spec.startswith("-"):
        raise LicensecheckError(
            f"--baseline {spec}: a git ref or lockfile path cannot start with '-' (write ./{spec} for a file)"
        )
    path = Path(spec)
    if path.is_file():
        return Lockfile.read(path)
    top = _git(["rev-parse", "--show-toplevel"], lockfile.resolve().parent)
    root = Path(top.strip())
    try:
        rel = lockfile.resolve().relative_to(root)
    except ValueError:
        raise LicensecheckError(
            f"--baseline {spec}: {lockfile} is not inside the git repository {root}"
        ) from None
    # the ref is resolved to a commit id first (never read as an option), then the file read from it
    commit = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}"], root
    ).strip()
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise LicensecheckError(f"--baseline {spec}: neither a lockfile nor a git commit")
    text = _git(["show", f"{commit}:{rel.as_posix()}", "--"], root)
    return Lockfile.parse(text, Path(f"{spec}:{rel.as_posix()}"))


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LicensecheckError(f"--baseline: cannot run git: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise LicensecheckError(f"--baseline: neither a lockfile nor a git ref with the lockfile ({detail})")
    return done.stdout


def status(model: ModelReport, base: Lockfile) -> str:
    meta = model.meta
    if not meta.repo_id:
        return "new"
    locked = base.license_fields(meta.repo_id)
    if locked is None:
        return "new"
    d = meta.declared
    now = (list(d.license) if isinstance(d.license, tuple) else d.license, d.license_name, d.license_link)
    return "unchanged" if tuple(now) == tuple(locked) else "changed"


def mark(model: ModelReport, base: Lockfile, postures: Sequence[str]) -> ModelReport:
    """The model marked new/changed/unchanged; new and changed ones get a `baseline-new` info finding."""
    st = status(model, base)
    extra: tuple[Finding, ...] = ()
    if st != "unchanged":
        what = "new since the baseline" if st == "new" else "licence changed since the baseline"
        extra = tuple(Finding("baseline-new", p, "info", what, rule="baseline-new") for p in postures)
    return replace(model, baseline=st, findings=model.findings + extra)
