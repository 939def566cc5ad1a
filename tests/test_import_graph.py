"""No module of checker/ imports, directly or through others, a module that imports it back.

A cycle works only in the import order that happens to run first (the loader
once reached checker.tables through a lazy import for that reason), so the graph
is read from the source with `ast`, every import counted, at the top of a module
or inside a function. `from checker.x import y` is an import of the module
checker.x.y where one exists, else of checker.x.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "checker"


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """The checker modules `path` imports."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in MODULES else node.module)
    return {m for m in out if m in MODULES}


GRAPH = {m: _imports(p) for m, p in MODULES.items()}


def _cycle() -> list[str] | None:
    """One import cycle (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(GRAPH[m]):
            if state.get(n) == 1:
                return [*path[path.index(n):], n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_module_imports_in_a_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, " -> ".join(cycle or [])


def test_the_graph_would_see_a_cycle() -> None:
    """The check can fail: the reader's inputs importing its loader closes a cycle."""
    GRAPH["checker.read.inputs"].add("checker.read.load")
    try:
        assert _cycle() is not None
    finally:
        GRAPH["checker.read.inputs"].discard("checker.read.load")


def test_the_read_inputs_are_a_leaf() -> None:
    """Limits, RawDocument and Loaded import nothing of the package, so any reader may build on them."""
    assert GRAPH["checker.read.inputs"] <= {"checker.errors"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.endswith("__main__")))  # that one runs the CLI
def test_every_module_imports(module: str) -> None:
    importlib.import_module(module)
