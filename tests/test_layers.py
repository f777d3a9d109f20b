"""The package's layers read one way, and what runs inside the jail imports nothing from the host's side.

commands → authoring → grading → sinks → model → jail → i18n: a module may import its own layer and the ones
after it. ``grader/__init__.py`` (``grader.check``) and ``grader/__main__.py`` are the public doors.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "grader"
LAYERS = {  # higher imports lower
    "grader.cli": 6, "grader.commands": 6, "grader.gradescope": 6,
    "grader.authoring": 5,
    "grader.grading": 4, "grader.checks": 4,
    "grader.sinks": 3,
    "grader.model": 2,
    "grader.jail": 1,
    "grader.i18n": 0,
}
DOORS = {"grader", "grader.__main__"}
INSIDE = "grader.jail.inside"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, current: str) -> set[str]:
    """The grader modules an import statement names (``from grader.x import y`` names grader.x.y when
    that is a module)."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    elif isinstance(node, ast.ImportFrom) and node.module:
        names = {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name.startswith("grader") and name in MODULES and name != current}


def _top_level(tree: ast.Module) -> list[ast.AST]:
    """Statements that run on import: not the bodies of functions, not ``if TYPE_CHECKING:``."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        found.append(node)
        pending += ast.iter_child_nodes(node)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}
ANY_IMPORT = {name: set().union(*(imported(n, name) for n in ast.walk(tree))) for name, tree in TREES.items()}
ON_IMPORT = {name: set().union(*(imported(n, name) for n in _top_level(tree))) for name, tree in TREES.items()}


def layer(name: str) -> int:
    return LAYERS[max((k for k in LAYERS if name == k or name.startswith(k + ".")), key=len)]


@pytest.mark.parametrize("name", sorted(set(MODULES) - DOORS))
def test_a_module_imports_only_its_layer_and_the_ones_below(name):
    upward = sorted(d for d in ANY_IMPORT[name] if d not in DOORS and layer(d) > layer(name))
    assert not upward, f"{name} (layer {layer(name)}) imports {upward}"


def test_no_import_cycle():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            name, path = stack.pop()
            for dep in ON_IMPORT[name]:
                if dep == start:
                    return path + [start]
                if dep not in path:
                    stack.append((dep, path + [dep]))
        return None

    cycles = [c for c in map(cycle_from, sorted(MODULES)) if c]
    assert not cycles, " ; ".join(" → ".join(c) for c in cycles[:3])


def test_the_jails_inside_imports_only_itself():
    inside = [name for name in MODULES if name.startswith(INSIDE)]
    assert len(inside) >= 6
    for name in inside:
        host = sorted(d for d in ANY_IMPORT[name] if not d.startswith(INSIDE) and d not in ("grader", "grader.jail"))
        assert not host, f"{name} runs in the jail but imports {host}"


def test_the_checker_sees_an_upward_import():
    # The rules above must be able to fail: a model module importing a sink is caught.
    tree = ast.parse("from grader.sinks.console import ResultView\n")
    assert {d for n in ast.walk(tree) for d in imported(n, "grader.model.results")} == {"grader.sinks.console"}
    assert layer("grader.sinks.console") > layer("grader.model.results")
