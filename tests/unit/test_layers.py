"""The layers only look down: no import cycle between crm's packages or files, no import
hidden inside a function to dodge one, and only crm/pages/ imports more than one feature."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import crm

ROOT = Path(crm.__file__).parent
FEATURES = {
    "account",
    "auth",
    "backup",
    "calendar",
    "contacts",
    "followups",
    "imports",
    "interviews",
    "messages",
    "network",
    "outreach",
    "plan",
    "referrals",
    "reminders",
    "settings",
}
# Above every feature: the app factory and the command line attach them all; pages compose them;
# a backup gathers (and a restore checks) the whole account, every feature's rows and files.
COMPOSERS = {"crm", "crm.cli", "crm.backup.services", "crm.backup.checks", "crm.backup.restore"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = ["crm", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The crm module an imported name lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if MODULES[module].name != "__init__.py":
                package.pop()
            base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
        names = [f"{base}.{alias.name}" for alias in node.names]
        if not all(name in MODULES for name in names):
            names.append(base)
    for name in names:
        found = _resolve(name) if name.startswith("crm") else None
        if found and found != module:
            yield found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text())
        graph[module] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _imported(module, node)
        }
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every node an import chain from start leads to."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that lead to each other (each node on a cycle, with its circle)."""
    reach = {node: _reachable(graph, node) for node in graph}
    groups = {
        frozenset(other for other in reach[node] if node in reach.get(other, ()))
        for node in graph
        if node in reach[node]
    }
    return sorted(sorted(group) for group in groups)


def test_the_cycle_finder_finds_a_circle_through_others() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_file_imports_another_that_imports_it_back() -> None:
    assert _cycles(_graph()) == []


def test_no_package_imports_another_that_imports_it_back() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in _graph().items():
        for target in targets:
            if _package(module) != _package(target) and "crm" not in (module, target):
                packages.setdefault(_package(module), set()).add(_package(target))
    assert _cycles(packages) == []


def test_imports_sit_at_the_top_of_a_module_except_in_the_app_factory() -> None:
    inside = []
    for module, path in MODULES.items():
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef) and module != "crm":
                inside += [
                    f"{module}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, ast.Import | ast.ImportFrom)
                ]
    assert inside == []


def test_only_pages_import_more_than_one_other_feature() -> None:
    wide = {}
    for module, targets in _graph().items():
        own = module.split(".")[1] if "." in module else ""
        features = {t.split(".")[1] for t in targets if "." in t} & FEATURES - {own}
        if len(features) > 1 and module not in COMPOSERS and not module.startswith("crm.pages."):
            wide[module] = sorted(features)
    assert wide == {}
