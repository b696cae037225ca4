"""The knowledge base's compiled data files: current with their YAML sources, and read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from licensecheck.licenses import datafile, facts


@pytest.mark.parametrize("source", datafile.SOURCES)
def test_compiled_twins_are_current(source: str) -> None:
    folder = Path(datafile.__file__).parent / "data"
    text = (folder / source).read_text(encoding="utf-8")
    twin = (folder / datafile.compiled_name(source)).read_text(encoding="utf-8")
    assert twin == datafile.compile_text(text, source), (
        f"data/{datafile.compiled_name(source)} is stale: run `python -m licensecheck.licenses.datafile`"
    )


@pytest.mark.parametrize("source", datafile.SOURCES)
def test_the_twin_holds_exactly_what_the_yaml_parses_to(source: str) -> None:
    text = (Path(datafile.__file__).parent / "data" / source).read_text(encoding="utf-8")
    assert datafile.compiled(source) == datafile.parse_yaml(text)


def test_a_stale_or_broken_twin_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").write_text("as_of: '2025-01-01'\nlicenses: []\n", encoding="utf-8")
    monkeypatch.setattr(datafile, "_folder", lambda: tmp_path)
    twin = tmp_path / "x.json"
    twin.write_text(datafile.compile_text("as_of: '2024-01-01'\nlicenses: []\n"), encoding="utf-8")
    assert datafile.compiled("x.yaml") is None  # stale: the caller reads and validates the YAML
    twin.write_text("{not json", encoding="utf-8")
    assert datafile.compiled("x.yaml") is None
    twin.write_text(datafile.compile_text("as_of: '2025-01-01'\nlicenses: []\n"), encoding="utf-8")
    assert datafile.compiled("x.yaml") == {"as_of": "2025-01-01", "licenses": []}  # current: the twin


def test_a_broken_data_file_is_never_compiled_nor_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecheck.errors import PolicyError

    broken = "as_of: '2025-01-01'\nas_of: '2025-01-02'\nlicenses: []\n"  # a key written twice
    with pytest.raises(PolicyError):
        datafile.compile_text(broken, "licenses.yaml")
    (tmp_path / "licenses.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(datafile, "_folder", lambda: tmp_path)
    with pytest.raises(PolicyError) as exc:
        facts._read_data("licenses.yaml")
    assert any(line == 2 for _, line, _, _ in exc.value.problems)


def test_dates_compile_to_the_text_the_knowledge_base_reads() -> None:
    compiled = datafile.compile_text("as_of: 2025-01-01\n")
    assert '"data":{"as_of":"2025-01-01"}' in compiled
    kb_from_yaml = facts._build({"as_of": datafile.parse_yaml("d: 2025-01-01")["d"]}, {})
    assert kb_from_yaml.version == "2025-01-01"
