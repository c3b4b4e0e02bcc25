"""The API contract: every request and response body, as pydantic models.

Predictions are the models' own typed results (``gongkai.models.predictions``) with what
the API adds (whether the text was cut); report fields mirror ``gongkai report --json``
(see the README) with the tagged paragraphs of ``gongkai.models.tagging``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from gongkai.models import predictions
from gongkai.models.tagging import TaggedParagraph
from gongkai.models.task import Task

Number = int | float


def _no_text_or_bool(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# An integer as JSON Schema has it: 3 or 3.0, never "3" or true (pydantic's strict mode
# would refuse 3.0, its lax mode would take "3").
JsonInteger = Annotated[int, BeforeValidator(_no_text_or_bool)]
Truncated = Annotated[bool, Field(description="The text was cut to the model's limit.")]


class ErrorDetail(BaseModel):
    type: str = Field(description="A stable code: validation_error, too_many_texts, "
                      "payload_too_large, a reader error kind (empty, binary, …) and so on.")
    id: str = Field(description="The message's stable id in gongkai's catalogue, e.g. "
                    "api.too_many_texts or reader.no_text_layer.")
    message: str = Field(description="The message in the language Accept-Language asks for "
                         "(zh or en; Chinese by default).")


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorDetail


# --- classification ----------------------------------------------------------------------


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The request (or paragraph) text.")
    record: str | None = Field(
        None, description="The request's case record: 补正 and the answer, fee notices, an "
        "earlier answer, the reply. Without it a record at the end of the text is split off.")


class ClassifyRequest(BaseModel):
    """Give either ``texts`` or ``items`` (texts with their case records)."""

    # The schema says "exactly one of the two lists" as the validator below checks it (a
    # null counts as not given).
    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [
        {"required": [name], "properties": {name: {"type": "array"}}}
        for name in ("texts", "items")]})

    task: Task = Field(description="request: 依申请公开 requests; paragraph: report paragraphs.")
    texts: list[Annotated[str, Field(min_length=1)]] | None = Field(None, min_length=1)
    items: list[Item] | None = Field(None, min_length=1)
    # As the schema says: "explain": 0 or "top_k": "3" is refused (422), not converted.
    top_k: JsonInteger = Field(3, ge=1, le=50, description="How many alternatives to list.")
    explain: bool = Field(False, strict=True, description="List the words that led to each "
                          "label.")

    @model_validator(mode="after")
    def _one_form(self) -> ClassifyRequest:
        if (self.texts is None) == (self.items is None):
            raise PydanticCustomError("texts_or_items", "give either texts or items")
        return self

    def inputs(self) -> tuple[list[str], list[str | None]]:
        """The texts and their records (None where none came)."""
        if self.items is not None:
            return [item.text for item in self.items], [item.record for item in self.items]
        return list(self.texts or []), [None] * len(self.texts or [])


@dataclass(slots=True)
class RequestPrediction(predictions.RequestPrediction):
    truncated: Truncated = False


@dataclass
class ParagraphPrediction(predictions.ParagraphPrediction):
    truncated: Truncated = False


def result(prediction: predictions.Prediction, truncated: bool,
           ) -> RequestPrediction | ParagraphPrediction:
    """A model's prediction as the API answers it."""
    shape = (RequestPrediction if isinstance(prediction, predictions.RequestPrediction)
             else ParagraphPrediction)
    return shape(**{f.name: getattr(prediction, f.name) for f in fields(prediction)},
                 truncated=truncated)


class ModelRef(BaseModel):
    name: str
    version: str = Field(description="First 12 hex digits of the estimator's sha256.")


class Note(BaseModel):
    """A message with its stable id (gongkai's catalogue) and the values it names."""

    id: str
    message: str = Field(description="In the language Accept-Language asks for.")
    values: dict[str, Any]


class ClassifyResponse(BaseModel):
    task: Task
    model: ModelRef
    results: list[RequestPrediction] | list[ParagraphPrediction]
    warnings: list[str] = Field(description="What the answer should be read with, e.g. a "
                                "text cut to the model's limit.")
    notes: list[Note] = Field(description="The warnings with their message ids and values.")


# --- reports -----------------------------------------------------------------------------


class ReportText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, pattern=r"\S", description="The report as plain text or "
                      "HTML (not blank). Whether it is a report the reader decides: text that "
                      "is not one is 422 not_a_report.")


class Section(BaseModel):
    number: str
    title: str


class Table(BaseModel):
    found: bool
    rows: dict[str, dict[str, Number | None]] = Field(
        description="Row id → column id → value; a blank cell is null.")


class Tables(BaseModel):
    requests: Table
    proactive: Table
    review_litigation: Table


class Check(BaseModel):
    id: str
    ok: bool | None = Field(description="null when nothing could be checked.")
    message: str
    values: dict[str, Any]
    details: list[str] = Field(
        default_factory=list, description="Each failure of values.failures as a sentence "
        "that names the row × column and both figures, or the sentence, figure and cell of a "
        "narrative contradiction (language: Accept-Language).")


class ReportResponse(BaseModel):
    source: str
    title: str | None
    agency: str | None
    year: int | None
    template: str | None
    sections: list[Section]
    paragraphs: list[TaggedParagraph]
    tables: Tables
    checks: list[Check]
    warnings: list[str] = Field(description="The reader's warnings, then a note when a "
                                "paragraph was tagged on its beginning only.")
    model: ModelRef = Field(description="The paragraph model that tagged the paragraphs.")
    notes: list[Note] = Field(default_factory=list, description="The warnings with their "
                              "message ids and values: the reader's, then a paragraph cut to "
                              "the model's limit.")


# --- labels and models -------------------------------------------------------------------


class Group(BaseModel):
    id: str
    name: str
    marker: str
    legal_basis: str


class Leaf(BaseModel):
    id: str
    group: str
    name: str
    legal_basis: str
    article: str | None
    definition: str
    rows_2019: list[str]
    rows_2021: list[str]
    variants: list[str]
    decided_by: str = Field(description='"record": decided by the case record (补正, fees, '
                            'an earlier answer), not by the request text; otherwise "text".')
    record_question: str | None = Field(
        description="For a record-decided leaf: the fact to settle when the record is missing.")
    article_text: str | None = Field(
        description="What the leaf's main article of the 条例 provides, in a short summary.")


class RowName(BaseModel):
    id: str
    name: str


class Column(BaseModel):
    id: str
    name: str
    parent: str | None


class Labels(BaseModel):
    version: int
    sha256: str
    groups: list[Group]
    leaves: list[Leaf]
    rows: list[RowName]
    columns: list[Column]
    articles: dict[str, str] = Field(
        description="Article of the 条例 → what it provides (a short summary).")


class ModelInfo(BaseModel):
    name: str
    task: Task
    kind: str
    version: str
    created: str | None
    corpus_sha256: str | None
    max_chars: int
    metrics: dict[str, Any]
    revision: int = Field(description="Counts up each time the model is retrained into its "
                          "folder (see changelog in metadata.json and the model card).")
    corrections: int = Field(description="How many corrections by people the model learned "
                             "from (0: the corpus alone).")


class Models(BaseModel):
    request: ModelInfo
    paragraph: ModelInfo


# --- health ------------------------------------------------------------------------------


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    models: dict[Task, str] = Field(description="Task → the loaded model's name.")
