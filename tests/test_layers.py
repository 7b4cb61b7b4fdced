"""How the apps depend on each other: one way, and no two modules importing each other.

Read from the source with ``ast``, so an import inside a function counts too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("accounts", "config", "hiring", "ops", "surveys", "teamhealth")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def import_graph() -> dict[str, set[str]]:
    """{module: the project modules it imports, anywhere in its body}."""
    modules = _modules()

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                imported |= {known(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(parts + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    # "from . import tasks" imports the module tasks, not the package.
                    submodule = f"{source}.{alias.name}"
                    imported.add(submodule if submodule in modules else known(source))
        graph[name] = {m for m in imported if m and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that reach each other through imports (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _app_imports(graph: dict[str, set[str]], app: str) -> set[str]:
    return {
        f"{module} imports {other}"
        for module, imported in graph.items()
        if module.split(".")[0] == app
        for other in imported
        if other.split(".")[0] != app
    }


def test_no_modules_import_each_other_even_from_inside_a_function():
    assert _cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import():
    graph = {"a.services": {"a.tasks"}, "a.tasks": {"a.services"}, "a.views": {"a.services"}}
    assert _cycles(graph) == [["a.services", "a.tasks"]]


def test_teamhealth_imports_neither_surveys_nor_hiring():
    found = _app_imports(import_graph(), "teamhealth")
    assert {line for line in found if " imports surveys" in line or " imports hiring" in line} == (
        set()
    )


def test_surveys_imports_teamhealth_but_not_hiring():
    found = _app_imports(import_graph(), "surveys")
    assert {line for line in found if " imports hiring" in line} == set()
    assert any(" imports teamhealth" in line for line in found)


def test_the_teamhealth_services_and_tasks_are_seen_as_modules():
    graph = import_graph()
    assert "teamhealth.services.metrics" in graph["teamhealth.tasks"]
    assert not any(m.startswith("teamhealth.tasks") for m in graph["teamhealth.services.metrics"])
