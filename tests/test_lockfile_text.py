"""The lockfile's text: no YAML anchors or aliases (a reviewer reads it in diffs), and the fast read of a
small, plain lockfile gives exactly what the located (slow) read gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from licensecheck.errors import ConfigError
from licensecheck.schema import kinds, load
from licensecheck.schema.located import Problems
from licensecheck.sources.lockfile import Lockfile


def _entry(lic: object) -> dict[str, object]:
    return {"author": "acme", "license": lic, "base_models": [], "tags": ["a", "b"]}


def test_a_value_shared_by_two_entries_is_written_out_twice(tmp_path: Path) -> None:
    shared = ["apache-2.0", "mit"]
    lock = Lockfile(tmp_path / "licensecheck.lock", {"acme/a": _entry(shared), "acme/b": _entry(shared)}, {})
    text = lock.render("2026-12-01")
    assert "&id" not in text and "*id" not in text
    again = Lockfile.parse(text, tmp_path / "licensecheck.lock")
    assert again.models["acme/b"]["license"] == ["apache-2.0", "mit"]


def test_the_fast_read_equals_the_located_read(tmp_path: Path) -> None:
    lock = Lockfile(tmp_path / "x.lock", {f"acme/m{i}": _entry("mit") for i in range(30)}, {})
    text = lock.render("2026-12-01")
    fast = load.load_text(text, "x.lock", kinds.LOCKFILE, Problems("x.lock"), fast=True)
    slow = load.load_text(text, "x.lock", kinds.LOCKFILE, Problems("x.lock"))
    assert fast == slow and fast is not load.BAD


@pytest.mark.parametrize(
    "body",
    [
        "version: 1\nmodels:\n  acme/a: {author: acme}\n  acme/a: {author: evil}\n",  # duplicate key
        "version: 1\nmodels:\n  acme/a: {author: acme, licence: mit}\n",  # unknown key
        "version: 1\nmodels:\n  acme/a: &x {author: acme}\n  acme/b: *x\n",  # aliases take the counted path
    ],
)
def test_problems_found_on_the_fast_path_are_reported_with_positions(tmp_path: Path, body: str) -> None:
    path = tmp_path / "licensecheck.lock"
    path.write_text(body, encoding="utf-8")
    if "&x" in body:
        assert Lockfile.read(path).models["acme/b"] == {"author": "acme"}  # legal YAML, still read
        return
    with pytest.raises(ConfigError) as exc:
        Lockfile.read(path)
    assert f"{path}:4:" in str(exc.value) or f"{path}:3:" in str(exc.value)
