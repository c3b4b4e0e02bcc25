"""Predictions as review items: one shape for ``gongkai classify`` output (joined with its
input for the texts), ``gongkai tag`` JSON Lines and the paragraphs dataset of an archive."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class ReviewError(ValueError):
    """Input the review loop cannot use; the message (Chinese) says where and why."""


@dataclass(frozen=True)
class ReviewItem:
    """A text, what the model said about it, and what a second model said, if one did.

    ``scores`` are the probabilities the output lists (a request's ``top``, a paragraph's
    ``scores``): enough to rank by margin or entropy, never the whole distribution.
    """

    id: str
    task: str
    text: str
    labels: tuple[str, ...]
    scores: dict[str, float]
    record: str | None = None
    needs_record: bool = False
    model_version: str = ""
    other_labels: tuple[str, ...] | None = None
    other_version: str = ""

    @property
    def disagreement(self) -> bool:
        return self.other_labels is not None and set(self.other_labels) != set(self.labels)


def item_id(row: Mapping[str, Any]) -> str:
    """The row's ``id``; a tagged paragraph has none, so its report and index make one."""
    if row.get("id") is not None:
        return str(row["id"])
    report = row.get("report_id") or row.get("report") or row.get("source")
    if report is None or row.get("index") is None:
        raise ReviewError(f"第 {row.get('_line', '?')} 行：没有 id，也没有报告和段落序号")
    return f"{report}#{row['index']}"


def _scores(row: Mapping[str, Any]) -> dict[str, float]:
    """A request's ``top`` or a paragraph's ``scores``, as a mapping or as the archive's
    list of ``{label, score}`` entries."""
    listed = row.get("top") if row.get("top") is not None else row.get("scores")
    if isinstance(listed, Mapping):
        return {str(label): float(score) for label, score in listed.items()}
    if isinstance(listed, list):
        return {str(entry["label"]): float(entry["score"]) for entry in listed}
    return {}


def _labels(row: Mapping[str, Any], task: str) -> tuple[str, ...]:
    if task == "request":
        if not isinstance(row.get("label"), str):
            raise ReviewError(f"{item_id(row)}：预测里没有 label，不是申请分类的输出")
        return (row["label"],)
    if not isinstance(row.get("labels"), list):
        raise ReviewError(f"{item_id(row)}：预测里没有 labels，不是段落标注的输出")
    return tuple(row["labels"])


def review_items(predictions: Iterable[Mapping[str, Any]], task: str,
                 texts: Mapping[str, Mapping[str, Any]] | None = None,
                 model_version: str = "",
                 other: Iterable[Mapping[str, Any]] | None = None,
                 other_version: str = "") -> list[ReviewItem]:
    """Items from prediction rows. ``texts`` maps id → the input row (``text``,
    ``record``) for outputs that do not carry their texts; ``other`` are a second model's
    predictions of the same ids."""
    texts = texts or {}
    others = {item_id(row): _labels(row, task) for row in other or []}
    items = []
    for row in predictions:
        key = item_id(row)
        source = row if isinstance(row.get("text"), str) else texts.get(key)
        if source is None or not str(source.get("text") or "").strip():
            raise ReviewError(f"{key}：找不到文本；classify 的输出请用 --input 给出原输入文件")
        record = source.get("record")
        items.append(ReviewItem(
            id=key, task=task, text=source["text"], labels=_labels(row, task),
            scores=_scores(row), record=record if isinstance(record, str) and record else None,
            needs_record=bool(row.get("needs_record")), model_version=model_version,
            other_labels=others.get(key) if other is not None else None,
            other_version=other_version))
    return items
