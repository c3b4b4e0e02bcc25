"""Tag the narrative paragraphs of a report: the one place a paragraph and its tags meet.

``gongkai tag``, the archive workers and ``POST /v1/reports`` all build their rows from
:class:`TaggedParagraph`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from gongkai.models.base import DispositionModel
from gongkai.models.predictions import ParagraphPrediction, ParagraphTags
from gongkai.reader import Paragraph


@dataclass
class TaggedParagraph(ParagraphTags, Paragraph):
    """A narrative paragraph of a report (index, section, text) with its tags."""


TAG_FIELDS = tuple(f.name for f in fields(ParagraphTags))


def tagged(paragraph: Paragraph, prediction: ParagraphPrediction) -> TaggedParagraph:
    return TaggedParagraph(index=paragraph.index, section=paragraph.section,
                           text=paragraph.text,
                           **{name: getattr(prediction, name) for name in TAG_FIELDS})


def tag_paragraphs(paragraphs: Sequence[Paragraph], model: DispositionModel,
                   top_k: int = 3) -> list[TaggedParagraph]:
    """Each paragraph with the paragraph model's tags, in one model call."""
    predictions = model.classify([p.text for p in paragraphs], top_k=top_k)
    return [tagged(p, prediction) for p, prediction in zip(paragraphs, predictions,
                                                             strict=True)]
