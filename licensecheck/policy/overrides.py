"""Overrides a policy or the config carries: waivers (accepted findings) and clarify (corrected licences)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from licensecheck.schema.located import Pos, Problems
from licensecheck.values import Value


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Waiver(Value):
    """A documented exception: these rules do not fail these models."""

    models: tuple[str, ...]
    rules: tuple[str, ...]
    reason: str
    approved_by: str | None = None
    expires: dt.date | None = None
    pos: Pos = ("", 0, 0)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Clarify(Value):
    """A licence stated for models whose cards do not say it clearly."""

    models: tuple[str, ...]
    license: str
    reason: str
    pos: Pos = ("", 0, 0)


def waiver_from(entry: Mapping[str, Any]) -> Waiver:
    """A waiver from a mapping validated by the WAIVER schema (schema/kinds.py)."""
    return Waiver(
        tuple(entry["models"]),
        tuple(entry["rules"]),
        entry["reason"],
        entry.get("approved_by"),
        entry.get("expires"),
        getattr(entry, "pos", ("", 0, 0)),
    )


def clarify_from(entry: Mapping[str, Any], probs: Problems) -> Clarify | None:
    """A clarify entry from a mapping validated by the CLARIFY schema; its licence must be one
    licensecheck can identify (reported at the entry otherwise)."""
    from licensecheck.licenses.normalize import normalize_license_string

    pos: Pos = getattr(entry, "pos", ("", 0, 0))
    lic = entry["license"]
    if normalize_license_string(lic).expression is None:
        probs.items.append(
            (
                *getattr(lic, "pos", pos),
                f"clarify license {lic!r} is not an SPDX expression or a licence licensecheck knows",
            )
        )
        return None
    return Clarify(tuple(entry["models"]), str(lic), entry["reason"], pos)
