"""Labels people gave, read into corrections: Label Studio's JSON export, and a plain form
(JSON Lines or CSV with ``id``, ``text``, ``label`` or ``labels``, ``annotator``) for
offices that label in a spreadsheet.

Nothing is decided here: every annotation becomes its own correction, cancelled ones are
counted and dropped, and whether annotators agree is the store's to report.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai.corrections import Correction
from gongkai.review.items import ReviewError
from gongkai.review.studio import CHOICES, NO_RECORD, NOTE


@dataclass
class Parsed:
    """Corrections read from a file, and what was passed over: cancelled (skipped)
    annotations and tasks nobody annotated."""

    corrections: list[Correction] = field(default_factory=list)
    cancelled: int = 0
    unannotated: int = 0


def _annotator(completed_by: Any) -> str:
    """Label Studio exports the user as an id, or as an object with an e-mail."""
    if isinstance(completed_by, Mapping):
        return str(completed_by.get("email") or completed_by.get("id"))
    return f"label-studio:{completed_by}"


def _choices(result: list[Mapping[str, Any]], name: str, key: str) -> list[str]:
    return [value for entry in result if entry.get("from_name") == name
            for value in (entry.get("value") or {}).get(key, [])]


def from_label_studio(export: Any, task: str | None = None) -> Parsed:
    """Corrections from a Label Studio JSON export (a list of tasks with annotations) of
    tasks that ``gongkai review export`` made."""
    if not isinstance(export, list):
        raise ReviewError("不是 Label Studio 的 JSON 导出（应为任务列表）")
    parsed = Parsed()
    for number, item in enumerate(export, 1):
        data = item.get("data") if isinstance(item, Mapping) else None
        if not isinstance(data, Mapping) or not isinstance(data.get("text"), str):
            raise ReviewError(f"第 {number} 个任务没有 data.text，不是 gongkai 导出的任务")
        kind = data.get("task") or task
        given = item.get("annotations") or []
        annotations = [a for a in given if not a.get("was_cancelled")]
        parsed.cancelled += len(given) - len(annotations)
        parsed.unannotated += not given
        record = data.get("record")
        for annotation in annotations:
            result = annotation.get("result") or []
            parsed.corrections.append(Correction(
                task=kind, item_id=str(data.get("id", item.get("id"))), text=data["text"],
                record=record if record and record != NO_RECORD else None,
                labels=tuple(_choices(result, CHOICES, "choices")),
                old_labels=tuple(data.get("predicted") or ()),
                annotator=_annotator(annotation.get("completed_by")),
                created=annotation.get("updated_at") or annotation.get("created_at") or "",
                model_version=str(data.get("model_version") or ""), source="label-studio",
                ref=f"{annotation.get('unique_id') or annotation.get('id')}@"
                    f"{annotation.get('updated_at') or ''}",
                note="\n".join(_choices(result, NOTE, "text"))))
    return parsed


def _listed(value: Any) -> tuple[str, ...]:
    """A label list as JSON, a CSV cell (JSON text or ``a|b``), or one label."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if not isinstance(value, str) or not value.strip():
        return ()
    if value.lstrip().startswith("["):
        return tuple(json.loads(value))
    return tuple(part.strip() for part in value.split("|") if part.strip())


def from_rows(rows: Iterable[Mapping[str, Any]], task: str, source: str,
              annotator: str | None = None) -> Parsed:
    """Corrections from plain rows (a JSON Lines or CSV file): ``id``, ``text``, optional
    ``record``, ``label`` (requests) or ``labels`` (paragraphs), ``annotator`` (or the one
    given), optional ``created``, ``old_label(s)``, ``model_version``, ``note``. A row is
    known by its content, so the same file imported twice adds nothing."""
    parsed = Parsed()
    for number, row in enumerate(rows, 1):
        line = row.get("_line", number)
        if not isinstance(row.get("text"), str):
            raise ReviewError(f"第 {line} 行：缺少 text")
        try:
            labels = _listed(row.get("label") if task == "request" else row.get("labels"))
            old = _listed(row.get("old_label") or row.get("old_labels"))
        except (json.JSONDecodeError, TypeError):
            raise ReviewError(f"第 {line} 行：labels 不是标签列表") from None
        who = str(row.get("annotator") or annotator or "")
        content = {**{key: row[key] for key in row if key != "_line"}, "annotator": who}
        parsed.corrections.append(Correction(
            task=task, item_id=str(row.get("id", f"line-{line}")), text=row["text"],
            record=row.get("record") or None, labels=labels, old_labels=old, annotator=who,
            created=str(row.get("created") or ""),
            model_version=str(row.get("model_version") or ""), source=source,
            ref=hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True,
                                          default=str).encode()).hexdigest()[:32],
            note=str(row.get("note") or "")))
    return parsed
