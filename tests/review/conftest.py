"""Review items and Label Studio exports made by hand, small enough to read."""

from __future__ import annotations

from gongkai.review.items import ReviewItem


def request_item(id: str, scores: dict[str, float], *, needs_record: bool = False,
                 other: tuple[str, ...] | None = None) -> ReviewItem:
    label = max(scores, key=scores.get)
    return ReviewItem(id=id, task="request", text=f"申请公开{id}", labels=(label,),
                      scores=scores, needs_record=needs_record, model_version="v1",
                      other_labels=other, other_version="v2" if other else "")


def annotation(id: int, user: int, labels: list[str], updated: str, *,
               cancelled: bool = False, note: str = "") -> dict:
    """One annotation as Label Studio 1.x exports it."""
    result = [{"from_name": "label", "to_name": "text", "type": "choices",
               "value": {"choices": labels}}]
    if note:
        result.append({"from_name": "note", "to_name": "text", "type": "textarea",
                       "value": {"text": [note]}})
    return {"id": id, "unique_id": f"u-{id}", "completed_by": user, "result": result,
            "was_cancelled": cancelled, "created_at": updated, "updated_at": updated}


def exported_task(item_id: str, text: str, annotations: list[dict],
                  predicted: str = "disclose") -> dict:
    return {"id": 1, "data": {"id": item_id, "task": "request", "text": text,
                              "record": "（无）", "predicted": [predicted],
                              "model_version": "v1"},
            "annotations": annotations}
