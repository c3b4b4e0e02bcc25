"""POST /v1/classify: requests → disposition, paragraphs → the dispositions they report."""

from __future__ import annotations

from fastapi import APIRouter

from gongkai.messages import Note
from gongkai.serving.errors import ApiError, error_responses
from gongkai.serving.runtime import LangDep, RuntimeDep, SettingsDep, max_chars, model_ref
from gongkai.serving.schemas import ClassifyRequest, ClassifyResponse, result

router = APIRouter(prefix="/v1", tags=["classify"])


@router.post("/classify", responses=error_responses(408, 413, 422, 429, 500, 503))
async def classify(body: ClassifyRequest, runtime: RuntimeDep, settings: SettingsDep,
                   lang: LangDep) -> ClassifyResponse:
    """Classify request texts or tag paragraph texts: per text the fields of
    ``gongkai classify``. ``items`` carry each request's case record beside its text.
    Texts over the model's limit are cut (and said so), or refused when the server runs
    in strict mode. Messages follow Accept-Language (zh by default, or en)."""
    texts, records = body.inputs()
    if len(texts) > settings.max_texts:
        raise ApiError(422, "too_many_texts", "api.too_many_texts",
                       {"count": len(texts), "limit": settings.max_texts})
    model = runtime.models[body.task]
    limit = max_chars(model)
    cut = sorted(i for i, text in enumerate(texts) if len(text) > limit)
    if cut and settings.strict_length:
        raise ApiError(422, "text_too_long", "api.text_too_long",
                       {"index": cut[0], "number": cut[0] + 1, "limit": limit})
    texts = [text[:limit] for text in texts]
    predictions = await runtime.predictors[body.task].predict(texts, body.top_k, body.explain,
                                                              records)
    notes = [Note("api.text_cut", {"index": i, "number": i + 1, "limit": limit}) for i in cut]
    return ClassifyResponse(
        task=body.task,
        model=model_ref(model),
        results=[result(p, truncated=i in cut) for i, p in enumerate(predictions)],
        warnings=[note.text(lang) for note in notes],
        notes=[note.as_dict(lang) for note in notes],
    )
