"""The start-up fast paths give exactly what the slow, obvious code gives: the Value base against generated
dataclass methods, the JSON writer against json.dumps, the plain YAML builder against the constructor,
and an offline check that does not import what it does not use."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecheck.licenses.facts import KnowledgeBase, load
from licensecheck.model import (
    Declared,
    Finding,
    LicenseFacts,
    ModelMeta,
    ModelReport,
    Publisher,
    Resolution,
    Waived,
)
from licensecheck.render.json import dumps
from licensecheck.schema.load import _DuplicateSpotter
from licensecheck.values import Value


# ---- Value: the methods @dataclass(frozen=True) would generate -------------------------------------
def _generated_twin(cls: type) -> type:
    """The same fields as `cls`, as a plain @dataclass(frozen=True): the reference behaviour."""
    specs = [
        (f.name, f.type, dataclasses.field(compare=f.compare, hash=f.hash, repr=f.repr))
        for f in dataclasses.fields(cls)
    ]
    twin = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _pairs() -> list[tuple[Any, Any]]:
    """(instance, a different instance of the same class) for classes of several shapes."""
    facts = LicenseFacts(id="MIT", name="MIT License", category="permissive", aliases=("mit",))
    return [
        (facts, dataclasses.replace(facts, aliases=("x",))),
        (
            Finding("c", "openness", "deny", "m"),
            Finding("c", "openness", "deny", "m", Waived("r", None, None)),
        ),
        (Declared("apache-2.0", tags=("a",)), Declared(("mit", "apache-2.0"))),
        (Publisher("acme"), Publisher("acme", known=False)),
        (ModelMeta("a/b", declared=Declared("mit")), ModelMeta("a/b")),
    ]


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: type(p[0]).__name__)
def test_value_methods_match_generated_dataclass_methods(pair: tuple[Any, Any]) -> None:
    one, other = pair
    twin = _generated_twin(type(one))

    def as_twin(obj: Any) -> Any:
        return twin(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})

    assert isinstance(one, Value)
    assert repr(one) == repr(as_twin(one))
    assert repr(other) == repr(as_twin(other))
    assert hash(one) == hash(as_twin(one))
    assert (one == dataclasses.replace(one)) is True
    assert (one == other) is (as_twin(one) == as_twin(other)) is False
    assert one != as_twin(one)  # like generated __eq__: another class is never equal
    assert len({one, dataclasses.replace(one), other}) == 2
    first = dataclasses.fields(one)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(one, first, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(one, first)
    assert pickle.loads(pickle.dumps(one)) == one
    assert copy.deepcopy(one) == one
    assert not hasattr(one, "__dict__")  # still slotted


def test_value_honours_compare_and_repr_flags() -> None:
    """KnowledgeBase's `_cache` takes no part in equality or repr, as with the generated methods."""
    kb = load()
    fresh = dataclasses.replace(kb, _cache={})
    fresh.facts("MIT")
    assert fresh == dataclasses.replace(kb, _cache={"x": kb.facts("MIT")})
    assert "_cache=" not in repr(fresh)
    with pytest.raises(TypeError):
        hash(kb)  # its dict fields are unhashable, as before
    assert isinstance(kb, KnowledgeBase) and isinstance(kb, Value)


def test_value_repr_of_a_recursive_value_does_not_recurse() -> None:
    verdicts: dict[str, Any] = {}
    report = ModelReport(ModelMeta("a/b"), Resolution(None, "unresolved"), None, (), (), verdicts, ())
    verdicts["self"] = report
    assert repr(report).startswith("ModelReport(meta=ModelMeta(id='a/b', ")
    assert "verdicts={'self': ...}" in repr(report)


# ---- the JSON writer ---------------------------------------------------------------------------------
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.text(max_size=12)
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_json_writer_is_json_dumps_with_indent(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[]], "d": [{}]},
        {"s": 'é\u2028\u2029\x00\x1b[31m"\\\n\t</script>\ud800'},
        {1: "int key", None: "null key", False: "bool key"},
        {"f": 1.5, "nan": float("nan"), "inf": float("inf")},
        [2**70, -0, False, True, None],
        {"set": ["a"], "tuple": ("x", ("y",))},
    ],
)
def test_json_writer_edge_cases(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_writer_leaves_unknown_types_to_json_dumps() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})


