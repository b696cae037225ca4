"""The one glob matcher for model patterns (waivers' and clarifications' `models:`)."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from licensecheck.model import ModelMeta


def model_matches(patterns: Sequence[str], meta: ModelMeta) -> bool:
    """Whether a glob matches the model's id, repo id, or repo@revision (case-insensitively)."""
    names = {meta.id.lower()}
    if meta.repo_id:
        names.add(meta.repo_id.lower())
        if meta.revision:
            names.add(f"{meta.repo_id}@{meta.revision}".lower())
    return any(fnmatchcase(n, p.lower()) for p in patterns for n in names)
