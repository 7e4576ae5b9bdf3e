"""The layout's rules that import-linter does not state: no import cycle between any two of
the project's modules (imports inside functions count), and no module over 400 lines."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "sources", "config")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules an import statement names, relative ones resolved, ``from m import x``
    counted as ``m.x`` (a submodule) and as ``m``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(tree):
            targets.update(t for t in _imported(node, name, is_package) if t in modules)
        targets.discard(name)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round in a circle (Tarjan's strongly
    connected components of more than one module)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_round_in_a_circle():
    graph = import_graph()

    found = cycles(graph)

    assert "claims.services" in graph["claims.desk.views.claims"]
    assert found == [], "import cycles: " + "; ".join(" → ".join(c) for c in found)


def test_the_cycle_finder_names_a_cycle_through_an_import_inside_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert cycles(graph) == [["a", "b", "c"]]


def test_imports_inside_functions_are_read():
    source = "def later():\n    from claims import tasks\n"

    names = [
        target
        for node in ast.walk(ast.parse(source))
        for target in _imported(node, "claims.outbox", is_package=False)
    ]

    assert names == ["claims", "claims.tasks"]


def test_no_module_outside_migrations_is_over_400_lines():
    long = {
        name: count
        for name, path in _modules().items()
        if ".migrations" not in name and (count := len(path.read_text().splitlines())) > MAX_LINES
    }

    assert long == {}