# ---- the plain YAML builder ------------------------------------------------------------------------
YAML_TEXTS = [
    "version: 1\nmodels:\n  a/b:\n    license: mit\n    tags: [x, 'y', \"z\"]\n    gated: false\n",
    "ints: [1, -3, +4, 0x1F, 0o17, 017, 0b101, 1_000, 1:30, 0]\n",
    "bools: [yes, No, ON, off, true, False, y, n]\nnulls: [~, null, Null, '', ]\n",
    "floats: [1.5, .inf, -.Inf, .nan, 1e3, 6.8523015e+5]\n",
    "dates: [2020-01-01, 2001-12-14t21:59:43.10-05:00]\n",
    "<<: {a: 1}\nb: 2\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 1\n",
    "1: a\n'1': b\n",
    "a: 1\na: 2\n",
    "true: 1\nTrue: 2\n",
    "null: 1\n~: 2\n",
    "x: !!str 5\ny: !!int '7'\nz: !!binary aGk=\n",
    "= : 1\n",
    "- a\n- {b: [c, {d: e}]}\n- - []\n  - {}\n",
    "just a scalar\n",
    "'0777'\n",
    "key: |\n  block\n  text\nother: >\n  folded\n  text\n",
    "set: !!set {a, b}\n",
    "omap: !!omap [a: 1, b: 2]\n",
    "dup: {k: 1, k: 2}\nlist: [{k: 1}, {k: 1, k: 3}]\n",
]


def _load(text: str, fast: bool) -> Any:
    loader = _DuplicateSpotter(text)
    try:
        if fast:
            node = loader.get_single_node()
            data = None if node is None else loader.plain_document(node)
        else:
            data = loader.get_single_data()
        return data, loader.duplicates
    except yaml.YAMLError as exc:
        return type(exc).__name__
    except TypeError as exc:  # unhashable keys
        return type(exc).__name__
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", YAML_TEXTS)
def test_plain_yaml_builder_is_the_constructor(text: str) -> None:
    fast, slow = _load(text, True), _load(text, False)
    if isinstance(slow, tuple) and isinstance(fast, tuple):
        assert repr(fast) == repr(slow)  # repr: nan != nan, but both print as nan
    else:
        assert fast == slow


def test_plain_yaml_builder_on_a_real_lockfile(tmp_path: Path) -> None:
    from licensecheck.sources.lockfile import Lockfile

    models = {
        f"org{i % 3}/m-{i}": {
            "author": f"org{i % 3}",
            "base_models": [f"org0/m-{i - 1}"] if i else [],
            "license": ["mit", "apache-2.0"] if i % 2 else "other",
            "license_name": None if i % 2 else "custom",
            "parameters": 10**9 + i,
            "gated": "manual" if i % 5 == 0 else False,
            "tags": ["license:mit", "region:us"],
        }
        for i in range(30)
    }
    path = tmp_path / "licensecheck.lock"
    Lockfile(path, models, {}).write("2026-01-01")
    text = path.read_text(encoding="utf-8")
    fast = _load(text, True)
    assert fast == _load(text, False)
    assert fast[0]["models"]["org1/m-1"]["parameters"] == 10**9 + 1


# ---- what an offline check imports -------------------------------------------------------------------
def test_offline_check_of_known_licences_leaves_inference_unimported(tmp_path: Path) -> None:
    """Names the knowledge base resolves by id or alias need no inference, text matching or title index:
    those modules (and their patterns) stay unimported, as do the Hub client and the GGUF reader."""
    from licensecheck.sources.lockfile import Lockfile

    models = {
        "acme/a": {"author": "acme", "license": "apache-2.0", "tags": ["license:apache-2.0"]},
        "acme/b": {"author": "acme", "license": "other", "license_name": "qwen", "base_models": ["acme/a"]},
    }
    lock = tmp_path / "licensecheck.lock"
    Lockfile(lock, models, {}).write("2026-01-01")
    code = textwrap.dedent(
        f"""
        import contextlib, io, sys
        from licensecheck.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            main(["check", "--offline", "--lockfile", {str(lock)!r}, "--format", "json", "acme/a", "acme/b"])
        assert len(__import__("json").loads(out.getvalue())["models"]) == 2
        print(" ".join(sorted(sys.modules)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(done.stdout.split())
    for module in (
        "licensecheck.licenses.infer",
        "licensecheck.licenses.textmatch",
        "licensecheck.licenses.titles",
        "licensecheck.sources.gguf",
        "licensecheck.sources.hub",
        "huggingface_hub",
        "hashlib",
    ):
        assert module not in loaded, module
    assert "licensecheck.engine.evaluate" in loaded  # the check did run


def test_main_freezes_objects_at_exit_only_as_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    import licensecheck.cli as cli

    registered: list[Any] = []
    monkeypatch.setattr(cli.atexit, "register", registered.append)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert registered == []  # a caller in a longer process keeps its garbage collector as it was
    monkeypatch.setattr(sys, "argv", ["licensecheck", "--version"])
    with pytest.raises(SystemExit):
        cli.main()
    assert registered == [cli.gc.freeze]
