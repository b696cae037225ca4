"""schema/yamlio.py and schema/validate.py: the node and depth caps measured both on the event stream and
after aliases, shared anchors that are not duplicate keys, complex keys, the shared input reader, and
positions of values read from plain data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from licensecheck.errors import ConfigError
from licensecheck.schema import yamlio
from licensecheck.schema.load import check_data
from licensecheck.schema.validate import Field, LocStr, Map, Str
from licensecheck.schema.yamlio import MAX_DEPTH, YamlProblem, compose, read_input, safe_load


def test_more_events_than_the_cap_are_refused_before_composing() -> None:
    text = "items:\n" + "".join(f"  - {i}\n" for i in range(20))
    assert len(safe_load(text, max_nodes=23)["items"]) == 20  # a map, a key, a list and 20 items: 23 nodes
    with pytest.raises(YamlProblem) as exc:
        safe_load(text, max_nodes=10)
    assert exc.value.message == "YAML document has more than 10 nodes"
    assert (exc.value.line, exc.value.col) == (9, 5)  # the eleventh node: the eighth item


def test_depth_reached_only_through_an_alias_is_refused() -> None:
    """Each level of the text is shallow, but the anchored list is used at the bottom of another deep list:
    expanded, the document is deeper than MAX_DEPTH (the event stream alone cannot see it)."""
    half = MAX_DEPTH // 2 + 5
    text = f"a: &deep {'[' * half}x{']' * half}\nb: {'[' * half}*deep{']' * half}\n"
    with pytest.raises(YamlProblem) as exc:
        safe_load(text)
    assert exc.value.message == f"YAML document is nested deeper than {MAX_DEPTH} levels"
    assert exc.value.line >= 1
    # each half alone is fine
    assert safe_load(f"a: {'[' * half}x{']' * half}\n") is not None


def test_a_mapping_used_twice_through_an_alias_is_not_a_duplicate_key() -> None:
    text = "base: &b {license: mit, author: acme}\nfirst: *b\nsecond: *b\n"
    got = safe_load(text, unique_keys=True)
    assert got["first"] == got["second"] == {"license": "mit", "author": "acme"}
    with pytest.raises(YamlProblem, match="duplicate key 'license'"):
        safe_load("m: {license: mit, license: apache-2.0}\n", unique_keys=True)


def test_a_complex_key_is_refused_without_a_traceback() -> None:
    with pytest.raises(YamlProblem) as exc:
        safe_load("? [a, b]\n: 1\n", unique_keys=True)
    assert "unhashable" in exc.value.message or "found" in exc.value.message


def test_an_empty_document_is_none_with_or_without_unique_keys() -> None:
    assert safe_load("", unique_keys=True) is None
    assert safe_load("# only a comment\n", unique_keys=True) is None


def test_a_loader_failure_of_another_kind_is_a_yaml_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors the composer may raise without a position (a plain YAMLError, Python's recursion limit in the
    pure-Python composer) are reported as YamlProblem, never as a traceback."""
    base = yamlio._loader_class()

    class Failing(base):  # type: ignore[misc,valid-type]
        error: BaseException = yaml.YAMLError("stream broke")

        def get_single_node(self) -> yaml.Node:
            raise self.error

    monkeypatch.setattr(yamlio, "_loader_class", lambda: Failing)
    with pytest.raises(YamlProblem) as exc:
        compose("a: 1\n")
    assert exc.value.message == "invalid YAML: stream broke"
    Failing.error = RecursionError()
    with pytest.raises(YamlProblem) as exc:
        compose("a: 1\n")
    assert exc.value.message == f"YAML document is nested deeper than {MAX_DEPTH} levels"


def test_read_input_refuses_oversized_and_unreadable_files(tmp_path: Path) -> None:
    ok = tmp_path / "ok.yaml"
    ok.write_text("a: 1\n", encoding="utf-8")
    assert read_input(ok, 100, "config file") == "a: 1\n"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 101)
    with pytest.raises(ConfigError, match=r"big\.yaml: config file is 0\.1 KiB, larger than the 0\.1 KiB"):
        read_input(big, 100, "config file")
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"folder: cannot read the lockfile: Is a directory"):
        read_input(folder, 100, "lockfile")


def test_an_oversized_policy_file_is_refused_unread(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(8 * 1024 * 1024)  # sparse: never read
    code, _, err = cli("policy", "validate", str(big))
    assert code == 2 and f"{big}: policy file is 8.0 MiB, larger than the 4.0 MiB limit" in err, err


def test_a_located_value_from_plain_data_has_no_position() -> None:
    """The fast path (trusted package data) has no positions: a located string carries line 0."""
    got, problems = check_data({"name": "acme"}, Map({"name": Field(Str(located=True))}))
    assert problems == []
    assert isinstance(got["name"], LocStr) and got["name"] == "acme"
    assert got["name"].pos == ("", 0, 0)
