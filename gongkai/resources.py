"""Where gongkai finds its files.

Files read at run time (the taxonomy, the jieba lexicon, the sample reports, the corpora)
are package data of ``gongkai.data`` (the ``data/`` folder of a checkout), so an installed
wheel has them too. Model folders live in ``models/`` when gongkai runs from a checkout,
and otherwise under ``GONGKAI_HOME`` (default: the platform's user data directory, e.g.
``~/.local/share/gongkai`` on Linux). ``GONGKAI_MODELS`` overrides both.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

BASE_MODEL_NAME = "multilingual-e5-small"


def data_path(*parts: str) -> Path:
    """A file or folder of ``gongkai.data``, as a path on disk."""
    return Path(str(files("gongkai.data").joinpath(*parts)))


def checkout() -> Path | None:
    """The source checkout gongkai runs from, if it runs from one (an editable install)."""
    root = Path(__file__).resolve().parents[1]
    project = root / "pyproject.toml"
    if project.is_file() and (root / "models").is_dir() and 'name = "gongkai"' in (
            project.read_text(encoding="utf-8")):
        return root
    return None


def home() -> Path:
    """``GONGKAI_HOME``, or the platform's user data directory for gongkai."""
    if os.environ.get("GONGKAI_HOME"):
        return Path(os.environ["GONGKAI_HOME"])
    from platformdirs import user_data_path

    return user_data_path("gongkai", appauthor=False)


def models_root() -> Path:
    """Where model folders are looked up by name (see the module docstring)."""
    if os.environ.get("GONGKAI_MODELS"):
        return Path(os.environ["GONGKAI_MODELS"])
    root = checkout()
    return root / "models" if root is not None else home() / "models"


def base_model_dir() -> Path:
    """The default pretrained encoder folder, made by ``gongkai base-model prepare``."""
    return models_root() / "base" / BASE_MODEL_NAME
