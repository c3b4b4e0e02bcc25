"""What the server loads once at start-up, and the dependencies that hand it to routes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gongkai.messages import Lang
from gongkai.models.base import DispositionModel
from gongkai.models.store import load_model
from gongkai.serving.errors import ApiError, request_lang
from gongkai.serving.metrics import Metrics
from gongkai.serving.predictors import Predictor
from gongkai.serving.schemas import ModelRef, Task
from gongkai.serving.settings import Settings
from gongkai.taxonomy import Taxonomy

logger = logging.getLogger("serving")


@dataclass
class Runtime:
    """The taxonomy, and per task its model and the predictor that calls it."""

    taxonomy: Taxonomy
    models: dict[Task, DispositionModel]
    predictors: dict[Task, Predictor]


def load_models(settings: Settings) -> dict[Task, DispositionModel]:
    """Both tasks' models (loading never trains: a missing one is a ModelError that names
    ``gongkai train``)."""
    names = {Task.request: settings.request_model, Task.paragraph: settings.paragraph_model}
    return {task: load_model(name, task.value) for task, name in names.items()}


def model_ref(model: DispositionModel) -> ModelRef:
    return ModelRef(name=model.name, version=model.metadata.version)


def max_chars(model: DispositionModel) -> int:
    """The model's text limit: longer texts are cut (or refused in strict mode)."""
    return model.metadata.max_chars


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


def get_lang(request: Request) -> Lang:
    """The language of the messages in an answer (``Accept-Language``; Chinese by default)."""
    return request_lang(request.headers)


def get_runtime(request: Request) -> Runtime:
    runtime = request.app.state.runtime
    if runtime is None:
        raise ApiError(503, "not_ready", "api.not_ready", headers={"Retry-After": "1"})
    return runtime


SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
LangDep = Annotated[Lang, Depends(get_lang)]
