"""Label Studio's side of the loop: the labelling config, generated from the taxonomy, and
the tasks, pre-annotated with the model's prediction so that a reviewer confirms or
changes a choice instead of starting from nothing.

Choices are grouped by disposition group (the statistics table's (一)…(六)); each shows the
leaf's name and id, its legal basis on hover, and stores the leaf id (``alias``), the
label gongkai reads back. A request takes one choice, a paragraph several, or a group
alone where it names a group without a reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from gongkai.review.select import Selected
from gongkai.taxonomy import Taxonomy, load_taxonomy

CHOICES = "label"  # the from_name of the labels in results
NOTE = "note"
TEXT = "text"
NO_RECORD = "（无）"  # shown where a request came without its case record
REASONS = {"disagreement": "两个模型结论不同", "needs_record": "待补办理记录",
           "margin": "模型拿不准", "entropy": "模型拿不准", "audit": "随机抽查"}


def _hint(taxonomy: Taxonomy, label: str) -> str:
    article = taxonomy.article_text(label)
    basis = taxonomy.legal_basis(label)
    return f"{basis}：{article}" if article else basis


def label_config(task: str, taxonomy: Taxonomy | None = None) -> str:
    """The Label Studio labelling config (XML) for ``task``."""
    taxonomy = taxonomy or load_taxonomy()
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="$title", size="5")
    ET.SubElement(view, "Text", name=TEXT, value="$text")
    if task == "request":
        ET.SubElement(view, "Header", value="办理记录", size="6")
        ET.SubElement(view, "Text", name="record", value="$record")
    choices = ET.SubElement(view, "Choices", name=CHOICES, toName=TEXT, showInline="false",
                            choice="single-radio" if task == "request" else "multiple",
                            required="true" if task == "request" else "false")
    for group in taxonomy.groups:
        box = ET.SubElement(choices, "View")
        ET.SubElement(box, "Header", value=f"{group.marker}{group.name}", size="6")
        if task == "paragraph" and group.id not in taxonomy.leaf_ids:
            ET.SubElement(box, "Choice", value=f"只说到{group.name}（{group.id}）",
                          alias=group.id, hint=group.legal_basis)
        for leaf in taxonomy.leaves_of(group.id):
            ET.SubElement(box, "Choice", value=f"{leaf.name}（{leaf.id}）", alias=leaf.id,
                          hint=_hint(taxonomy, leaf.id))
    ET.SubElement(view, "TextArea", name=NOTE, toName=TEXT, placeholder="备注（可不填）",
                  rows="2", maxSubmissions="1", editable="true")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def _result(labels: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"from_name": CHOICES, "to_name": TEXT, "type": "choices",
             "value": {"choices": list(labels)}}]


def _title(chosen: Selected, taxonomy: Taxonomy) -> str:
    item = chosen.item
    names = "、".join(taxonomy.name(label) for label in item.labels) or "无"
    reasons = "、".join(REASONS[reason] for reason in chosen.reasons)
    return f"送审原因：{reasons}｜模型 {item.model_version or '?'} 的结论：{names}"


def task(chosen: Selected, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """One Label Studio task: the text (and record), why it is here, and the predictions
    of the model (and of the second model) as pre-annotations."""
    taxonomy = taxonomy or load_taxonomy()
    item = chosen.item
    top = max(item.scores.values(), default=0.0)
    predictions = [{"model_version": item.model_version, "score": top,
                    "result": _result(item.labels)}]
    if item.other_labels is not None and item.disagreement:
        predictions.append({"model_version": item.other_version,
                            "result": _result(item.other_labels)})
    data = {"id": item.id, "task": item.task, TEXT: item.text,
            "title": _title(chosen, taxonomy), "predicted": list(item.labels),
            "scores": item.scores, "model_version": item.model_version,
            "reasons": list(chosen.reasons), "uncertainty": chosen.uncertainty}
    if item.task == "request":
        data["record"] = item.record or NO_RECORD
    return {"data": data, "predictions": predictions}


def tasks(selected: list[Selected], taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    taxonomy = taxonomy or load_taxonomy()
    return [task(chosen, taxonomy) for chosen in selected]
