"""Overrides a policy or the config carries: waivers (accepted findings) and clarify (corrected licences)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from .located import Pos, Problems, mapping_items, scalar, str_list, suggest

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


def parse_waiver(node: yaml.Node, probs: Problems) -> Waiver | None:
    items = mapping_items(node, probs, "a waiver")
    if items is None:
        return None
    f = {k: vn for k, _, vn in items}
    for key, knode, _ in items:
        if key not in WAIVER_KEYS:
            probs.add(knode, f"unknown waiver key '{key}'{suggest(key, WAIVER_KEYS)}")
    models = str_list(f["models"], probs, "waiver models") if "models" in f else None
    rules = str_list(f["rules"], probs, "waiver rules") if "rules" in f else None
    if "models" not in f:
        probs.add(node, "waiver has no 'models'")
    if "rules" not in f:
        probs.add(node, "waiver has no 'rules'")
    reason = scalar(f["reason"], probs) if "reason" in f else None
    if not isinstance(reason, str) or not reason.strip():
        probs.add(f.get("reason", node), "waiver needs a 'reason' (why the finding is acceptable)")
        reason = None
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
    items = mapping_items(node, probs, "a clarify entry")
    if items is None:
        return None
    f = {k: vn for k, _, vn in items}
    for key, knode, _ in items:
        if key not in CLARIFY_KEYS:
            probs.add(knode, f"unknown clarify key '{key}'{suggest(key, CLARIFY_KEYS)}")
    models = str_list(f["models"], probs, "clarify models") if "models" in f else None
    if "models" not in f:
        probs.add(node, "clarify entry has no 'models'")
    lic = scalar(f["license"], probs) if "license" in f else None
    if not isinstance(lic, str) or not lic.strip():
        probs.add(f.get("license", node), "clarify entry needs a 'license' (an SPDX expression)")
        lic = None
    reason = scalar(f["reason"], probs) if "reason" in f else None
    if not isinstance(reason, str) or not reason.strip():
        probs.add(f.get("reason", node), "clarify entry needs a 'reason'")
        reason = None
    if lic is not None:
        from .normalize import normalize_license_string

        if normalize_license_string(lic).expression is None:
            probs.add(
                f["license"],
                f"clarify license {lic!r} is not an SPDX expression or a licence licensecheck knows",
            )
            lic = None
    if models is None or lic is None or reason is None:
        return None
    return Clarify(models, lic, reason, probs.pos(node))
