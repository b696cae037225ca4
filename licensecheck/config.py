"""Project configuration: `licensecheck.yaml` or `[tool.licensecheck]` in pyproject.toml, found upward."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from licensecheck.policy.conditions import USES
from licensecheck.policy.overrides import Clarify, Waiver, parse_clarify, parse_waiver
from licensecheck.schema.located import Problems, seq, suggest
from licensecheck.schema.yamlio import (
    CONFIG_BYTES,
    FileTooLarge,
    YamlProblem,
    compose,
    construct,
    read_capped,
)

from .errors import ConfigError, PolicyError

KEYS = ("policies", "models", "scan", "lockfile", "waivers", "clarify", "licenses", "publishers", "use")
NAMES = ("licensecheck.yaml", "licensecheck.yml", ".licensecheck.yaml")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    policies: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    scan: tuple[str, ...] = ()
    lockfile: Path | None = None
    waivers: tuple[Waiver, ...] = ()
    clarify: tuple[Clarify, ...] = ()
    licenses: tuple[dict[str, Any], ...] = ()
    publishers: tuple[dict[str, Any], ...] = ()
    use: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve_path(self, value: str) -> str:
        """Relative paths in a config are relative to the config file."""
        p = Path(value).expanduser()
        if p.is_absolute() or self.path is None:
            return str(p)
        return str(self.base_dir / p)


def discover(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in NAMES:
            if (folder / name).is_file():
                return folder / name
        py = folder / "pyproject.toml"
        if py.is_file() and _pyproject_table(py) is not None:
            return py
    return None


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    try:
        data = tomllib.loads(read_capped(path, CONFIG_BYTES, "pyproject.toml", errors="strict"))
    except FileTooLarge as exc:
        raise ConfigError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    table = data.get("tool", {}).get("licensecheck")
    return table if isinstance(table, dict) else None


_TOML_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*[.=]""")


def _toml_key_lines(text: str) -> dict[str, int]:
    """The line of each key of [tool.licensecheck] (a `key = ...` line or a [tool.licensecheck.key] header)."""
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            name = stripped.strip("[]").split("#", 1)[0].strip().replace(" ", "").replace('"', "")
            inside = name == "tool.licensecheck"
            if name.startswith("tool.licensecheck."):
                lines.setdefault(name[len("tool.licensecheck.") :].split(".", 1)[0], number)
            continue
        match = _TOML_KEY.match(line) if inside else None
        if match:
            lines.setdefault(next(g for g in match.groups() if g), number)
    return lines


def _table_as_yaml(table: dict[str, Any], path: Path) -> str:
    """YAML for a [tool.licensecheck] table with every key on the line it has in pyproject.toml, so that
    FILE:LINE:COL in messages points into the TOML (columns of nested values are approximate)."""
    try:
        where = _toml_key_lines(path.read_text(encoding="utf-8"))
    except OSError:
        where = {}
    out: list[str] = []
    for key, value in table.items():
        line = max(where.get(key, 0), len(out) + 1)
        out.extend([""] * (line - 1 - len(out)))
        flow = yaml.safe_dump([value], default_flow_style=True, width=1 << 30, allow_unicode=True).strip()
        out.append(f"{json.dumps(key)}: {flow[1:-1]}")
    return "\n".join(out) + "\n"


def load(path: Path) -> Config:
    if path.name == "pyproject.toml":
        table = _pyproject_table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.licensecheck] table")
        text = _table_as_yaml(table, path)  # validated through the same code, each key on its TOML line
    else:
        try:
            text = read_capped(path, CONFIG_BYTES, "config file")
        except FileTooLarge as exc:
            raise ConfigError(str(exc)) from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    probs = Problems(str(path))
    try:
        root = compose(text)
    except YamlProblem as exc:
        raise PolicyError([(str(path), exc.line or 1, exc.col or 1, exc.message)]) from None
    if root is None:
        return Config(path=path)
    if not isinstance(root, yaml.MappingNode):
        raise PolicyError([(str(path), 1, 1, "a config file must be a mapping")])
    values: dict[str, Any] = {"path": path}
    for knode, vnode in root.value:
        key = knode.value
        if key not in KEYS:
            probs.add(knode, f"unknown config key '{key}'{suggest(str(key), KEYS)}")
            continue
        if key == "waivers":
            values["waivers"] = tuple(
                w for n in seq(vnode, probs, "waivers") if (w := parse_waiver(n, probs))
            )
            continue
        if key == "clarify":
            values["clarify"] = tuple(
                c for n in seq(vnode, probs, "clarify") if (c := parse_clarify(n, probs))
            )
            continue
        try:
            value = construct(vnode)
        except YamlProblem as exc:
            probs.add(vnode, exc.message)
            continue
        if key == "lockfile":
            if not isinstance(value, str):
                probs.add(vnode, "lockfile must be a path")
            else:
                values["lockfile"] = Path(value)
        elif key in ("licenses", "publishers"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                probs.add(vnode, f"{key} must be a list of mappings")
            elif key == "licenses" and not all("id" in v for v in value):
                probs.add(vnode, "every extra licence needs an 'id'")
            else:
                values[key] = tuple(value)
        else:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                probs.add(vnode, f"{key} must be a list of strings")
                continue
            if key == "use":
                for u in items:
                    if u not in USES:
                        probs.add(vnode, f"unknown use '{u}'{suggest(u, USES)} (one of {', '.join(USES)})")
            values[key] = tuple(items)
    if probs.items:
        raise PolicyError(probs.items)
    cfg = Config(**values)
    if cfg.lockfile is not None and not cfg.lockfile.is_absolute():
        cfg = Config(**{**values, "lockfile": cfg.base_dir / cfg.lockfile})
    return cfg
