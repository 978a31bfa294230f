"""No import cycle between the project's modules, counting the imports written inside functions too.

An import moved into a function body still closes the cycle; it only hides it until the function runs. This test
builds the import graph of every project module (migrations and the virtual environment aside) from the source with
``ast`` and finds its strongly connected components (Tarjan): a component of more than one module, or a module that
imports itself, is a cycle.

Only explicit imports count, not the implicit import of a parent package: ``from statistics.models.figures import
X`` is an edge to ``statistics.models.figures``, not to ``statistics.models``. ``from package import name`` is an
edge to ``package.name`` when that is a module, otherwise to ``package``.
"""

import ast
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "migrations", "node_modules", "staticfiles", "static", "__pycache__", ".git"}

# No import cycle is allowed (issue 12). Should one ever have to be tolerated for a while, list the sorted modules of
# its component here with the plan to remove it; a listed one that no longer exists fails too.
ALLOWED_CYCLES: list[tuple[str, ...]] = []


def project_modules() -> dict[str, Path]:
    """Every project module by its dotted name (a package by the name of its ``__init__``)."""
    modules = {}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS and not name.startswith(".")]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = Path(folder) / name
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                modules[".".join(parts)] = path
    return modules


def _base(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (relative imports resolved against the importing module)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _nearest(name: str, modules: dict) -> str | None:
    """The project module ``name`` is, or the nearest project package or module above it (None outside the project)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict) -> set[str]:
    """The project modules ``module`` imports, anywhere in its source (module level, functions, ``TYPE_CHECKING``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path, node)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(target for target in map(lambda name: _nearest(name, modules), targets) if target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components with a cycle (Tarjan's algorithm, iterative), each as sorted module names."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(tuple(sorted(component)))
    return sorted(found)


def test_the_graph_finds_a_cycle_hidden_in_a_function():
    """The checker itself: a cycle closed by an import inside a function is found, a chain is not."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [("a", "b", "c"), ("e",)]
    source = "def later():\n    from . import b\n"
    tree = ast.parse(source)
    assert isinstance(tree.body[0].body[0], ast.ImportFrom)  # ``ast.walk`` reaches function bodies


def test_imports_inside_functions_are_edges(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def late():\n    from .a import thing\n")
    modules = {"pkg": package / "__init__.py", "pkg.a": package / "a.py", "pkg.b": package / "b.py"}
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}}
    assert cycles(graph) == [("pkg.a", "pkg.b")]


def test_no_import_cycle_between_project_modules():
    found = cycles(import_graph())
    unexpected = [component for component in found if component not in ALLOWED_CYCLES]
    gone = [component for component in ALLOWED_CYCLES if component not in found]
    assert not unexpected, "import cycles (an import inside a function counts):\n" + "\n".join(
        " ↔ ".join(component) for component in unexpected
    )
    assert not gone, "cycles no longer there; remove them from ALLOWED_CYCLES:\n" + "\n".join(map(str, gone))
