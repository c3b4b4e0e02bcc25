"""GET /v1/model: which models answer, so that a prediction can be traced to its model."""

from __future__ import annotations

from fastapi import APIRouter

from gongkai.models.base import DispositionModel
from gongkai.serving.errors import error_responses
from gongkai.serving.runtime import RuntimeDep, max_chars, model_ref
from gongkai.serving.schemas import ModelInfo, Models, Task

router = APIRouter(prefix="/v1", tags=["model"])


def model_info(model: DispositionModel) -> ModelInfo:
    metadata = model.metadata
    return ModelInfo(
        name=model.name,
        task=Task(model.task),
        kind=metadata.kind,
        version=model_ref(model).version,
        created=metadata.created,
        corpus_sha256=metadata.corpus_sha256,
        max_chars=max_chars(model),
        metrics=metadata.metrics,
        revision=metadata.revision,
        corrections=metadata.corrections.get("count", 0),
    )


@router.get("/model", responses=error_responses(429, 503))
async def models(runtime: RuntimeDep) -> Models:
    """The request and paragraph models: name, version, creation time, corpus hash, metrics."""
    return Models(request=model_info(runtime.models[Task.request]),
                  paragraph=model_info(runtime.models[Task.paragraph]))
