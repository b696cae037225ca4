"""Overrides a policy or the config carries: waivers (accepted findings) and clarify (corrected licences)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from licensecheck.schema.located import Pos, Problems, mapping_items, scalar, str_list, suggest

WAIVER_KEYS = ("models", "rules", "reason", "approved_by", "expires")
CLARIFY_KEYS = ("models", "license", "reason")


@dataclass(frozen=True, slots=True)
class Waiver:
    models: tuple[str, ...]
    rules: tuple[str, ...]
    reason: str
    approved_by: str | None = None
    expires: dt.date | None = None
    pos: Pos = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Clarify:
    models: tuple[str, ...]
    license: str
    reason: str
    pos: Pos = ("", 0, 0)


def _date(node: yaml.Node, probs: Problems, what: str) -> dt.date | None:
    v = scalar(node, probs)
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    probs.add(node, f"{what} must be a date like 2027-06-30, not {v!r}")
    return None


def _fields(
    node: yaml.Node, probs: Problems, what: str, kind: str, keys: tuple[str, ...]
) -> dict[str, yaml.Node] | None:
    """The entry's value nodes by key; unknown keys are reported (a typo must not weaken a gate)."""
    items = mapping_items(node, probs, what)
    if items is None:
        return None
    for key, knode, _ in items:
        if key not in keys:
            probs.add(knode, f"unknown {kind} key '{key}'{suggest(key, keys)}")
    return {k: vn for k, _, vn in items}


def _text(f: dict[str, yaml.Node], key: str, node: yaml.Node, probs: Problems, problem: str) -> str | None:
    """A required non-empty string, or None with `problem` reported at the value (or the entry)."""
    value = scalar(f[key], probs) if key in f else None
    if not isinstance(value, str) or not value.strip():
        probs.add(f.get(key, node), problem)
        return None
    return value


def parse_waiver(node: yaml.Node, probs: Problems) -> Waiver | None:
    f = _fields(node, probs, "a waiver", "waiver", WAIVER_KEYS)
    if f is None:
        return None
    models = str_list(f["models"], probs, "waiver models") if "models" in f else None
    rules = str_list(f["rules"], probs, "waiver rules") if "rules" in f else None
    if "models" not in f:
        probs.add(node, "waiver has no 'models'")
    if "rules" not in f:
        probs.add(node, "waiver has no 'rules'")
    reason = _text(f, "reason", node, probs, "waiver needs a 'reason' (why the finding is acceptable)")
    approved = scalar(f["approved_by"], probs) if "approved_by" in f else None
    if approved is not None and not isinstance(approved, str):
        probs.add(f["approved_by"], "approved_by must be a string")
    expires = _date(f["expires"], probs, "expires") if "expires" in f else None
    if models is None or rules is None or reason is None:
        return None
    return Waiver(
        models, rules, reason, approved if isinstance(approved, str) else None, expires, probs.pos(node)
    )


def parse_clarify(node: yaml.Node, probs: Problems) -> Clarify | None:
    f = _fields(node, probs, "a clarify entry", "clarify", CLARIFY_KEYS)
    if f is None:
        return None
    models = str_list(f["models"], probs, "clarify models") if "models" in f else None
    if "models" not in f:
        probs.add(node, "clarify entry has no 'models'")
    lic = _text(f, "license", node, probs, "clarify entry needs a 'license' (an SPDX expression)")
    reason = _text(f, "reason", node, probs, "clarify entry needs a 'reason'")
    if lic is not None:
        from licensecheck.licenses.normalize import normalize_license_string

        if normalize_license_string(lic).expression is None:
            probs.add(
                f["license"],
                f"clarify license {lic!r} is not an SPDX expression or a licence licensecheck knows",
            )
            lic = None
    if models is None or lic is None or reason is None:
        return None
    return Clarify(models, lic, reason, probs.pos(node))
