"""Where models live: task → default model name, and ``--model NAME`` → a directory."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from training.artifacts import ModelError
from training.model import DispositionModel

DEFAULT_MODELS = {"request": "tfidf-request", "paragraph": "tfidf-paragraph"}


def models_root() -> Path:
    """``models/`` at the project root, or ``$GONGKAI_MODELS``."""
    return Path(os.environ.get("GONGKAI_MODELS", Path(__file__).resolve().parents[1] / "models"))


def model_dir(name: str) -> Path:
    """A bare name is a folder of ``models/``; anything with a path separator is a path."""
    if os.sep in name or "/" in name or name.startswith("."):
        return Path(name)
    return models_root() / name


def resolve(name: str | None, task: str) -> Path:
    return model_dir(name or DEFAULT_MODELS[task])


def load_model(name: str | None, task: str,
               notice: Callable[[str], None] | None = None) -> DispositionModel:
    """Load the named model, or the task's default; a missing default is trained first
    (``notice`` is told). Raises :class:`ModelError` for anything that cannot be used."""
    from training.train import train  # train.py names its output folder through this module

    directory = resolve(name, task)
    if name is None and not directory.exists():
        if notice:
            notice(f"no {task} model at {directory}; training the default one first")
        train(task, out=directory)
    model = DispositionModel.load(directory)
    if model.task != task:
        raise ModelError(f"{directory} is a {model.task} model, not a {task} model")
    return model
