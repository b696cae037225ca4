"""Project configuration: `licensecheck.yaml` or `[tool.licensecheck]` in pyproject.toml, found upward."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from licensecheck.policy.overrides import Clarify, Waiver, clarify_from, waiver_from
from licensecheck.schema import kinds
from licensecheck.schema.load import load_text
from licensecheck.schema.located import Problems
from licensecheck.schema.validate import BAD
from licensecheck.schema.yamlio import CONFIG_BYTES, YamlProblem, compose, read_input
from licensecheck.values import Value

from .errors import ConfigError, PolicyError

NAMES = ("licensecheck.yaml", "licensecheck.yml", ".licensecheck.yaml")


@dataclass(frozen=True, eq=False, repr=False)
class Config(Value):
    """A project's licensecheck.yaml (or [tool.licensecheck]): postures, models, waivers, facts."""

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
    model_lines: tuple[tuple[str, int], ...] = ()  # (entry of `models`, its line), for reports to point at

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
    text = read_input(path, CONFIG_BYTES, "pyproject.toml", errors="strict")
    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # TOML syntax
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


def _model_lines(text: str) -> tuple[tuple[str, int], ...]:
    """The line of each string entry of the top-level `models` list (the text was validated already)."""
    try:
        root = compose(text)
    except YamlProblem:
        return ()
    if not isinstance(root, yaml.MappingNode):
        return ()
    for key, value in root.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value == "models"
            and isinstance(value, yaml.SequenceNode)
        ):
            return tuple(
                (item.value, item.start_mark.line + 1)
                for item in value.value
                if isinstance(item, yaml.ScalarNode)
            )
    return ()


def load(path: Path) -> Config:
    if path.name == "pyproject.toml":
        table = _pyproject_table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.licensecheck] table")
        text = _table_as_yaml(table, path)  # validated through the same code, each key on its TOML line
    else:
        text = read_input(path, CONFIG_BYTES, "config file")
    probs = Problems(str(path))
    data = load_text(text, str(path), kinds.CONFIG, probs)
    if data is None:
        return Config(path=path)
    if data is BAD:
        raise PolicyError(probs.items, what="config")
    values: dict[str, Any] = {"path": path}
    for key in ("policies", "models", "scan", "use", "licenses", "publishers"):
        if key in data:
            values[key] = tuple(data[key])
    if "lockfile" in data:
        values["lockfile"] = Path(data["lockfile"])
    values["waivers"] = tuple(waiver_from(w) for w in data.get("waivers") or ())
    values["clarify"] = tuple(c for e in data.get("clarify") or () if (c := clarify_from(e, probs)))
    if probs.items:
        raise PolicyError(probs.items, what="config")
    values["model_lines"] = _model_lines(text)
    cfg = Config(**values)
    if cfg.lockfile is not None and not cfg.lockfile.is_absolute():
        cfg = Config(**{**values, "lockfile": cfg.base_dir / cfg.lockfile})
    return cfg
