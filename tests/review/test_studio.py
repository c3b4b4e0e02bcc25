"""The Label Studio config comes from the taxonomy; tasks carry the model's prediction."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gongkai.review.select import select
from gongkai.review.studio import label_config, tasks
from gongkai.taxonomy import load_taxonomy
from tests.review.conftest import request_item


def _choices(task: str) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.fromstring(label_config(task))
    [choices] = root.iter("Choices")
    return choices, list(choices.iter("Choice"))


def test_a_request_takes_one_leaf_grouped_with_its_legal_basis() -> None:
    taxonomy = load_taxonomy()
    choices, options = _choices("request")
    assert choices.get("choice") == "single-radio" and choices.get("required") == "true"
    assert [option.get("alias") for option in options] == taxonomy.leaf_ids
    groups = [box.find("Header").get("value") for box in choices.findall("View")]
    assert groups == [f"{g.marker}{g.name}" for g in taxonomy.groups]
    third_party = next(o for o in options if o.get("alias") == "withhold/third_party")
    assert taxonomy.legal_basis("withhold/third_party") in third_party.get("hint")
    assert len({option.get("value") for option in options}) == len(options)


def test_a_paragraph_takes_several_labels_or_a_group_alone() -> None:
    taxonomy = load_taxonomy()
    choices, options = _choices("paragraph")
    assert choices.get("choice") == "multiple"
    aliases = {option.get("alias") for option in options}
    assert aliases == set(taxonomy.leaf_ids) | set(taxonomy.group_ids)


def test_tasks_are_pre_annotated_with_both_models() -> None:
    items = [request_item("a", {"disclose": 0.5, "partial": 0.45}, other=("partial",)),
             request_item("b", {"disclose": 0.6, "partial": 0.1})]
    first, second = tasks(select(items, 2, audit=0))
    assert first["data"]["id"] == "a" and first["data"]["predicted"] == ["disclose"]
    assert "两个模型结论不同" in first["data"]["title"]
    [ours, theirs] = first["predictions"]
    assert ours["model_version"] == "v1" and ours["score"] == 0.5
    assert ours["result"][0]["value"] == {"choices": ["disclose"]}
    assert theirs["model_version"] == "v2"
    assert theirs["result"][0]["value"] == {"choices": ["partial"]}
    assert len(second["predictions"]) == 1 and second["data"]["record"] == "（无）"
