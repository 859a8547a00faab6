"""Layers that only look down: no import cycle between crm's files or its packages, and no
import tucked inside a function (the usual way to hide a cycle)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

CRM = Path(__file__).resolve().parents[2] / "crm"


def module_name(path: Path) -> str:
    parts = path.relative_to(CRM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in CRM.rglob("*.py")}


def imported(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The crm modules an import statement names (`from crm.x import y` is crm.x.y when
    y is a module, else crm.x)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names if alias.name in MODULES)
        return
    if node.level or not node.module or not node.module.startswith("crm"):
        return
    for alias in node.names:
        name = f"{node.module}.{alias.name}"
        yield name if name in MODULES else node.module


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(name for name in imported(node) if name in MODULES)
    return found


def package_of(module: str) -> str:
    """crm.contacts.views -> crm.contacts; crm.clock -> crm.clock."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


FILE_GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def test_no_two_files_import_each_other_even_through_others():
    assert cycles(FILE_GRAPH) == []


def test_no_two_packages_import_each_other_even_through_others():
    packages: dict[str, set[str]] = {}
    for module, targets in FILE_GRAPH.items():
        if module == "crm":
            continue  # the app itself, which builds everything from above
        source = package_of(module)
        packages.setdefault(source, set()).update(
            package_of(t) for t in targets if package_of(t) != source and t != "crm"
        )
    assert cycles(packages) == []


def test_no_import_is_tucked_inside_a_function():
    tucked = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                tucked += [
                    f"{name}.{node.name}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                ]
    assert tucked == []


def test_the_checker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
