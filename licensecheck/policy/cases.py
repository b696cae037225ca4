"""`licensecheck policy test`: policy test cases (models and the verdicts they must get).

A test file:

    version: 1
    policy: commercial               # a built-in name or a policy file relative to this file
    cases:
      - name: DeepSeek-R1 (MIT) is allowed
        model: deepseek-ai/DeepSeek-R1
        lock:                        # lockfile entries: the model and any base models
          deepseek-ai/DeepSeek-R1: {license: mit, author: deepseek-ai}
        expect: allow                # the verdict
        codes: [permissive]          # optional: finding codes that must be present
      - name: a local card
        card: cards/acme/README.md   # a model folder or card file relative to this file
        use: [saas]                  # optional declared uses
        expect: deny
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from licensecheck.engine import audit
from licensecheck.engine.match import Env
from licensecheck.errors import ConfigError, LicensecheckError, PolicyError
from licensecheck.licenses import facts
from licensecheck.policy.document import BUILTINS, _below, load_policy
from licensecheck.schema import kinds
from licensecheck.schema.load import load_text
from licensecheck.schema.located import Problems
from licensecheck.schema.validate import BAD
from licensecheck.schema.yamlio import POLICY_BYTES, read_input
from licensecheck.sources.lockfile import Lockfile


def _load(path: Path) -> dict[str, Any]:
    """A policy test file validated against its schema (POLICY_TESTS); every problem as FILE:LINE:COL."""
    text = read_input(path, POLICY_BYTES, "policy test file")
    probs = Problems(str(path))
    doc = load_text(text, str(path), kinds.POLICY_TESTS, probs, empty="empty policy test file")
    if doc is BAD:
        raise PolicyError(probs.items)
    return dict(doc)


def run_file(path: Path) -> tuple[list[str], int]:
    """Run every case of one file: (report lines, number of failures)."""
    doc = _load(path)
    spec = doc["policy"]
    if spec not in BUILTINS and not _below(spec, path.parent):
        raise ConfigError(
            f"{path}: policy '{spec}' must be a built-in name or a file below this file's folder"
        )
    policy = load_policy(spec, path.parent)
    kb = facts.load()
    lines = [f"{path}: policy {policy.name}"]
    failures = 0
    for index, case in enumerate(doc["cases"]):
        name = str(case.get("name") or f"case {index + 1}")
        if case.get("card") and not _below(str(case["card"]), path.parent):
            raise ConfigError(
                f"{path}: case {index + 1}: card '{case['card']}' must be a path below this file's folder"
            )
        lock = Lockfile(path, dict(case.get("lock") or {}), dict(case.get("datasets") or {}))
        target = str(case["model"]) if case.get("model") else str(path.parent / str(case["card"]))
        today = case.get("today")
        env = Env(kb, today if isinstance(today, dt.date) else dt.date.today(), tuple(case.get("use") or ()))
        sources = audit.Sources(models=lock.fetch_many, datasets=lock.fetch_datasets)
        report = audit.run([target], [policy], kb, sources, env)
        model = report.models[0]
        got = model.verdicts[policy.name]
        codes = {f.code for f in model.findings}
        missing = [c for c in case.get("codes") or [] if c not in codes]
        if got == case["expect"] and not missing:
            lines.append(f"  PASS  {name}")
            continue
        failures += 1
        why = f"expected {case['expect']}, got {got}" if got != case["expect"] else f"missing codes {missing}"
        found = "; ".join(f"{f.severity} {f.code}" for f in model.findings if f.severity != "allow") or "none"
        lines.append(f"  FAIL  {name}: {why} (findings: {found})")
    return lines, failures


def run_files(paths: list[Path]) -> tuple[list[str], int]:
    lines: list[str] = []
    failures = 0
    total = 0
    for path in paths:
        try:
            got, failed = run_file(path)
        except LicensecheckError:
            raise
        lines.extend(got)
        failures += failed
        total += len(got) - 1
    lines.append(f"{total - failures} passed, {failures} failed")
    return lines, failures


def builtin_test_files() -> list[Path]:
    """The shipped postures' own cases (installed with the package)."""
    from importlib import resources

    root = resources.files("licensecheck.rules").joinpath("tests")
    return sorted(Path(str(root.joinpath(n.name))) for n in root.iterdir() if n.name.endswith(".yaml"))
