"""Tag the narrative paragraphs of annual reports with the paragraph model."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from gongkai.reader import Report
from training.model import DispositionModel

TAG_FIELDS = ("labels", "groups", "scores", "counts")


def report_id(path: str | Path) -> str:
    """A stable id from the file's content, so one report under two names is one report."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def tag_report(report: Report, model: DispositionModel, identifier: str) -> list[dict[str, Any]]:
    """One row per narrative paragraph: where it is, its text and its tags."""
    paragraphs = report.paragraphs
    predictions = model.predict([p.text for p in paragraphs])
    return [
        {"report": identifier, "source": report.source, "section": p.section, "index": p.index,
         "text": p.text, **{key: prediction[key] for key in TAG_FIELDS}}
        for p, prediction in zip(paragraphs, predictions, strict=True)
    ]
