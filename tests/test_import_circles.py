"""No import circle among the project's modules: every import counts, those made only for
type checking and those inside functions too (the screens know their app by a Protocol,
tui.desk.base.Desk, so that tui/desk/app.py alone imports every screen)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tui", "models", "labels", "bench")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(name: str, is_package: bool, source: str, modules: set[str]) -> set[str]:
    """The project's modules that module `name` imports, a package's submodule where one is
    named."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:     # a name in a module: the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def project_graph() -> dict[str, set[str]]:
    paths = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(module_name(path), path.stem == "__init__",
                                          path.read_text(), modules) for path in paths}


def test_no_module_imports_itself_round_a_circle():
    assert circles(project_graph()) == []


def test_the_check_finds_circles_and_counts_every_import():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}) == \
        [["a", "b", "c"]]
    modules = {"tui", "tui.desk", "tui.desk.app", "tui.desk.base", "models", "models.db"}
    source = """
from typing import TYPE_CHECKING
from . import app
from ..desk.base import X
if TYPE_CHECKING:
    from tui.desk.app import DeskApp
def later():
    import models.db
"""
    assert imports_of("tui.desk.base", False, source, modules) == {"tui.desk.app", "models.db"}
    assert imports_of("models", True, "from .db import db\nfrom . import db", modules) == \
        {"models.db"}
