"""What the server loads once at start-up, and the dependencies that hand it to routes."""

from __future__ import annotations

import gc
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
WARM_TEXT = "申请公开本机关2023年部门预算"


@dataclass
class Runtime:
    """The taxonomy, and per task its model and the predictor that calls it."""

    taxonomy: Taxonomy
    models: dict[Task, DispositionModel]
    predictors: dict[Task, Predictor]


def ready_models(settings: Settings) -> dict[Task, DispositionModel]:
    """Both tasks' models, loaded (loading never trains: a missing one is a ModelError that
    names ``gongkai train``) and warmed (the first text builds jieba's dictionary and what
    explanations reuse); then everything start-up made is frozen out of the garbage
    collector: the vocabularies and jieba's dictionary hold millions of entries, and a full
    collection walking them under load stalls every request in flight."""
    names = {Task.request: settings.request_model, Task.paragraph: settings.paragraph_model}
    models = {task: load_model(name, task.value) for task, name in names.items()}
    for model in models.values():
        model.classify([WARM_TEXT], explain=True)
    gc.collect()
    gc.freeze()
    return models


def model_ref(model: DispositionModel) -> ModelRef:
    return ModelRef(name=model.name, version=model.metadata.version)


def max_chars(model: DispositionModel) -> int:
    """The model's text limit: longer texts are cut (or refused in strict mode)."""
    return model.metadata.max_chars


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


async def get_lang(request: Request) -> Lang:
    """The language of the messages in an answer (``Accept-Language``; Chinese by default)."""
    return request_lang(request.headers)


async def get_runtime(request: Request) -> Runtime:
    runtime = request.app.state.runtime
    if runtime is None:
        raise ApiError(503, "not_ready", "api.not_ready", headers={"Retry-After": "1"})
    return runtime


# The dependencies are coroutines though they never wait: FastAPI would run a plain
# function in the thread pool, a thread hop per dependency per request.
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
LangDep = Annotated[Lang, Depends(get_lang)]
