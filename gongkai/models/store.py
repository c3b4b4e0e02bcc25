"""Where models live: task → default model name, and ``--model NAME`` → a folder.

Loading never trains. A missing default model is an error that names the command which
makes it (``gongkai train``); the main job (``gongkai demo``) runs that step itself and
says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.models.base import DispositionModel, check_folder
from gongkai.models.errors import ModelError
from gongkai.models.kinds import model_class
from gongkai.models.metadata import ModelMetadata
from gongkai.resources import models_root
from gongkai.taxonomy import load_taxonomy

DEFAULT_MODELS = {"request": "tfidf-request", "paragraph": "tfidf-paragraph"}


def model_dir(name: str) -> Path:
    """A bare name is a folder of the models root; anything with a path separator is a
    path."""
    if os.sep in name or "/" in name or name.startswith("."):
        return Path(name)
    return models_root() / name


def resolve(name: str | None, task: str) -> Path:
    return model_dir(name or DEFAULT_MODELS[task])


def _located(name: str | None, task: str) -> Path:
    directory = resolve(name, task)
    if name is None and not directory.exists():
        raise ModelError(f"no {task} model at {directory}; make it with: "
                         f"gongkai train --task {task}")
    return directory


def check_model(name: str | None, task: str) -> ModelMetadata:
    """What :func:`load_model` checks before it builds anything (folder, metadata,
    taxonomy, checksums, kind, task), for a process that hands the loading to others; the
    checked metadata."""
    directory = _located(name, task)
    metadata = check_folder(directory, load_taxonomy())
    model_class(metadata.kind)
    if metadata.task != task:
        raise ModelError(f"{directory} is a {metadata.task} model, not a {task} model")
    return metadata


def load_model(name: str | None, task: str) -> DispositionModel:
    """The named model, or the task's default; :class:`ModelError` for anything that cannot
    be used, a missing default included."""
    directory = _located(name, task)
    model = DispositionModel.load(directory)
    if model.task != task:
        raise ModelError(f"{directory} is a {model.task} model, not a {task} model")
    return model
