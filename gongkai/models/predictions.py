"""What a model says about one text, as typed results.

Every output is built from these fields: the CLI's JSON (``as_json``), the API's response
schemas (which extend them with what the API adds) and the archive's Parquet columns
(``gongkai.archive.datasets``). The descriptions become the OpenAPI documentation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any


def Field(*args: Any, **kwargs: Any) -> Any:
    """pydantic's ``Field``, imported only when the annotations below are read (the API's
    schemas read them; a command line that prints a prediction never does, and importing
    pydantic would cost its cold start more than the prediction)."""
    from pydantic import Field as field

    return field(*args, **kwargs)


@dataclass(frozen=True, slots=True)
class Term:
    """A word of the text and how much it pushed the decision."""

    term: str
    weight: float


@dataclass(frozen=True, slots=True)
class Scored:
    """A label and its probability."""

    label: str
    score: float


@dataclass(slots=True)
class RequestPrediction:
    """The disposition proposed for one request (and its case record, when given)."""

    label: Annotated[str, Field(
        description="Leaf id of the disposition, e.g. withhold/third_party: the most "
        "probable leaf, always top[0].")]
    group: Annotated[str, Field(description="Group id of the disposition.")]
    score: Annotated[float, Field(description="Probability of the label.")]
    top: Annotated[list[Scored], Field(description="The most probable leaves, best first.")]
    legal_basis: Annotated[str, Field(description="The articles that decide the label.")]
    explanation: Annotated[list[Term], Field(
        description="The words that led to the label (empty unless asked for).")]
    needs_record: Annotated[bool, Field(
        description="No case record came, and the leading labels are facts of the case file "
        "(补正 answered or not, fees paid or not, an earlier answer): settle `question` "
        "first.")] = False
    question: Annotated[str | None, Field(
        description="When needs_record: the fact of the case to settle, e.g. "
        "是否已书面告知补正、申请人是否在期限内作出补正.")] = None
    text_label: Annotated[Scored | None, Field(
        description="The best label among those the request text alone can decide.")] = None


@dataclass
class ParagraphTags:
    """The dispositions one report paragraph talks about, and the figures it states."""

    labels: Annotated[list[str], Field(
        description="Leaf ids, or a group id alone where the paragraph names only the group.")]
    groups: Annotated[list[str], Field(description="Group ids of the labels.")]
    scores: Annotated[dict[str, float], Field(
        description="Label → probability, for the labels and the next most probable ones.")]
    counts: Annotated[dict[str, int], Field(
        description="Row id → the figure the paragraph states.")]


@dataclass
class ParagraphPrediction(ParagraphTags):
    """A paragraph's tags with the legal basis and explanation of each label."""

    legal_basis: Annotated[dict[str, str], Field(description="Label → the articles.")]
    explanation: Annotated[dict[str, list[Term]], Field(
        description="Label → the words that led to it (empty unless asked for).")]


Prediction = RequestPrediction | ParagraphPrediction


def as_json(prediction: Prediction) -> dict[str, Any]:
    """Plain data for JSON output."""
    return asdict(prediction)
