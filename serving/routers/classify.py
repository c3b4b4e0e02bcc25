"""POST /v1/classify: requests → disposition, paragraphs → the dispositions they report."""

from __future__ import annotations

from fastapi import APIRouter

from gongkai.serving.errors import ApiError, error_responses
from gongkai.serving.runtime import RuntimeDep, SettingsDep, max_chars, model_ref
from gongkai.serving.schemas import ClassifyRequest, ClassifyResponse, result

router = APIRouter(prefix="/v1", tags=["classify"])


@router.post("/classify", responses=error_responses(413, 422, 429, 500, 503))
async def classify(body: ClassifyRequest, runtime: RuntimeDep,
                   settings: SettingsDep) -> ClassifyResponse:
    """Classify request texts or tag paragraph texts: per text the fields of
    ``gongkai classify``. ``items`` carry each request's case record beside its text.
    Texts over the model's limit are cut (and said so), or refused when the server runs
    in strict mode."""
    texts, records = body.inputs()
    if len(texts) > settings.max_texts:
        raise ApiError(422, "too_many_texts",
                       f"{len(texts)} texts; at most {settings.max_texts} per request")
    model = runtime.models[body.task]
    limit = max_chars(model)
    cut = {i for i, text in enumerate(texts) if len(text) > limit}
    if cut and settings.strict_length:
        raise ApiError(422, "text_too_long",
                       f"text {min(cut)} is over the model's limit of {limit} characters")
    texts = [text[:limit] for text in texts]
    predictions = await runtime.predictors[body.task].predict(texts, body.top_k, body.explain,
                                                              records)
    return ClassifyResponse(
        task=body.task,
        model=model_ref(model),
        results=[result(p, truncated=i in cut) for i, p in enumerate(predictions)],
        warnings=[f"text {i} was cut to its first {limit} characters" for i in sorted(cut)],
    )
