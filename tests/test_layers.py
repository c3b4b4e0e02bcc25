"""The package's layers point one way and hold no import cycle.

    taxonomy, text, resources … (the floor) → reader → models
        → training | archive | serving (siblings, independent of each other) → cli

Every import counts, top-level or inside a function (a lazy import still ties the two
modules together); only imports under ``if TYPE_CHECKING:`` are left out.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {
    "gongkai.reader": 1,
    "gongkai.models": 2,
    "gongkai.training": 3,
    "gongkai.archive": 3,
    "gongkai.review": 3,
    "gongkai.serving": 3,
    "gongkai.cli": 4,
}


def package_dirs() -> dict[str, Path]:
    """Package name → folder, as pyproject.toml maps them for the wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: ROOT / folder for name, folder in mapping.items()}


def modules() -> dict[str, Path]:
    """Every module of the installed packages (name → file)."""
    roots = package_dirs()
    found: dict[str, Path] = {}
    for package, folder in roots.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if any(part in {"tests", "fixtures"} for part in parts):
                continue
            inner = [p for p in parts if p != "__init__"]
            nested = ".".join([package, *inner])
            # A folder mapped on its own (training/ under gongkai) belongs to that mapping.
            if any(nested.startswith(other + ".") or nested == other
                   for other in roots if other != package and other.startswith(package + ".")):
                continue
            found[nested] = path
    return found


def layer(module: str) -> int:
    for prefix, number in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return number
    return 0


def family(module: str) -> str:
    """The layer-3 sibling a module belongs to ("" for other layers)."""
    for prefix, number in LAYERS.items():
        if number == 3 and (module == prefix or module.startswith(prefix + ".")):
            return prefix
    return ""


def _type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(path: Path, known: set[str], module: str) -> set[str]:
    """The gongkai modules ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and _type_checking(node) for n in ast.walk(node)}
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known and name != module}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, known, name) for name, path in found.items()}


def test_every_package_folder_is_mapped(graph: dict[str, set[str]]) -> None:
    assert {"gongkai.taxonomy", "gongkai.reader.report", "gongkai.models.base",
            "gongkai.training.train", "gongkai.serving.app", "gongkai.cli"} <= set(graph)


def test_no_module_imports_a_higher_layer(graph: dict[str, set[str]]) -> None:
    upward = sorted(f"{source} → {target}" for source, targets in graph.items()
                    for target in targets if layer(target) > layer(source))
    assert upward == []


def test_training_archive_and_serving_do_not_import_each_other(
        graph: dict[str, set[str]]) -> None:
    across = sorted(f"{source} → {target}" for source, targets in graph.items()
                    for target in targets
                    if family(source) and family(target) and family(source) != family(target))
    assert across == []


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from gongkai.cli import app\n", encoding="utf-8")
    found = imports(module, {"gongkai.cli", "gongkai.reader.probe"}, "gongkai.reader.probe")
    assert found == {"gongkai.cli"}
    assert layer("gongkai.cli") > layer("gongkai.reader.probe")
