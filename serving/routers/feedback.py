"""POST /v1/feedback: an officer says a prediction was wrong and which label is right.

The correction goes into the corrections store (``gongkai.corrections``, at the setting
``corrections_url``) that ``gongkai train`` learns from, with the label the current model
gives the text as the old label and its version. Writing needs the API token of the
setting ``api_token`` (``Authorization: Bearer …``); without a token configured, the
server takes no writes at all. A bad request is refused whole (4xx) and stores nothing.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool

from gongkai.corrections import Correction, CorrectionStore, text_hash, timestamp
from gongkai.messages import say
from gongkai.models.labelsets import label_space
from gongkai.models.task import Task
from gongkai.serving.errors import ApiError, error_responses
from gongkai.serving.runtime import LangDep, RuntimeDep, SettingsDep, model_ref
from gongkai.taxonomy import load_taxonomy

router = APIRouter(prefix="/v1", tags=["feedback"])
MAX_NOTE = 2000  # characters: a remark, not a document
MAX_NAME = 200


class Feedback(BaseModel):
    """A correction: the item (``text`` as classified, or the ``id`` of an item the store
    has), the right label (one leaf for a request; leaf or group ids for a paragraph) and
    a note."""

    model_config = ConfigDict(extra="forbid")

    task: Task = Field(Task.request, description="request or paragraph.")
    id: str | None = Field(None, min_length=1, max_length=MAX_NAME, description="Your id of "
                           "the item; alone, the id of an item the store already has.")
    text: str | None = Field(None, validate_default=True,
                             description="The text the model labelled (or give id).")
    record: str | None = Field(None, description="A request's case record, as classified.")
    label: str | list[str] = Field(description="The right label: a leaf id for a request, "
                                   "a list of leaf or group ids for a paragraph.")
    note: str = Field("", max_length=MAX_NOTE, description="Why, for whoever reviews it.")
    annotator: str = Field("api", min_length=1, max_length=MAX_NAME,
                           description="Who corrects (the token does not say).")

    @field_validator("text")
    @classmethod
    def _text_or_id(cls, text: str | None, info: ValidationInfo) -> str | None:
        if text is None and info.data.get("id") is None:
            raise PydanticCustomError("missing", "give text or id")
        if text is not None and not text.strip():
            raise PydanticCustomError("string_too_short", "empty text", {"min_length": 1})
        return text

    @model_validator(mode="after")
    def _known_labels(self) -> Feedback:
        known = label_space(self.task.value, load_taxonomy())
        labels = self.labels()
        one = self.task is Task.paragraph or len(labels) == 1
        if not one or any(label not in known for label in labels):
            raise PydanticCustomError("enum", "unknown label", {
                "expected": ", ".join(f"'{label}'" for label in known)})
        return self

    def labels(self) -> tuple[str, ...]:
        return (self.label,) if isinstance(self.label, str) else tuple(self.label)


class Stored(BaseModel):
    stored: bool = Field(description="false: the store already had this correction.")
    id: str
    text_hash: str
    labels: list[str]
    old_labels: list[str] = Field(description="What the model answering now says.")
    model_version: str
    created: str
    corrections: int = Field(description="Corrections of this task in the store.")


def require_token(settings: SettingsDep,
                  authorization: Annotated[str | None, Header()] = None) -> None:
    """403 while no token is configured (no writes at all), 401 without the right one."""
    token = settings.api_token
    if token is None:
        raise ApiError(403, "writes_disabled", "api.http_status", {"status": 403})
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.get_secret_value().encode()):
        raise ApiError(401, "unauthorized", "api.http_status", {"status": 401},
                       headers={"WWW-Authenticate": "Bearer"})


@router.post("/feedback", status_code=201, dependencies=[Depends(require_token)],
             responses=error_responses(401, 403, 408, 413, 422, 429, 503))
async def feedback(body: Feedback, runtime: RuntimeDep, settings: SettingsDep,
                   lang: LangDep) -> Stored:
    """Store a correction of a prediction (needs the API token). ``id`` alone names an
    item the store already has; otherwise send the ``text`` (and ``record``) as
    classified. The old label is what the model answering now says."""
    store = CorrectionStore(settings.corrections_url)
    text, record = body.text, body.record
    if body.id is not None and text is None:
        known = await run_in_threadpool(store.find, body.task.value, body.id)
        if known is None:
            raise ApiError(422, "unknown_id", "api.invalid",
                           {"field": "id", "problem": say("valid.other", lang)})
        text, record = known.text, known.record
    model = runtime.models[body.task]
    [prediction] = await runtime.predictors[body.task].predict([text], 1, False, [record])
    old = [prediction.label] if body.task is Task.request else list(prediction.labels)
    correction = Correction(
        task=body.task.value, item_id=body.id or f"api-{text_hash(text, record)[:16]}",
        text=text, record=record,
        labels=body.labels(), old_labels=tuple(old), annotator=body.annotator,
        created=timestamp(), model_version=model_ref(model).version, source="api",
        note=body.note)
    added = await run_in_threadpool(store.add, [correction])
    return Stored(stored=added.added == 1, id=correction.item_id,
                  text_hash=correction.text_hash, labels=list(correction.labels),
                  old_labels=old, model_version=correction.model_version,
                  created=correction.created,
                  corrections=await run_in_threadpool(store.count, body.task.value))
