"""The notebooks in ``notebooks/``: stored without outputs, free of long functions, and each
one runs top to bottom without an error.

Running them needs the ``notebooks`` extra (nbclient, ipykernel); without it those tests are
skipped and the storage checks still run. Each notebook runs in a fresh kernel of this
interpreter (the virtual environment's python), from the ``notebooks/`` folder, with a
time limit per cell.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 600
MAX_FUNCTION_LINES = 3
EXPECTED = ("01-taxonomy-and-corpus", "02-model-evaluation", "03-archive-analytics")


def _cells(path: Path, kind: str) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == kind]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_notebooks_are_there() -> None:
    assert {path.stem for path in NOTEBOOKS} >= set(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"], 1):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {number} has outputs: run nbstripout {path}"
            assert cell["execution_count"] is None, f"cell {number} has an execution count"
        assert "execution" not in cell["metadata"], f"cell {number} keeps its run times"
    assert "widgets" not in notebook["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_nbstripout_would_change_nothing(path: Path) -> None:
    pytest.importorskip("nbstripout")
    verdict = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", str(path)],
                             capture_output=True, text=True, check=False)
    assert verdict.returncode == 0, f"{verdict.stdout}{verdict.stderr}: run nbstripout {path}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_defines_no_long_functions(path: Path) -> None:
    """Logic lives in the packages, where it is tested; a notebook only calls it."""
    for cell in _cells(path, "code"):
        for node in ast.walk(ast.parse(_source(cell))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                lines = node.end_lineno - node.lineno + 1
                assert lines <= MAX_FUNCTION_LINES, (
                    f"{path.name}: {node.name} has {lines} lines; move it into a package")


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``python3`` kernel spec that starts this interpreter, whatever other ``python3``
    kernels the machine has installed."""
    kernelspec = pytest.importorskip("ipykernel.kernelspec")
    root = tmp_path_factory.mktemp("kernels")
    kernelspec.write_kernel_spec(root / "python3")
    return root


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom(path: Path, kernel_dir: Path, use_models: Path) -> None:
    """On the fixture models (``GONGKAI_MODELS``, which the kernel inherits), so that the
    run neither trains into the checkout's ``models/`` nor depends on what is there."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    notebook = nbformat.read(path, as_version=4)
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)])
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    assert manager.kernel_spec.argv[0] == sys.executable
    client = nbclient.NotebookClient(
        notebook, km=manager, kernel_name="python3", timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    started = time.perf_counter()
    try:
        client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    finally:
        if manager.has_kernel:  # nbclient leaves a kernel manager passed in running
            manager.shutdown_kernel()  # politely, so that the kernel removes its temporary files
    print(f"{path.name}: {time.perf_counter() - started:.0f} s")
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors
