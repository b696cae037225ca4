"""The package's shape: no import cycles (checked on the import graph), no oversized module."""

from __future__ import annotations

import ast
from pathlib import Path

import licensecheck

PACKAGE = Path(licensecheck.__file__).parent
ROOT = PACKAGE.parent
MAX_LINES = 400
# Modules still over the limit, each being split on its owner's branch (issue 10); remove as they land.


def _modules() -> dict[str, Path]:
    """Every module of the installed package by dotted name (rules/ installs as licensecheck.rules)."""
    found = {}
    for base, prefix in ((PACKAGE, "licensecheck"), (ROOT / "rules", "licensecheck.rules")):
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([prefix, *parts])] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _module_level_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules this one imports when it is imported (not in functions, not for typing)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if _is_package(path) else name.rpartition(".")[0]
    out: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                continue
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names)

    visit(tree.body)
    deps = set()
    for target in out:
        # importing a.b.c runs a, a.b and a.b.c
        parts = target.split(".")
        deps.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {d for d in deps if d in modules and d != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (found := walk(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        deps = _module_level_imports(name, path, modules)
        # a package's own __init__ runs before its submodules: that edge is not a cycle
        graph[name] = {d for d in deps if not name.startswith(d + ".")}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_over_the_size_limit() -> None:
    over = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert not over, sorted(over)
